import Foundation

/// 被災者生活再建支援金: the grant a household receives by the damage to its home (基礎支援金)
/// and by how it rebuilds (加算支援金), as a table of amounts in yen.
///
/// The amounts are those of the 被災者生活再建支援法 with 中規模半壊 included, as the
/// explainers cited in ``sources`` publish them; the law's own text (第3条) was not read. A
/// household of one receives three quarters. The act applies only to disasters that reach its
/// threshold (for example ten or more dwellings 全壊 in a municipality): whether it does is
/// the disaster's, not the household's, and is given to ``grant(for:)`` as
/// ``SupportGrantRules/Claim/actApplies``.
public struct SupportGrantRules: Sendable, Hashable, Codable {
    /// Where the amounts come from.
    public let sources: [String]
    /// 基礎支援金 of a household of two or more, by what happened to its home.
    public let basic: [HomeLoss: Int]
    /// 加算支援金 of a household of two or more, by how it rebuilds, for a home 全壊, demolished,
    /// evacuated for long or 大規模半壊 (`severe`) and for one 中規模半壊 (`medium`).
    public let additional: [RebuildingMethod: ByLoss]
    /// The most 加算支援金 a household renting first and then building, buying or repairing
    /// receives in all (the rent's grant is counted within it).
    public let additionalCapAfterRenting: ByLoss
    /// Months after the disaster within which 基礎支援金 is applied for (extended per disaster).
    public let basicApplicationMonths: Int
    /// Months after the disaster within which 加算支援金 is applied for (extended per disaster).
    public let additionalApplicationMonths: Int

    /// An amount for a home 全壊, demolished, evacuated for long or 大規模半壊 (`severe`), and one
    /// for a home 中規模半壊 (`medium`), yen.
    public struct ByLoss: Sendable, Hashable, Codable {
        /// 全壊・解体・長期避難・大規模半壊.
        public var severe: Int
        /// 中規模半壊.
        public var medium: Int

        /// The amounts.
        public init(severe: Int, medium: Int) {
            self.severe = severe
            self.medium = medium
        }

        func amount(for loss: HomeLoss) -> Int { loss.isSevere ? severe : medium }
    }

    /// The amounts of the current act, from the Ibaraki prefecture and Hiroshima city
    /// explainers and Nanao city's notice for the 2024 Noto Peninsula earthquake.
    public static let current = SupportGrantRules(
        sources: [
            "被災者生活再建支援法 (第3条の額、中規模半壊を含む): 茨城県「被災者支援制度」、広島市 資料編6、七尾市 広報（令和6年能登半島地震）— SECONDARY (法文は未確認)",
            "単数世帯は4分の3; 申請期間 基礎支援金13か月・加算支援金37か月 (災害ごとに延長あり) — 広島市 資料編6, SECONDARY",
        ],
        basic: [
            .destroyed: 1_000_000, .demolished: 1_000_000, .longTermEvacuation: 1_000_000,
            .largeScaleHalfDestroyed: 500_000, .mediumScaleHalfDestroyed: 0,
        ],
        additional: [
            .buildOrBuy: ByLoss(severe: 2_000_000, medium: 1_000_000),
            .repair: ByLoss(severe: 1_000_000, medium: 500_000),
            .rent: ByLoss(severe: 500_000, medium: 250_000),
        ],
        additionalCapAfterRenting: ByLoss(severe: 2_000_000, medium: 1_000_000),
        basicApplicationMonths: 13, additionalApplicationMonths: 37)

    /// What happened to a household's home, as the grant sees it.
    public enum HomeLoss: String, Sendable, Hashable, Codable, CaseIterable {
        /// 全壊.
        case destroyed
        /// 解体: 半壊 or with damaged ground, demolished because it had to be.
        case demolished
        /// 長期避難: the area stays evacuated for long.
        case longTermEvacuation = "long_term_evacuation"
        /// 大規模半壊.
        case largeScaleHalfDestroyed = "large_scale_half_destroyed"
        /// 中規模半壊.
        case mediumScaleHalfDestroyed = "medium_scale_half_destroyed"

        /// The loss a certified grade alone gives; `nil` for grades the act does not support
        /// (半壊 and below, unless the home was demolished).
        public init?(grade: HouseDamageGrade) {
            switch grade {
            case .destroyed: self = .destroyed
            case .largeScaleHalfDestroyed: self = .largeScaleHalfDestroyed
            case .mediumScaleHalfDestroyed: self = .mediumScaleHalfDestroyed
            case .halfDestroyed, .quasiHalfDestroyed, .partlyDamaged: return nil
            }
        }

        var isSevere: Bool { self != .mediumScaleHalfDestroyed }
    }

    /// 再建方法.
    public enum RebuildingMethod: String, Sendable, Hashable, Codable, CaseIterable {
        /// 建設・購入.
        case buildOrBuy = "build_or_buy"
        /// 補修.
        case repair
        /// 賃借（公営住宅以外）.
        case rent
    }

    /// One household's claim.
    public struct Claim: Sendable, Hashable, Codable {
        /// The certified grade of the home.
        public var grade: HouseDamageGrade
        /// Demolished because it had to be (半壊 or damaged ground), or evacuated for long.
        public var demolished: Bool
        /// The area is under long-term evacuation.
        public var longTermEvacuation: Bool
        /// People in the household.
        public var members: Int
        /// How it rebuilds, when decided; renting first and then building, buying or repairing
        /// is `[.rent, .buildOrBuy]`.
        public var methods: [RebuildingMethod]
        /// Lived there at the time of the disaster (not a vacant or second home, nor let).
        public var livedThere: Bool
        /// The disaster reached the act's threshold.
        public var actApplies: Bool

        /// A claim.
        public init(
            grade: HouseDamageGrade, demolished: Bool = false, longTermEvacuation: Bool = false, members: Int,
            methods: [RebuildingMethod] = [], livedThere: Bool = true, actApplies: Bool = true
        ) {
            self.grade = grade
            self.demolished = demolished
            self.longTermEvacuation = longTermEvacuation
            self.members = members
            self.methods = methods
            self.livedThere = livedThere
            self.actApplies = actApplies
        }
    }

    /// The grant a claim gives, each part with the rule that gave it.
    /// - Throws: ``SupportGrantError`` for a household of no one, a method given twice, or two
    ///   methods other than renting first.
    public func grant(for claim: Claim) throws(SupportGrantError) -> SupportGrant {
        guard claim.members >= 1 else { throw .noMembers(claim.members) }
        guard Set(claim.methods).count == claim.methods.count else { throw .methodRepeated(claim.methods) }
        guard claim.methods.count <= 1 || (claim.methods.count == 2 && claim.methods[0] == .rent) else {
            throw .methodsNotRentFirst(claim.methods)
        }
        guard claim.actApplies else { return SupportGrant(basic: 0, additional: 0, reason: "この災害に法が適用されていない") }
        guard claim.livedThere else { return SupportGrant(basic: 0, additional: 0, reason: "災害時に居住していない") }
        let loss: HomeLoss? =
            claim.longTermEvacuation
            ? .longTermEvacuation : claim.demolished ? .demolished : HomeLoss(grade: claim.grade)
        guard let loss else {
            return SupportGrant(basic: 0, additional: 0, reason: "\(claim.grade.japaneseName)は対象外（解体を除く）")
        }
        // A household of one: three quarters, exact in yen for every amount of the table.
        let share = { (amount: Int) in claim.members == 1 ? amount * 3 / 4 : amount }
        let additional: Int
        switch claim.methods.count {
        case 0:
            additional = 0
        case 1:
            additional = self.additional[claim.methods[0]]!.amount(for: loss)
        default:
            let sum = self.additional[.rent]!.amount(for: loss) + self.additional[claim.methods[1]]!.amount(for: loss)
            additional = min(sum, additionalCapAfterRenting.amount(for: loss))
        }
        let reason =
            "\(loss == .demolished ? "解体" : loss == .longTermEvacuation ? "長期避難" : claim.grade.japaneseName)"
            + (claim.members == 1 ? "・単数世帯（4分の3）" : "・複数世帯")
        return SupportGrant(basic: share(basic[loss]!), additional: share(additional), reason: reason)
    }

    /// The last day to apply for each grant after a disaster on `disasterDate` (Japan time),
    /// with any extension decided for the disaster.
    public func deadlines(after disasterDate: Date, extensionMonths: (basic: Int, additional: Int) = (0, 0))
        -> (basic: Date, additional: Date)
    {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Tokyo")!
        // Adding months keeps the day, or takes the month's last day when it has no such day.
        let add = { (months: Int) in calendar.date(byAdding: .month, value: months, to: disasterDate)! }
        return (
            add(basicApplicationMonths + extensionMonths.basic),
            add(additionalApplicationMonths + extensionMonths.additional)
        )
    }
}

/// What a household receives: 基礎支援金 and 加算支援金 in yen, and why.
public struct SupportGrant: Sendable, Hashable, Codable {
    /// 基礎支援金, yen.
    public var basic: Int
    /// 加算支援金, yen.
    public var additional: Int
    /// The rule that applied, in Japanese (e.g. `全壊・複数世帯`, or why nothing is paid).
    public var reason: String

    /// The whole grant, yen.
    public var total: Int { basic + additional }
}

/// Why a claim cannot be assessed.
public enum SupportGrantError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A household of fewer than one person.
    case noMembers(Int)
    /// A method listed twice.
    case methodRepeated([SupportGrantRules.RebuildingMethod])
    /// Two methods where the first is not renting.
    case methodsNotRentFirst([SupportGrantRules.RebuildingMethod])

    /// A sentence naming the field.
    public var description: String {
        switch self {
        case .noMembers(let count): "members: \(count) is not a household (1 or more)"
        case .methodRepeated(let methods): "methods: \(methods.map(\.rawValue)) names a method twice"
        case .methodsNotRentFirst(let methods):
            "methods: \(methods.map(\.rawValue)): two methods are renting first, then building, buying or repairing"
        }
    }
}
