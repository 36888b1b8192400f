import Foundation
import NIOConcurrencyHelpers

/// A token bucket per client: `perMinute` requests a minute on average, in bursts of up to
/// `burst`. Clients idle long enough to have a full bucket are forgotten, which bounds memory.
final class RateLimiter: Sendable {
    let perMinute: Int
    let burst: Int
    private let buckets = NIOLockedValueBox<[String: (tokens: Double, time: TimeInterval)]>([:])

    init(perMinute: Int) {
        self.perMinute = perMinute
        burst = max(1, perMinute / 3)
    }

    /// Takes one request from `client`'s bucket.
    /// - Returns: nil when allowed, or the whole seconds until the next request would be.
    func take(_ client: String, now: TimeInterval = ProcessInfo.processInfo.systemUptime) -> Int? {
        let rate = Double(perMinute) / 60
        return buckets.withLockedValue { buckets in
            if buckets.count > 100_000 {
                // Forget every client whose bucket has refilled.
                buckets = buckets.filter { ($0.value.tokens + (now - $0.value.time) * rate) < Double(burst) }
            }
            var (tokens, time) = buckets[client] ?? (Double(burst), now)
            tokens = min(Double(burst), tokens + (now - time) * rate)
            time = now
            guard tokens >= 1 else {
                buckets[client] = (tokens, time)
                return max(1, Int(((1 - tokens) / rate).rounded(.up)))
            }
            buckets[client] = (tokens - 1, time)
            return nil
        }
    }
}
