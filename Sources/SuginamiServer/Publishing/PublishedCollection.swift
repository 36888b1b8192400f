import Foundation
import SuginamiGIS

/// A collection of features as OGC API – Features serves it, with its metadata.
public struct PublishedCollection: Sendable {
    /// The collection id in paths (`relief_centres`).
    public let id: String
    /// A short title.
    public let title: String
    /// What the features are and where they come from.
    public let description: String
    /// The credit line the data's licence asks for (出典), shown with every page.
    public let attribution: String?
    /// The features, in a stable order (the order pages are cut from).
    public let features: [PublishedFeature]
    /// The union of the features' bounds (CRS84).
    public let extent: BoundingBox?
    /// The first and last feature times, when the features have times.
    public let temporalExtent: ClosedRange<Date>?
    private let positions: [String: Int]

    /// A collection of `features`.
    /// - Throws: ``PublishingError`` when two features share an id.
    public init(
        id: String, title: String, description: String, attribution: String?, features: [PublishedFeature]
    ) throws(PublishingError) {
        self.id = id
        self.title = title
        self.description = description
        self.attribution = attribution
        self.features = features
        var positions: [String: Int] = [:]
        for (position, feature) in features.enumerated() {
            guard positions.updateValue(position, forKey: feature.id) == nil else {
                throw .duplicateID(feature.id, collection: id)
            }
        }
        self.positions = positions
        extent = features.dropFirst().reduce(features.first?.bounds) { $0?.union($1.bounds) }
        let times = features.compactMap(\.time)
        temporalExtent = times.min().flatMap { first in times.max().map { first...$0 } }
    }

    /// The feature with this id.
    public func feature(id: String) -> PublishedFeature? { positions[id].map { features[$0] } }
}
