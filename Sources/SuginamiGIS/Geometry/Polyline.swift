import SuginamiKit

/// A line through two or more points: a road, a route, a river bank.
public struct Polyline: Sendable, Hashable, Codable {
    /// The vertices in order.
    public let points: [GeoPoint]

    /// A polyline of at least two points.
    /// - Throws: `GeometryError.ringTooShort` (from SuginamiKit) for fewer than two points.
    public init(_ points: [GeoPoint]) throws(GeometryError) {
        guard points.count >= 2 else { throw .ringTooShort(ring: 0, points: points.count) }
        self.points = points
    }

    /// For point lists already known to hold two or more points (the ends are always kept).
    private init(validated points: [GeoPoint]) { self.points = points }

    /// The length on the ellipsoid in metres.
    public var length: Double { Geodesic.grs80.length(of: points) }

    /// The point of the line nearest to `point`, measured on a local plane at `point`.
    public func nearestPoint(to point: GeoPoint) -> SegmentProjection {
        let plane = LocalPlane(origin: point)
        var best: SegmentProjection?
        for index in 0..<(points.count - 1) {
            let candidate = SegmentProjection.project(
                point, ontoSegmentFrom: points[index], to: points[index + 1], plane: plane)
            if best.map({ candidate.distance < $0.distance }) ?? true {
                var found = candidate
                found.segment = index
                best = found
            }
        }
        // A polyline has at least one segment.
        return best!
    }

    /// The line simplified by Douglas–Peucker: every removed vertex lies within `tolerance`
    /// metres of the result. The first and last points are always kept.
    public func simplified(tolerance: Double) -> Polyline {
        guard tolerance > 0, points.count > 2 else { return self }
        let plane = LocalPlane(origin: points[0])
        var keep = [Bool](repeating: false, count: points.count)
        keep[0] = true
        keep[points.count - 1] = true
        var stack = [(0, points.count - 1)]
        while let (first, last) = stack.popLast() {
            guard last > first + 1 else { continue }
            var farthest = first
            var farthestDistance = -1.0
            for index in (first + 1)..<last {
                let distance =
                    SegmentProjection.project(
                        points[index], ontoSegmentFrom: points[first], to: points[last], plane: plane
                    )
                    .distance
                if distance > farthestDistance {
                    farthestDistance = distance
                    farthest = index
                }
            }
            if farthestDistance > tolerance {
                keep[farthest] = true
                stack.append((first, farthest))
                stack.append((farthest, last))
            }
        }
        return Polyline(validated: points.indices.filter { keep[$0] }.map { points[$0] })
    }
}

/// Where a point falls when dropped onto a segment.
public struct SegmentProjection: Sendable, Hashable {
    /// The nearest point on the segment.
    public var point: GeoPoint
    /// Distance from the query point in metres (local plane).
    public var distance: Double
    /// Position along the segment: 0 at its start, 1 at its end.
    public var fraction: Double
    /// The segment's index in its polyline (0 for a lone segment).
    public var segment: Int

    /// Drops `point` onto the segment `start`–`end` on the given local plane.
    public static func project(_ point: GeoPoint, ontoSegmentFrom start: GeoPoint, to end: GeoPoint, plane: LocalPlane)
        -> SegmentProjection
    {
        let (squared, t) = PlaneSegment(start: plane.project(start), end: plane.project(end))
            .foot(of: plane.project(point))
        let distance = squared.squareRoot()
        return SegmentProjection(
            point: start.interpolated(to: end, fraction: t), distance: distance, fraction: t, segment: 0)
    }
}

/// A straight segment on a local plane (east, north metres): the arithmetic of
/// ``SegmentProjection``, kept apart so that an index can store segments already projected.
struct PlaneSegment: Sendable {
    var startEast: Double
    var startNorth: Double
    var endEast: Double
    var endNorth: Double

    init(start: (east: Double, north: Double), end: (east: Double, north: Double)) {
        (startEast, startNorth, endEast, endNorth) = (start.east, start.north, end.east, end.north)
    }

    /// The squared distance from `point` to its foot on the segment, and where the foot falls
    /// (0 at the start, 1 at the end).
    @inline(__always) func foot(of point: (east: Double, north: Double)) -> (squared: Double, fraction: Double) {
        let dx = endEast - startEast
        let dy = endNorth - startNorth
        let lengthSquared = dx * dx + dy * dy
        let t =
            lengthSquared > 0
            ? min(1, max(0, ((point.east - startEast) * dx + (point.north - startNorth) * dy) / lengthSquared)) : 0
        let east = point.east - (startEast + t * dx)
        let north = point.north - (startNorth + t * dy)
        return (east * east + north * north, t)
    }
}
