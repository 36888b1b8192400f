import Foundation
import SuginamiCore

/// One real building outline of the ward: 3D都市モデル（Project PLATEAU）東京都23区（2020年度）.
///
/// What PLATEAU records and nothing else: the footprint (LOD0 roof edge), the measured height
/// and, where the building stands in a flood-risk area, the deepest 想定最大規模 flood depth.
/// No structure, storeys, year or use: ``PlateauBuildingStock`` assumes those by documented
/// priors.
public struct PlateauFootprint: Sendable, Hashable {
    /// PLATEAU's 建物ID (`13115-bldg-N`).
    public var id: String
    /// The census code of the 町丁目 holding the footprint's centroid.
    public var townCode: String
    /// measuredHeight, metres.
    public var height: Double
    /// The deepest planned-maximum flood depth among the river basins PLATEAU lists (m), if any.
    public var floodDepth: Double?
    /// The outline.
    public var footprint: GeoPolygon
}

/// Reads the bundled `plateau_buildings_2020.csv.gz` (made by
/// `Tools/plateau-buildings/make_bundle.py` from the project's PLATEAU extract).
///
/// Columns `building_id,town_code,height_m,flood_depth_m,footprint`; the footprint is Google's
/// encoded polyline at 1e-6 degrees ("polyline6", latitude first), rings separated by a space.
/// The format keeps 118,522 outlines in 3.6 MB; the decoder is written here because it is a
/// dozen lines and no package in the mirror has it.
public enum PlateauFootprints {
    /// The bundled file's name.
    public static let resourceName = "plateau_buildings_2020.csv.gz"
    /// The attribution PLATEAU's licence (CC BY 4.0) asks for wherever the data or anything
    /// derived from it is shown.
    public static let attribution =
        "「3D都市モデル（Project PLATEAU）東京都23区（2020年度）」（国土交通省）を加工して作成 (CC BY 4.0; MVT conversion by indigo-lab)"
    static let header = ["building_id", "town_code", "height_m", "flood_depth_m", "footprint"]

    /// The bundled footprints.
    /// - Throws: `InputFileError` naming the row and field if the bundled file is damaged.
    public static func bundled() throws(InputFileError) -> [PlateauFootprint] {
        let compressed = try SuginamiDataset.resource(resourceName)
        let data: Data
        do { data = try Gzip.decompress(compressed) } catch {
            throw InputFileError(file: resourceName, location: .file, reason: error.description)
        }
        return try read(data, file: resourceName)
    }

    /// Reads footprints in the bundled layout (uncompressed CSV).
    /// - Throws: `InputFileError` for a wrong header or a bad row (which row, which field, why).
    public static func read(_ data: Data, file: String) throws(InputFileError) -> [PlateauFootprint] {
        let table = try CSVTable(parsing: try TextEncoding.utf8.decode(data, file: file), file: file)
        guard table.header == header else {
            throw InputFileError(
                file: file, location: .row(0, line: 1), reason: "header is not \(header.joined(separator: ","))")
        }
        var result: [PlateauFootprint] = []
        result.reserveCapacity(table.records.count)
        var seen = Set<String>()
        for (offset, record) in table.records.enumerated() {
            let location = InputFileError.Location.row(offset + 1, line: table.lines[offset])
            func failure(_ field: String?, _ reason: String) -> InputFileError {
                InputFileError(file: file, location: location, field: field, reason: reason)
            }
            guard record.count == header.count else { throw failure(nil, "\(record.count) fields, expected 5") }
            guard !record[0].isEmpty else { throw failure("building_id", "is required but empty") }
            guard seen.insert(record[0]).inserted else { throw failure("building_id", "\(record[0]) appears twice") }
            guard record[1].count == 11, record[1].allSatisfy(\.isASCIIDigitCharacter) else {
                throw failure("town_code", "\"\(record[1])\" is not an 11-digit 町丁目 code")
            }
            guard let height = Double(record[2]), height.isFinite, (0.5...400).contains(height) else {
                throw failure("height_m", "\"\(record[2])\" is not a height of 0.5 to 400 m")
            }
            var floodDepth: Double?
            if !record[3].isEmpty {
                guard let depth = Double(record[3]), depth.isFinite, (0...30).contains(depth) else {
                    throw failure("flood_depth_m", "\"\(record[3])\" is not a depth of 0 to 30 m")
                }
                floodDepth = depth
            }
            let polygon: GeoPolygon
            do {
                let rings = try record[4].split(separator: " ").map { try Polyline6.decode($0) }
                polygon = try GeoPolygon(rings: rings)
            } catch let error as Polyline6.Error {
                throw failure("footprint", error.description)
            } catch {
                throw failure("footprint", "\(error)")
            }
            result.append(
                PlateauFootprint(
                    id: record[0], townCode: record[1], height: height, floodDepth: floodDepth, footprint: polygon))
        }
        return result
    }
}

extension Character {
    fileprivate var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}

/// Google's encoded polyline at six decimals (as OSRM and Valhalla use it): pairs of zig-zag,
/// 5-bit varint deltas, latitude first, each character + 63.
enum Polyline6 {
    struct Error: Swift.Error, CustomStringConvertible {
        var description: String
    }

    static func decode(_ text: Substring) throws(Error) -> [GeoPoint] {
        var points: [GeoPoint] = []
        var latitude = 0
        var longitude = 0
        var iterator = text.utf8.makeIterator()
        func number() throws(Error) -> Int? {
            var result = 0
            var shift = 0
            while true {
                guard let byte = iterator.next() else {
                    if shift == 0 { return nil }
                    throw Error(description: "the encoded outline ends inside a number")
                }
                guard (63...126).contains(byte) else {
                    throw Error(description: "character \(UnicodeScalar(byte)) is not part of an encoded polyline")
                }
                let chunk = Int(byte) - 63
                guard shift <= 30 else { throw Error(description: "a number of the encoded outline is too long") }
                result |= (chunk & 0x1F) << shift
                shift += 5
                if chunk < 0x20 { break }
            }
            return (result & 1) != 0 ? ~(result >> 1) : (result >> 1)
        }
        while let dLatitude = try number() {
            guard let dLongitude = try number() else {
                throw Error(description: "the encoded outline ends after a latitude")
            }
            latitude += dLatitude
            longitude += dLongitude
            do {
                points.append(try GeoPoint(latitude: Double(latitude) / 1e6, longitude: Double(longitude) / 1e6))
            } catch {
                throw Error(description: "vertex \(points.count + 1): \(error)")
            }
        }
        return points
    }
}
