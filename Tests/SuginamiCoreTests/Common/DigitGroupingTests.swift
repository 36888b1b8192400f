import SuginamiCore
import Testing

@Suite("Digit grouping")
struct DigitGroupingTests {
    @Test(arguments: [
        (0, "0"), (999, "999"), (1_000, "1,000"), (122_900, "122,900"), (-1_234_567, "-1,234,567"),
        (Int.min, "-9,223,372,036,854,775,808"),
    ])
    func thousandsAreSeparated(value: Int, text: String) {
        #expect(DigitGrouping.grouped(value) == text)
    }
}
