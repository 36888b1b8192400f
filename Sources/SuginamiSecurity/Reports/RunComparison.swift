/// What changed between two assessment runs: regressions first, then fixes, then rules and
/// subjects that appeared or went, and evidence whose hash changed.
public struct RunComparison: Sendable, Codable, Hashable {
    /// One subject's change of verdict.
    public struct Change: Sendable, Codable, Hashable {
        /// The rule.
        public var rule: String
        /// The subject.
        public var subject: String
        /// Before (nil: not there).
        public var before: Verdict?
        /// After (nil: gone).
        public var after: Verdict?
    }

    /// pass (or anything better) → fail, error or not-assessed.
    public var regressions: [Change]
    /// fail, error or not-assessed → pass.
    public var fixes: [Change]
    /// Other verdict changes (e.g. fail → not-assessed).
    public var otherChanges: [Change]
    /// Subjects only in the newer run.
    public var added: [Change]
    /// Subjects only in the older run.
    public var removed: [Change]
    /// Evidence ids whose SHA-256 differs, or that appear in only one run.
    public var changedEvidence: [String]

    /// Compares `previous` with `current`.
    public init(previous: AssessmentResult, current: AssessmentResult) {
        func verdicts(_ result: AssessmentResult) -> [String: Verdict] {
            var map: [String: Verdict] = [:]
            for outcome in result.outcomes {
                if outcome.subjects.isEmpty { map[outcome.rule.id + "\u{0}"] = outcome.verdict }
                for subject in outcome.subjects { map[outcome.rule.id + "\u{0}" + subject.subject] = subject.verdict }
            }
            return map
        }
        let before = verdicts(previous)
        let after = verdicts(current)
        func change(_ key: String) -> Change {
            let parts = key.split(separator: "\u{0}", maxSplits: 1, omittingEmptySubsequences: false)
            return Change(
                rule: String(parts[0]), subject: parts.count > 1 ? String(parts[1]) : "", before: before[key],
                after: after[key])
        }
        let bad: Set<Verdict> = [.fail, .error, .notAssessed]
        regressions = []
        fixes = []
        otherChanges = []
        added = []
        removed = []
        for key in Set(before.keys).union(after.keys).sorted() {
            switch (before[key], after[key]) {
            case (nil, _): added.append(change(key))
            case (_, nil): removed.append(change(key))
            case (let old?, let new?) where old != new:
                if bad.contains(new) && (old == .pass || old == .notApplicable) {
                    regressions.append(change(key))
                } else if new == .pass && bad.contains(old) {
                    fixes.append(change(key))
                } else {
                    otherChanges.append(change(key))
                }
            default: break
            }
        }
        let oldHashes = Dictionary(
            previous.evidence.map { ($0.id, $0.sha256.lowercased()) }, uniquingKeysWith: { a, _ in a })
        let newHashes = Dictionary(
            current.evidence.map { ($0.id, $0.sha256.lowercased()) }, uniquingKeysWith: { a, _ in a })
        changedEvidence = Set(oldHashes.keys).union(newHashes.keys).filter { oldHashes[$0] != newHashes[$0] }.sorted()
    }

    /// Whether anything got worse.
    public var hasRegressions: Bool { !regressions.isEmpty }

    /// A plain-text summary, regressions first.
    public var summary: String {
        func lines(_ title: String, _ changes: [Change]) -> [String] {
            guard !changes.isEmpty else { return [] }
            return ["\(title) (\(changes.count)):"]
                + changes.map {
                    "  \($0.rule) \($0.subject.isEmpty ? "(rule)" : $0.subject): "
                        + "\($0.before?.rawValue ?? "—") → \($0.after?.rawValue ?? "—")"
                }
        }
        var text = lines("Regressions", regressions) + lines("Fixes", fixes) + lines("Other changes", otherChanges)
        text += lines("New subjects", added) + lines("Gone subjects", removed)
        if !changedEvidence.isEmpty { text.append("Changed evidence: " + changedEvidence.joined(separator: ", ")) }
        return text.isEmpty ? "No changes." : text.joined(separator: "\n")
    }
}
