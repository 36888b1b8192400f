/// Whole numbers with thousands separators, as the summaries and charts print them.
public enum DigitGrouping {
    /// `122900` → `122,900`, `-1234` → `-1,234`.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return (value < 0 ? "-" : "") + result
    }
}
