/// Checks a name taken from an input file (a scenario's `"name"`, say) before it becomes part
/// of a path, so that no input can make the SDK write outside the directory it was given.
public enum FileNameComponent {
    /// The longest name accepted, in UTF-8 bytes (file systems allow 255; room is left for the
    /// prefixes and suffixes the SDK adds).
    public static let maximumLength = 120

    /// Why `name` cannot be used as one path component, or `nil` if it can.
    ///
    /// Refused: the empty name, `.` and `..`, a leading `.` (hidden or relative), `/` and `\`,
    /// NUL and other control characters, and names longer than ``maximumLength`` bytes. Letters
    /// of any script, digits, spaces and punctuation otherwise pass, so `促進策-1` is a name.
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if name.utf8.count > maximumLength {
            return "is \(name.utf8.count) bytes long; at most \(maximumLength) can name a file"
        }
        if let bad = name.unicodeScalars.first(where: {
            $0 == "/" || $0 == "\\" || $0.properties.generalCategory == .control
        }) {
            let shown = bad == "/" || bad == "\\" ? "\"\(bad)\"" : "U+\(String(bad.value, radix: 16, uppercase: true))"
            return "contains \(shown), which cannot be part of a file name"
        }
        if name.hasPrefix(".") { return "\"\(name)\" starts with \".\"; it cannot name a file or directory" }
        return nil
    }
}
