import Foundation
import SuginamiCore

/// The whole check as `refd isms check` runs it: load and verify every input, assess, and
/// write the reports — or, on any bad input, throw every problem found and write nothing.
public struct ISMSCheck: Sendable {
    /// The result.
    public let result: AssessmentResult
    /// The names of the catalogues in force.
    public let catalogues: [String]

    /// Loads the evidence bundle, the catalogues (the bundled guideline rules first, then any
    /// given), the tailoring profile, the inventory and the waivers, validates them together,
    /// and assesses.
    public init(
        inventory: URL, evidence: URL, catalogues extra: [URL] = [], profile: URL? = nil, waivers: URL? = nil,
        at time: Timestamp
    ) throws(ISMSValidationFailure) {
        let annexA: AnnexACatalogue
        do {
            annexA = try AnnexACatalogue.bundled()
        } catch {
            throw ISMSValidationFailure([ISMSInputError(file: "annex-a-2022.csv", location: "", reason: "\(error)")])
        }
        let bundle = try EvidenceBundle.load(directory: evidence, at: time)
        var catalogues = [try RuleCatalogue.bundled()]
        for url in extra { catalogues.append(try RuleCatalogue.load(url, annexA: annexA)) }
        var catalogueNames = catalogues.map(\.name)
        var rules = try RuleCatalogue.merged(catalogues)
        var tailoring: [String: TailoringNote] = [:]
        var inherited: [InheritedControl] = []
        if let profile {
            let loaded = try TailoringProfile.load(profile)
            (rules, tailoring) = try loaded.apply(to: rules, annexA: annexA, evidence: bundle, name: profile.path)
            inherited = loaded.inherited ?? []
            catalogueNames.append("\(loaded.name) (profile)")
        }
        let loaded = try InventoryLoader.load(inventory, evidence: bundle, at: time)
        var problems = ProblemList(file: inventory.path)
        for (index, exclusion) in (loaded.organization.exclusions ?? []).enumerated()
        where annexA.control(id: exclusion.control) == nil {
            problems.add(
                "organization.exclusions[\(index)].control",
                "\"\(exclusion.control)\" is not one of the 93 ISO/IEC 27001:2022 Annex A controls")
        }
        try problems.throwIfAny()
        let waiverList = try waivers.map { url throws(ISMSValidationFailure) in
            try WaiverList.load(url, rules: rules, at: time)
        }
        result = Assessor(rules: rules, annexA: annexA, tailoring: tailoring, inherited: inherited).assess(
            loaded, evidence: bundle, waivers: waiverList, at: time)
        self.catalogues = catalogueNames
    }

    /// The files written by ``write(to:)``.
    public static let outputFiles = [
        "results.json", "assessment-results.json", "report.html", "statement-of-applicability.csv", "results.sarif",
        "junit.xml",
    ]

    /// What an output directory of a check is to `OutputDirectory`: it replaces only an earlier check.
    public static let outputKind = "isms-check"

    /// Writes the reports into `directory`, all or nothing, as an `OutputDirectory` (SuginamiCore):
    /// `directory` must be new, empty, or an earlier check's output written by the SDK; the files
    /// are written beside it and switched into place together.
    /// - Throws: `OutputDirectoryError` if `directory` holds anything else; encoding and file errors.
    public func write(to directory: URL) throws {
        // Every report but the OSCAL document is made side by side, on every core, with each
        // rule's part of results.json; the OSCAL document then cites results.json by its hash.
        let reports: [(String, @Sendable () throws -> Data)] = [
            ("report.html", { Data(HTMLReport.page(for: result).utf8) }),
            ("statement-of-applicability.csv", { Data(statementCSV().utf8) }),
            ("results.sarif", { try CIReports.sarif(for: result) }),
            ("junit.xml", { Data(CIReports.junit(for: result).utf8) }),
        ]
        let outcomes = result.outcomes
        let parts = try concurrentMap(reports.count + outcomes.count) { task in
            task < reports.count
                ? try reports[task].1() : try Self.resultsEncoder.encode(outcomes[task - reports.count])
        }
        let results = try Self.resultsJSON(result, outcomes: parts[reports.count...])
        let reference = OSCALAssessmentResults.ResultsFile(
            href: "results.json", sha256: EvidenceBundle.sha256Hex(results))
        let files =
            [
                ("results.json", results),
                (
                    "assessment-results.json",
                    try OSCALAssessmentResults.document(for: result, catalogues: catalogues, results: reference)
                ),
            ] + zip(reports.map(\.0), parts.prefix(reports.count)).map { ($0, $1) }
        try OutputDirectory(directory, kind: Self.outputKind).write { staging in
            for (name, data) in files { try data.write(to: staging.appendingPathComponent(name)) }
        }
    }

    /// How `results.json` is written: compact (it is for `refd isms diff` and `history`; the
    /// report is for people), keys sorted, so that two runs over the same inputs are identical.
    private static var resultsEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// `results.json` from the rules' outcomes encoded apart: the same bytes as encoding the
    /// whole result at once (compact JSON puts `"outcomes":[]` once, where they go), made on
    /// every core.
    static func resultsJSON(_ result: AssessmentResult, outcomes: some Collection<Data>) throws -> Data {
        var shell = result
        shell.outcomes = []
        let empty = try resultsEncoder.encode(shell)
        let marker = Data(#""outcomes":[]"#.utf8)
        guard let range = empty.range(of: marker) else {
            throw EncodingError.invalidValue(result, .init(codingPath: [], debugDescription: "no outcomes key"))
        }
        var data = Data(empty[..<range.lowerBound])
        data.reserveCapacity(empty.count + outcomes.reduce(0) { $0 + $1.count + 1 })
        data.append(Data(#""outcomes":["#.utf8))
        for (index, outcome) in outcomes.enumerated() {
            if index > 0 { data.append(UInt8(ascii: ",")) }
            data.append(outcome)
        }
        data.append(UInt8(ascii: "]"))
        data.append(empty[range.upperBound...])
        return data
    }

    /// The Statement of Applicability as CSV (UTF-8, RFC 4180 quoting, cells that a spreadsheet
    /// would run as formulas neutralised: SuginamiKit's `CSVTable`).
    public func statementCSV() -> String {
        CSVTable.write(
            header: ["control", "theme", "title", "applicable", "method", "verdict", "rules", "justification"],
            records: result.applicability.entries.map { entry in
                [
                    entry.control.id, entry.control.theme.rawValue, entry.control.title,
                    entry.applicable ? "yes" : "no",
                    entry.method, entry.verdict?.rawValue ?? "",
                    entry.rules.map { "\($0.rule) (\($0.relation.rawValue))" }.joined(separator: "; "),
                    entry.justification,
                ]
            })
    }

    /// Reads a `results.json` written by ``write(to:)`` (or the directory holding it).
    public static func readResult(_ url: URL) throws(ISMSValidationFailure) -> AssessmentResult {
        var isDirectory: ObjCBool = false
        let file =
            FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
            ? url.appendingPathComponent("results.json") : url
        guard let data = try? Data(contentsOf: file) else {
            throw ISMSValidationFailure([ISMSInputError(file: file.path, location: "", reason: "cannot read the file")])
        }
        do {
            return try JSONDecoder().decode(AssessmentResult.self, from: data)
        } catch {
            throw ISMSValidationFailure([
                ISMSInputError(file: file.path, location: "", reason: "not a SuginamiSecurity results.json: \(error)")
            ])
        }
    }
}

extension ISMSCheck {
    /// The same check from an async context, run on a thread of its own, so that a large
    /// inventory (seconds at 10,000 assets) does not hold a thread of Swift's cooperative pool.
    /// - Throws: ``ISMSValidationFailure`` as the synchronous initialiser.
    public init(
        inventory: URL, evidence: URL, catalogues extra: [URL] = [], profile: URL? = nil, waivers: URL? = nil,
        at time: Timestamp
    ) async throws(ISMSValidationFailure) {
        self = try await runOffCooperativePool { () throws(ISMSValidationFailure) -> ISMSCheck in
            try ISMSCheck(
                inventory: inventory, evidence: evidence, catalogues: extra, profile: profile, waivers: waivers,
                at: time)
        }
    }
}
