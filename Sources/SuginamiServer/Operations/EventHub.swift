import NIOConcurrencyHelpers
import SuginamiKit

/// Hands each public event, in commit order, to every open live stream (`GET /events`).
///
/// A stream that falls more than ``bufferLimit`` events behind (a client that stopped reading)
/// is ended rather than allowed to hold memory without bound; its client reconnects with
/// `Last-Event-ID` and is sent what it missed from the store.
final class EventHub: Sendable {
    static let bufferLimit = 4_096

    /// What a stream receives.
    enum Item: Sendable {
        /// A committed public event.
        case event(PublicEvent)
        /// Time to send a keep-alive comment.
        case keepAlive
    }

    private let state = NIOLockedValueBox<(next: Int, streams: [Int: AsyncStream<Item>.Continuation])>((0, [:]))

    /// A new stream of the events broadcast from now on, and the id that ends it.
    func subscribe() -> (id: Int, events: AsyncStream<Item>) {
        let (stream, continuation) = AsyncStream.makeStream(
            of: Item.self, bufferingPolicy: .bufferingOldest(Self.bufferLimit))
        let id = state.withLockedValue { state in
            state.next += 1
            state.streams[state.next] = continuation
            return state.next
        }
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(id) }
        return (id, stream)
    }

    /// Ends a stream.
    func unsubscribe(_ id: Int) {
        state.withLockedValue { $0.streams.removeValue(forKey: id) }?.finish()
    }

    /// Sends `events` to every stream, ending those that are too far behind.
    func broadcast(_ events: [PublicEvent]) {
        guard !events.isEmpty else { return }
        let streams = state.withLockedValue { $0.streams }
        for (id, stream) in streams {
            for event in events {
                if case .dropped = stream.yield(.event(event)) {
                    unsubscribe(id)
                    break
                }
            }
        }
    }

    /// Asks every stream to send a keep-alive comment.
    func keepAlive() {
        for stream in state.withLockedValue({ $0.streams.values }) { stream.yield(.keepAlive) }
    }

    /// Ends every stream (the server is stopping).
    func finishAll() {
        let streams = state.withLockedValue { state in
            defer { state.streams = [:] }
            return state.streams
        }
        for stream in streams.values { stream.finish() }
    }

    /// Streams open now.
    var count: Int { state.withLockedValue { $0.streams.count } }
}
