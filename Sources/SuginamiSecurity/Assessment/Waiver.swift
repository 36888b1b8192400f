import Foundation

/// A decision to accept a failing subject for a time (例外承認): it keeps the fail visible and
/// marks it waived until it expires; an expired waiver is reported and not applied.
public struct Waiver: Sendable, Codable, Hashable {
    /// The rule id.
    public var rule: String
    /// The subject id, as the results name it.
    public var subject: String
    /// Why the risk is accepted.
    public var reason: String
    /// Who approved it.
    public var approver: String
    /// When.
    public var approvedAt: Timestamp
    /// Until when.
    public var expiresAt: Timestamp
}

/// A waivers file: `waiverVersion: 1` and a list of ``Waiver``.
public struct WaiverList: Sendable, Codable, Hashable {
    /// The format this SDK reads.
    public static let currentVersion = 1

    /// Must be ``currentVersion``.
    public var waiverVersion: Int
    /// The waivers.
    public var waivers: [Waiver]

    /// Creates a list.
    public init(waivers: [Waiver]) {
        waiverVersion = Self.currentVersion
        self.waivers = waivers
    }

    /// Loads and checks a waivers file against the rules in force.
    /// - Throws: ``ISMSValidationFailure`` for an unknown version, an unknown rule, an empty reason
    ///   or approver, approval in the future or expiry before approval, and duplicates.
    public static func load(_ url: URL, rules: [ControlRule], at time: Timestamp) throws(ISMSValidationFailure)
        -> WaiverList
    {
        let name = url.path
        let list = try DocumentReader.read(WaiverList.self, at: url, name: name)
        var problems = ProblemList(file: name)
        if list.waiverVersion != currentVersion {
            problems.add(
                "waiverVersion", "unknown waiver version \(list.waiverVersion) (this SDK reads \(currentVersion))")
        }
        let ruleIDs = Set(rules.map(\.id))
        var seen = Set<String>()
        for (index, waiver) in list.waivers.enumerated() {
            let location = "waivers[\(index)]"
            if !ruleIDs.contains(waiver.rule) { problems.add("\(location).rule", "unknown rule \"\(waiver.rule)\"") }
            if waiver.subject.isEmpty { problems.add("\(location).subject", "empty subject") }
            if waiver.reason.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.add("\(location).reason", "a waiver needs a reason")
            }
            if waiver.approver.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.add("\(location).approver", "a waiver needs an approver")
            }
            if waiver.approvedAt.date.timeIntervalSince(time.date) > EvidenceBundle.allowedClockSkew {
                problems.add("\(location).approvedAt", "\(waiver.approvedAt) is in the future")
            }
            if waiver.expiresAt <= waiver.approvedAt {
                problems.add("\(location).expiresAt", "expires (\(waiver.expiresAt)) before it was approved")
            }
            if !seen.insert("\(waiver.rule)\u{0}\(waiver.subject)").inserted {
                problems.add(location, "a second waiver for rule \(waiver.rule), subject \(waiver.subject)")
            }
        }
        try problems.throwIfAny()
        return list
    }
}
