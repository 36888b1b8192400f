import Foundation
import SuginamiServer
import SuginamiTestSupport

/// A value made once, on first use, by whichever test asks first; the others wait for that
/// making (the in-process daemons the suites share).
actor MadeOnce<Value: Sendable> {
    private var making: Task<Value, any Error>?

    /// The value, making it with `make` on the first call.
    func value(_ make: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let making { return try await making.value }
        let task = Task { try await make() }
        making = task
        return try await task.value
    }
}

extension ReferenceServer {
    /// Runs the server in the background until the test process ends, and returns the base URL
    /// once its socket is bound.
    func startInBackground() async throws -> String {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        Task { try await run(gracefulShutdownSignals: []) { base in continuation.yield(base) } }
        var iterator = stream.makeAsyncIterator()
        guard let base = await iterator.next() else { throw ProgramFailure(description: "the server did not start") }
        return base
    }
}

/// One row of a role × endpoint table: the endpoint, the status each role must get (in the
/// table's order of roles), and the call made with a role's token.
struct EndpointExpectation: Sendable {
    let endpoint: String
    let expected: [Int]
    let call: @Sendable (String?) async throws -> HTTP.Answer

    init(_ endpoint: String, _ expected: [Int], _ call: @escaping @Sendable (String?) async throws -> HTTP.Answer) {
        self.endpoint = endpoint
        self.expected = expected
        self.call = call
    }

    /// Calls every row as every role and lists each answer whose status is not the one
    /// expected; `inspect` sees every answer too (for headers a status implies).
    static func mismatches(
        _ rows: [EndpointExpectation], roles: [(name: String, token: String?)],
        inspect: (_ endpoint: String, HTTP.Answer) -> Void = { _, _ in }
    ) async throws -> [String] {
        var mismatches: [String] = []
        for row in rows {
            for (index, role) in roles.enumerated() {
                let answer = try await row.call(role.token)
                if answer.status != row.expected[index] {
                    mismatches.append(
                        "\(row.endpoint) as \(role.name): \(answer.status), expected \(row.expected[index]) "
                            + answer.text.prefix(160))
                }
                inspect(row.endpoint, answer)
            }
        }
        return mismatches
    }
}
