import Foundation
import SuginamiCore

/// A synthetic inventory of any size, for benchmarks and scale tests: a fictional organisation
/// with the seven zone kinds, assets spread over the three layers (5 % マイナンバー系, 60 % LGWAN系,
/// 35 % インターネット系), mostly intra-zone flows plus pinned, sanitised and a few offending
/// cross-zone ones, accounts, backups, log sources and BCP entries. Deterministic for a seed.
/// Nothing in it describes a real organisation.
public enum SyntheticInventory {
    /// The evidence id every synthetic fact points to.
    public static let evidenceID = "synthetic-snapshot"

    /// An inventory of `assetCount` assets (at least 10) and `flowCount` flows.
    public static func make(assets assetCount: Int, flows flowCount: Int, seed: UInt64 = 27_001) -> Inventory {
        precondition(assetCount >= 10, "at least 10 assets")
        var random = SplitMix64(seed: seed)
        func time(_ text: String) -> Timestamp { Timestamp(text)! }
        let zones = [
            Zone(id: "z-mn", name: "マイナンバー利用事務系", kind: .mynumber),
            Zone(id: "z-lg", name: "LGWAN接続系", kind: .lgwan),
            Zone(id: "z-in", name: "インターネット接続系", kind: .internet),
            Zone(id: "z-internet", name: "インターネット", kind: .externalInternet),
            Zone(id: "z-lgwan-ext", name: "LGWAN", kind: .externalLGWAN),
            Zone(id: "z-pub", name: "公的機関", kind: .externalPublicAgency),
            Zone(id: "z-sc", name: "セキュリティクラウド", kind: .securityCloud),
        ]
        let mynumberCount = max(2, assetCount / 20)
        let lgwanCount = assetCount * 3 / 5
        var assets: [Asset] = []
        assets.reserveCapacity(assetCount)
        for number in 0..<assetCount {
            let zone = number < mynumberCount ? "z-mn" : number < mynumberCount + lgwanCount ? "z-lg" : "z-in"
            let type: AssetType = number % 4 == 0 ? .server : number % 7 == 0 ? .networkDevice : .terminal
            var asset = Asset(
                id: "a\(number)", name: "asset \(number)", type: type, zone: zone, owner: "課\(number % 40)")
            asset.important = number % 50 == 0
            asset.antiMalware = number % 97 != 0
            asset.usbPolicy = zone == "z-mn" ? (number % 31 == 0 ? .open : .blocked) : .allowlist
            asset.ntpSource = "ntp"
            asset.supportedUntil = time(number % 53 == 0 ? "2026-01-31T00:00:00+09:00" : "2029-03-31T00:00:00+09:00")
            asset.trafficMonitored = zone == "z-in" ? number % 29 != 0 : nil
            if zone == "z-mn" && type == .server {
                asset.dataClasses = [DataHolding(kind: .specificPersonalInformation, confidentiality: .c3A)]
            }
            assets.append(asset)
        }
        func pick(_ range: Range<Int>) -> Int { range.lowerBound + Int(random.next() % UInt64(range.count)) }
        let layers = [
            0..<mynumberCount, mynumberCount..<mynumberCount + lgwanCount, mynumberCount + lgwanCount..<assetCount,
        ]
        var flows: [Flow] = []
        flows.reserveCapacity(flowCount)
        for number in 0..<flowCount {
            let roll = random.next() % 1000
            var flow: Flow
            switch roll {
            case 0..<3:  // LGWAN → My Number, pinned (most) or not
                let source = pick(layers[1])
                let destination = pick(layers[0])
                flow = Flow(id: "f\(number)", from: "a\(source)", to: "a\(destination)", protocol: .tcp, action: .allow)
                flow.ports = [PortRange(lower: 443, upper: 443)!]
                if roll != 0 {
                    flow.pinned = Pinning(
                        sourceAddress: IPNetwork("10.20.\(source % 250).\(source % 200 + 1)"),
                        destinationAddress: IPNetwork("10.10.\(destination % 250).\(destination % 200 + 1)"))
                    flow.approval = "approval-\(number)"
                }
            case 3..<40:  // internet → LGWAN, sanitised (a rare one not)
                flow = Flow(
                    id: "f\(number)", from: "a\(pick(layers[2]))", to: "a\(pick(layers[1]))", protocol: .tcp,
                    action: .allow)
                flow.ports = [PortRange(lower: 25, upper: 25)!]
                flow.sanitizer = roll == 3 ? Sanitizer.none : .mailText
            case 40..<60:  // to the outside
                flow = Flow(
                    id: "f\(number)", from: "a\(pick(layers[2]))", to: roll < 50 ? "z-sc" : "z-internet",
                    protocol: .tcp,
                    action: .allow)
                flow.ports = [PortRange(lower: 443, upper: 443)!]
            default:  // within a layer
                let layer = layers[Int(roll % 3)]
                let source = pick(layer)
                var destination = pick(layer)
                if destination == source { destination = source == layer.lowerBound ? source + 1 : layer.lowerBound }
                flow = Flow(
                    id: "f\(number)", from: "a\(source)", to: "a\(destination)", protocol: roll % 2 == 0 ? .tcp : .udp,
                    action: roll % 17 == 0 ? .deny : .allow)
                flow.ports = [PortRange(lower: 1024 + Int(roll), upper: 1024 + Int(roll))!]
            }
            flows.append(flow)
        }
        var accounts: [Account] = []
        for number in 0..<assetCount / 2 {
            let system = pick(0..<assetCount)
            var account = Account(
                id: "u\(number)", principal: "p\(number)", kind: .person, systems: ["a\(system)"], status: .active,
                authMethods: number % 11 == 0 ? [.password] : [.password, .icCard])
            account.privileged = number % 40 == 0
            account.employment = number % 300 == 0 ? .left : .employed
            accounts.append(account)
        }
        let important = assets.filter { $0.important == true }.map(\.id)
        let backups = important.map {
            var backup = Backup(
                system: $0, intervalHours: 24,
                copies: [BackupCopy(location: .onsite), BackupCopy(location: .offsite, offline: true, encrypted: true)])
            backup.lastSuccessAt = time("2026-11-20T02:00:00+09:00")
            backup.lastRestoreTestAt = time("2026-09-01T10:00:00+09:00")
            return backup
        }
        let logSources = important.map {
            LogSource(asset: $0, types: [.auth, .access], centralStore: true, retentionDays: 400)
        }
        let bcp = important.map {
            var entry = BCPEntry(system: $0, rtoHours: 24, rpoHours: 24)
            entry.lastExerciseAt = time("2026-09-01T09:00:00+09:00")
            return entry
        }
        let organization = Organization(
            name: "合成区 (synthetic)", localGovernmentCode: "139998", networkModel: .alpha,
            ciso: Person(personId: "p-ciso", name: "CISO"),
            csirt: CSIRT(contact: "csirt@example.invalid", members: ["p1", "p2"]),
            securityCloud: SecurityCloud(provider: "synthetic", joinedAt: time("2017-07-01T00:00:00+09:00")),
            audits: [Audit(kind: .internal, completedAt: time("2026-06-01T00:00:00+09:00"))],
            parameters: Parameters(
                logRetentionDays: 365, restoreTestMaxAgeDays: 180, incidentReportHours: 24, evidenceMaxAgeDays: 90))
        return Inventory(
            snapshotAt: time("2026-11-20T09:00:00+09:00"), organization: organization, zones: zones, assets: assets,
            flows: flows, accounts: accounts, backups: backups, logSources: logSources, bcp: bcp, evidence: [evidenceID]
        )
    }

    /// An evidence bundle holding the one item synthetic facts cite, collected at the snapshot.
    /// Its hash is not verified (there is no file): for benchmarks and tests of the assessor only.
    public static func evidence() -> EvidenceBundle {
        let item = EvidenceItem(
            id: evidenceID, kind: .inventorySnapshot, source: "synthetic", collector: "SyntheticInventory",
            collectedAt: Timestamp("2026-11-20T09:00:00+09:00")!, sha256: String(repeating: "0", count: 64),
            mediaType: "application/json", path: "inventory.json")
        return EvidenceBundle(manifest: EvidenceManifest(items: [item]), items: [evidenceID: item])
    }
}

extension SyntheticInventory {
    /// The document formats an inventory fixture can be written in.
    public enum Format: String, Sendable, CaseIterable {
        /// `inventory.json`.
        case json
        /// `inventory.yaml`.
        case yaml
    }

    /// The kind of output directory ``writeFixture(to:assets:flows:format:)`` writes.
    public static let fixtureKind = "isms-synthetic-fixture"

    /// Writes a synthetic inventory (`inventory.json` or `.yaml`) and an evidence bundle that
    /// seals it (`evidence/manifest.json` and the snapshot it hashes) into `directory`, all or
    /// nothing, as an `OutputDirectory`: what `refd isms check` reads, at any scale, to try a
    /// pipeline or measure a machine. Nothing in it describes a real organisation.
    /// - Returns: the inventory file and the evidence directory.
    /// - Throws: `OutputDirectoryError` if `directory` holds anything but an earlier fixture;
    ///   encoding and file errors.
    @discardableResult
    public static func writeFixture(
        to directory: URL, assets assetCount: Int, flows flowCount: Int, format: Format = .json
    ) throws -> (inventory: URL, evidence: URL) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = try encoder.encode(make(assets: assetCount, flows: flowCount))
        let document: Data
        switch format {
        case .json:
            document = json
        case .yaml:
            var text = ""
            writeBlockYAML(try StrictJSON.parse(json), indent: 0, into: &text)
            document = Data(text.utf8)
        }
        let inventoryName = "inventory.\(format.rawValue)"
        let collected = Timestamp("2026-11-20T09:00:00+09:00")!
        let item = EvidenceItem(
            id: evidenceID, kind: .inventorySnapshot, source: "synthetic", collector: "SyntheticInventory",
            collectedAt: collected, sha256: EvidenceBundle.sha256Hex(document),
            mediaType: format == .json ? "application/json" : "application/yaml", path: inventoryName)
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let manifest = try encoder.encode(EvidenceManifest(items: [item]))
        try OutputDirectory(directory, kind: fixtureKind).write { staging in
            let evidence = staging.appendingPathComponent("evidence")
            try FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: false)
            try document.write(to: staging.appendingPathComponent(inventoryName))
            try document.write(to: evidence.appendingPathComponent(inventoryName))
            try manifest.write(to: evidence.appendingPathComponent("manifest.json"))
        }
        return (directory.appendingPathComponent(inventoryName), directory.appendingPathComponent("evidence"))
    }
}

/// Writes a JSON value as block YAML, as people write inventories: keys and identifier-like
/// strings plain, other strings double-quoted (a JSON string is a valid YAML double-quoted
/// scalar). Written here because Yams's encoder needs minutes and gigabytes for 100,000 flows;
/// the output is read back by Yams in the tests.
private func writeBlockYAML(_ value: DocumentValue, indent: Int, into text: inout String) {
    let pad = String(repeating: " ", count: indent)
    func scalar(_ value: DocumentValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .integer(let integer): return String(integer)
        case .number(let number): return String(number)
        case .string(let string), .scalar(let string):
            let plain =
                string.first.map { $0.isASCII && $0.isLetter } == true
                && string.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
                && !["true", "false", "null", "yes", "no", "on", "off", "y", "n"].contains(string.lowercased())
            if plain { return string }
            let json = (try? JSONEncoder().encode(string)).map { String(decoding: $0, as: UTF8.self) }
            return json ?? "\"\""
        case .array, .object: return ""
        }
    }
    switch value {
    case .object(let members):
        for member in members {
            switch member.value {
            case .object(let inner) where !inner.isEmpty:
                text += "\(pad)\(member.key):\n"
                writeBlockYAML(member.value, indent: indent + 2, into: &text)
            case .array(let elements) where !elements.isEmpty:
                text += "\(pad)\(member.key):\n"
                writeBlockYAML(member.value, indent: indent, into: &text)
            case .object: text += "\(pad)\(member.key): {}\n"
            case .array: text += "\(pad)\(member.key): []\n"
            default: text += "\(pad)\(member.key): \(scalar(member.value))\n"
            }
        }
    case .array(let elements):
        for element in elements {
            switch element {
            case .object(let members) where !members.isEmpty:
                var item = ""
                writeBlockYAML(element, indent: indent + 2, into: &item)
                text += "\(pad)- " + item.dropFirst(indent + 2)
            case .array(let inner) where !inner.isEmpty:
                text += "\(pad)-\n"
                writeBlockYAML(element, indent: indent + 2, into: &text)
            default: text += "\(pad)- \(scalar(element))\n"
            }
        }
    default:
        text += "\(pad)\(scalar(value))\n"
    }
}
