import Foundation
import SuginamiKit
import Testing

/// 安否確認: who may record what, the latest observation wins whatever order reports arrive in,
/// and who is still unconfirmed per relief centre.
@Suite struct SafetyCheckTests {
    static let now = Date(timeIntervalSince1970: 1_806_000_000)
    static func person(_ id: String, centre: String?) throws -> PersonNeedingSupport {
        PersonNeedingSupport(
            id: id, name: "名前 \(id)", kana: "なまえ", address: "東京都杉並区",
            position: try GeoPoint(latitude: 35.70, longitude: 139.63),
            dateOfBirth: try CalendarDay(year: 1940, month: 1, day: 1), needs: [.bedridden], consent: .consented,
            reliefCentreID: centre)
    }
    static func check(_ id: String, _ state: SafetyState, minutesAgo: Double, centre: String? = nil) -> SafetyCheck {
        SafetyCheck(
            personID: id, state: state, observedAt: now.addingTimeInterval(-minutesAgo * 60), source: "救援所職員",
            centreID: centre)
    }

    @Test func whoMayRecordWhat() throws {
        let policy = SafetyRecordingPolicy()
        let person = try Self.person("P-1", centre: "RC-1")
        let headquarters = Principal(tokenID: "h", role: .headquarters, label: "本部")
        let own = Principal(tokenID: "s1", role: .staff, facilityID: "RC-1", label: "救援所1")
        let other = Principal(tokenID: "s2", role: .staff, facilityID: "RC-2", label: "救援所2")
        func refusal(_ check: SafetyCheck, by principal: Principal) -> SafetyCheckError? {
            do {
                try policy.check(check, for: person, by: principal, now: Self.now)
                return nil
            } catch {
                return error
            }
        }
        #expect(refusal(Self.check("P-1", .injured, minutesAgo: 5), by: own) == nil)
        #expect(refusal(Self.check("P-1", .safeAtCentre, minutesAgo: 5, centre: "RC-1"), by: own) == nil)
        #expect(refusal(Self.check("P-1", .deceased, minutesAgo: 5), by: headquarters) == nil)
        #expect(refusal(Self.check("P-1", .deceased, minutesAgo: 5), by: own) == .deathByHeadquartersOnly)
        #expect(refusal(Self.check("P-1", .injured, minutesAgo: 5), by: other) == .notYourArea("P-1"))
        for role in [AccessRole.public, .admin] {
            let reader = Principal(tokenID: "x", role: role, label: "x")
            #expect(refusal(Self.check("P-1", .safeAtHome, minutesAgo: 5), by: reader) == .notPermitted(role))
        }
        #expect(refusal(Self.check("P-1", .safeAtCentre, minutesAgo: 5), by: own) == .centreMissing)
        #expect(refusal(Self.check("P-1", .injured, minutesAgo: -10), by: own) == .observedInTheFuture)
        #expect(refusal(Self.check("P-2", .injured, minutesAgo: 5), by: own) == .otherPerson("P-2", "P-1"))
        var anonymous = Self.check("P-1", .injured, minutesAgo: 5)
        anonymous.source = " "
        #expect(refusal(anonymous, by: own) == .missingSource)
    }

    /// Reports arriving out of order: the latest observation stands; the unconfirmed (no report,
    /// missing, unknown) are listed per centre.
    @Test func theLatestObservationWinsAndTheUnconfirmedAreListed() throws {
        let roster = [
            try Self.person("P-1", centre: "RC-1"), try Self.person("P-2", centre: "RC-1"),
            try Self.person("P-3", centre: "RC-2"), try Self.person("P-4", centre: nil),
            try Self.person("P-5", centre: "RC-2"),
        ]
        var board = SafetyBoard([
            Self.check("P-1", .safeAtHome, minutesAgo: 10), Self.check("P-1", .missing, minutesAgo: 60),
            Self.check("P-3", .missing, minutesAgo: 5), Self.check("P-5", .unknown, minutesAgo: 30),
        ])
        #expect(board.latest["P-1"]?.state == .safeAtHome)
        var unconfirmed = board.unconfirmed(in: roster).mapValues { $0.map(\.id) }
        #expect(unconfirmed == ["RC-1": ["P-2"], "RC-2": ["P-3", "P-5"], "": ["P-4"]])
        board.record(Self.check("P-3", .hospitalised, minutesAgo: 1))
        board.record(Self.check("P-5", .safeAtCentre, minutesAgo: 2, centre: "RC-2"))
        board.record(Self.check("P-3", .missing, minutesAgo: 3))  // older: does not undo the hospital
        unconfirmed = board.unconfirmed(in: roster).mapValues { $0.map(\.id) }
        #expect(unconfirmed == ["RC-1": ["P-2"], "": ["P-4"]])
        #expect(SafetyState.allCases.filter { !$0.isConfirmed } == [.missing, .unknown])
    }
}
