import Foundation
import SuginamiGIS
import SuginamiServer

/// What `refd serve` serves and `refd export-site` writes, read the same way for both: the
/// store's facilities and towns, the relief-centre routing on a road network (with the closed
/// roads and no-go areas given), and the simulation's layers when given.
struct PublishedData {
    let store: any SuginamiDatabase
    let routing: ReliefCentreRouting
    /// Routing to the temporary stay facilities (一時滞在施設), when the store has any.
    let temporaryStay: ReliefCentreRouting?
    let catalogue: FeatureCatalogue
    /// The roster's safety confirmation, when a personal-data key was given.
    var safety: SafetyConfirmation?
    /// The victims' register and certificates, when a personal-data key was given.
    var recovery: RecoveryDesk?

    /// Reads everything; `phase` is told of each long step.
    static func load(
        database: String, readReplica: String? = nil, network: String?, closures: String?, noGo: String?,
        simulation: String?, report: String?,
        peopleKey: String? = nil, disasterDeclared: Bool = false, certificateIssuer: String = "杉並区長",
        unreported: ReliefCentreRouting.UnreportedCentres, phase: (String) -> Void
    ) async throws -> PublishedData {
        let store = try await StoreOptions(database: database, readReplica: readReplica).openExisting()
        phase("reading the road network (\(network ?? "bundled SYNTHETIC network"))")
        let roads = try await RoadNetwork.load(source(network))
        let closed = try RoadClosureOptions.closedEdges(closures: closures, noGo: noGo, in: roads.graph, tell: phase)
        phase("building the shelter tree" + (closed.isEmpty ? "" : " with \(closed.count) roads closed"))
        let routing = try await ReliefCentreRouting(
            store: store, network: roads, unreported: unreported, closedEdges: closed)
        var temporaryStay: ReliefCentreRouting?
        if (try await store.facilityCounts()[.temporaryStayFacility] ?? 0) > 0 {
            phase("building the tree to the temporary stay facilities (一時滞在施設)")
            temporaryStay = try await ReliefCentreRouting(
                store: store, network: roads, unreported: unreported, closedEdges: closed,
                kind: .temporaryStayFacility)
        }
        phase("building the feature collections")
        var catalogue = try await FeatureCatalogue.build(
            store: store, routing: await routing.snapshot, temporaryStay: await temporaryStay?.snapshot)
        if simulation != nil || report != nil {
            phase("reading the simulation's layers")
            let summary = try await store.summary()
            let layers = try FeatureCatalogue.simulationCollections(
                run: simulation.map { URL(fileURLWithPath: $0) }, report: report.map { URL(fileURLWithPath: $0) },
                buildings: summary.syntheticBuildings > 0
                    ? .synthetic
                    : summary.buildingsWithAssumedAttributes > 0 ? .realFootprintsAssumedAttributes : .register
            )
            catalogue = FeatureCatalogue(collections: catalogue.collections + layers, timeStamp: catalogue.timeStamp)
        }
        var safety: SafetyConfirmation?
        /// The victims' register and certificates, when a personal-data key was given.
        var recovery: RecoveryDesk?
        if let peopleKey {
            let key = try PersonalDataKey.load(from: URL(fileURLWithPath: peopleKey))
            var damage: [BuildingDamage]?
            if let simulation {
                phase("reading the simulated damage per building, to rank who to check first")
                damage = try BuildingDamage.read(run: URL(fileURLWithPath: simulation))
            }
            safety = SafetyConfirmation(
                store: store, key: key, policy: PersonalDataPolicy(disasterDeclared: disasterDeclared),
                towns: try await store.towns(), damage: damage)
            recovery = RecoveryDesk(store: store, key: key, issuer: certificateIssuer)
        }
        return PublishedData(
            store: store, routing: routing, temporaryStay: temporaryStay, catalogue: catalogue, safety: safety,
            recovery: recovery)
    }

    /// The network source a path names: a saved network, or OpenStreetMap by its extension.
    static func source(_ path: String?) -> RoadNetwork.Source {
        guard let path else { return .bundledSynthetic }
        let name = path.lowercased()
        if name.hasSuffix(".osm") || name.hasSuffix(".pbf") || name.hasSuffix(".osm.gz") {
            return .openStreetMap(URL(fileURLWithPath: path))
        }
        return .saved(URL(fileURLWithPath: path))
    }
}
