import Hummingbird
import HummingbirdAuth
import SuginamiKit

/// Finds the holder of a request's bearer token (RFC 6750) in the store, by the SHA-256 of
/// the secret, on every request: a revoked token stops working at once. A request without a
/// token goes on without an identity (reading published data needs none); a malformed
/// `Authorization` or an unknown or revoked token is refused with 401 here.
struct BearerAuthenticator: AuthenticatorMiddleware {
    typealias Context = ServerContext
    let store: any SuginamiDatabase

    func authenticate(request: Request, context: ServerContext) async throws -> Principal? {
        let values = request.headers[values: .authorization]
        guard !values.isEmpty else { return nil }
        guard values.count == 1 else { throw APIError.badRequest("send one Authorization header, not \(values.count)") }
        guard let bearer = request.headers.bearer else {
            throw APIError.unauthorized("Authorization must be `Bearer <token>`", invalidToken: true)
        }
        let secret = bearer.token.trimmingCharacters(in: .whitespaces)
        guard secret.count <= 200, !secret.isEmpty, let principal = try await store.principal(forSecret: secret) else {
            throw APIError.unauthorized("the token is not known or was revoked", invalidToken: true)
        }
        return principal
    }
}
