import Foundation

/// Runs `work` on a thread of its own and waits for it without holding a thread of Swift's
/// cooperative pool: for reads that take seconds (a large OpenStreetMap file), so that a
/// caller's other tasks keep running meanwhile.
package func runOffCooperativePool<Value: Sendable, Failure: Error>(
    _ work: @escaping @Sendable () throws(Failure) -> Value
) async throws(Failure) -> Value {
    let result: Result<Value, Failure> = await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: Result(catching: work)) }
        thread.stackSize = 16 << 20
        thread.start()
    }
    return try result.get()
}
