import Foundation
import SuginamiTestSupport
import Testing

@testable import SuginamiKit

/// A building register of any size is read in pieces and stored in one transaction.
@Suite("Streaming building-register import")
struct StreamingImportTests {
    /// A register of `count` synthetic buildings (town codes kept, ids made unique).
    static func register(count: Int) throws -> [Building] {
        let dataset = try SuginamiDataset.bundled()
        return SyntheticBuildingGenerator(seed: 4).buildings(
            in: dataset.towns[2], townIndex: 2, count: count, stock: dataset.buildingStock
        ).map { building in
            var building = building
            building.footprint = nil
            building.isSynthetic = false
            return building
        }
    }

    static func storeWithTowns(_ backend: StoreBackend) async throws -> any StoreBackend.Store {
        let store = try await backend.makeStore()
        try await store.save(try SuginamiDataset.bundled().towns)
        return store
    }

    @Test(arguments: StoreBackend.allCases, [TextEncoding.utf8, .shiftJIS])
    func aRegisterIsStoredWholeWithProgress(_ backend: StoreBackend, encoding: TextEncoding) async throws {
        let buildings = try Self.register(count: 12_000)
        let url = try TestSupport.temporaryDirectory().appendingPathComponent("register.csv")
        try BuildingRegisterFormat.csv(buildings, encoding: encoding).write(to: url)
        let store = try await Self.storeWithTowns(backend)
        let seen = Counter()
        let summary = try await store.importBuildingRegister(contentsOf: url, options: ImportOptions()) {
            done, total in seen.record(done, total)
        }
        #expect(summary.imported == 12_000 && summary.skipped.isEmpty)
        #expect(try await store.buildingCount() == 12_000)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
        #expect(seen.last?.0 == size && seen.last?.1 == size)
        let stored = try await store.buildings(inTown: buildings[0].townCode!)
        #expect(Set(stored.map(\.id)) == Set(buildings.map(\.id)))
        #expect(stored.first { $0.id == buildings[7].id } == buildings[7])
    }

    @Test(arguments: StoreBackend.allCases)
    func aDuplicateIDInALaterBatchIsRefusedWithBothRowsAndNothingIsStored(_ backend: StoreBackend) async throws {
        var buildings = try Self.register(count: 9_000)
        buildings[8_500].id = buildings[2].id
        let url = try TestSupport.temporaryDirectory().appendingPathComponent("register.csv")
        try BuildingRegisterFormat.csv(buildings).write(to: url)
        let store = try await Self.storeWithTowns(backend)
        do {
            _ = try await store.importBuildingRegister(contentsOf: url)
            Issue.record("accepted")
        } catch let error as InputFileError {
            #expect(error.location == .row(8_501, line: 8_502) && error.field == "id")
            #expect(error.reason.contains("first used at row 3"), "\(error)")
        }
        #expect(try await store.buildingCount() == 0)
    }

    @Test(arguments: StoreBackend.allCases)
    func badRowsAreSkippedAndListedWhenAsked(_ backend: StoreBackend) async throws {
        var buildings = try Self.register(count: 6_000)
        buildings[5_999].id = buildings[0].id
        buildings[10].townCode = "13115099999"
        let url = try TestSupport.temporaryDirectory().appendingPathComponent("register.csv")
        try BuildingRegisterFormat.csv(buildings).write(to: url)
        let store = try await Self.storeWithTowns(backend)
        let summary = try await store.importBuildingRegister(contentsOf: url, options: ImportOptions(skipBadRows: true))
        #expect(summary.imported == 5_998)
        #expect(summary.skipped.map(\.field) == ["town_code", "id"], "\(summary.skipped)")
        #expect(try await store.buildingCount() == 5_998)
    }

    @Test(arguments: StoreBackend.allCases)
    func aGeoPackageRegisterStreamsToo(_ backend: StoreBackend) async throws {
        let buildings = try Self.register(count: 7_000)
        let url = try TestSupport.temporaryDirectory().appendingPathComponent("register.gpkg")
        try BuildingRegisterFormat.writeGeoPackage(buildings, to: url)
        let store = try await Self.storeWithTowns(backend)
        let summary = try await store.importBuildingRegister(contentsOf: url)
        #expect(summary.imported == 7_000)
        #expect(try await store.buildingCount() == 7_000)
    }

    /// Pieces that end inside a quoted field spanning lines give the same records as the whole.
    @Test func piecesGiveTheSameRecordsAsTheWhole() throws {
        let text = "a,b\r\n1,\"two\nlines\"\r\n\"x,y\",\"say \"\"hi\"\"\"\n\n=1,'=2\n3,4"
        let url = try TestSupport.temporaryDirectory().appendingPathComponent("pieces.csv")
        try Data(text.utf8).write(to: url)
        let whole = try CSVTable(parsing: text, file: "pieces.csv")
        for pieceSize in [1, 2, 3, 5, 8, 64] {
            var reader = CSVRecordReader(file: "pieces.csv")
            var records: [[String]] = []
            var lines: [Int] = []
            try TextFilePieces.read(url, encoding: .utf8, file: "pieces.csv", pieceSize: pieceSize) {
                piece, _, _ throws(InputFileError) in
                try reader.read(piece) { record, line throws(InputFileError) in
                    records.append(record)
                    lines.append(line)
                }
            }
            try reader.finish { record, line throws(InputFileError) in
                records.append(record)
                lines.append(line)
            }
            #expect(records == [whole.header] + whole.records, "piece size \(pieceSize)")
            #expect(lines == [1] + whole.lines, "piece size \(pieceSize)")
        }
    }

    @Test func anEncodingErrorInALaterPieceNamesItsLine() throws {
        var bytes = Data("id\n".utf8)
        for index in 0..<200 { bytes += Data("row\(index)\n".utf8) }
        bytes += Data([0x82, 0xA0, 0x0A])  // あ in Shift_JIS, invalid in UTF-8, on line 202
        let url = try TestSupport.temporaryDirectory().appendingPathComponent("mixed.csv")
        try bytes.write(to: url)
        #expect(throws: InputFileError.self) {
            try TextFilePieces.read(url, encoding: .automatic, file: "mixed.csv", pieceSize: 256) { _, _, _ in }
        }
        do {
            try TextFilePieces.read(url, encoding: .automatic, file: "mixed.csv", pieceSize: 256) { _, _, _ in }
        } catch {
            #expect(error.location == .line(202) && error.reason.contains("began as UTF-8"), "\(error)")
        }
    }
}

/// Progress calls, recorded from any thread.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var calls: [(Int, Int)] = []

    func record(_ done: Int, _ total: Int) { lock.withLock { calls.append((done, total)) } }

    var last: (Int, Int)? { lock.withLock { calls.last } }
}
