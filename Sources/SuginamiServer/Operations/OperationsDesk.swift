import Foundation
import Logging
import SuginamiGIS

/// Carries what the store committed into what the daemon serves: each public event, in commit
/// order, is applied once to the routing facade (a status to the shelter tree; a published
/// blocked road closed, a withdrawn one opened again), to the served catalogue
/// (`relief_centre_status`, `damage_reports`), and to the live streams.
///
/// Writers call ``settle(through:)`` after their commit and before they answer, so an
/// acknowledged change is already in the routes and pages the next request sees. The events
/// are read back from the store rather than passed along, so the order is the commit order
/// whatever order the writers' tasks resume in.
actor OperationsDesk {
    let store: any SuginamiDatabase
    /// Routing to the relief centres, and to the temporary stay facilities when there are any:
    /// closures apply to both, a status to the one that has the facility.
    let routings: [ReliefCentreRouting]
    var routing: ReliefCentreRouting { routings[0] }
    let live: LiveCatalogue
    let hub: EventHub
    let logger: Logger
    /// The last event applied.
    private(set) var applied: Int64 = 0
    private var catchingUp = false
    private var waiting: [(through: Int64, continuation: CheckedContinuation<Void, Never>)] = []
    /// Published reports by id: the `damage_reports` collection.
    private var published: [String: DamageReport] = [:]
    /// For each published blocked road, how many road segments (edges) it closed.
    private(set) var closedRoads: [String: Int] = [:]

    init(
        store: any SuginamiDatabase, routings: [ReliefCentreRouting], live: LiveCatalogue, hub: EventHub, logger: Logger
    ) {
        precondition(!routings.isEmpty, "a desk needs the relief centres' routing")
        self.store = store
        self.routings = routings
        self.live = live
        self.hub = hub
        self.logger = logger
    }

    /// Brings routing up to the store at start-up: every published blocked road is closed.
    /// Statuses need nothing: the routing facade was built from the store's current ones.
    func start() async throws {
        applied = try await store.lastPublicEvent()
        for report in try await store.reports(in: [.published]) {
            published[report.id] = report
            await close(report)
        }
    }

    /// Returns once every event up to `sequence` has been applied.
    func settle(through sequence: Int64) async {
        guard applied < sequence else { return }
        if catchingUp {
            await withCheckedContinuation { waiting.append((sequence, $0)) }
            return
        }
        catchingUp = true
        defer { catchingUp = false }
        while true {
            let events: [PublicEvent]
            do {
                events = try await store.publicEvents(after: applied)
            } catch {
                // The store could not be read: the events stay in it and the next write retries.
                logger.error("live updates are behind the store", metadata: ["error": "\(error)"])
                break
            }
            // A writer that committed while the last read ran is waiting for its events: read again.
            if events.isEmpty {
                if waiting.contains(where: { $0.through > applied }) { continue }
                break
            }
            for event in events { await apply(event) }
            applied = events.last!.sequence
            hub.broadcast(events)
            resumeWaiting()
        }
        // Only after a failed read can someone still wait: answer them rather than hang.
        resumeWaiting(all: true)
    }

    private func resumeWaiting(all: Bool = false) {
        let ready = waiting.filter { all || $0.through <= applied }
        waiting.removeAll { all || $0.through <= applied }
        for entry in ready { entry.continuation.resume() }
    }

    private func apply(_ event: PublicEvent) async {
        do {
            if let status = event.status {
                // A facility is in one routing at most; designated shelters are in none.
                for routing in routings
                where await routing.snapshot.centres.contains(where: { $0.facility.id == status.facilityID }) {
                    try await routing.record(status)
                    live.replace([try FeatureCatalogue.statusCollection(await routing.snapshot)])
                }
            } else if let id = event.reportID {
                guard let report = try await store.report(id: id) else { return }
                if report.state == .published {
                    published[id] = report
                    await close(report)
                } else {
                    published.removeValue(forKey: id)
                    closedRoads.removeValue(forKey: id)
                    for routing in routings { await routing.reopen(named: id) }
                }
                live.replace([
                    try FeatureCatalogue.reportCollection(published.values.sorted { $0.receivedAt < $1.receivedAt })
                ])
            } else {
                logger.warning("a public event this daemon cannot read", metadata: ["type": "\(event.type)"])
            }
        } catch {
            logger.error(
                "a public event could not be applied", metadata: ["sequence": "\(event.sequence)", "error": "\(error)"])
        }
    }

    /// Closes the roads of a published blocked-road report.
    private func close(_ report: DamageReport) async {
        guard report.kind == .roadBlocked else { return }
        let edges = await routing.snapshot.edgesBlocked(at: report.position, along: report.road)
        closedRoads[report.id] = edges.count
        guard !edges.isEmpty else {
            logger.notice(
                "a published blocked road is not near any road of the network", metadata: ["report": "\(report.id)"])
            return
        }
        do {
            for routing in routings { try await routing.close(edges: edges, named: report.id) }
        } catch {
            logger.error("closing a published road failed", metadata: ["report": "\(report.id)", "error": "\(error)"])
        }
    }
}
