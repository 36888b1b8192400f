/// A published column layout for facilities (GSI's, the 自治体標準オープンデータセット's): how
/// a record's columns map to a ``Facility`` and back.
protocol TabularLayout: Sendable {
    /// Every column, in publishing order, as the CSV form has them.
    var columns: [String] { get }
    /// The latitude and longitude columns, which GeoJSON keeps in the geometry instead.
    var latitudeColumn: String { get }
    /// See ``latitudeColumn``.
    var longitudeColumn: String { get }
    /// Columns that must be present in the header.
    var requiredColumns: Set<String> { get }
    /// The 出典 attached to records when the caller gives none.
    var defaultSource: DataSource { get }
    /// Builds a facility from one record.
    func facility(from fields: RecordFields, position: GeoPoint, source: DataSource, row: Int)
        throws(FieldError) -> Facility
    /// The cells of one facility, by column (latitude and longitude included).
    func cells(of facility: Facility) -> [String: CellValue]
}

extension TabularLayout {
    /// The columns GeoJSON properties carry: all but latitude and longitude.
    var propertyColumns: [String] { columns.filter { $0 != latitudeColumn && $0 != longitudeColumn } }
}

extension HazardSuitability {
    /// Reads the eight flags from columns named `prefix + japanese`.
    static func read(from fields: RecordFields, prefix: String) throws(FieldError) -> HazardSuitability {
        var result: HazardSuitability = []
        for entry in ordered where try fields.flag(prefix + entry.japanese) {
            result.insert(entry.flag)
        }
        return result
    }

    /// Writes the eight flags to columns named `prefix + japanese`.
    func cells(prefix: String) -> [String: CellValue] {
        Dictionary(uniqueKeysWithValues: Self.ordered.map { (prefix + $0.japanese, CellValue.flag(contains($0.flag))) })
    }
}
