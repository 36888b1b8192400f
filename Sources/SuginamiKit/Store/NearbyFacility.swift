import Foundation

/// A facility found by a nearest-neighbour query, with its distance.
public struct NearbyFacility: Sendable, Hashable {
    /// The facility.
    public var facility: Facility
    /// Great-circle distance from the query point, in metres.
    public var distance: Double

    package init(facility: Facility, distance: Double) {
        self.facility = facility
        self.distance = distance
    }
}

/// A latitude/longitude window around a point that contains the circle of the given radius.
package struct SearchWindow {
    package var minLatitude: Double
    package var maxLatitude: Double
    package var minLongitude: Double
    package var maxLongitude: Double

    package init(minLatitude: Double, maxLatitude: Double, minLongitude: Double, maxLongitude: Double) {
        self.minLatitude = minLatitude
        self.maxLatitude = maxLatitude
        self.minLongitude = minLongitude
        self.maxLongitude = maxLongitude
    }

    package init(around point: GeoPoint, radius: Double) {
        let degreesPerMetre = 180 / (Double.pi * GeoPoint.meanEarthRadius)
        let deltaLatitude = radius * degreesPerMetre
        let edgeLatitude = min(90, abs(point.latitude) + deltaLatitude)
        let deltaLongitude = edgeLatitude >= 90 ? 360 : deltaLatitude / cos(edgeLatitude * Double.pi / 180)
        self.init(
            minLatitude: point.latitude - deltaLatitude, maxLatitude: point.latitude + deltaLatitude,
            minLongitude: point.longitude - deltaLongitude, maxLongitude: point.longitude + deltaLongitude)
    }

    package static let wholeGlobe = SearchWindow(
        minLatitude: -90, maxLatitude: 90, minLongitude: -180, maxLongitude: 180)

    /// Whether the window reaches past ±90° latitude or ±180° longitude.
    package var leavesTheGlobe: Bool {
        minLatitude < -90 || maxLatitude > 90 || minLongitude < -180 || maxLongitude > 180
    }
}
