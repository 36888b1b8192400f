import Foundation
import SuginamiKit
import Logging
import PostgresNIO

extension PostgresStore {
    /// Imports a building register in one transaction, streaming
    /// (``BuildingStore/importBuildingRegister(contentsOf:options:progress:)``).
    ///
    /// The file's reader is synchronous and the database's client is not: the reader runs on a
    /// thread of its own and hands each piece to this transaction, waiting for the rows the
    /// store refused before it reads on, so that one piece at a time is in memory. The file's
    /// ids are checked against its earlier pieces through a temporary table, as on SQLite.
    public func importBuildingRegister(
        contentsOf url: URL, options: ImportOptions, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?
    ) async throws -> BuildingRegisterImportSummary {
        let file = url.lastPathComponent
        _ = try BuildingRegisterReading.format(of: url)
        return try await transaction(timeout: Self.bulkTimeout) { connection in
            let towns = Set(
                try await connection.query("SELECT code FROM town", logger: self.logger).collect().map {
                    try $0.decode(String.self)
                })
            try await connection.query(
                "CREATE TEMP TABLE imported_building_id (id text PRIMARY KEY, location text NOT NULL) ON COMMIT DROP",
                logger: self.logger)
            let (pieces, handOver) = AsyncStream.makeStream(of: RegisterPiece.self)
            let reading = ReadingOutcome()
            let reader = Thread {
                do {
                    let result = try BuildingRegisterReading.read(url, options: options, progress: progress) {
                        collector throws(InputFileError) in
                        let pending = collector.drain()
                        guard !pending.isEmpty else { return }
                        let piece = RegisterPiece(pending, reading: reading)
                        guard case .enqueued = handOver.yield(piece) else {
                            throw InputFileError(file: file, location: .file, reason: "the import was stopped")
                        }
                        let refused = try piece.awaitReply(file: file)
                        for failure in refused { try collector.fail(failure) }
                    }
                    reading.finish(.success(result))
                } catch {
                    reading.finish(.failure(error))
                }
                handOver.finish()
            }
            reader.stackSize = 8 << 20
            reader.start()
            var stored = 0
            for await piece in pieces {
                do {
                    let (accepted, refused) = try await Self.check(
                        piece.pending, towns: towns, file: file, on: connection, logger: self.logger)
                    try await Self.insert(try accepted.map(BuildingColumns.init), on: connection, logger: self.logger) {
                        _ in
                    }
                    stored += accepted.count
                    piece.reply(.success(refused))
                } catch {
                    piece.reply(.failure(error))
                }
            }
            // Stopped before the reader finished (a timeout): it is told at its next piece.
            reading.stopWaiting()
            let result = try await reading.value()
            return BuildingRegisterImportSummary(
                imported: stored, skipped: result.skipped, skippedBeyondList: result.skippedBeyondList)
        }
    }

    /// Splits a piece into the buildings to store and the rows refused, in the file's order:
    /// a town the store does not hold, an id an earlier row used.
    static func check(
        _ pending: [(record: Building, location: InputFileError.Location)], towns: Set<String>, file: String,
        on connection: PostgresConnection, logger: Logger
    ) async throws -> (accepted: [Building], refused: [InputFileError]) {
        let ids = pending.map(\.record.id)
        var earlier: [String: String] = [:]
        for row in try await connection.query(
            "SELECT id, location FROM imported_building_id WHERE id = ANY(\(ids))", logger: logger
        ).collect() {
            let (id, location) = try row.decode((String, String).self)
            earlier[id] = location
        }
        var accepted: [Building] = []
        var refused: [InputFileError] = []
        var newIDs: [String] = []
        var newLocations: [String] = []
        for (building, location) in pending {
            if let code = building.townCode, !towns.contains(code) {
                refused.append(
                    InputFileError(
                        file: file, location: location, field: "town_code",
                        reason: "\(code) is not a town in the store (load the towns first)"))
                continue
            }
            if let first = earlier[building.id] {
                refused.append(
                    InputFileError(
                        file: file, location: location, field: "id",
                        reason: "duplicate id \(building.id) (first used at \(first))"))
                continue
            }
            earlier[building.id] = location.description
            newIDs.append(building.id)
            newLocations.append(location.description)
            accepted.append(building)
        }
        try await connection.query(
            "INSERT INTO imported_building_id SELECT * FROM unnest(\(newIDs)::text[], \(newLocations)::text[])",
            logger: logger)
        return (accepted, refused)
    }
}

/// One piece of a register, handed from the reading thread to the transaction, and the rows
/// the store refused, handed back.
private final class RegisterPiece: @unchecked Sendable {
    // Unchecked: `pending` is written once before the hand-over; `answer` is guarded by `lock`
    // and announced by `answered`.
    let pending: [(record: Building, location: InputFileError.Location)]
    private let reading: ReadingOutcome
    private let lock = NSLock()
    private let answered = DispatchSemaphore(value: 0)
    private var answer: Result<[InputFileError], any Error>?

    init(_ pending: [(record: Building, location: InputFileError.Location)], reading: ReadingOutcome) {
        self.pending = pending
        self.reading = reading
    }

    func reply(_ result: Result<[InputFileError], any Error>) {
        lock.withLock { answer = result }
        answered.signal()
    }

    /// Blocks the reading thread until the transaction has stored the piece; checks every
    /// second whether the transaction stopped taking pieces, so the thread never hangs.
    func awaitReply(file: String) throws(InputFileError) -> [InputFileError] {
        while answered.wait(timeout: .now() + 1) == .timedOut {
            if reading.isStopped { throw InputFileError(file: file, location: .file, reason: "the import was stopped") }
        }
        switch lock.withLock({ answer }) {
        case .success(let refused)?: return refused
        case .failure(let error)?:
            if let error = error as? InputFileError { throw error }
            throw InputFileError(file: file, location: .file, reason: "cannot be stored (\(error))")
        case nil: throw InputFileError(file: file, location: .file, reason: "the import was stopped")
        }
    }
}

/// What the reading thread ended with, awaited by the transaction; and whether the transaction
/// stopped taking pieces.
private final class ReadingOutcome: @unchecked Sendable {
    // Unchecked: every field is guarded by `lock`.
    private let lock = NSLock()
    private var result: Result<ImportResult<Building>, any Error>?
    private var waiter: CheckedContinuation<ImportResult<Building>, any Error>?
    private var stopped = false

    func finish(_ outcome: Result<ImportResult<Building>, any Error>) {
        let waiting = lock.withLock { () -> CheckedContinuation<ImportResult<Building>, any Error>? in
            result = outcome
            defer { waiter = nil }
            return waiter
        }
        waiting?.resume(with: outcome)
    }

    func value() async throws -> ImportResult<Building> {
        try await withCheckedThrowingContinuation { continuation in
            let ready = lock.withLock { () -> Result<ImportResult<Building>, any Error>? in
                if result == nil { waiter = continuation }
                return result
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    /// The transaction takes no more pieces (it finished, or was stopped by a timeout).
    func stopWaiting() { lock.withLock { stopped = true } }

    var isStopped: Bool { lock.withLock { stopped } }
}
