import Foundation

/// A geometry as GeoPackage stores it: the "GP" header (version, flags, srs_id, envelope)
/// followed by ISO WKB, little-endian (GeoPackage 1.4 §2.1.3).
public enum GeoPackageGeometry: Sendable, Hashable {
    /// A point.
    case point(GeoPoint)
    /// A multipolygon (town boundaries, footprints, mesh cells).
    case multiPolygon(GeoMultiPolygon)

    /// The `geometry_type_name` for `gpkg_geometry_columns`.
    var typeName: String {
        switch self {
        case .point: "POINT"
        case .multiPolygon: "MULTIPOLYGON"
        }
    }

    /// The encoded blob. Points carry no envelope; polygons carry [minx, maxx, miny, maxy].
    func blob(srsID: Int32) -> Data {
        var data = Data([0x47, 0x50, 0x00])  // "GP", version 0 (= 1)
        switch self {
        case .point(let point):
            data.append(0b0000_0001)  // little-endian, no envelope
            data.appendLittleEndian(UInt32(bitPattern: srsID))
            data.append(0x01)
            data.appendLittleEndian(UInt32(1))
            data.appendLittleEndian(point.longitude.bitPattern)
            data.appendLittleEndian(point.latitude.bitPattern)
        case .multiPolygon(let shape):
            data.append(0b0000_0011)  // little-endian, envelope [minx, maxx, miny, maxy]
            data.appendLittleEndian(UInt32(bitPattern: srsID))
            let box = shape.boundingBox
            for value in [box.minLongitude, box.maxLongitude, box.minLatitude, box.maxLatitude] {
                data.appendLittleEndian(value.bitPattern)
            }
            data.append(0x01)
            data.appendLittleEndian(UInt32(6))
            data.appendLittleEndian(UInt32(shape.polygons.count))
            for polygon in shape.polygons {
                data.append(0x01)
                data.appendLittleEndian(UInt32(3))
                data.appendLittleEndian(UInt32(polygon.rings.count))
                for ring in polygon.rings {
                    data.appendLittleEndian(UInt32(ring.count))
                    for point in ring {
                        data.appendLittleEndian(point.longitude.bitPattern)
                        data.appendLittleEndian(point.latitude.bitPattern)
                    }
                }
            }
        }
        return data
    }

    /// Decodes a point blob (either byte order, with or without envelope).
    static func point(fromBlob blob: Data) throws(FieldError) -> GeoPoint {
        var reader = ByteReader(data: blob)
        guard reader.take(2) == Data([0x47, 0x50]) else {
            throw FieldError(field: "geom", reason: "is not a GeoPackage geometry (no GP magic)")
        }
        _ = reader.take(1)
        guard let flags = reader.take(1)?.first else { throw FieldError(field: "geom", reason: "is truncated") }
        let headerLittleEndian = flags & 1 == 1
        let envelopeDoubles = [0, 4, 6, 6, 8][min(4, Int((flags >> 1) & 0b111))]
        guard (flags >> 1) & 0b111 <= 4 else { throw FieldError(field: "geom", reason: "has an invalid envelope code") }
        if flags & 0b1_0000 != 0 { throw FieldError(field: "geom", reason: "is an empty geometry") }
        _ = reader.uint32(littleEndian: headerLittleEndian)
        _ = reader.take(envelopeDoubles * 8)
        guard let order = reader.take(1)?.first, order <= 1 else {
            throw FieldError(field: "geom", reason: "has a bad WKB byte order")
        }
        let little = order == 1
        guard let type = reader.uint32(littleEndian: little) else {
            throw FieldError(field: "geom", reason: "is truncated")
        }
        guard type == 1 else { throw FieldError(field: "geom", reason: "is WKB type \(type), not a 2D Point") }
        guard let x = reader.uint64(littleEndian: little), let y = reader.uint64(littleEndian: little) else {
            throw FieldError(field: "geom", reason: "is truncated")
        }
        do { return try GeoPoint(latitude: Double(bitPattern: y), longitude: Double(bitPattern: x)) } catch {
            throw FieldError(field: "geom", reason: error.description)
        }
    }
}

extension Data {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

struct ByteReader {
    let data: Data
    var offset: Int

    init(data: Data) {
        self.data = data
        offset = data.startIndex
    }

    mutating func take(_ count: Int) -> Data? {
        guard count >= 0, offset + count <= data.endIndex else { return nil }
        defer { offset += count }
        return data[offset..<(offset + count)]
    }

    mutating func uint32(littleEndian: Bool) -> UInt32? {
        guard let bytes = take(4) else { return nil }
        let value = bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return littleEndian ? value.byteSwapped : value
    }

    mutating func uint64(littleEndian: Bool) -> UInt64? {
        guard let bytes = take(8) else { return nil }
        let value = bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return littleEndian ? value.byteSwapped : value
    }
}
