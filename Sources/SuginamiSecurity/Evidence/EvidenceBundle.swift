import Crypto
import Foundation
import SuginamiCore

/// A verified evidence bundle: every file present, inside the bundle, and with the SHA-256 the
/// manifest records.
public struct EvidenceBundle: Sendable {
    /// The manifest.
    public let manifest: EvidenceManifest
    /// Items by id.
    public let items: [String: EvidenceItem]
    /// What the files state for the facts the manifest declares, in manifest order.
    public let observedFacts: [ObservedFact]

    /// A bundle of verified items.
    public init(manifest: EvidenceManifest, items: [String: EvidenceItem], observedFacts: [ObservedFact] = []) {
        self.manifest = manifest
        self.items = items
        self.observedFacts = observedFacts
    }

    /// How far in the future a collection time may lie (clock skew between collectors).
    public static let allowedClockSkew: TimeInterval = 300

    /// Loads and verifies a bundle directory at assessment time `time`.
    /// - Throws: ``ISMSValidationFailure`` listing every problem: a malformed manifest, duplicate
    ///   ids, a missing file, a path leaving the bundle, a hash mismatch, a collection time in the
    ///   future, an expiry before collection.
    public static func load(directory: URL, at time: Timestamp) throws(ISMSValidationFailure) -> EvidenceBundle {
        let json = directory.appendingPathComponent("manifest.json")
        let yaml = directory.appendingPathComponent("manifest.yaml")
        let manifestURL = FileManager.default.fileExists(atPath: json.path) ? json : yaml
        let name = manifestURL.path
        guard FileManager.default.fileExists(atPath: manifestURL.path) else {
            throw ISMSValidationFailure([
                ISMSInputError(
                    file: directory.path, location: "",
                    reason: "no manifest.json or manifest.yaml in the evidence bundle")
            ])
        }
        do {
            _ = try ContainedFile.resolve(manifestURL.lastPathComponent, in: directory)
        } catch {
            throw ISMSValidationFailure([
                ISMSInputError(file: name, location: "", reason: "the manifest \(error) of the evidence bundle")
            ])
        }
        let manifest = try DocumentReader.read(EvidenceManifest.self, at: manifestURL, name: name)
        var problems = ProblemList(file: name)
        if manifest.manifestVersion != EvidenceManifest.currentVersion {
            problems.add(
                "manifestVersion",
                "unknown manifest version \(manifest.manifestVersion) (this SDK reads \(EvidenceManifest.currentVersion))"
            )
            try problems.throwIfAny()
        }
        var items: [String: EvidenceItem] = [:]
        var observed: [ObservedFact] = []
        for (index, item) in manifest.items.enumerated() {
            let location = "items[\(index)]"
            if item.id.isEmpty { problems.add("\(location).id", "empty id") }
            if items.updateValue(item, forKey: item.id) != nil {
                problems.add("\(location).id", "duplicate evidence id \"\(item.id)\"")
            }
            if item.collectedAt.date.timeIntervalSince(time.date) > allowedClockSkew {
                problems.add(
                    "\(location).collectedAt", "\(item.collectedAt) is in the future (assessment time \(time))")
            }
            if let expiresAt = item.expiresAt, expiresAt < item.collectedAt {
                problems.add("\(location).expiresAt", "\(expiresAt) is before collectedAt \(item.collectedAt)")
            }
            if let maxAge = item.maxAgeDays, maxAge <= 0 {
                problems.add("\(location).maxAgeDays", "must be a positive number of days, not \(maxAge)")
            }
            let expected = item.sha256.lowercased()
            guard expected.count == 64, expected.allSatisfy(\.isHexDigit) else {
                problems.add("\(location).sha256", "\"\(item.sha256)\" is not 64 hexadecimal digits")
                continue
            }
            // Sealed: a path, or a symbolic link on it, that leads out of the bundle is refused before
            // anything is read (nor is an outside file's hash ever printed).
            let file: URL
            do {
                file = try ContainedFile.resolve(item.path, in: directory)
            } catch .leavesDirectory {
                problems.add("\(location).path", "\"\(item.path)\" leaves the evidence bundle")
                continue
            } catch {
                problems.add("\(location).path", "file \"\(item.path)\" \(error)")
                continue
            }
            guard let data = try? Data(contentsOf: file) else {
                problems.add("\(location).path", "file \"\(item.path)\" is unreadable")
                continue
            }
            let actual = sha256Hex(data)
            if actual != expected {
                problems.add(
                    "\(location).sha256", "hash mismatch for \"\(item.path)\": manifest \(expected), file \(actual)")
            }
            for (factIndex, fact) in (item.facts ?? []).enumerated() {
                let problemsOfFact = fact.problems()
                for problem in problemsOfFact {
                    problems.add("\(location).facts[\(factIndex)].\(problem.field)", problem.reason)
                }
                if problemsOfFact.isEmpty {
                    observed.append(fact.observe(in: data, evidence: item.id, path: item.path))
                }
            }
        }
        try problems.throwIfAny()
        return EvidenceBundle(manifest: manifest, items: items, observedFacts: observed)
    }

    /// Lower-case hex SHA-256 of some bytes.
    public static func sha256Hex(_ data: Data) -> String {
        SHA256.hash(data: data).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
