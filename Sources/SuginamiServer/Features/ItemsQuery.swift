import Foundation
import SuginamiGIS

/// The query of an items request, validated: every parameter known, every value in range.
struct ItemsQuery: Sendable, Hashable {
    /// Features per page: 1 to ``maximumLimit``; a larger value is clamped (the standard
    /// forbids refusing it), a smaller one refused.
    var limit = ItemsQuery.defaultLimit
    /// Features skipped before the page (the `next` links carry it).
    var offset = 0
    /// The box features must intersect, in CRS84.
    var box: QueryBox?
    /// The times features must fall in.
    var time: TimeFilter?
    /// The CRS of the answer.
    var crs = ServedCRS.crs84

    static let defaultLimit = 10
    static let maximumLimit = 10_000
    /// The parameters an items request takes.
    static let names: Set<String> = ["limit", "offset", "bbox", "bbox-crs", "datetime", "crs", "f"]

    /// Reads the query parameters of an items request.
    /// - Throws: ``APIError`` naming the parameter and why.
    init(_ parameters: [(name: String, value: String)]) throws(APIError) {
        let values = try Self.single(parameters, allowed: Self.names)
        if let format = values["f"] { try Self.checkFormat(format) }
        if let text = values["limit"] {
            guard let limit = Int(text) else {
                throw .invalidParameter("limit", "\(text.prefix(40)) is not an integer")
            }
            guard limit >= 1 else { throw .invalidParameter("limit", "must be at least 1, got \(limit)") }
            self.limit = min(limit, Self.maximumLimit)
        }
        if let text = values["offset"] {
            guard let offset = Int(text), offset >= 0 else {
                throw .invalidParameter("offset", "\(text.prefix(40)) is not a non-negative integer")
            }
            self.offset = offset
        }
        if let text = values["crs"] { crs = try ServedCRS(parameter: text, name: "crs") }
        let boxCRS = try values["bbox-crs"].map { (text) throws(APIError) in
            try ServedCRS(parameter: text, name: "bbox-crs")
        }
        if let text = values["bbox"] {
            box = try QueryBox(parameter: text, crs: boxCRS ?? .crs84)
        } else if boxCRS != nil {
            throw .invalidParameter("bbox-crs", "is given without bbox")
        }
        if let text = values["datetime"] { time = try TimeFilter(parameter: text) }
    }

    /// The parameters as a dictionary, each at most once and all known.
    static func single(_ parameters: [(name: String, value: String)], allowed: Set<String>) throws(APIError)
        -> [String: String]
    {
        var values: [String: String] = [:]
        for (name, value) in parameters {
            guard allowed.contains(name) else { throw .unknownParameter(name) }
            guard values.updateValue(value, forKey: name) == nil else {
                throw .invalidParameter(name, "is given more than once")
            }
        }
        return values
    }

    /// `f` may only ask for JSON here.
    /// Checks `f` of an OGC API – Features resource: JSON (GeoJSON) or HTML.
    static func checkFormat(_ format: String) throws(APIError) {
        guard format.lowercased() != "html" else { return }
        try checkJSONFormat(format)
    }

    static func checkJSONFormat(_ format: String) throws(APIError) {
        guard ["json", "geojson", "application/json", "application/geo+json"].contains(format.lowercased()) else {
            throw .invalidParameter("f", "\(format.prefix(40)) is not offered here; use f=json")
        }
    }

    /// Whether a feature passes the bbox and datetime filters.
    func matches(_ feature: PublishedFeature) -> Bool {
        if let box, !box.intersects(feature.bounds) { return false }
        if let time {
            guard let instant = feature.time, time.contains(instant) else { return false }
        }
        return true
    }
}

/// A `bbox` parameter in CRS84, possibly crossing the antimeridian (west edge east of the east edge).
struct QueryBox: Sendable, Hashable {
    var west: Double
    var south: Double
    var east: Double
    var north: Double

    /// Reads `minx,miny,maxx,maxy` (or six numbers with heights) in `crs`'s axis order.
    init(parameter text: String, crs: ServedCRS) throws(APIError) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 4 || parts.count == 6 else {
            throw .invalidParameter("bbox", "needs 4 or 6 comma-separated numbers, got \(parts.count)")
        }
        var numbers: [Double] = []
        for part in parts {
            guard let number = Double(part.trimmingCharacters(in: .whitespaces)), number.isFinite else {
                throw .invalidParameter("bbox", "\(part.prefix(40)) is not a number")
            }
            numbers.append(number)
        }
        let corners =
            parts.count == 4
            ? (numbers[0], numbers[1], numbers[2], numbers[3]) : (numbers[0], numbers[1], numbers[3], numbers[4])
        guard let low = crs.geographic(corners.0, corners.1), let high = crs.geographic(corners.2, corners.3) else {
            throw .invalidParameter("bbox", "lies outside the domain of \(crs.rawValue)")
        }
        guard (-90...90).contains(low.latitude), (-90...90).contains(high.latitude),
            (-180...180).contains(low.longitude), (-180...180).contains(high.longitude)
        else {
            throw .invalidParameter("bbox", "latitudes must lie in -90…90 and longitudes in -180…180")
        }
        guard low.latitude <= high.latitude else {
            throw .invalidParameter(
                "bbox", "its south edge (\(low.latitude)) is north of its north edge (\(high.latitude))")
        }
        guard crs == .crs84 || crs == .epsg4326 || low.longitude <= high.longitude else {
            throw .invalidParameter("bbox", "its west edge is east of its east edge")
        }
        west = low.longitude
        south = low.latitude
        east = high.longitude
        north = high.latitude
    }

    func intersects(_ bounds: BoundingBox) -> Bool {
        guard bounds.maxLatitude >= south, bounds.minLatitude <= north else { return false }
        if west <= east { return bounds.maxLongitude >= west && bounds.minLongitude <= east }
        // Across the antimeridian: west…180 or −180…east.
        return bounds.maxLongitude >= west || bounds.minLongitude <= east
    }
}

/// A `datetime` parameter: an instant, a date, or an interval with `..` (or nothing) for an open end.
struct TimeFilter: Sendable, Hashable {
    var start: Date?
    var end: Date?

    init(parameter text: String) throws(APIError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            let (first, last) = try Self.instant(String(parts[0]))
            start = first
            end = last
        case 2:
            start = try parts[0].isEmpty || parts[0] == ".." ? nil : Self.instant(String(parts[0])).first
            end = try parts[1].isEmpty || parts[1] == ".." ? nil : Self.instant(String(parts[1])).last
            if start == nil && end == nil {
                throw .invalidParameter("datetime", "an interval needs at least one end")
            }
            if let start, let end, start > end {
                throw .invalidParameter("datetime", "the interval ends before it starts")
            }
        default:
            throw .invalidParameter("datetime", "\(text.prefix(60)) is neither an instant nor an interval start/end")
        }
    }

    func contains(_ instant: Date) -> Bool {
        (start.map { instant >= $0 } ?? true) && (end.map { instant <= $0 } ?? true)
    }

    /// An RFC 3339 date-time (one instant) or a full date (the whole UTC day).
    private static func instant(_ text: String) throws(APIError) -> (first: Date, last: Date) {
        if let date = try? Date(text, strategy: .iso8601) { return (date, date) }
        if let fractional = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) {
            return (fractional, fractional)
        }
        if text.count == 10, let day = try? Date(text, strategy: Date.ISO8601FormatStyle().year().month().day()) {
            return (day, day.addingTimeInterval(86_400 - 0.001))
        }
        throw .invalidParameter(
            "datetime", "\(text.prefix(60)) is not an RFC 3339 date-time (2026-09-01T09:00:00Z) or date (2026-09-01)")
    }
}
