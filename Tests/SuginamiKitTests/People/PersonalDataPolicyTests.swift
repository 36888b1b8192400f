import Foundation
import SuginamiKit
import Testing

/// Who reads which personal field: every role, bound to the person's centre or another, every
/// consent, before and during a declared disaster; and no value a reader may not read appears
/// anywhere in what they are given (0 leaks).
@Suite struct PersonalDataPolicyTests {
    static func person(consent: SharingConsent) throws -> PersonNeedingSupport {
        PersonNeedingSupport(
            id: "P-0001", name: "杉並 花子", kana: "すぎなみ はなこ", address: "東京都杉並区阿佐谷南一丁目15番1号",
            position: try GeoPoint(latitude: 35.7002, longitude: 139.6365),
            dateOfBirth: try CalendarDay(year: 1941, month: 3, day: 9), needs: [.wheelchair, .oxygen],
            phone: "03-3312-0000", supporters: [.init(name: "阿佐谷 次郎", phone: "090-1111-2222")], consent: consent,
            reliefCentreID: "RC-07")
    }

    /// Each field's value as it would appear in what a reader is given.
    static let values: [PersonField: [String]] = [
        .name: ["杉並 花子"], .kana: ["すぎなみ はなこ"], .address: ["阿佐谷南一丁目"], .position: ["35.7002", "139.6365"],
        .dateOfBirth: ["1941"], .needs: ["wheelchair", "oxygen"], .phone: ["3312"],
        .supporters: ["阿佐谷 次郎", "1111"], .consent: ["\"consent\""], .reliefCentre: ["RC-07"],
    ]

    static let staffFields: Set<PersonField> = [
        .name, .kana, .address, .position, .needs, .phone, .supporters, .reliefCentre,
    ]

    @Test(arguments: SharingConsent.allCases, [false, true])
    func everyRoleReadsWhatItNeedsAndNothingElse(consent: SharingConsent, disaster: Bool) throws {
        let person = try Self.person(consent: consent)
        let policy = PersonalDataPolicy(disasterDeclared: disaster)
        let shared = disaster || consent == .consented || consent == .presumed
        let readers: [(Principal, Set<PersonField>)] = [
            (Principal(tokenID: "t1", role: .headquarters, label: "本部"), Set(PersonField.allCases)),
            (
                Principal(tokenID: "t2", role: .staff, facilityID: "RC-07", label: "own centre"),
                shared ? Self.staffFields : []
            ),
            (Principal(tokenID: "t3", role: .staff, facilityID: "RC-08", label: "another centre"), []),
            (Principal(tokenID: "t4", role: .staff, label: "unbound"), []),
            (Principal(tokenID: "t5", role: .public, label: "resident"), []),
            (Principal(tokenID: "t6", role: .admin, label: "token admin"), []),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        for (reader, expected) in readers {
            #expect(policy.readableFields(of: person, by: reader) == expected, "\(reader.label)")
            let view = policy.view(of: person, for: reader)
            #expect((view == nil) == expected.isEmpty, "\(reader.label)")
            let given = try view.map { String(decoding: try encoder.encode($0), as: UTF8.self) } ?? ""
            for field in PersonField.allCases {
                for value in Self.values[field]! {
                    #expect(
                        given.contains(value) == expected.contains(field),
                        "\(reader.label), \(consent), disaster \(disaster): \(field) \(expected.contains(field) ? "missing" : "LEAKED")"
                    )
                }
            }
        }
    }
}
