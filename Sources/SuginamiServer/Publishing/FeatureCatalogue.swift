import Foundation
import SuginamiGIS

/// Everything the daemon publishes as OGC API – Features: a collection per facility kind, the
/// towns (町丁目), and the relief centres' current status, built once from the store and the
/// routing facade and then only read.
public struct FeatureCatalogue: Sendable {
    /// The collections, in the order `/collections` lists them.
    public let collections: [PublishedCollection]
    /// When the catalogue was built: the `timeStamp` of every page (the data do not change
    /// between builds, so pages, their ETags and caches stay valid until the next build).
    public let timeStamp: Date
    private let positions: [String: Int]

    /// A catalogue of these collections.
    public init(collections: [PublishedCollection], timeStamp: Date = Date()) {
        self.collections = collections
        // Whole seconds: the time stamp is written to the second in every page.
        self.timeStamp = Date(timeIntervalSince1970: timeStamp.timeIntervalSince1970.rounded(.down))
        positions = Dictionary(uniqueKeysWithValues: collections.enumerated().map { ($1.id, $0) })
    }

    /// The collection with this id.
    public func collection(id: String) -> PublishedCollection? { positions[id].map { collections[$0] } }

    /// The catalogue of a store: one collection per facility kind it holds (`relief_centres`,
    /// `emergency_evacuation_sites`, …), `towns`, and `relief_centre_status` from `routing`
    /// (each centre's reported state, occupancy and room, as routing counts them).
    /// - Throws: the store's errors and ``PublishingError``.
    ///
    /// With `temporaryStay` (routing to the 一時滞在施設 for stranded commuters), their status is
    /// published too, as `temporary_stay_facility_status`.
    public static func build(
        store: any SuginamiDatabase, routing: ReliefCentreRouting.Snapshot,
        temporaryStay: ReliefCentreRouting.Snapshot? = nil
    ) async throws -> FeatureCatalogue {
        var collections: [PublishedCollection] = []
        let facilities = try await store.facilities()
        let byKind = Dictionary(grouping: facilities, by: \.kind)
        for kind in FacilityKind.allCases {
            guard let members = byKind[kind]?.sorted(by: { $0.id < $1.id }) else { continue }
            var features: [PublishedFeature] = []
            for facility in members { features.append(try PublishedFeature(try facility.geoJSONFeature())) }
            collections.append(
                try PublishedCollection(
                    id: collectionID(of: kind), title: "\(kind.japaneseName) (\(kind.description))",
                    description: "Every \(kind.description) of the store, with the fields of SuginamiKit's Facility.",
                    attribution: attribution(of: members), features: features))
        }
        let towns = try await store.towns().sorted { $0.code < $1.code }
        if !towns.isEmpty {
            var features: [PublishedFeature] = []
            for town in towns { features.append(try PublishedFeature(town.geoJSONFeature())) }
            collections.append(
                try PublishedCollection(
                    id: "towns", title: "町丁目 (towns)",
                    description: "The ward's towns with households and residents by age (住民基本台帳).",
                    attribution: nil, features: features))
        }
        collections.append(try statusCollection(routing))
        if let temporaryStay { collections.append(try statusCollection(temporaryStay)) }
        collections.append(try reportCollection(try await store.reports(in: [.published])))
        return FeatureCatalogue(collections: collections)
    }

    /// `relief_centre_status` (or `temporary_stay_facility_status`): each facility as `routing`
    /// counts it.
    static func statusCollection(_ routing: ReliefCentreRouting.Snapshot) throws(PublishingError)
        -> PublishedCollection
    {
        var statuses: [PublishedFeature] = []
        for centre in routing.centres {
            statuses.append(try PublishedFeature(statusFeature(centre), time: centre.status?.reportedAt))
        }
        let kind = routing.kind
        return try PublishedCollection(
            id: statusCollectionID(of: kind), title: "\(kind.japaneseName)の開設状況 (\(kind.rawValue) status)",
            description: "Each \(kind.rawValue)'s latest report: open, full or closed, people present and room left; "
                + "one without a report counts as \(routing.unreported.rawValue).",
            attribution: attribution(of: routing.centres.map(\.facility)), features: statuses)
    }

    /// `relief_centre_status`, `temporary_stay_facility_status`.
    static func statusCollectionID(of kind: FacilityKind) -> String { "\(kind.rawValue)_status" }

    /// `damage_reports`: the published reports (被害報告), as verified by headquarters.
    static func reportCollection(_ published: [DamageReport]) throws(PublishingError) -> PublishedCollection {
        var features: [PublishedFeature] = []
        for report in published {
            features.append(try PublishedFeature(report.publicView.geoJSONFeature(), time: report.observedAt))
        }
        return try PublishedCollection(
            id: "damage_reports", title: "被害報告 (damage reports)",
            description: "Damage seen on the ground (blocked roads, collapses, fires, flooding, injured people) "
                + "from residents, relief centres and headquarters, published once headquarters verified it. "
                + "A published blocked road is closed for routing.",
            attribution: nil, features: features)
    }

    /// This catalogue with `replacements` in place of the collections of the same ids, stamped now.
    public func replacing(_ replacements: [PublishedCollection]) -> FeatureCatalogue {
        let byID = Dictionary(replacements.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        return FeatureCatalogue(collections: collections.map { byID[$0.id] ?? $0 })
    }

    /// The collection id of a facility kind: its raw value in the plural (`relief_centres`).
    public static func collectionID(of kind: FacilityKind) -> String {
        let name = kind.rawValue
        return name.hasSuffix("y") ? String(name.dropLast()) + "ies" : name + "s"
    }

    private static func attribution(of facilities: [Facility]) -> String? {
        var seen = Set<String>()
        let texts = facilities.map(\.source.attribution).filter { seen.insert($0).inserted }
        return texts.isEmpty ? nil : texts.joined(separator: " / ")
    }

    private static func statusFeature(_ centre: ReliefCentreRouting.Centre) -> JSONValue {
        let status = centre.status
        func count(_ value: Int?) -> JSONValue { value.map { .number(Double($0)) } ?? .null }
        var properties: [(key: String, value: JSONValue)] = [
            ("name", .string(centre.facility.name)),
            ("state", .string(status?.state.rawValue ?? "not_reported")),
            ("counts_as_open", .bool(centre.isOpen)),
            ("capacity", count(centre.facility.capacity)),
            ("occupancy", count(status?.occupancy)),
            ("room", count(centre.room)),
        ]
        if let status {
            properties += status.reportProperties
        }
        return .object([
            ("type", .string("Feature")),
            ("id", .string(centre.facility.id)),
            ("geometry", GeoJSON.geometry(centre.facility.position)),
            ("properties", .object(properties)),
        ])
    }
}

extension ShelterStatus {
    /// `needs`, `note`, `reported_at`, `reported_by`: how a report is written wherever the daemon
    /// shows one (the status collection, the operations API's answers).
    var reportProperties: [(key: String, value: JSONValue)] {
        [
            (
                "needs",
                .object(
                    needs.flags.map { ($0.name, JSONValue.bool($0.value)) }
                        + [("other", needs.other.map(JSONValue.string) ?? .null)])
            ),
            ("note", note.map(JSONValue.string) ?? .null),
            ("reported_at", .string(reportedAt.formatted(.iso8601))),
            ("reported_by", .string(reportedBy)),
        ]
    }
}
