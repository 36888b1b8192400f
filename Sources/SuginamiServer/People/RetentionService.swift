import Foundation
import Logging
import ServiceLifecycle
import SuginamiKit

/// Deletes personal data whose retention has ended while the daemon runs: the people of the
/// roster (with their safety reports) and the households of the register (with their
/// certificates, requests and applications), at start and then every ``interval``. Each
/// deletion is one audit entry in the store. `refd people expire` and `refd recovery expire` do
/// the same for a store no daemon serves.
struct RetentionService: Service {
    let store: any SuginamiDatabase
    let interval: Duration
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while true {
                await expire()
                try await Task.sleep(for: interval)
            }
        }
    }

    func expire() async {
        do {
            let actor = Actor.localTool("refd serve: retention")
            let people = try await store.deleteExpiredPeople(now: Date(), by: actor)
            let households = try await store.deleteExpiredHouseholds(now: Date(), by: actor)
            if !people.isEmpty || !households.isEmpty {
                logger.notice(
                    "deleted personal data whose retention ended",
                    metadata: ["people": "\(people.count)", "households": "\(households.count)"])
            }
        } catch {
            // The store could not be written now: the next round tries again.
            logger.error("retention: deletion failed", metadata: ["error": "\(error)"])
        }
    }
}
