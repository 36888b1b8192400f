import SuginamiCore

/// A value of an inventory attribute, as checks compare it.
enum AttributeValue: Sendable, Hashable {
    case text(String)
    case flag(Bool)
    case number(Double)
    case list([String])
    case time(Timestamp)
    /// The inventory does not declare the fact.
    case missing

    /// Text forms for `where` filters and `values` lists.
    var texts: [String] {
        switch self {
        case .text(let text): [text]
        case .flag(let flag): [flag ? "true" : "false"]
        case .number(let number):
            [number == number.rounded() ? String(Int(number)) : String((number * 100).rounded() / 100)]
        case .list(let list): list
        case .time(let time): [time.text]
        case .missing: []
        }
    }

    var display: String {
        switch self {
        case .missing: "not declared"
        case .list(let list): "[" + list.joined(separator: ", ") + "]"
        default: texts.first ?? ""
        }
    }
}

/// One thing a check gives a verdict on: an item of an inventory collection.
struct SubjectReference: Sendable, Hashable {
    let collection: InventoryCollection
    let index: Int
}

/// Lookups over a validated inventory, built once per assessment.
struct InventoryIndex: Sendable {
    let inventory: Inventory
    let time: Timestamp
    let zoneKindByZoneID: [String: ZoneKind]
    let assetIndexByID: [String: Int]

    init(_ inventory: Inventory, at time: Timestamp) {
        self.inventory = inventory
        self.time = time
        zoneKindByZoneID = Dictionary(inventory.zones.map { ($0.id, $0.kind) }, uniquingKeysWith: { first, _ in first })
        assetIndexByID = Dictionary(
            inventory.assets.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The zone kind of a flow end (an asset's zone or a zone itself).
    /// Whether a flow's 無害化 cuts it as a connection (its content passes, its session does not):
    /// only on the route the guideline allows, from the internet side into the LGWAN-connected
    /// zone through the sanitisation point. A sanitised flow into or out of the マイナンバー利用事務系
    /// zone, or anywhere else, is a connection like any other: nothing reaches the My Number
    /// zone through sanitisation.
    func sanitisationCuts(_ flow: Flow) -> Bool {
        guard let sanitizer = flow.sanitizer, sanitizer != .none,
            let from = zoneKind(ofEnd: flow.from), let to = zoneKind(ofEnd: flow.to)
        else { return false }
        return (from == .internet || from == .externalInternet) && to == .lgwan
    }

    func zoneKind(ofEnd end: String) -> ZoneKind? {
        if let index = assetIndexByID[end] { return zoneKindByZoneID[inventory.assets[index].zone] }
        return zoneKindByZoneID[end]
    }

    func asset(_ id: String) -> Asset? { assetIndexByID[id].map { inventory.assets[$0] } }

    /// The attribute names each collection offers to rules.
    static let attributeNames: [InventoryCollection: Set<String>] = [
        .assets: [
            "id", "type", "zone", "zoneKind", "important", "edr", "antiMalware", "usbPolicy", "ntpSource",
            "publicWebServer", "securityCloudMonitored", "trafficMonitored", "patchedAt", "supportedUntil", "dataKinds",
        ],
        .accounts: [
            "id", "kind", "status", "privileged", "shared", "employment", "factorCount", "systemZoneKinds",
            "authMethods",
        ],
        .flows: ["id", "action", "protocol", "sanitizer", "pinned", "fromZoneKind", "toZoneKind"],
        .backups: [
            "system", "intervalHours", "lastSuccessAt", "lastRestoreTestAt", "offsiteCopies", "offlineCopies",
            "encryptedCopies", "withinInterval", "systemImportant",
        ],
        .logSources: ["asset", "types", "centralStore", "retentionDays", "assetZoneKind"],
        .incidents: ["id", "status", "owner", "personalData", "ppcReported", "lessonsRef", "reportDelayHours"],
        .bcp: ["system", "rtoHours", "rpoHours", "lastExerciseAt", "systemImportant"],
        .audits: ["kind", "completedAt"],
        .policies: ["kind", "approvedAt", "nextReview"],
        .csirtMembers: ["id"],
    ]

    func count(of collection: InventoryCollection) -> Int {
        switch collection {
        case .assets: inventory.assets.count
        case .accounts: inventory.accounts.count
        case .flows: inventory.flows.count
        case .backups: inventory.backups?.count ?? 0
        case .logSources: inventory.logSources?.count ?? 0
        case .incidents: inventory.incidents?.count ?? 0
        case .bcp: inventory.bcp?.count ?? 0
        case .audits: inventory.organization.audits?.count ?? 0
        case .policies: inventory.organization.policies?.count ?? 0
        case .csirtMembers: inventory.organization.csirt?.members.count ?? 0
        }
    }

    func subjects(of collection: InventoryCollection, where filter: [String: [String]]?) -> [SubjectReference] {
        (0..<count(of: collection)).lazy.map { SubjectReference(collection: collection, index: $0) }.filter {
            reference in
            (filter ?? [:]).allSatisfy { name, accepted in
                attribute(name, of: reference).texts.contains { accepted.contains($0) }
            }
        }
    }

    /// A readable id for a subject.
    func identifier(of reference: SubjectReference) -> String {
        let index = reference.index
        switch reference.collection {
        case .assets: return inventory.assets[index].id
        case .accounts: return inventory.accounts[index].id
        case .flows: return inventory.flows[index].id
        case .backups: return "backup:\(inventory.backups![index].system)"
        case .logSources: return "log:\(inventory.logSources![index].asset)"
        case .incidents: return inventory.incidents![index].id
        case .bcp: return "bcp:\(inventory.bcp![index].system)"
        case .audits:
            let audit = inventory.organization.audits![index]
            return "audit:\(audit.kind.rawValue):\(audit.completedAt.text)"
        case .csirtMembers: return "csirt:\(inventory.organization.csirt!.members[index])"
        case .policies: return "policy:\(inventory.organization.policies![index].kind)"
        }
    }

    /// The evidence ids of a subject: its own, or the snapshot's when it has none.
    func evidence(of reference: SubjectReference) -> [String] {
        let index = reference.index
        let own: [String]? =
            switch reference.collection {
            case .assets: inventory.assets[index].evidence
            case .accounts: inventory.accounts[index].evidence
            case .flows: inventory.flows[index].evidence
            case .backups: inventory.backups![index].evidence
            case .logSources: inventory.logSources![index].evidence
            case .incidents: inventory.incidents![index].evidence
            case .bcp: inventory.bcp![index].evidence
            case .audits: inventory.organization.audits![index].evidence
            case .csirtMembers: nil
            case .policies: inventory.organization.policies![index].evidence
            }
        if let own, !own.isEmpty { return own }
        return inventory.evidence ?? []
    }

    /// An attribute of a subject; `.missing` when the inventory does not declare it.
    func attribute(_ name: String, of reference: SubjectReference) -> AttributeValue {
        func flag(_ value: Bool?) -> AttributeValue { value.map(AttributeValue.flag) ?? .missing }
        func text(_ value: String?) -> AttributeValue { value.map(AttributeValue.text) ?? .missing }
        func time(_ value: Timestamp?) -> AttributeValue { value.map(AttributeValue.time) ?? .missing }
        let index = reference.index
        switch reference.collection {
        case .assets:
            let asset = inventory.assets[index]
            switch name {
            case "id": return .text(asset.id)
            case "type": return .text(asset.type.rawValue)
            case "zone": return .text(asset.zone)
            case "zoneKind": return text(zoneKindByZoneID[asset.zone]?.rawValue)
            case "important": return .flag(asset.important ?? false)
            case "edr": return flag(asset.edr)
            case "antiMalware": return flag(asset.antiMalware)
            case "usbPolicy": return text(asset.usbPolicy?.rawValue)
            case "ntpSource": return text(asset.ntpSource)
            case "publicWebServer": return .flag(asset.publicWebServer ?? false)
            case "securityCloudMonitored": return flag(asset.securityCloudMonitored)
            case "trafficMonitored": return flag(asset.trafficMonitored)
            case "patchedAt": return time(asset.patchedAt)
            case "supportedUntil": return time(asset.supportedUntil)
            case "dataKinds": return .list((asset.dataClasses ?? []).map(\.kind.rawValue))
            default: return .missing
            }
        case .accounts:
            let account = inventory.accounts[index]
            switch name {
            case "id": return .text(account.id)
            case "kind": return .text(account.kind.rawValue)
            case "status": return .text(account.status.rawValue)
            case "privileged": return .flag(account.privileged ?? false)
            case "shared": return .flag(account.shared ?? false)
            case "employment": return text(account.employment?.rawValue)
            case "factorCount": return .number(Double(account.factorCategories.count))
            case "authMethods": return .list(account.authMethods.map(\.rawValue))
            case "systemZoneKinds":
                return .list(account.systems.compactMap { zoneKind(ofEnd: $0)?.rawValue })
            default: return .missing
            }
        case .flows:
            let flow = inventory.flows[index]
            switch name {
            case "id": return .text(flow.id)
            case "action": return .text(flow.action.rawValue)
            case "protocol": return .text(flow.protocol.rawValue)
            case "sanitizer": return .text((flow.sanitizer ?? .none).rawValue)
            case "pinned": return .flag(flow.isPinned)
            case "fromZoneKind": return text(zoneKind(ofEnd: flow.from)?.rawValue)
            case "toZoneKind": return text(zoneKind(ofEnd: flow.to)?.rawValue)
            default: return .missing
            }
        case .backups:
            let backup = inventory.backups![index]
            switch name {
            case "system": return .text(backup.system)
            case "intervalHours": return .number(Double(backup.intervalHours))
            case "lastSuccessAt": return time(backup.lastSuccessAt)
            case "lastRestoreTestAt": return time(backup.lastRestoreTestAt)
            case "offsiteCopies":
                return .number(Double(backup.copies.count { $0.location == .offsite || $0.location == .cloud }))
            case "offlineCopies": return .number(Double(backup.copies.count { $0.offline == true }))
            case "encryptedCopies": return .number(Double(backup.copies.count { $0.encrypted == true }))
            case "withinInterval":
                guard let last = backup.lastSuccessAt else { return .missing }
                // Facts are judged as of the snapshot; evidence age is judged at the assessment.
                return .flag(last.days(until: inventory.snapshotAt) * 24 <= Double(backup.intervalHours))
            case "systemImportant": return .flag(asset(backup.system)?.important ?? false)
            default: return .missing
            }
        case .logSources:
            let source = inventory.logSources![index]
            switch name {
            case "asset": return .text(source.asset)
            case "types": return .list(source.types.map(\.rawValue))
            case "centralStore": return .flag(source.centralStore)
            case "retentionDays": return .number(Double(source.retentionDays))
            case "assetZoneKind": return text(zoneKind(ofEnd: source.asset)?.rawValue)
            default: return .missing
            }
        case .incidents:
            let incident = inventory.incidents![index]
            switch name {
            case "id": return .text(incident.id)
            case "status": return .text(incident.status.rawValue)
            case "owner": return text(incident.owner)
            case "personalData": return .flag(incident.personalData ?? false)
            case "ppcReported": return flag(incident.ppcReported)
            case "lessonsRef": return text(incident.lessonsRef)
            case "reportDelayHours":
                guard let reported = incident.reportedAt else { return .missing }
                return .number(incident.detectedAt.days(until: reported) * 24)
            default: return .missing
            }
        case .bcp:
            let entry = inventory.bcp![index]
            switch name {
            case "system": return .text(entry.system)
            case "rtoHours": return .number(entry.rtoHours)
            case "rpoHours": return .number(entry.rpoHours)
            case "lastExerciseAt": return time(entry.lastExerciseAt)
            case "systemImportant": return .flag(asset(entry.system)?.important ?? false)
            default: return .missing
            }
        case .audits:
            let audit = inventory.organization.audits![index]
            switch name {
            case "kind": return .text(audit.kind.rawValue)
            case "completedAt": return .time(audit.completedAt)
            default: return .missing
            }
        case .policies:
            let policy = inventory.organization.policies![index]
            switch name {
            case "kind": return .text(policy.kind)
            case "approvedAt": return .time(policy.approvedAt)
            case "nextReview": return time(policy.nextReview)
            default: return .missing
            }
        case .csirtMembers:
            return name == "id" ? .text(inventory.organization.csirt!.members[index]) : .missing
        }
    }
}

extension AttributeValue {
    /// Whether an evidence file's value states the same: the same instant for a time, the same
    /// number, flag or text, the same set for a list (a CSV cell lists with `;` or spaces).
    func agrees(with found: DocumentValue) -> Bool {
        let text: String? =
            switch found {
            case .string(let text), .scalar(let text): text
            default: nil
            }
        switch self {
        case .missing: return false
        case .time(let time):
            guard let text, let stated = Timestamp(text) else { return false }
            return stated.date == time.date
        case .number(let number):
            switch found {
            case .integer(let value): return Double(value) == number
            case .number(let value): return value == number
            default: return text.flatMap { Double($0) } == number
            }
        case .flag(let flag):
            if case .bool(let value) = found { return value == flag }
            return text.map { ["true", "false"].contains($0.lowercased()) && ($0.lowercased() == "true") == flag }
                ?? false
        case .text(let value): return text == value
        case .list(let list):
            let stated: [String]
            switch found {
            case .array(let elements):
                stated = elements.compactMap {
                    switch $0 {
                    case .string(let text), .scalar(let text): text
                    default: nil
                    }
                }
                guard stated.count == elements.count else { return false }
            default:
                guard let text else { return false }
                stated = text.split { $0 == ";" || $0 == " " }.map(String.init)
            }
            return Set(stated) == Set(list)
        }
    }
}

extension DocumentValue {
    /// The value as a message shows it.
    var displayText: String {
        switch self {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .integer(let integer): String(integer)
        case .number(let number): String(number)
        case .string(let text), .scalar(let text): "\"\(text)\""
        case .array(let elements): "[" + elements.map(\.displayText).joined(separator: ", ") + "]"
        case .object: "{…}"
        }
    }
}
