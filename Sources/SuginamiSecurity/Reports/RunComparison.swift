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

    /// An Annex A control's change of verdict (the rules mapped to it, rolled up as in the SoA).
    public struct ControlChange: Sendable, Codable, Hashable {
        /// The control id (`8.22`).
        public var control: String
        /// Its title.
        public var title: String
        /// Before (nil: no machine verdict).
        public var before: Verdict?
        /// After.
        public var after: Verdict?
    }

    /// pass (or anything better) → fail, error or not-assessed; and a subject that first appears
    /// failing (a new offending flow or account is as much a regression as an old one turning bad).
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
    /// Annex A controls whose rolled-up verdict changed (`8.22: pass → fail`), worst first.
    public var controls: [ControlChange]
    /// Rules a profile treats differently in the two runs: a rule disabled since the last run is
    /// said as such here (its subjects are gone, not fixed).
    public var tailoring: [TailoringChange]

    /// A rule's tailoring in each run.
    public struct TailoringChange: Sendable, Codable, Hashable {
        /// The rule.
        public var rule: String
        /// Before (nil: as the catalogue has it).
        public var before: TailoringNote?
        /// After.
        public var after: TailoringNote?
    }

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
            case (nil, let new?) where bad.contains(new): regressions.append(change(key))
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
        let oldControls = Dictionary(
            previous.applicability.entries.map { ($0.control.id, $0) }, uniquingKeysWith: { a, _ in a })
        var controls: [ControlChange] = []
        for entry in current.applicability.entries {
            let old = oldControls[entry.control.id]?.verdict
            guard old != entry.verdict else { continue }
            controls.append(
                ControlChange(control: entry.control.id, title: entry.control.title, before: old, after: entry.verdict))
        }
        let oldTailoring = Dictionary(
            previous.outcomes.map { ($0.rule.id, $0.tailoring) }, uniquingKeysWith: { a, _ in a })
        tailoring = current.outcomes.compactMap { outcome in
            let old = oldTailoring[outcome.rule.id] ?? nil
            return old == outcome.tailoring
                ? nil : TailoringChange(rule: outcome.rule.id, before: old, after: outcome.tailoring)
        }
        // Controls that turned bad first.
        self.controls = controls.sorted {
            (bad.contains($0.after ?? .pass) ? 0 : 1, $0.control) < (
                bad.contains($1.after ?? .pass) ? 0 : 1, $1.control
            )
        }
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
        if !controls.isEmpty {
            text.append("Annex A controls (\(controls.count)):")
            text += controls.map {
                "  \($0.control) \($0.title): \($0.before?.rawValue ?? "—") → \($0.after?.rawValue ?? "—")"
            }
        }
        if !tailoring.isEmpty {
            func describe(_ note: TailoringNote?) -> String {
                guard let note else { return "as catalogued" }
                return (note.disabled ? "disabled" : "tailored: " + note.changes.joined(separator: "; "))
                    + " (\(note.reason))"
            }
            text.append("Tailoring (\(tailoring.count)):")
            text += tailoring.map { "  \($0.rule): \(describe($0.before)) → \(describe($0.after))" }
        }
        if !changedEvidence.isEmpty { text.append("Changed evidence: " + changedEvidence.joined(separator: ", ")) }
        return text.isEmpty ? "No changes." : text.joined(separator: "\n")
    }
}
