import Foundation
import SuginamiKit
import Testing

/// 被災者生活再建支援金: the table's amounts for every grade and method, a household of one,
/// renting first, who receives nothing and why, and the application deadlines.
@Suite struct SupportGrantTests {
    let rules = SupportGrantRules.current

    func grant(
        _ grade: HouseDamageGrade, members: Int = 3, methods: [SupportGrantRules.RebuildingMethod] = [],
        demolished: Bool = false, longTermEvacuation: Bool = false, livedThere: Bool = true, actApplies: Bool = true
    ) throws -> SupportGrant {
        try rules.grant(
            for: .init(
                grade: grade, demolished: demolished, longTermEvacuation: longTermEvacuation, members: members,
                methods: methods, livedThere: livedThere, actApplies: actApplies))
    }

    /// The published totals: 全壊 and building 300万円 (225万円 alone), 大規模半壊 and building
    /// 250万円, 中規模半壊 has no 基礎支援金 and half the 加算支援金.
    @Test(arguments: [
        (HouseDamageGrade.destroyed, SupportGrantRules.RebuildingMethod.buildOrBuy, 3, 1_000_000, 2_000_000),
        (.destroyed, .buildOrBuy, 1, 750_000, 1_500_000),
        (.destroyed, .repair, 2, 1_000_000, 1_000_000),
        (.destroyed, .rent, 1, 750_000, 375_000),
        (.largeScaleHalfDestroyed, .buildOrBuy, 4, 500_000, 2_000_000),
        (.largeScaleHalfDestroyed, .rent, 1, 375_000, 375_000),
        (.mediumScaleHalfDestroyed, .buildOrBuy, 2, 0, 1_000_000),
        (.mediumScaleHalfDestroyed, .repair, 1, 0, 375_000),
        (.mediumScaleHalfDestroyed, .rent, 1, 0, 187_500),
    ])
    func theTableGivesThePublishedAmounts(
        grade: HouseDamageGrade, method: SupportGrantRules.RebuildingMethod, members: Int, basic: Int, additional: Int
    ) throws {
        let result = try grant(grade, members: members, methods: [method])
        #expect(result.basic == basic && result.additional == additional, "\(result)")
    }

    @Test func totalsAndReasons() throws {
        let destroyed = try grant(.destroyed, methods: [.buildOrBuy])
        #expect(destroyed.total == 3_000_000 && destroyed.reason == "全壊・複数世帯")
        #expect(try grant(.destroyed, members: 1, methods: [.buildOrBuy]).total == 2_250_000)
        #expect(try grant(.largeScaleHalfDestroyed, methods: [.buildOrBuy]).total == 2_500_000)
        // Before the household decides how to rebuild: the basic grant only.
        #expect(try grant(.destroyed).total == 1_000_000)
    }

    /// Renting first and then building: 50万円 + 200万円 capped at 200万円 in all; then
    /// repairing: 50万 + 100万 = 150万円, under the cap.
    @Test func rentingFirstIsCapped() throws {
        #expect(try grant(.destroyed, methods: [.rent, .buildOrBuy]).additional == 2_000_000)
        #expect(try grant(.destroyed, methods: [.rent, .repair]).additional == 1_500_000)
        #expect(try grant(.mediumScaleHalfDestroyed, methods: [.rent, .buildOrBuy]).additional == 1_000_000)
        #expect(try grant(.destroyed, members: 1, methods: [.rent, .buildOrBuy]).additional == 1_500_000)
    }

    /// 半壊 and below receive nothing unless the home had to be demolished; a long evacuation
    /// counts as 全壊; a home not lived in, or a disaster the act does not cover, gives nothing.
    @Test func whoReceivesNothingAndWhy() throws {
        for grade in [HouseDamageGrade.halfDestroyed, .quasiHalfDestroyed, .partlyDamaged] {
            let nothing = try grant(grade, methods: [.buildOrBuy])
            #expect(nothing.total == 0 && nothing.reason.contains("対象外"), "\(grade)")
        }
        let demolished = try grant(.halfDestroyed, methods: [.buildOrBuy], demolished: true)
        #expect(demolished.total == 3_000_000 && demolished.reason == "解体・複数世帯")
        let evacuated = try grant(.partlyDamaged, members: 1, longTermEvacuation: true)
        #expect(evacuated.basic == 750_000 && evacuated.reason.hasPrefix("長期避難"))
        #expect(try grant(.destroyed, livedThere: false).total == 0)
        #expect(try grant(.destroyed, actApplies: false).reason == "この災害に法が適用されていない")
    }

    @Test func claimsThatAreNotClaimsAreRefused() {
        #expect(throws: SupportGrantError.noMembers(0)) { try grant(.destroyed, members: 0) }
        #expect(throws: SupportGrantError.methodRepeated([.rent, .rent])) {
            try grant(.destroyed, methods: [.rent, .rent])
        }
        #expect(throws: SupportGrantError.methodsNotRentFirst([.repair, .buildOrBuy])) {
            try grant(.destroyed, methods: [.repair, .buildOrBuy])
        }
    }

    /// 13 and 37 months after the disaster, Japan time, the day kept or the month's last day
    /// taken; an extension adds months.
    @Test func deadlinesCountMonthsInJapan() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Tokyo")!
        func day(_ y: Int, _ m: Int, _ d: Int) -> Date {
            calendar.date(from: DateComponents(year: y, month: m, day: d))!
        }
        let quake = day(2027, 1, 31)
        let plain = rules.deadlines(after: quake)
        #expect(plain.basic == day(2028, 2, 29) && plain.additional == day(2030, 2, 28))
        let extended = rules.deadlines(after: day(2027, 3, 11), extensionMonths: (12, 0))
        #expect(extended.basic == day(2029, 4, 11) && extended.additional == day(2030, 4, 11))
    }
}
