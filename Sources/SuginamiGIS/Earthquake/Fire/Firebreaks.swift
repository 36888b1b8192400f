import Foundation
import SuginamiKit

/// Lines no fire link may cross: wide roads, rivers, green belts (延焼遮断帯). A link between
/// two buildings is cut when the segment between their centres crosses one.
public struct Firebreaks: Sendable {
    /// Segments in the local plane, metres: (x0, y0, x1, y1).
    let segments: [(Double, Double, Double, Double)]
    /// Grid of segment indices, cell side `cell` metres.
    private let grid: [Int64: [Int32]]
    private let cell: Double
    /// Where each line came from, for provenance.
    public let description: String

    /// No firebreaks.
    public init() {
        segments = []
        grid = [:]
        cell = 1
        description = "none"
    }

    /// Firebreaks from lines, in `plane`.
    public init(lines: [[GeoPoint]], in plane: LocalPlane, description: String) {
        var segments: [(Double, Double, Double, Double)] = []
        for line in lines {
            let points = line.map { plane.project($0) }
            for (a, b) in zip(points, points.dropFirst()) { segments.append((a.east, a.north, b.east, b.north)) }
        }
        let cell = 100.0
        var grid: [Int64: [Int32]] = [:]
        for (index, segment) in segments.enumerated() {
            let x0 = Int((min(segment.0, segment.2) / cell).rounded(.down))
            let x1 = Int((max(segment.0, segment.2) / cell).rounded(.down))
            let y0 = Int((min(segment.1, segment.3) / cell).rounded(.down))
            let y1 = Int((max(segment.1, segment.3) / cell).rounded(.down))
            for x in x0...x1 {
                for y in y0...y1 {
                    grid[Int64(x) << 32 | Int64(UInt32(bitPattern: Int32(y))), default: []].append(Int32(index))
                }
            }
        }
        self.segments = segments
        self.grid = grid
        self.cell = cell
        self.description = description
    }

    /// The lines of the `LineString` / `MultiLineString` features of a GeoJSON file.
    /// - Throws: ``FireInputError`` naming the file and feature; a file without lines.
    public static func lines(geoJSON data: Data, file: String) throws(FireInputError) -> [[GeoPoint]] {
        var lines: [[GeoPoint]] = []
        do {
            for feature in try GeoJSON.features(in: data, file: file) {
                do {
                    lines += try GeoJSON.lines(feature.geometry)
                } catch {
                    throw FireInputError(
                        source: file, field: "features[\(feature.index)].geometry", reason: error.reason)
                }
            }
        } catch let error as FireInputError {
            throw error
        } catch {
            throw FireInputError(source: file, reason: "\(error)")
        }
        guard !lines.isEmpty else { throw FireInputError(source: file, reason: "no LineString features") }
        return lines
    }

    /// Whether there are none.
    public var isEmpty: Bool { segments.isEmpty }

    /// Whether the segment from (ax, ay) to (bx, by) crosses a firebreak.
    func cuts(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double) -> Bool {
        let x0 = Int((min(ax, bx) / cell).rounded(.down))
        let x1 = Int((max(ax, bx) / cell).rounded(.down))
        let y0 = Int((min(ay, by) / cell).rounded(.down))
        let y1 = Int((max(ay, by) / cell).rounded(.down))
        for x in x0...x1 {
            for y in y0...y1 {
                guard let indices = grid[Int64(x) << 32 | Int64(UInt32(bitPattern: Int32(y)))] else { continue }
                for index in indices {
                    let s = segments[Int(index)]
                    if Self.intersects(ax, ay, bx, by, s.0, s.1, s.2, s.3) { return true }
                }
            }
        }
        return false
    }

    /// Whether two segments meet (crossing, touching, or overlapping when collinear).
    static func intersects(
        _ ax: Double, _ ay: Double, _ bx: Double, _ by: Double, _ cx: Double, _ cy: Double, _ dx: Double, _ dy: Double
    ) -> Bool {
        func orientation(_ px: Double, _ py: Double, _ qx: Double, _ qy: Double, _ rx: Double, _ ry: Double) -> Double {
            (qx - px) * (ry - py) - (qy - py) * (rx - px)
        }
        // r lies within the bounding box of p–q (used when the three are collinear).
        func within(_ px: Double, _ py: Double, _ qx: Double, _ qy: Double, _ rx: Double, _ ry: Double) -> Bool {
            min(px, qx) <= rx && rx <= max(px, qx) && min(py, qy) <= ry && ry <= max(py, qy)
        }
        let d1 = orientation(cx, cy, dx, dy, ax, ay)
        let d2 = orientation(cx, cy, dx, dy, bx, by)
        let d3 = orientation(ax, ay, bx, by, cx, cy)
        let d4 = orientation(ax, ay, bx, by, dx, dy)
        if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) { return true }
        return (d1 == 0 && within(cx, cy, dx, dy, ax, ay)) || (d2 == 0 && within(cx, cy, dx, dy, bx, by))
            || (d3 == 0 && within(ax, ay, bx, by, cx, cy)) || (d4 == 0 && within(ax, ay, bx, by, dx, dy))
    }
}
