import Foundation
import SuginamiKit
import Testing

/// The roster (避難行動要支援者名簿) from CSV: UTF-8 and Shift_JIS, labels or codes, supporters
/// with their phones; every bad row named by row, line and column, and refused.
@Suite struct SupportRosterReaderTests {
    static let header =
        "person_id,name,kana,address,longitude,latitude,date_of_birth,needs,phone,supporter_names,supporter_phones,consent,relief_centre_id"
    static let good = [
        "P-0001,杉並 花子,すぎなみ はなこ,東京都杉並区阿佐谷南一丁目15番1号,139.6365,35.7002,1941-03-09,車いす;在宅酸素,03-3312-0000,阿佐谷 次郎;荻窪 三郎,090-1111-2222;,同意,RC-07",
        "P-0002,Nguyen Van An,グエン ヴァン アン,東京都杉並区高円寺南四丁目,139.6490,35.7040,1988-11-30,language,,,,refused,",
    ]

    static func read(_ lines: [String], encoding: String.Encoding = .utf8) throws -> [PersonNeedingSupport] {
        let text = ([header] + lines).joined(separator: "\r\n") + "\r\n"
        return try SupportRosterReader.read(text.data(using: encoding)!, file: "roster.csv").records
    }

    @Test func readsTheRosterInUTF8AndShiftJIS() throws {
        for encoding in [String.Encoding.utf8, .shiftJIS] {
            let people = try Self.read(Self.good, encoding: encoding)
            #expect(people.count == 2)
            let first = people[0]
            #expect(first.name == "杉並 花子" && first.needs == [.wheelchair, .oxygen] && first.consent == .consented)
            #expect(first.dateOfBirth.description == "1941-03-09" && first.reliefCentreID == "RC-07")
            #expect(first.supporters == [.init(name: "阿佐谷 次郎", phone: "090-1111-2222"), .init(name: "荻窪 三郎")])
            #expect(people[1].needs == [.language] && people[1].consent == .refused && people[1].phone == nil)
            #expect(first.dateOfBirth.age(on: try CalendarDay(year: 2027, month: 3, day: 8)) == 85)
            #expect(first.dateOfBirth.age(on: try CalendarDay(year: 2027, month: 3, day: 9)) == 86)
        }
    }

    /// Each bad value, alone in an otherwise good file: refused with its row, line and column.
    @Test(arguments: [
        ("P-0003,名前,なまえ,住所,139.6,35.7,1950-02-30,wheelchair,,,,consented,", "date_of_birth", "day 30"),
        ("P-0003,名前,なまえ,住所,139.6,35.7,1950/02/03,wheelchair,,,,consented,", "date_of_birth", "YYYY-MM-DD"),
        ("P-0003,名前,なまえ,住所,139.6,35.7,1950-02-03,walking,,,,consented,", "needs", "\"walking\" is not a need"),
        ("P-0003,名前,なまえ,住所,139.6,35.7,1950-02-03,,,,,consented,", "needs", "required"),
        ("P-0003,名前,なまえ,住所,139.6,35.7,1950-02-03,infant,,,,maybe,", "consent", "\"maybe\""),
        ("P-0003,名前,Namae,住所,139.6,35.7,1950-02-03,infant,,,,consented,", "kana", "not written in kana"),
        ("P-0003,名前,なまえ,住所,139.6,35.7,1950-02-03,infant,call me,,,consented,", "phone", "not a phone number"),
        ("P-0003,名前,なまえ,住所,35.7,139.6,1950-02-03,infant,,,,consented,", "latitude", "139.6"),
        ("P-0003,名前,なまえ,住所,10.0,5.0,1950-02-03,infant,,,,consented,", "latitude", "not in Japan"),
        ("P-0003,名前,なまえ,住所,139.6,35.7,1950-02-03,infant,,甲;乙,090-1,consented,", "supporter_phones", "1 phones for 2"),
        ("P-0001,名前,なまえ,住所,139.6,35.7,1950-02-03,infant,,,,consented,", "id", "duplicate id P-0001"),
        (",名前,なまえ,住所,139.6,35.7,1950-02-03,infant,,,,consented,", "person_id", "required"),
    ])
    func badRowsAreNamedAndRefused(line: String, field: String, reason: String) throws {
        do {
            _ = try Self.read(Self.good + [line])
            Issue.record("read: \(line)")
        } catch let error as InputFileError {
            #expect(error.file == "roster.csv" && error.location == .row(3, line: 4), "\(error)")
            #expect(error.field == field && error.reason.contains(reason), "\(error)")
        }
    }

    @Test func aHeaderThatIsNotTheRostersIsRefused() throws {
        let unknown = Self.header + ",blood_type"
        #expect(throws: InputFileError.self) {
            try SupportRosterReader.read(Data((unknown + "\n").utf8), file: "roster.csv")
        }
        let missing = Self.header.replacingOccurrences(of: "consent,", with: "")
        do {
            _ = try SupportRosterReader.read(Data((missing + "\n").utf8), file: "roster.csv")
            Issue.record("read without consent")
        } catch {
            #expect(error.field == "consent" && error.reason.contains("required column"))
        }
    }
}
