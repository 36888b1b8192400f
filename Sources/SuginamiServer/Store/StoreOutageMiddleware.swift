import Hummingbird
import SuginamiKit

/// Turns the store's "cannot now" into answers a client can act on, wherever a request met it:
/// a database that cannot be reached (restarting, failed over, overloaded) is 503 with
/// `Retry-After`, so that a relief centre's app retries instead of waiting on a hang; a
/// database with no room to write is 507 saying so. Nothing was changed in either case.
struct StoreOutageMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Seconds a client should wait before trying again.
    static var retryAfter: Int { 5 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as StoreError {
            switch error {
            case .unavailable, .busy:
                throw APIError.storeUnavailable(error.description, retryAfter: Self.retryAfter)
            case .storageFull: throw APIError.insufficientStorage(error.description)
            default: throw error
            }
        }
    }
}
