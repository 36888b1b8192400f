import Foundation
import Hummingbird
import SuginamiGIS

/// An answer that is not the resource asked for: a bad parameter (400), an unknown resource
/// (404), a request that cannot be met (422), or a server that is not ready (503).
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

    /// The HTTP status.
    public var status: HTTPResponse.Status {
        switch self {
        case .invalidParameter, .unknownParameter: .badRequest
        case .notFound: .notFound
        case .cannotAnswer: .unprocessableContent
        case .unavailable: .serviceUnavailable
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
        }
    }

    /// The error as a response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let (code, description) = codeAndDescription
        let body = JSONValue.object([("code", .string(code)), ("description", .string(description))]).serialized()
        return Response(
            status: status,
            headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
