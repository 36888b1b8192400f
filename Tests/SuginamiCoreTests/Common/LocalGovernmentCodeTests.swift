import Testing

@testable import SuginamiCore

@Suite("全国地方公共団体コード")
struct LocalGovernmentCodeTests {
    @Test(
        "check digit of known codes",
        arguments: [
            ("13115", "131156"), ("13101", "131016"), ("01100", "011002"), ("09201", "092011"), ("13103", "131032"),
        ])
    func checkDigit(five: String, six: String) throws {
        #expect(try LocalGovernmentCode(fiveDigitCode: five).rawValue == six)
        #expect(try LocalGovernmentCode(six).fiveDigitCode == five)
    }

    @Test func suginamiConstant() throws {
        #expect(LocalGovernmentCode.suginami == (try LocalGovernmentCode("131156")))
        #expect(LocalGovernmentCode.suginami.prefectureCode == "13")
    }

    @Test func rejectsBadCheckDigit() {
        #expect(throws: LocalGovernmentCodeError.badCheckDigit("131157", expected: "6")) {
            try LocalGovernmentCode("131157")
        }
    }

    @Test(arguments: ["13115", "1311566", "13115a", "", "１３１１５６"])
    func rejectsMalformed(text: String) {
        #expect(throws: LocalGovernmentCodeError.notSixDigits(text)) { try LocalGovernmentCode(text) }
    }

    @Test func restoresDroppedLeadingZeroOnlyWhenAsked() throws {
        #expect(try LocalGovernmentCode("92011", acceptingDroppedLeadingZero: true).rawValue == "092011")
        #expect(throws: LocalGovernmentCodeError.self) { try LocalGovernmentCode("92011") }
        #expect(throws: LocalGovernmentCodeError.self) {
            try LocalGovernmentCode("92012", acceptingDroppedLeadingZero: true)
        }
    }
}
