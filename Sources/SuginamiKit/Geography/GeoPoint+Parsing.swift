import Foundation

/// The one written form of a position in every command, file and endpoint of the SDK:
/// `longitude,latitude`, the order of GeoJSON, OGC CRS84 and `bbox`.
extension GeoPoint {
    /// Reads `longitude,latitude` in decimal degrees, e.g. `139.6366,35.6995`.
    ///
    /// A pair given the other way round is refused with the fix, not silently swapped: in Japan a
    /// longitude (122–154) can never be a latitude, so `35.70,139.63` gets
    /// `139.63 is not a latitude (−90…90); did you mean 139.63,35.70 (longitude,latitude)?`.
    /// - Throws: ``CoordinateParseError`` saying what is wrong with the text.
    public init(parsing text: String) throws(CoordinateParseError) {
        // Trimmed by hand: Foundation's CharacterSet trimming was a tenth of a route request.
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { part in
            String(part.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        }
        guard parts.count == 2 else {
            throw CoordinateParseError(
                text: text, reason: "expected two numbers separated by a comma (longitude,latitude)")
        }
        guard let longitude = Double(parts[0]), longitude.isFinite else {
            throw CoordinateParseError(text: text, reason: "\"\(parts[0])\" is not a longitude in decimal degrees")
        }
        guard let latitude = Double(parts[1]), latitude.isFinite else {
            throw CoordinateParseError(text: text, reason: "\"\(parts[1])\" is not a latitude in decimal degrees")
        }
        if abs(latitude) > 90, abs(longitude) <= 90, abs(latitude) <= 180 {
            throw CoordinateParseError(
                text: text,
                reason:
                    "\(parts[1]) is not a latitude (−90…90); did you mean \(parts[1]),\(parts[0]) (longitude,latitude)?"
            )
        }
        do {
            try self.init(latitude: latitude, longitude: longitude)
        } catch {
            throw CoordinateParseError(text: text, reason: error.description)
        }
    }
}

/// Why a written position was refused.
public struct CoordinateParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text as given.
    public var text: String
    /// What is wrong, with the fix when there is one.
    public var reason: String

    /// Creates an error.
    public init(text: String, reason: String) {
        self.text = text
        self.reason = reason
    }

    /// `"35.70,139.63": 139.63 is not a latitude (−90…90); did you mean …`.
    public var description: String { "\"\(text)\": \(reason)" }
}
