extension String {
    /// The text with `&`, `<`, `>`, `"` and `'` written as HTML character references, safe in
    /// element content and in quoted attribute values: the one escaping of every HTML page the
    /// SDK writes (reports, the daemon's pages).
    public var htmlEscaped: String {
        var escaped = ""
        escaped.reserveCapacity(utf8.count)
        for character in self {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
