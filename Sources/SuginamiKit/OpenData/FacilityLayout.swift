/// The facility layouts the SDK reads and writes.
public enum FacilityLayout: String, Sendable, Hashable, CaseIterable, Codable {
    /// SuginamiKit's own GeoJSON: every field of ``Facility`` as a property (GeoJSON and
    /// GeoPackage only).
    case suginamiKit = "suginamikit"
    /// GSI 指定緊急避難場所データ (CSV or GeoJSON).
    case gsiEmergencySites = "gsi-emergency"
    /// GSI 指定避難所データ (CSV or GeoJSON).
    case gsiShelters = "gsi-shelter"
    /// 自治体標準オープンデータセット「指定緊急避難場所一覧」, 39 columns (CSV).
    case standardEmergencySites = "standard-emergency"

    var tabular: (any TabularLayout)? {
        switch self {
        case .suginamiKit: nil
        case .gsiEmergencySites: GSIEmergencySiteLayout()
        case .gsiShelters: GSIShelterLayout()
        case .standardEmergencySites: StandardEmergencySiteLayout()
        }
    }

    /// Guesses the layout from a CSV header or the keys of the first GeoJSON feature.
    static func detect(keys: Set<String>) -> FacilityLayout? {
        if keys.contains("kind") && keys.contains("name") { return .suginamiKit }
        if keys.contains("災害種別_地震") || keys.contains("所在地_連結表記") { return .standardEmergencySites }
        if keys.contains("受入対象者") || keys.contains("指定緊急避難場所との住所同一") { return .gsiShelters }
        if keys.contains("地震") && keys.contains("共通ID") { return .gsiEmergencySites }
        return nil
    }
}

/// File formats for facilities.
public enum FacilityFormat: String, Sendable, Hashable, CaseIterable, Codable {
    /// RFC 7946 GeoJSON FeatureCollection.
    case geoJSON = "geojson"
    /// CSV with one header row.
    case csv
    /// OGC GeoPackage 1.4 (SQLite).
    case geoPackage = "gpkg"

    /// The format a file name's extension names, if any.
    public init?(fileName: String) {
        let lower = fileName.lowercased()
        if lower.hasSuffix(".geojson") || lower.hasSuffix(".json") {
            self = .geoJSON
        } else if lower.hasSuffix(".csv") {
            self = .csv
        } else if lower.hasSuffix(".gpkg") {
            self = .geoPackage
        } else {
            return nil
        }
    }
}
