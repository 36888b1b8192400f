import Foundation

/// Mapbox Vector Tile 2.1 encoding of GeoJSON features: one tile, one layer.
///
/// Written by hand over the spec's few protobuf messages (varints, zigzag, packed fields)
/// because generating them with swift-protobuf would add its compiler plugin to every build
/// (about 9.5 minutes on the project's 2-core machines) for four messages.
///
/// Positions are projected to Web Mercator tile units (``extent`` per side, y down from the
/// north-west corner); exterior rings are written clockwise on screen and holes anticlockwise
/// (the spec's winding), closing points dropped, repeated points merged; a geometry that
/// collapses to nothing at this zoom is left out. Properties become tags: strings, numbers
/// (whole ones as `sint64`, others as `double`) and booleans as they are; objects and arrays as
/// their JSON text; nulls left out.
public struct VectorTile: Sendable {
    /// A feature to encode.
    public struct Feature: Sendable {
        /// The MVT id (an unsigned integer; keep a string id among the properties).
        public var id: UInt64
        /// A GeoJSON geometry in longitude, latitude.
        public var geometry: JSONValue
        /// The properties, in order.
        public var properties: [(key: String, value: JSONValue)]

        /// A feature.
        public init(id: UInt64, geometry: JSONValue, properties: [(key: String, value: JSONValue)]) {
            self.id = id
            self.geometry = geometry
            self.properties = properties
        }
    }

    /// The tile.
    public let tile: MapTile
    /// Units per tile side (4096, the norm).
    public let extent: Int

    /// An encoder for one tile.
    public init(tile: MapTile, extent: Int = 4096) {
        self.tile = tile
        self.extent = extent
    }

    /// The tile's bytes with one layer of `features`, or nil when no feature has a geometry
    /// at this zoom (an empty tile).
    public func encode(layer name: String, features: [Feature]) -> [UInt8]? {
        var keys: [String] = []
        var keyIndex: [String: Int] = [:]
        var values: [[UInt8]] = []
        var valueIndex: [[UInt8]: Int] = [:]
        var encodedFeatures: [[UInt8]] = []
        for feature in features {
            guard let (type, commands) = geometry(feature.geometry), !commands.isEmpty else { continue }
            var tags: [UInt32] = []
            for (key, value) in feature.properties {
                guard let encodedValue = Self.value(value) else { continue }
                let k =
                    keyIndex[key]
                    ?? {
                        keys.append(key); keyIndex[key] = keys.count - 1; return keys.count - 1
                    }()
                let v =
                    valueIndex[encodedValue]
                    ?? {
                        values.append(encodedValue)
                        valueIndex[encodedValue] = values.count - 1
                        return values.count - 1
                    }()
                tags += [UInt32(k), UInt32(v)]
            }
            var bytes: [UInt8] = []
            Self.field(1, varint: feature.id, into: &bytes)
            Self.field(2, packed: tags.map(UInt64.init), into: &bytes)
            Self.field(3, varint: UInt64(type), into: &bytes)
            Self.field(4, packed: commands.map(UInt64.init), into: &bytes)
            encodedFeatures.append(bytes)
        }
        guard !encodedFeatures.isEmpty else { return nil }
        var layer: [UInt8] = []
        Self.field(15, varint: 2, into: &layer)
        Self.field(1, bytes: Array(name.utf8), into: &layer)
        for feature in encodedFeatures { Self.field(2, bytes: feature, into: &layer) }
        for key in keys { Self.field(3, bytes: Array(key.utf8), into: &layer) }
        for value in values { Self.field(4, bytes: value, into: &layer) }
        Self.field(5, varint: UInt64(extent), into: &layer)
        var tileBytes: [UInt8] = []
        Self.field(3, bytes: layer, into: &tileBytes)
        return tileBytes
    }

    // MARK: - Geometry

    /// Tile units of a position, or nil beyond Web Mercator.
    func units(_ position: JSONValue) -> (Int, Int)? {
        guard case .array(let items) = position, items.count >= 2, case .number(let longitude) = items[0],
            case .number(let latitude) = items[1], abs(latitude) <= MapTile.maximumLatitude, longitude.isFinite
        else { return nil }
        let size = Double(extent) * Double(1 << tile.z)
        let x = (longitude + 180) / 360 * size - Double(tile.x * extent)
        let y = (1 - asinh(tan(latitude * .pi / 180)) / .pi) / 2 * size - Double(tile.y * extent)
        // Far outside the tile a position only needs to point the right way; clamping keeps
        // every number small (the spec allows coordinates beyond the extent).
        let limit = Double(extent * 16)
        return (Int(max(-limit, min(limit, x)).rounded()), Int(max(-limit, min(limit, y)).rounded()))
    }

    /// The MVT geometry type (1 point, 2 line, 3 polygon) and its command integers.
    func geometry(_ geometry: JSONValue) -> (Int, [UInt32])? {
        guard case .string(let type)? = geometry["type"], let coordinates = geometry["coordinates"] else { return nil }
        var writer = CommandWriter()
        switch type {
        case "Point", "MultiPoint":
            let positions = type == "Point" ? [coordinates] : Self.list(coordinates)
            let points = positions.compactMap(units)
            guard !points.isEmpty else { return nil }
            writer.moveTo(points)
            return (1, writer.commands)
        case "LineString", "MultiLineString":
            let lines = type == "LineString" ? [coordinates] : Self.list(coordinates)
            for line in lines {
                let points = Self.merged(Self.list(line).compactMap(units))
                guard points.count >= 2 else { continue }
                writer.moveTo([points[0]])
                writer.lineTo(Array(points.dropFirst()))
            }
            return (2, writer.commands)
        case "Polygon", "MultiPolygon":
            let polygons = type == "Polygon" ? [coordinates] : Self.list(coordinates)
            for polygon in polygons {
                for (index, ring) in Self.list(polygon).enumerated() {
                    var points = Self.merged(Self.list(ring).compactMap(units))
                    if points.count > 1, points.first! == points.last! { points.removeLast() }
                    guard points.count >= 3 else {
                        if index == 0 { break } else { continue }
                    }
                    let area = Self.signedArea(points)
                    guard area != 0 else {
                        if index == 0 { break } else { continue }
                    }
                    // Exterior rings positive (clockwise on screen, y down), holes negative.
                    if (index == 0) != (area > 0) { points.reverse() }
                    writer.moveTo([points[0]])
                    writer.lineTo(Array(points.dropFirst()))
                    writer.closePath()
                }
            }
            return (3, writer.commands)
        default:
            return nil
        }
    }

    private static func list(_ value: JSONValue) -> [JSONValue] {
        if case .array(let items) = value { return items }
        return []
    }

    private static func merged(_ points: [(Int, Int)]) -> [(Int, Int)] {
        var result: [(Int, Int)] = []
        for point in points where result.last.map({ $0 != point }) ?? true { result.append(point) }
        return result
    }

    /// Twice the shoelace area in tile units (positive for clockwise on screen).
    private static func signedArea(_ points: [(Int, Int)]) -> Int {
        var sum = 0
        for index in points.indices {
            let (x0, y0) = points[index]
            let (x1, y1) = points[(index + 1) % points.count]
            sum += x0 * y1 - x1 * y0
        }
        return sum
    }

    /// Command integers with the cursor that relative parameters need.
    struct CommandWriter {
        var commands: [UInt32] = []
        var cursor = (0, 0)

        mutating func moveTo(_ points: [(Int, Int)]) { command(1, points) }
        mutating func lineTo(_ points: [(Int, Int)]) { command(2, points) }
        mutating func closePath() { commands.append(7 | (1 << 3)) }

        private mutating func command(_ id: UInt32, _ points: [(Int, Int)]) {
            guard !points.isEmpty else { return }
            commands.append(id | (UInt32(points.count) << 3))
            for point in points {
                commands.append(Self.zigzag(point.0 - cursor.0))
                commands.append(Self.zigzag(point.1 - cursor.1))
                cursor = point
            }
        }

        static func zigzag(_ value: Int) -> UInt32 { UInt32(truncatingIfNeeded: (value << 1) ^ (value >> 63)) }
    }

    // MARK: - Protobuf

    static func value(_ value: JSONValue) -> [UInt8]? {
        var bytes: [UInt8] = []
        switch value {
        case .null: return nil
        case .string(let text): field(1, bytes: Array(text.utf8), into: &bytes)
        case .bool(let flag): field(7, varint: flag ? 1 : 0, into: &bytes)
        case .number(let number):
            if number == number.rounded(), abs(number) < 9e15 {
                let whole = Int64(number)
                field(6, varint: UInt64(bitPattern: (whole << 1) ^ (whole >> 63)), into: &bytes)
            } else {
                guard number.isFinite else { return nil }
                bytes.append(UInt8(3 << 3 | 1))
                withUnsafeBytes(of: number.bitPattern.littleEndian) { bytes += $0 }
            }
        case .array, .object: field(1, bytes: Array(value.serialized().utf8), into: &bytes)
        }
        return bytes
    }

    static func varint(_ value: UInt64, into bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7f) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    static func field(_ number: Int, varint value: UInt64, into bytes: inout [UInt8]) {
        varint(UInt64(number << 3), into: &bytes)
        varint(value, into: &bytes)
    }

    static func field(_ number: Int, bytes content: [UInt8], into bytes: inout [UInt8]) {
        varint(UInt64(number << 3 | 2), into: &bytes)
        varint(UInt64(content.count), into: &bytes)
        bytes += content
    }

    static func field(_ number: Int, packed values: [UInt64], into bytes: inout [UInt8]) {
        var content: [UInt8] = []
        for value in values { varint(value, into: &content) }
        field(number, bytes: content, into: &bytes)
    }
}
