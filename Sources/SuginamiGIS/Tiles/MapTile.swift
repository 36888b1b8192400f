#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import SuginamiKit

/// A Web Mercator map tile (EPSG:3857, the XYZ scheme of OpenStreetMap and 地理院タイル): zoom `z`,
/// column `x` from the antimeridian eastwards, row `y` from the north.
public struct MapTile: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Zoom level, 0…30.
    public let z: Int
    /// Column, 0 ..< 2^z.
    public let x: Int
    /// Row, 0 ..< 2^z, counted from the north.
    public let y: Int

    /// The highest zoom the type accepts (tiles of about 4 cm).
    public static let maximumZoom = 30
    /// Web Mercator's latitude limit, where the square world ends: atan(sinh π).
    public static let maximumLatitude = atan(sinh(Double.pi)) * 180 / .pi

    /// A tile by its numbers.
    /// - Throws: ``MapTileError`` when the zoom or a coordinate is out of range.
    public init(z: Int, x: Int, y: Int) throws(MapTileError) {
        guard (0...Self.maximumZoom).contains(z) else { throw .zoomOutOfRange(z) }
        let count = 1 << z
        guard (0..<count).contains(x), (0..<count).contains(y) else { throw .tileOutOfRange(z: z, x: x, y: y) }
        self.z = z
        self.x = x
        self.y = y
    }

    /// The tile containing a point at a zoom.
    /// - Throws: ``MapTileError/latitudeBeyondMercator(_:)`` beyond ±85.0511°, where Web
    ///   Mercator has no tiles, and ``MapTileError/zoomOutOfRange(_:)``.
    public init(containing point: GeoPoint, zoom: Int) throws(MapTileError) {
        guard (0...Self.maximumZoom).contains(zoom) else { throw .zoomOutOfRange(zoom) }
        let pixel = try Self.worldPixel(of: point, zoom: zoom, tileSize: 1)
        let last = (1 << zoom) - 1
        // The east edge (180°) and the Mercator limit belong to the last tile.
        try self.init(z: zoom, x: min(Int(pixel.x), last), y: min(Int(pixel.y), last))
    }

    /// Position of a point in world pixels at a zoom: (0, 0) is the north-west corner of the
    /// world, `tileSize · 2^zoom` the south-east.
    public static func worldPixel(of point: GeoPoint, zoom: Int, tileSize: Int = 256) throws(MapTileError)
        -> (x: Double, y: Double)
    {
        guard abs(point.latitude) <= maximumLatitude else { throw .latitudeBeyondMercator(point.latitude) }
        let size = Double(tileSize) * Double(1 << zoom)
        let phi = point.latitude * .pi / 180
        let x = (point.longitude + 180) / 360 * size
        let y = (1 - asinh(tan(phi)) / .pi) / 2 * size
        return (x, y)
    }

    /// The position of a point inside this tile, in pixels from its north-west corner; values
    /// outside 0 ..< tileSize mean the point is off the tile.
    public func pixel(of point: GeoPoint, tileSize: Int = 256) throws(MapTileError) -> (x: Double, y: Double) {
        let world = try Self.worldPixel(of: point, zoom: z, tileSize: tileSize)
        return (world.x - Double(x * tileSize), world.y - Double(y * tileSize))
    }

    /// The tile's edges in degrees.
    public var bounds: BoundingBox {
        let count = Double(1 << z)
        func latitude(_ row: Int) -> Double { atan(sinh(.pi * (1 - 2 * Double(row) / count))) * 180 / .pi }
        // Within the world by construction.
        return
            (try? BoundingBox(
                minLatitude: latitude(y + 1), minLongitude: Double(x) / count * 360 - 180, maxLatitude: latitude(y),
                maxLongitude: Double(x + 1) / count * 360 - 180))!
    }

    /// The tile one zoom out, or `nil` at zoom 0.
    public var parent: MapTile? { z == 0 ? nil : try? MapTile(z: z - 1, x: x / 2, y: y / 2) }

    /// The four tiles one zoom in (north-west, north-east, south-west, south-east).
    public var children: [MapTile] {
        guard z < Self.maximumZoom else { return [] }
        return [(0, 0), (1, 0), (0, 1), (1, 1)].compactMap { try? MapTile(z: z + 1, x: 2 * x + $0.0, y: 2 * y + $0.1) }
    }

    /// `z/x/y`, as in tile URLs.
    public var description: String { "\(z)/\(x)/\(y)" }
}

/// Why a tile or a tile position was refused.
public enum MapTileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Zoom outside 0…30.
    case zoomOutOfRange(Int)
    /// A column or row outside 0 ..< 2^z.
    case tileOutOfRange(z: Int, x: Int, y: Int)
    /// A latitude beyond Web Mercator's ±85.0511°.
    case latitudeBeyondMercator(Double)

    /// A sentence saying what is wrong.
    public var description: String {
        switch self {
        case .zoomOutOfRange(let z): "zoom \(z) is outside 0…\(MapTile.maximumZoom)"
        case .tileOutOfRange(let z, let x, let y):
            "tile \(z)/\(x)/\(y) does not exist (x and y run 0..<\(1 << max(0, min(z, 30))))"
        case .latitudeBeyondMercator(let latitude): "latitude \(latitude) is beyond Web Mercator's ±85.0511°"
        }
    }
}
