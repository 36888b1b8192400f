import Foundation
import GRDB

/// What ``SuginamiStore/importBuildingRegister(contentsOf:options:progress:)`` did.
public struct BuildingRegisterImportSummary: Sendable {
    /// Buildings stored.
    public var imported: Int
    /// Rows left out with their reasons (only with ``ImportOptions/skipBadRows``), at most
    /// 10,000 listed.
    public var skipped: [InputFileError]
    /// Rows left out beyond those listed.
    public var skippedBeyondList: Int

    package init(imported: Int, skipped: [InputFileError], skippedBeyondList: Int) {
        self.imported = imported
        self.skipped = skipped
        self.skippedBeyondList = skippedBeyondList
    }
}

/// The reading half of a streaming register import, the same for both back ends: the file a
/// piece at a time (CSV) or a row at a time (GeoPackage), each piece's checked records handed
/// to `store`, which checks them against the store and writes them.
package enum BuildingRegisterReading {
    /// How many rows a GeoPackage piece holds.
    package static let piece = 5_000

    /// Checks the file's name and returns its format.
    package static func format(of url: URL) throws -> FacilityFormat {
        let file = url.lastPathComponent
        guard let format = FacilityFormat(fileName: file), format == .csv || format == .geoPackage else {
            throw InputFileError(file: file, location: .file, reason: "a building register is a .csv or .gpkg file")
        }
        return format
    }

    /// Reads the register, calling `store` with the collector after each piece and at the end.
    package static func read(
        _ url: URL, options: ImportOptions, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?,
        store: (inout ImportCollector<Building>) throws(InputFileError) -> Void
    ) throws -> ImportResult<Building> {
        let file = url.lastPathComponent
        let format = try format(of: url)
        var collector = ImportCollector<Building>(file: file, options: options, tracksDuplicateIDs: false)
        if format == .csv {
            try BuildingRegisterFormat.forEachCSVPiece(url, options: options, into: &collector) {
                collector, read, total throws(InputFileError) in
                try store(&collector)
                progress?(read, total)
            }
        } else {
            try BuildingRegisterFormat.forEachGeoPackageRow(path: url.path, into: &collector) {
                collector, number, count throws(InputFileError) in
                if collector.pendingCount >= piece || number == count {
                    try store(&collector)
                    progress?(number, count)
                }
            }
        }
        try store(&collector)
        return collector.result
    }
}

extension SuginamiStore {
    /// Imports a building register (CSV in UTF-8 or Shift_JIS, or GeoPackage) in one
    /// transaction, streaming (``BuildingStore/importBuildingRegister(contentsOf:options:progress:)``).
    public func importBuildingRegister(
        contentsOf url: URL, options: ImportOptions,
        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?
    ) async throws -> BuildingRegisterImportSummary {
        let file = url.lastPathComponent
        _ = try BuildingRegisterReading.format(of: url)
        return try await write { transaction in
            var batch = RegisterBatch(transaction: transaction, file: file)
            try batch.prepare()
            let result = try BuildingRegisterReading.read(url, options: options, progress: progress) {
                collector throws(InputFileError) in
                try batch.store(&collector)
            }
            try batch.finish()
            return BuildingRegisterImportSummary(
                imported: batch.stored, skipped: result.skipped, skippedBeyondList: result.skippedBeyondList)
        }
    }
}

/// The store's side of a streaming import: ids checked against every earlier row of the file
/// through a temporary table (a map of ten million ids would not fit the memory budget), town
/// codes against the store, then a batch written.
private struct RegisterBatch {
    static let size = 5_000

    let transaction: StoreTransaction
    let file: String
    var towns: Set<String> = []
    var stored = 0
    var previousCacheSize = -2_000

    init(transaction: StoreTransaction, file: String) {
        self.transaction = transaction
        self.file = file
    }

    /// The page cache for the import, in KiB: the R*Tree takes buildings in random order, and
    /// SQLite's default 2 MB cache made every insert read pages back (6,700 rows/s at 10 million).
    static let cacheKiB = 65_536

    mutating func prepare() throws {
        previousCacheSize = try Int.fetchOne(transaction.db, sql: "PRAGMA cache_size") ?? -2_000
        try transaction.db.execute(sql: "PRAGMA cache_size = -\(Self.cacheKiB)")
        towns = Set(try String.fetchAll(transaction.db, sql: "SELECT code FROM town"))
        // Temporary: only this connection sees it, and it goes with the transaction if that fails.
        try transaction.db.execute(
            sql: "CREATE TEMP TABLE importedBuildingID (id TEXT PRIMARY KEY NOT NULL, location TEXT NOT NULL)")
    }

    mutating func store(_ collector: inout ImportCollector<Building>) throws(InputFileError) {
        let pending = collector.drain()
        guard !pending.isEmpty else { return }
        var accepted: [Building] = []
        accepted.reserveCapacity(pending.count)
        do {
            let remember = try transaction.db.cachedStatement(
                sql: "INSERT INTO importedBuildingID (id, location) VALUES (?, ?) ON CONFLICT(id) DO NOTHING")
            let earlier = try transaction.db.cachedStatement(
                sql: "SELECT location FROM importedBuildingID WHERE id = ?")
            for (building, location) in pending {
                if let code = building.townCode, !towns.contains(code) {
                    try collector.fail(
                        InputFileError(
                            file: file, location: location, field: "town_code",
                            reason: "\(code) is not a town in the store (load the towns first)"))
                    continue
                }
                try remember.execute(arguments: [building.id, location.description])
                if transaction.db.changesCount == 0 {
                    let first = try String.fetchOne(earlier, arguments: [building.id]) ?? "an earlier row"
                    try collector.fail(
                        InputFileError(
                            file: file, location: location, field: "id",
                            reason: "duplicate id \(building.id) (first used at \(first))"))
                    continue
                }
                accepted.append(building)
            }
            try transaction.insert(accepted)
        } catch let error as InputFileError {
            throw error
        } catch {
            throw InputFileError(file: file, location: .file, reason: "cannot be stored (\(error))")
        }
        stored += accepted.count
    }

    func finish() throws {
        try transaction.db.execute(sql: "DROP TABLE temp.importedBuildingID")
        try transaction.db.execute(sql: "PRAGMA cache_size = \(previousCacheSize)")
    }
}
