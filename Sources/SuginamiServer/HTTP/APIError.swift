import Foundation
import Hummingbird
import SuginamiGIS

/// An answer that is not the resource asked for: a bad parameter or body (400), no or a bad
/// token (401), a token that may not do this (403), an unknown resource (404), a state that
/// does not allow it (409), a request that cannot be met (422), too many requests (429), or a
/// server that is not ready (503).
///
/// The body is the OGC API exception form, `{"code": …, "description": …}`, in JSON: every
/// client we serve reads JSON, and the description says which parameter and why.
public enum APIError: Error, Sendable, Equatable, HTTPResponseError {
    /// A query parameter with a value the API does not accept.
    case invalidParameter(String, String)
    /// A query parameter the endpoint does not know.
    case unknownParameter(String)
    /// A path that names no resource.
    case notFound(String)
    /// A well-formed request the data cannot answer (no route from there, no open centre).
    case cannotAnswer(String)
    /// The server cannot answer now.
    case unavailable(String)
    /// A request body or header that is not what the endpoint takes.
    case badRequest(String)
    /// No token, or (`invalidToken`) one that is malformed, unknown or revoked (RFC 6750).
    case unauthorized(String, invalidToken: Bool = false)
    /// The token may not do this.
    case forbidden(String)
    /// The resource is not in a state that allows this.
    case conflict(String)
    /// The client sent more than its share; it may try again after `retryAfter` seconds.
    case tooManyRequests(String, retryAfter: Int)
    /// The database cannot be reached now; nothing was changed, the client may try again after
    /// `retryAfter` seconds.
    case storeUnavailable(String, retryAfter: Int)
    /// The database has no room left to write; nothing was changed.
    case insufficientStorage(String)

    /// The HTTP status.
    public var status: HTTPResponse.Status {
        switch self {
        case .invalidParameter, .unknownParameter: .badRequest
        case .notFound: .notFound
        case .cannotAnswer: .unprocessableContent
        case .unavailable: .serviceUnavailable
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .conflict: .conflict
        case .tooManyRequests: .tooManyRequests
        case .storeUnavailable: .serviceUnavailable
        case .insufficientStorage: .init(code: 507, reasonPhrase: "Insufficient Storage")
        }
    }

    /// The OGC exception code and the sentence for people.
    public var codeAndDescription: (code: String, description: String) {
        switch self {
        case .invalidParameter(let name, let reason): ("InvalidParameterValue", "\(name): \(reason)")
        case .unknownParameter(let name):
            (
                "InvalidParameterValue",
                "unknown query parameter \(name.prefix(100)) (the API description at /api lists them)"
            )
        case .notFound(let what): ("NotFound", what)
        case .cannotAnswer(let why): ("NoApplicableCode", why)
        case .unavailable(let why): ("ServiceUnavailable", why)
        case .badRequest(let why): ("InvalidRequest", why)
        case .unauthorized(let why, _): ("Unauthorized", why)
        case .forbidden(let why): ("Forbidden", why)
        case .conflict(let why): ("Conflict", why)
        case .tooManyRequests(let why, _): ("TooManyRequests", why)
        case .storeUnavailable(let why, _): ("ServiceUnavailable", why)
        case .insufficientStorage(let why): ("InsufficientStorage", why)
        }
    }

    /// The error as a response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let (code, description) = codeAndDescription
        let body = JSONValue.object([("code", .string(code)), ("description", .string(description))]).serialized()
        var headers: HTTPFields = [.contentType: "application/json", .cacheControl: "no-store"]
        switch self {
        case .unauthorized(_, let invalidToken):
            headers[.wwwAuthenticate] = #"Bearer realm="refd""# + (invalidToken ? #", error="invalid_token""# : "")
        case .forbidden: headers[.wwwAuthenticate] = #"Bearer realm="refd", error="insufficient_scope""#
        case .tooManyRequests(_, let seconds), .storeUnavailable(_, let seconds):
            headers[.retryAfter] = String(seconds)
        default: break
        }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
