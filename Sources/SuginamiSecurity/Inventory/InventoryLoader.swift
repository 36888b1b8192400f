import Foundation
import SuginamiCore

/// Reads an inventory snapshot (JSON or YAML) and checks it against its evidence bundle.
///
/// Everything is checked before any verdict is given, and every problem is reported at once
/// with its location: an unknown schema version, duplicate keys or ids, references to undefined
/// zones, assets or evidence, values outside their sets, timestamps without an offset or in the
/// future, malformed addresses, ports outside 1–65535, active accounts without an
/// authentication method, and more.
public enum InventoryLoader {
    /// Loads and validates the inventory at `url`.
    /// - Parameters:
    ///   - url: the inventory file (JSON or YAML).
    ///   - evidence: the verified evidence bundle, whose ids the inventory may reference.
    ///   - time: the assessment time; no recorded event may lie after it.
    public static func load(
        _ url: URL, evidence: EvidenceBundle, at time: Timestamp
    ) throws(ISMSValidationFailure) -> Inventory {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DocumentReader.failure(url.path, "", "cannot read the file: \(error.localizedDescription)")
        }
        return try load(data, name: url.path, evidence: evidence, at: time)
    }

    /// Loads and validates an inventory from bytes; `name` is used in messages.
    public static func load(
        _ data: Data, name: String, evidence: EvidenceBundle, at time: Timestamp
    ) throws(ISMSValidationFailure) -> Inventory {
        let parsed = try DocumentReader.parse(data, name: name)
        // The version first: a document of another version would otherwise fail on its fields.
        guard let declared = parsed["schemaVersion"] else {
            throw DocumentReader.failure(name, "schemaVersion", "required field \"schemaVersion\" is missing")
        }
        let version: Int? =
            switch declared {
            case .integer(let number): number
            case .scalar(let text): Int(text)
            default: nil
            }
        guard let version, version == Inventory.currentSchemaVersion else {
            throw DocumentReader.failure(
                name, "schemaVersion",
                "unknown schema version \(version.map(String.init) ?? "?") "
                    + "(this SDK reads \(Inventory.currentSchemaVersion))")
        }
        let inventory = try DocumentReader.decode(Inventory.self, from: parsed, name: name)
        try validate(inventory, name: name, evidence: evidence, at: time)
        return inventory
    }

    /// Checks references, uniqueness, times and values of a decoded inventory.
    public static func validate(
        _ inventory: Inventory, name: String, evidence: EvidenceBundle, at time: Timestamp
    ) throws(ISMSValidationFailure) {
        var problems = ProblemList(file: name)
        let skew = EvidenceBundle.allowedClockSkew
        func past(_ timestamp: Timestamp?, _ location: String) {
            if let timestamp, timestamp.date.timeIntervalSince(time.date) > skew {
                problems.add(location, "\(timestamp) is in the future (assessment time \(time))")
            }
        }
        func evidenceIDs(_ ids: [String]?, _ location: String) {
            for (index, id) in (ids ?? []).enumerated() where evidence.items[id] == nil {
                problems.add("\(location).evidence[\(index)]", "evidence \"\(id)\" is not in the evidence manifest")
            }
        }
        // Every subject of a check has one identity (an id, or the asset a backup or log source
        // is for): two entries for one would be judged twice under the same name.
        @discardableResult
        func unique<Item>(_ items: [Item], _ collection: String, field: String = "id", id: (Item) -> String)
            -> Set<String>
        {
            var seen = Set<String>()
            for (index, item) in items.enumerated() {
                let value = id(item)
                if value.isEmpty { problems.add("\(collection)[\(index)].\(field)", "empty \(field)") }
                if !seen.insert(value).inserted {
                    problems.add(
                        "\(collection)[\(index)].\(field)",
                        field == "id"
                            ? "duplicate id \"\(value)\"" : "a second entry for \(field) \"\(value)\"; merge them")
                }
            }
            return seen
        }

        past(inventory.snapshotAt, "snapshotAt")
        evidenceIDs(inventory.evidence, "")
        // Organisation.
        let organization = inventory.organization
        if (try? LocalGovernmentCode(organization.localGovernmentCode)) == nil {
            problems.add(
                "organization.localGovernmentCode",
                "\"\(organization.localGovernmentCode)\" is not a 6-digit local government code with a valid check digit"
            )
        }
        if let csirt = organization.csirt, csirt.contact.isEmpty {
            problems.add("organization.csirt.contact", "the CSIRT has no contact point")
        }
        past(organization.securityCloud?.joinedAt, "organization.securityCloud.joinedAt")
        for (index, audit) in (organization.audits ?? []).enumerated() {
            past(audit.completedAt, "organization.audits[\(index)].completedAt")
            evidenceIDs(audit.evidence, "organization.audits[\(index)]")
        }
        for (index, policy) in (organization.policies ?? []).enumerated() {
            let location = "organization.policies[\(index)]"
            if policy.kind.isEmpty { problems.add("\(location).kind", "empty kind") }
            past(policy.approvedAt, "\(location).approvedAt")
            if let review = policy.nextReview, review < policy.approvedAt {
                problems.add("\(location).nextReview", "review (\(review)) before approval (\(policy.approvedAt))")
            }
            evidenceIDs(policy.evidence, location)
        }
        let parameters = organization.parameters
        for name in Parameters.names {
            if let value = parameters.value(named: name), value <= 0 {
                problems.add("organization.parameters.\(name)", "must be a positive number, not \(value)")
            }
        }
        // Zones and assets.
        let zoneIDs = unique(inventory.zones, "zones", id: \.id)
        if inventory.zones.isEmpty { problems.add("zones", "no zones: the checks need at least one") }
        let assetIDs = unique(inventory.assets, "assets", id: \.id)
        if inventory.assets.isEmpty { problems.add("assets", "no assets: the checks need at least one") }
        for (index, asset) in inventory.assets.enumerated() {
            let location = "assets[\(index)]"
            if zoneIDs.contains(asset.id) {
                problems.add("\(location).id", "\"\(asset.id)\" is also a zone id: flow ends would be ambiguous")
            }
            if !zoneIDs.contains(asset.zone) { problems.add("\(location).zone", "unknown zone \"\(asset.zone)\"") }
            past(asset.patchedAt, "\(location).patchedAt")
            evidenceIDs(asset.evidence, location)
        }
        // Flows.
        _ = unique(inventory.flows, "flows", id: \.id)
        for (index, flow) in inventory.flows.enumerated() {
            let location = "flows[\(index)]"
            for (field, end) in [("from", flow.from), ("to", flow.to)]
            where !assetIDs.contains(end) && !zoneIDs.contains(end) {
                problems.add("\(location).\(field)", "\"\(end)\" is neither an asset nor a zone")
            }
            if flow.from == flow.to { problems.add("\(location).to", "a flow from \"\(flow.from)\" to itself") }
            if let gateway = flow.gateway, !assetIDs.contains(gateway) {
                problems.add("\(location).gateway", "unknown asset \"\(gateway)\"")
            }
            if let ports = flow.ports, flow.protocol == .icmp, !ports.isEmpty {
                problems.add("\(location).ports", "ICMP has no ports")
            }
            if let pinned = flow.pinned, pinned.sourceAddress == nil, pinned.sourceMAC == nil,
                pinned.destinationAddress == nil, pinned.destinationMAC == nil
            {
                problems.add("\(location).pinned", "pinning with no address")
            }
            evidenceIDs(flow.evidence, location)
        }
        // Accounts.
        _ = unique(inventory.accounts, "accounts", id: \.id)
        for (index, account) in inventory.accounts.enumerated() {
            let location = "accounts[\(index)]"
            for (systemIndex, system) in account.systems.enumerated() where !assetIDs.contains(system) {
                problems.add("\(location).systems[\(systemIndex)]", "unknown asset \"\(system)\"")
            }
            if account.status == .active && account.authMethods.isEmpty {
                problems.add("\(location).authMethods", "active account \"\(account.id)\" has no authentication method")
            }
            evidenceIDs(account.evidence, location)
        }
        // Operations.
        unique(inventory.backups ?? [], "backups", field: "system", id: \.system)
        unique(inventory.logSources ?? [], "logSources", field: "asset", id: \.asset)
        unique(inventory.bcp ?? [], "bcp", field: "system", id: \.system)
        unique(organization.audits ?? [], "organization.audits", field: "completedAt") {
            "\($0.kind.rawValue) \($0.completedAt.text)"
        }
        unique(organization.csirt?.members ?? [], "organization.csirt.members", field: "member") { $0 }
        for (index, backup) in (inventory.backups ?? []).enumerated() {
            let location = "backups[\(index)]"
            if !assetIDs.contains(backup.system) {
                problems.add("\(location).system", "unknown asset \"\(backup.system)\"")
            }
            if backup.intervalHours <= 0 {
                problems.add("\(location).intervalHours", "must be positive, not \(backup.intervalHours)")
            }
            past(backup.lastSuccessAt, "\(location).lastSuccessAt")
            past(backup.lastRestoreTestAt, "\(location).lastRestoreTestAt")
            evidenceIDs(backup.evidence, location)
        }
        for (index, source) in (inventory.logSources ?? []).enumerated() {
            let location = "logSources[\(index)]"
            if !assetIDs.contains(source.asset) {
                problems.add("\(location).asset", "unknown asset \"\(source.asset)\"")
            }
            if source.retentionDays < 0 {
                problems.add("\(location).retentionDays", "must not be negative (\(source.retentionDays))")
            }
            evidenceIDs(source.evidence, location)
        }
        _ = unique(inventory.incidents ?? [], "incidents", id: \.id)
        for (index, incident) in (inventory.incidents ?? []).enumerated() {
            let location = "incidents[\(index)]"
            past(incident.detectedAt, "\(location).detectedAt")
            past(incident.reportedAt, "\(location).reportedAt")
            past(incident.closedAt, "\(location).closedAt")
            if let reported = incident.reportedAt, reported < incident.detectedAt {
                problems.add(
                    "\(location).reportedAt", "reported (\(reported)) before detected (\(incident.detectedAt))")
            }
            if let closed = incident.closedAt, closed < incident.detectedAt {
                problems.add("\(location).closedAt", "closed (\(closed)) before detected (\(incident.detectedAt))")
            }
            if incident.status == .closed && incident.closedAt == nil {
                problems.add("\(location).closedAt", "a closed incident needs closedAt")
            }
            evidenceIDs(incident.evidence, location)
        }
        for (index, entry) in (inventory.bcp ?? []).enumerated() {
            let location = "bcp[\(index)]"
            if !assetIDs.contains(entry.system) {
                problems.add("\(location).system", "unknown asset \"\(entry.system)\"")
            }
            if entry.rtoHours < 0 || entry.rpoHours < 0 || !entry.rtoHours.isFinite || !entry.rpoHours.isFinite {
                problems.add(location, "RTO and RPO must be finite, non-negative hours")
            }
            past(entry.lastExerciseAt, "\(location).lastExerciseAt")
            evidenceIDs(entry.evidence, location)
        }
        try problems.throwIfAny()
    }
}
