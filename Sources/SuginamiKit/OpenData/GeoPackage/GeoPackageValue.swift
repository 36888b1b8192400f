/// The value of one attribute column of a GeoPackage feature: SQLite's storage classes, so
/// that the SDK's surface names no database library's types.
public enum GeoPackageValue: Sendable, Hashable {
    /// NULL.
    case null
    /// An INTEGER (also BOOLEAN, as 0 or 1).
    case integer(Int64)
    /// A REAL.
    case real(Double)
    /// A TEXT.
    case text(String)
}

/// A Swift value that can be stored in a GeoPackage attribute column.
public protocol GeoPackageValueConvertible: Sendable {
    /// The value as stored.
    var geoPackageValue: GeoPackageValue { get }
}

extension String: GeoPackageValueConvertible {
    /// TEXT.
    public var geoPackageValue: GeoPackageValue { .text(self) }
}

extension Int: GeoPackageValueConvertible {
    /// INTEGER.
    public var geoPackageValue: GeoPackageValue { .integer(Int64(self)) }
}

extension Int64: GeoPackageValueConvertible {
    /// INTEGER.
    public var geoPackageValue: GeoPackageValue { .integer(self) }
}

extension Double: GeoPackageValueConvertible {
    /// REAL (a non-finite value is stored as NULL: SQLite has no NaN).
    public var geoPackageValue: GeoPackageValue { isFinite ? .real(self) : .null }
}

extension Bool: GeoPackageValueConvertible {
    /// INTEGER 0 or 1, as GeoPackage stores BOOLEAN.
    public var geoPackageValue: GeoPackageValue { .integer(self ? 1 : 0) }
}
