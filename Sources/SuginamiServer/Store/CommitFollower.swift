import Logging
import ServiceLifecycle
import SuginamiKit

/// Keeps this daemon's routes, live map and streams in step with what every daemon sharing the
/// store commits: each commit another process announces (``OperationsStore/followPublicEvents(_:)``:
/// PostgreSQL's notifications, or asking an SQLite file) is applied by the desk as its own
/// writes are, in commit order, once.
struct CommitFollower: Service {
    let store: any SuginamiDatabase
    let desk: OperationsDesk
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            try await store.followPublicEvents { sequence in
                await desk.settle(through: sequence)
            }
        }
    }
}
