import ArgumentParser
import Foundation
import SuginamiCore
import SuginamiSecurity

/// `refd isms`: ISMS control checks over a system inventory.
struct ISMSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "isms",
        abstract: "ISMS control checks (総務省 guideline rules, ISO/IEC 27001:2022 Annex A) over a system inventory.",
        subcommands: [
            ISMSCheckCommand.self, ISMSDiffCommand.self, ISMSHistoryCommand.self, ISMSSyntheticCommand.self,
        ])
}

/// `refd isms check`.
struct ISMSCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check an inventory against the rules and write OSCAL results, the SoA and a report.",
        discussion: """
            Writes into --out: results.json (for `refd isms diff`), assessment-results.json (OSCAL \
            1.2.3), statement-of-applicability.csv (all 93 Annex A controls) and report.html. Any bad \
            input is reported with its file and location, and nothing is written.
            Exit status, for a pipeline to gate on: 0 clean, 1 findings (a fail no valid waiver \
            covers; with --fail-on not-assessed also a rule that could not be assessed), 2 bad input \
            (nothing written). --fail-on never exits 0 whenever the reports are written.
            """)

    @Argument(help: "The inventory snapshot (JSON or YAML).")
    var inventory: String

    @Option(help: "The evidence bundle: a directory with manifest.json or manifest.yaml.")
    var evidence: String

    @Option(
        name: .customLong("catalog"), help: "An extra rule catalogue (repeatable); the guideline rules always apply.")
    var catalogues: [String] = []

    @Option(
        help: """
            A tailoring profile (JSON or YAML): rules disabled or tailored with a reason, the \
            municipality's own rules, inherited controls.
            """)
    var profile: String?

    @Option(help: "A waivers file (JSON or YAML).")
    var waivers: String?

    @Option(help: "The output directory.")
    var out: String

    @Option(help: "The assessment time, RFC 3339 with offset (default: now).")
    var at: String?

    @Option(
        help: """
            What exits with status 1: findings (a fail no valid waiver covers; the default), \
            critical, high or medium (such a fail of at least that severity), not-assessed (any \
            unwaived fail, or a rule that could not be assessed), or never.
            """)
    var failOn: ISMSGate = .findings

    func run() throws {
        try exitingWithStatus2OnBadInput { try check() }
    }

    private func check() throws {
        guard at.map({ Timestamp($0) != nil }) ?? true else {
            throw InputError("--at \"\(at ?? "")\" is not an RFC 3339 time with an offset (2026-11-27T09:00:00+09:00)")
        }
        // A directory that may not be replaced is refused before the inputs are read.
        do {
            try OutputDirectory(URL(fileURLWithPath: out), kind: ISMSCheck.outputKind).check()
        } catch {
            throw InputError("--out \(out): \(error.reason)")
        }
        let time = at.flatMap(Timestamp.init) ?? Timestamp(Date())
        let check: ISMSCheck
        do {
            check = try ISMSCheck(
                inventory: URL(fileURLWithPath: inventory), evidence: URL(fileURLWithPath: evidence),
                catalogues: catalogues.map { URL(fileURLWithPath: $0) },
                profile: profile.map { URL(fileURLWithPath: $0) },
                waivers: waivers.map { URL(fileURLWithPath: $0) },
                at: time)
        } catch {
            throw InputError("\(error.errors.count) problem(s) in the input; no verdicts given:\n\(error.description)")
        }
        try check.write(to: URL(fileURLWithPath: out))
        let counts = check.result.ruleCounts
        print(
            Verdict.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", ")
                + " (rules); reports in \(out)")
        for outcome in check.result.outcomes where outcome.verdict == .fail {
            print(
                "FAIL \(outcome.rule.id): \(outcome.rule.titleEnglish ?? outcome.rule.title) "
                    + "(\(outcome.unwaivedFailures) unwaived of \(outcome.subjects.count { $0.verdict == .fail }))")
        }
        for outcome in check.result.outcomes where outcome.tailoring?.disabled == true {
            print("disabled by the profile: \(outcome.rule.id) (\(outcome.tailoring!.reason))")
        }
        for waiver in check.result.expiredWaivers {
            print("expired waiver: \(waiver.rule) \(waiver.subject) (expired \(waiver.expiresAt))")
        }
        let notAssessed = check.result.outcomes.count { $0.verdict == .notAssessed }
        let ranks: [Severity] = [.critical, .high, .medium, .low]
        func failsAtLeast(_ severity: Severity) -> Bool {
            check.result.outcomes.contains {
                $0.unwaivedFailures > 0 && ranks.firstIndex(of: $0.rule.severity)! <= ranks.firstIndex(of: severity)!
            }
        }
        switch failOn {
        case .findings where check.result.hasUnwaivedFailures: throw ExitCode(1)
        case .critical where failsAtLeast(.critical), .high where failsAtLeast(.high),
            .medium where failsAtLeast(.medium):
            throw ExitCode(1)
        case .notAssessed where check.result.hasUnwaivedFailures || notAssessed > 0:
            if notAssessed > 0 { print("\(notAssessed) rule(s) not assessed (--fail-on not-assessed)") }
            throw ExitCode(1)
        default: return
        }
    }
}

/// What `refd isms check` exits with status 1 for.
enum ISMSGate: String, ExpressibleByArgument, CaseIterable {
    /// A fail no valid waiver covers.
    case findings
    /// Such a fail of a critical rule.
    case critical
    /// Such a fail of a high or critical rule.
    case high
    /// Such a fail of a medium, high or critical rule.
    case medium
    /// That, or a rule that could not be assessed.
    case notAssessed = "not-assessed"
    /// Nothing: 0 whenever the reports are written.
    case never
}

/// Runs `body`; bad input (``InputError``) is printed and exits with status 2, so that a
/// pipeline tells "the inventory is wrong" from "the system has findings" (1).
func exitingWithStatus2OnBadInput(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as InputError {
        FileHandle.standardError.write(Data("Error: \(error.description)\n".utf8))
        throw ExitCode(2)
    }
}

/// `refd isms diff`.
struct ISMSDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two check runs: regressions, fixes, changed evidence.",
        discussion: """
            OLD and NEW are output directories of `refd isms check` or their results.json files. \
            Exit status: 0, 1 with --fail-on-regressions and a regression, 2 bad input.
            """)

    @Argument(help: "The earlier run.")
    var old: String

    @Argument(help: "The later run.")
    var new: String

    @Flag(help: "Print the comparison as JSON.")
    var json = false

    @Flag(help: "Exit with status 1 when there are regressions.")
    var failOnRegressions = false

    func run() throws {
        try exitingWithStatus2OnBadInput { try compare() }
    }

    private func compare() throws {
        let comparison: RunComparison
        do {
            comparison = RunComparison(
                previous: try ISMSCheck.readResult(URL(fileURLWithPath: old)),
                current: try ISMSCheck.readResult(URL(fileURLWithPath: new)))
        } catch {
            throw InputError(error.description)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(comparison), as: UTF8.self))
        } else {
            print(comparison.summary)
        }
        if failOnRegressions && comparison.hasRegressions { throw ExitCode(1) }
    }
}

/// `refd isms history`.
struct ISMSHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Each rule's verdict over several check runs, oldest first.",
        discussion: """
            RUNS are output directories of `refd isms check` (or their results.json files), in any \
            order: they are sorted by assessment time. Prints a table, one row per rule (its \
            verdict and unwaived fails in each run), the rules whose verdict changed first; \
            --json for the same as JSON. Exit status: 0, 2 bad input.
            """)

    @Argument(help: "The runs.")
    var runs: [String]

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard runs.count >= 1 else { throw ValidationError("name at least one run") }
    }

    func run() throws {
        try exitingWithStatus2OnBadInput { try history() }
    }

    private func history() throws {
        var results: [AssessmentResult] = []
        for run in runs {
            do {
                results.append(try ISMSCheck.readResult(URL(fileURLWithPath: run)))
            } catch {
                throw InputError(error.description)
            }
        }
        results.sort { $0.assessedAt < $1.assessedAt }
        var rules: [String] = []
        var cells: [String: [String]] = [:]
        for (column, result) in results.enumerated() {
            for outcome in result.outcomes {
                let id = outcome.rule.id
                if cells[id] == nil {
                    rules.append(id)
                    cells[id] = Array(repeating: "—", count: results.count)
                }
                let unwaived = outcome.unwaivedFailures
                cells[id]![column] = outcome.verdict.rawValue + (unwaived > 0 ? " (\(unwaived))" : "")
            }
        }
        func changed(_ id: String) -> Bool { Set(cells[id]!.map { $0.split(separator: " ")[0] }).count > 1 }
        let ordered = rules.filter(changed) + rules.filter { !changed($0) }
        if json {
            let object: [String: Any] = [
                "runs": results.map(\.assessedAt.text),
                "rules": ordered.map { ["rule": $0, "verdicts": cells[$0]!, "changed": changed($0)] },
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print((["rule"] + results.map(\.assessedAt.text)).joined(separator: "\t"))
        for id in ordered { print(([id] + cells[id]!).joined(separator: "\t")) }
    }
}

/// `refd isms synthetic`.
struct ISMSSyntheticCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synthetic",
        abstract: "Write a synthetic inventory and its evidence bundle, to try `refd isms check` at scale.",
        discussion: """
            Writes into --out inventory.json (or .yaml) and evidence/ (a manifest sealing the \
            snapshot). The organisation is fictional (合成区); nothing in it describes a real one. \
            Then: refd isms check OUT/inventory.json --evidence OUT/evidence --out RESULTS \
            --at 2026-11-27T09:00:00+09:00
            """)

    @Option(help: "Assets (at least 10).")
    var assets = 10_000

    @Option(help: "Flows.")
    var flows = 100_000

    @Option(help: "json or yaml.")
    var format: SyntheticInventory.Format = .json

    @Option(help: "The output directory (new, empty, or an earlier synthetic fixture).")
    var out: String

    func validate() throws {
        guard (10...1_000_000).contains(assets) else { throw ValidationError("--assets must be 10 to 1,000,000") }
        guard (0...10_000_000).contains(flows) else { throw ValidationError("--flows must be 0 to 10,000,000") }
    }

    func run() throws {
        try exitingWithStatus2OnBadInput {
            do {
                try OutputDirectory(URL(fileURLWithPath: out), kind: SyntheticInventory.fixtureKind).check()
            } catch let error as OutputDirectoryError {
                throw InputError("--out \(out): \(error.reason)")
            }
            let written = try SyntheticInventory.writeFixture(
                to: URL(fileURLWithPath: out), assets: assets, flows: flows, format: format)
            print("wrote \(written.inventory.path) and \(written.evidence.path)")
        }
    }
}

extension SyntheticInventory.Format: ExpressibleByArgument {}
