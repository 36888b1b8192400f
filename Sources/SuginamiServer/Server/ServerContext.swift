import Hummingbird
import HummingbirdAuth
import NIOCore
import SuginamiKit

/// What every request of the daemon carries besides itself: the token holder, once the
/// ``BearerAuthenticator`` has found one, and the client's address (rate limits, audit log).
public struct ServerContext: AuthRequestContext, RemoteAddressRequestContext {
    /// Hummingbird's own per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The holder of the request's bearer token, if it had a valid one.
    public var identity: Principal?
    /// The connected client.
    public let remoteAddress: SocketAddress?

    /// The context of a request on `source`'s channel.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Request bodies larger than this are refused (413) before they are read: a report is text,
    /// well under 64 KiB.
    public var maxUploadSize: Int { 64 * 1024 }

    /// The client's address as the audit log writes it (`127.0.0.1`), or `unknown`.
    var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }

    /// The token holder.
    /// - Throws: ``APIError/unauthorized(_:)`` when the request had no token.
    func principal() throws(APIError) -> Principal {
        guard let identity else {
            throw .unauthorized("this needs a bearer token (Authorization: Bearer sgk_…); ask the ward's admin for one")
        }
        return identity
    }

    /// The audit log's actor for this request.
    func actor() throws(APIError) -> Actor { .principal(try principal(), from: clientAddress) }
}
