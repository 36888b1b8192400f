import Foundation
import SuginamiGIS
import SuginamiSecurity

/// Temporary files for the readers that take a path, and the fixed inputs some readers need.
enum FuzzFiles {
    /// One directory per process, reused: a fuzzer runs millions of inputs.
    static let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "suginami-fuzz-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// Writes `data` to a file called `name`, runs `body` on it, then removes it. Each call has
    /// a folder of its own: tests replay inputs of the same kind at once in one process, and
    /// with one shared name a file could be rewritten while another call read it.
    static func with<Result>(_ data: Data, named name: String, _ body: (URL) throws -> Result) throws -> Result {
        let folder = directory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent(name)
        try data.write(to: url)
        return try body(url)
    }

    /// The time the example's evidence is assessed at.
    static let assessmentTime = Timestamp("2026-11-27T09:00:00+09:00")!

    /// The repository's example ISMS evidence (the fuzzer runs from the repository root).
    static var exampleEvidenceDirectory: URL {
        URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Examples/ISMS/evidence")
    }

    nonisolated(unsafe) private static var evidence: EvidenceBundle?

    static func exampleEvidence() throws -> EvidenceBundle {
        if let evidence { return evidence }
        let loaded = try EvidenceBundle.load(directory: exampleEvidenceDirectory, at: assessmentTime)
        evidence = loaded
        return loaded
    }

    nonisolated(unsafe) private static var network: RoadNetwork?

    /// The bundled synthetic network, read once (the network-relative inputs are checked against it).
    static func syntheticNetwork() throws -> RoadNetwork {
        if let network { return network }
        let loaded = try RoadNetwork.load(.bundledSynthetic)
        network = loaded
        return loaded
    }

    nonisolated(unsafe) private static var rules: [ControlRule]?
    nonisolated(unsafe) private static var annexACatalogue: AnnexACatalogue?

    /// The bundled rules, read once (reading them is most of a waiver check's time).
    static func bundledRules() throws -> [ControlRule] {
        if let rules { return rules }
        let loaded = try RuleCatalogue.bundled().rules
        rules = loaded
        return loaded
    }

    /// The Annex A catalogue, read once.
    static func annexA() throws -> AnnexACatalogue {
        if let annexACatalogue { return annexACatalogue }
        let loaded = try AnnexACatalogue.bundled()
        annexACatalogue = loaded
        return loaded
    }

    /// A copy of the example bundle whose manifest is `data`.
    static func withEvidenceManifest(_ data: Data, _ body: (URL) throws -> Void) throws {
        let bundle = directory.appendingPathComponent("evidence")
        if !FileManager.default.fileExists(atPath: bundle.path) {
            try FileManager.default.copyItem(at: exampleEvidenceDirectory, to: bundle)
        }
        try data.write(to: bundle.appendingPathComponent("manifest.json"))
        try body(bundle)
    }
}
