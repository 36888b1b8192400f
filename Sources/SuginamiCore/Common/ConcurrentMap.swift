import Dispatch
import Synchronization

/// `body(0) … body(count - 1)` on every core, the results in order; if any call throws, the
/// error of the lowest index is rethrown (so a failure names the same place every run). A body
/// that cannot throw makes a map that cannot.
///
/// `body` must be safe to call from several threads at once: it may read shared values but not
/// change them. That is what lets it capture what Swift cannot prove `Sendable` (a decoder's
/// generic element type, a class only read): each result is new, made by one call, and handed
/// back only once every call has returned (`concurrentPerform` returns only then).
package func concurrentMap<Value, Failure: Error>(
    _ count: Int, _ body: (Int) throws(Failure) -> Value
) throws(Failure) -> [Value] {
    let slots = withoutActuallyEscaping(body) { body in
        let work = UncheckedWork(body: body)
        let slots = Mutex([UncheckedResult<Value, Failure>?](repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let result = UncheckedResult(result: Result { () throws(Failure) -> Value in try work.body(index) })
            slots.withLock { $0[index] = result }
        }
        return slots.withLock { $0 }
    }
    var values: [Value] = []
    values.reserveCapacity(count)
    for slot in slots { values.append(try slot!.result.get()) }
    return values
}

/// The body, read by every thread (see ``concurrentMap(_:_:)`` for why this is sound).
private struct UncheckedWork<Value, Failure: Error>: @unchecked Sendable {
    let body: (Int) throws(Failure) -> Value
}

/// One call's result, handed back after every call has returned.
private struct UncheckedResult<Value, Failure: Error>: @unchecked Sendable {
    let result: Result<Value, Failure>
}
