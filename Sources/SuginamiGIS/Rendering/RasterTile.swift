import Foundation

/// A PNG map tile (Web Mercator, XYZ) of polygons coloured by a value: the hazard layers of the
/// daemon for clients that draw raster tiles only.
///
/// Polygons are filled by the even–odd rule with a colour-blind-safe ``ColorScale``, slightly
/// transparent so that a base map shows through; the rest of the tile is transparent.
public struct RasterTile: Sendable {
    /// One polygon (rings of longitude, latitude; the first the exterior) and its value.
    public struct Shape: Sendable {
        /// The rings, each a closed or open list of positions.
        public var rings: [[GeoPoint]]
        /// The value the colour shows.
        public var value: Double

        /// A shape.
        public init(rings: [[GeoPoint]], value: Double) {
            self.rings = rings
            self.value = value
        }
    }

    /// The tile.
    public let tile: MapTile
    /// Pixels per side.
    public let size: Int

    /// A renderer for one tile.
    public init(tile: MapTile, size: Int = 256) {
        self.tile = tile
        self.size = size
    }

    /// The PNG, or nil when no shape touches the tile.
    /// - Parameters:
    ///   - shapes: the polygons with their values.
    ///   - domain: the values mapped to the ends of the scale (values outside are clamped).
    ///   - scale: the colour scale.
    /// - Throws: ``PNGEncoder/Failure`` only if encoding fails.
    public func png(_ shapes: [Shape], domain: ClosedRange<Double>, scale: ColorScale = .viridis) throws(PNGEncoder
        .Failure)
        -> Data?
    {
        var canvas = Canvas(width: size, height: size, background: RGBA(0, 0, 0, 0))
        var drawn = false
        let span = domain.upperBound - domain.lowerBound
        for shape in shapes {
            let rings = shape.rings.map { ring in
                ring.compactMap { point -> (x: Double, y: Double)? in
                    try? tile.pixel(of: point, tileSize: size)
                }
            }
            let xs = rings.flatMap { $0.map(\.x) }
            let ys = rings.flatMap { $0.map(\.y) }
            guard let left = xs.min(), let right = xs.max(), let top = ys.min(), let bottom = ys.max(),
                right >= 0, left < Double(size), bottom >= 0, top < Double(size)
            else { continue }
            var color = scale.color(span > 0 ? (shape.value - domain.lowerBound) / span : 0)
            color.a = 200
            canvas.fill(rings: rings, color: color)
            drawn = true
        }
        guard drawn else { return nil }
        return try PNGEncoder.encode(width: size, height: size, rgba: canvas.pixels)
    }
}
