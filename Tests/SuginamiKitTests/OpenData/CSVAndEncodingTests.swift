import Foundation
import Testing

@testable import SuginamiKit

@Suite("CSV and text encodings")
struct CSVAndEncodingTests {
    @Test func quotedFieldsWithCommasQuotesAndLineBreaks() throws {
        let text = "a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\n\nlast,,\"\"\n"
        let table = try CSVTable(parsing: text, file: "q.csv")
        #expect(table.header == ["a", "b", "c"])
        #expect(table.records == [["x,1", "say \"hi\"", "two\nlines"], ["last", "", ""]])
        #expect(table.lines == [2, 5])
    }

    @Test func writeThenParseIsIdentity() throws {
        let records = [["1", "a,b", "\"q\""], ["2", "line\r\nbreak", ""]]
        let text = CSVTable.write(header: ["n", "x", "y"], records: records)
        #expect(try CSVTable(parsing: text, file: "w.csv").records == records)
    }

    @Test func unterminatedQuoteNamesTheLineItOpened() {
        #expect(throws: InputFileError(file: "u.csv", location: .line(3), reason: "a quoted field is never closed")) {
            try CSVTable(parsing: "a,b\n1,2\n3,\"open\n4,5\n", file: "u.csv")
        }
    }

    @Test func strayQuote() {
        #expect(throws: InputFileError.self) { try CSVTable(parsing: "a,b\n1,x\"y\n", file: "s.csv") }
        #expect(throws: InputFileError.self) { try CSVTable(parsing: "a,b\n\"1\"x,2\n", file: "s.csv") }
    }

    @Test func emptyFile() {
        #expect(throws: InputFileError(file: "e.csv", location: .file, reason: "the file is empty (no header row)")) {
            try CSVTable(parsing: "", file: "e.csv")
        }
    }

    @Test func shiftJISIsDetectedAndCP932CharactersSurvive() throws {
        let text = "名称,備考\r\n杉並区立髙井戸小学校,①～③\r\n"
        let bytes = try TextEncoding.shiftJIS.encode(text, file: "s.csv")
        #expect(bytes.count < text.utf8.count)
        #expect(try TextEncoding.automatic.decode(bytes, file: "s.csv") == text)
        #expect(try TextEncoding.automatic.decode(Data(text.utf8), file: "s.csv") == text)
        #expect(try TextEncoding.automatic.decode(TextEncoding.utf8BOM + Data(text.utf8), file: "s.csv") == text)
    }

    @Test func characterWithoutShiftJISFormIsAnErrorOnWrite() {
        #expect(throws: InputFileError.self) { try TextEncoding.shiftJIS.encode("ok\n🏫\n", file: "out.csv") }
    }

    @Test func invalidShiftJISWhenDeclared() {
        let bytes = Data("a,b\n".utf8) + Data([0x82, 0xA0, 0xFF, 0x41, 0x0A])
        #expect(
            throws: InputFileError(file: "x.csv", location: .line(2), reason: "invalid Shift_JIS (CP932) on this line")
        ) {
            try TextEncoding.shiftJIS.decode(bytes, file: "x.csv")
        }
    }
}

@Suite("Decimal output")
struct DecimalTextTests {
    @Test(arguments: [35.700322, 139.6366, 1e-7, -0.000012345, 123_456_789.125, 2.5e20, 0.1 + 0.2])
    func shortestTextReadsBackExactlyWithoutExponent(value: Double) {
        let text = DecimalText.format(value)
        #expect(Double(text) == value)
        #expect(!text.contains("e") || abs(value) >= 1e17)
    }

    @Test func wholeNumbersHaveNoFraction() {
        #expect(DecimalText.format(25_809) == "25809")
        #expect(DecimalText.format(-3) == "-3")
    }
}
