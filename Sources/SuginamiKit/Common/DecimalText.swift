import Foundation

/// Numbers as open-data files write them: whole numbers without a fraction, others in the
/// shortest decimal form that reads back to the same `Double` — never rounded (that would lose
/// data) and never in exponent form (which some spreadsheet tools misread).
enum DecimalText {
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        let shortest = "\(value)"
        guard shortest.contains("e") else { return shortest }
        // Swift writes very small or very large magnitudes with an exponent: expand them, then
        // drop the zeros that carry no information.
        var expanded = String(format: "%.20f", value)
        while expanded.hasSuffix("0") { expanded.removeLast() }
        return Double(expanded) == value ? expanded : String(format: "%.17g", value)
    }
}
