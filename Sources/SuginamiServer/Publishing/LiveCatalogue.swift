import NIOConcurrencyHelpers

/// The catalogue the daemon serves now: collections replaced when a centre's status or the
/// published reports change, with the cached answers made from them forgotten in the same step,
/// so no answer made from the old data is served after the switch.
final class LiveCatalogue: Sendable {
    private let value: NIOLockedValueBox<FeatureCatalogue>
    private let cache: ResponseCache

    init(_ catalogue: FeatureCatalogue, cache: ResponseCache) {
        value = NIOLockedValueBox(catalogue)
        self.cache = cache
    }

    /// The catalogue now.
    var current: FeatureCatalogue { value.withLockedValue { $0 } }

    /// Puts `collections` in place of those with the same ids.
    func replace(_ collections: [PublishedCollection]) {
        value.withLockedValue { catalogue in
            catalogue = catalogue.replacing(collections)
            cache.removeEntries(of: Set(collections.map(\.id)))
        }
    }
}
