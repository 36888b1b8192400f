import SuginamiKit

/// 地域メッシュコード: a cell of the Japanese standard regional grid (JIS X 0410).
///
/// Each level divides the one above: the 1st mesh (第1次地域区画, 40′ × 1°, about 80 km) into
/// 8 × 8 second meshes (5′ × 7′30″, about 10 km), each into 10 × 10 third meshes (30″ × 45″,
/// about 1 km), and each of those into halves, quarters and eighths (2 × 2 each time: about
/// 500 m, 250 m, 125 m), numbered 1 south-west, 2 south-east, 3 north-west, 4 north-east.
/// The 250 m mesh is the unit of the damage simulation and its maps.
///
/// Positions are JGD2011 latitude and longitude. Arithmetic runs on whole multiples of 1/8
/// arc-second, so cell edges are exact and a point on an edge belongs to the cell to its
/// north and east, as the standard says.
public struct RegionalMeshCode: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The levels of the grid.
    public enum Level: Int, Sendable, CaseIterable, Codable, Comparable {
        /// 第1次地域区画, 80 km; 4 digits.
        case first = 1
        /// 第2次地域区画, 10 km; 6 digits.
        case second = 2
        /// 基準地域メッシュ (第3次地域区画), 1 km; 8 digits.
        case third = 3
        /// 2分の1地域メッシュ, 500 m; 9 digits.
        case half = 4
        /// 4分の1地域メッシュ, 250 m; 10 digits.
        case quarter = 5
        /// 8分の1地域メッシュ, 125 m; 11 digits.
        case eighth = 6

        /// How many digits a code of this level has.
        public var digitCount: Int { [4, 6, 8, 9, 10, 11][rawValue - 1] }

        /// The cell's size in eighths of an arc-second: (latitude, longitude).
        var size: (latitude: Int64, longitude: Int64) {
            switch self {
            case .first: (2_400 * 8, 3_600 * 8)
            case .second: (300 * 8, 450 * 8)
            case .third: (30 * 8, 45 * 8)
            case .half: (15 * 8, 180)
            case .quarter: (60, 90)
            case .eighth: (30, 45)
            }
        }

        /// The nominal size in metres (at 35° N), for labels.
        public var nominalSize: String { ["80 km", "10 km", "1 km", "500 m", "250 m", "125 m"][rawValue - 1] }

        /// Orders levels from coarse to fine.
        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The digits.
    public let code: String
    /// The level, from the number of digits.
    public let level: Level
    /// South-west corner in eighths of an arc-second from (0° N, 100° E).
    private let south: Int64
    private let west: Int64

    /// The code for the cell containing a point.
    /// - Throws: ``MeshCodeError/outsideGrid(_:)`` for a point the grid does not cover
    ///   (latitude 0°–66°40′ N, longitude 100°–180° E: the standard's grid runs to 200° E, but
    ///   positions here stop at 180°).
    public init(containing point: GeoPoint, level: Level) throws(MeshCodeError) {
        let latitude = point.latitude * 3_600 * 8
        let longitude = (point.longitude - 100) * 3_600 * 8
        guard latitude >= 0, latitude < 100 * 2_400 * 8, longitude >= 0, longitude < 80 * 3_600 * 8 else {
            throw .outsideGrid(point)
        }
        // Floor to the finest cell (1/8 mesh: 30 × 45 eighth-seconds), then build every level.
        let row = Int64((latitude / 30).rounded(.down))
        let column = Int64((longitude / 45).rounded(.down))
        self.init(unit: (row * 30, column * 45), level: level)
    }

    /// Parses and checks a code.
    /// - Throws: ``MeshCodeError`` saying which digit is wrong and why.
    public init(_ text: String) throws(MeshCodeError) {
        let digits = text.compactMap { $0.isASCII ? $0.wholeNumberValue : nil }
        guard digits.count == text.count else { throw .notDigits(text) }
        guard let level = Level.allCases.first(where: { $0.digitCount == digits.count }) else {
            throw .badLength(text, digits.count)
        }
        // Columns 80–99 lie east of 180°, which GeoPoint (and every CRS used here) cannot hold.
        guard digits[2] < 8 else {
            throw .badDigit(text, position: 3, reason: "a 1st-mesh column of 80 or more lies east of 180°")
        }
        var south = Int64(digits[0] * 10 + digits[1]) * 2_400 * 8
        var west = Int64(digits[2] * 10 + digits[3]) * 3_600 * 8
        if level >= .second {
            guard digits[4] < 8 else { throw .badDigit(text, position: 5, reason: "a 2nd-mesh row is 0–7") }
            guard digits[5] < 8 else { throw .badDigit(text, position: 6, reason: "a 2nd-mesh column is 0–7") }
            south += Int64(digits[4]) * 300 * 8
            west += Int64(digits[5]) * 450 * 8
        }
        if level >= .third {
            south += Int64(digits[6]) * 30 * 8
            west += Int64(digits[7]) * 45 * 8
        }
        for (index, subLevel) in [Level.half, .quarter, .eighth].enumerated() where level >= subLevel {
            let quadrant = digits[8 + index]
            guard (1...4).contains(quadrant) else {
                throw .badDigit(text, position: 9 + index, reason: "a 1/2, 1/4 or 1/8 mesh quadrant is 1–4")
            }
            if quadrant >= 3 { south += subLevel.size.latitude }
            if quadrant % 2 == 0 { west += subLevel.size.longitude }
        }
        self.code = text
        self.level = level
        self.south = south
        self.west = west
    }

    /// Builds the code of the cell at `level` that contains the south-west corner `unit`.
    ///
    /// The sizes nest exactly (each divides the one above), so a cell's corner is the unit
    /// rounded down to its size, and each digit is the position of a level's cell in its parent.
    private init(unit: (south: Int64, west: Int64), level: Level) {
        let south = unit.south - unit.south % level.size.latitude
        let west = unit.west - unit.west % level.size.longitude
        var code = ""
        for current in Level.allCases where current <= level {
            let size = current.size
            guard let parent = Level(rawValue: current.rawValue - 1)?.size else {
                code += String(south / size.latitude).leftPadded(2) + String(west / size.longitude).leftPadded(2)
                continue
            }
            let row = south % parent.latitude / size.latitude
            let column = west % parent.longitude / size.longitude
            // Levels down to the 1 km mesh number rows and columns; finer ones quadrants 1–4.
            code += current <= .third ? "\(row)\(column)" : String(1 + 2 * row + column)
        }
        self.code = code
        self.level = level
        self.south = south
        self.west = west
    }

    /// The cell's edges (JGD2011 degrees).
    public var bounds: BoundingBox {
        let size = level.size
        // Inside the grid by construction, so always a valid box.
        return
            (try? BoundingBox(
                minLatitude: Double(south) / 28_800, minLongitude: 100 + Double(west) / 28_800,
                maxLatitude: Double(south + size.latitude) / 28_800,
                maxLongitude: 100 + Double(west + size.longitude) / 28_800))!
    }

    /// The cell as a polygon (its four corners, counter-clockwise from the south-west).
    public var outline: GeoMultiPolygon {
        let box = bounds
        // Corners of a valid box, so the points and the ring are valid.
        let ring = [
            (box.minLatitude, box.minLongitude), (box.minLatitude, box.maxLongitude),
            (box.maxLatitude, box.maxLongitude), (box.maxLatitude, box.minLongitude),
            (box.minLatitude, box.minLongitude),
        ].map { (try? GeoPoint(latitude: $0.0, longitude: $0.1))! }
        return (try? GeoMultiPolygon([(try? GeoPolygon(rings: [ring]))!]))!
    }

    /// The cell's centre.
    public var centre: GeoPoint {
        let box = bounds
        return
            (try? GeoPoint(
                latitude: (box.minLatitude + box.maxLatitude) / 2, longitude: (box.minLongitude + box.maxLongitude) / 2))!
    }

    /// The cell one level up, or `nil` for a 1st mesh.
    public var parent: RegionalMeshCode? {
        guard let up = Level(rawValue: level.rawValue - 1) else { return nil }
        return RegionalMeshCode(unit: (south, west), level: up)
    }

    /// The cells one level down, south-west first, row by row; empty for a 1/8 mesh.
    public var children: [RegionalMeshCode] {
        guard let down = Level(rawValue: level.rawValue + 1) else { return [] }
        let rows = level.size.latitude / down.size.latitude
        let columns = level.size.longitude / down.size.longitude
        return (0..<rows).flatMap { row in
            (0..<columns).map { column in
                RegionalMeshCode(
                    unit: (south + row * down.size.latitude, west + column * down.size.longitude), level: down)
            }
        }
    }

    /// The cell `north` rows up and `east` columns right at the same level (negative for south
    /// and west), or `nil` beyond the grid.
    public func neighbour(north: Int, east: Int) -> RegionalMeshCode? {
        let size = level.size
        let newSouth = south + Int64(north) * size.latitude
        let newWest = west + Int64(east) * size.longitude
        guard newSouth >= 0, newSouth < 100 * 2_400 * 8, newWest >= 0, newWest < 100 * 3_600 * 8 else { return nil }
        return RegionalMeshCode(unit: (newSouth, newWest), level: level)
    }

    /// The eight surrounding cells (fewer at the edge of the grid), from north-west clockwise.
    public var neighbours: [RegionalMeshCode] {
        [(1, -1), (1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0), (-1, -1), (0, -1)].compactMap {
            neighbour(north: $0.0, east: $0.1)
        }
    }

    /// The digits.
    public var description: String { code }

    /// Orders codes as text, which groups cells under their parents.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.code < rhs.code }

    /// Two codes are equal when their digits are.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }

    /// Hashes the digits.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// Decodes a code from its digits, with the same checks as ``init(_:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do { try self.init(text) } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the digits.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}

/// Why a mesh code or point was rejected.
public enum MeshCodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text has characters other than ASCII digits.
    case notDigits(String)
    /// The number of digits is none of 4, 6, 8, 9, 10, 11.
    case badLength(String, Int)
    /// One digit is out of range for its place.
    case badDigit(String, position: Int, reason: String)
    /// The point lies outside the area the grid covers.
    case outsideGrid(GeoPoint)

    /// A sentence saying what is wrong.
    public var description: String {
        switch self {
        case .notDigits(let text): "mesh code \"\(text)\" has characters other than digits"
        case .badLength(let text, let count):
            "mesh code \"\(text)\" has \(count) digits; JIS X 0410 codes have 4, 6, 8, 9, 10 or 11"
        case .badDigit(let text, let position, let reason): "mesh code \"\(text)\", digit \(position): \(reason)"
        case .outsideGrid(let point):
            "\(point) is outside the regional mesh grid (latitude 0°–66°40′ N, longitude 100°–180° E)"
        }
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
