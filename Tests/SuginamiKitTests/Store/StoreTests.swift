import Foundation
import GRDB
import SuginamiTestSupport
import Testing

@testable import SuginamiKit

@Suite("Store")
struct StoreTests {
    static func loadedStore() async throws -> (SuginamiStore, SuginamiDataset) {
        let store = try TestSupport.makeStore()
        let dataset = try SuginamiDataset.bundled()
        try await dataset.load(into: store)
        return (store, dataset)
    }

    @Test func fileIsWALWithForeignKeysAndRTrees() async throws {
        let (store, _) = try await Self.loadedStore()
        let queue = try DatabaseQueue(path: store.path)
        try await queue.read { db in
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE sql LIKE '%USING rtree%'")
            #expect(Set(tables) == ["facility_rtree", "town_rtree", "building_rtree"])
            #expect(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations").count == 7)
        }
        #expect(try await store.integrityProblems().isEmpty)
    }

    @Test("close() leaves the one file: the WAL merged back and removed, after reads on several connections")
    func closeLeavesOneFile() async throws {
        let (store, dataset) = try await Self.loadedStore()
        let directory = URL(fileURLWithPath: store.path).deletingLastPathComponent()
        // Reads side by side, so that the pool opens readers beside its writer.
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 { group.addTask { try await store.facilities().count } }
            for try await count in group { #expect(count == dataset.facilities.count) }
        }
        let name = URL(fileURLWithPath: store.path).lastPathComponent
        let files = {
            try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(name) }
        }
        #expect(try Set(files()) == [name, name + "-wal", name + "-shm"])
        try store.close()
        #expect(try files() == [name])
        #expect(try await SuginamiStore(path: store.path).facilities().count == dataset.facilities.count)
    }

    @Test(arguments: StoreBackend.allCases)
    func queriesByKindAndBox(_ backend: StoreBackend) async throws {
        let (store, dataset) = try await backend.loadedStore()
        #expect(try await store.facilities().count == dataset.facilities.count)
        #expect(try await store.facilities(kinds: [.reliefCentre]).count == 65)
        #expect(try await store.facilities(kinds: [.waterStation, .disasterHospital]).count == 19)
        let box = try BoundingBox(minLatitude: 35.69, minLongitude: 139.62, maxLatitude: 35.71, maxLongitude: 139.65)
        let inBox = try await store.facilities(in: box)
        let expected = dataset.facilities.filter { box.contains($0.position) }.map(\.id).sorted()
        #expect(inBox.map(\.id) == expected)
        #expect(!expected.isEmpty)
        #expect(try await store.facility(id: "E1311500001201")?.name == "阿佐ヶ谷中学校")
        #expect(try await store.facility(id: "nope") == nil)
    }

    @Test(arguments: StoreBackend.allCases)
    func nearestMatchesBruteForce(_ backend: StoreBackend) async throws {
        let (store, dataset) = try await backend.loadedStore()
        var random = SplitMix64(seed: 42)
        for _ in 0..<200 {
            // Points in and well around the ward, so that some searches must widen many times.
            let point = try GeoPoint(
                latitude: 35.5 + random.nextUnit() * 0.4, longitude: 139.4 + random.nextUnit() * 0.5)
            let kinds: Set<FacilityKind> = random.nextUnit() < 0.5 ? [] : [.reliefCentre, .waterStation]
            let count = 1 + Int(random.nextUnit() * 7)
            let found = try await store.nearestFacilities(to: point, count: count, kinds: kinds)
            let expected = dataset.facilities.filter { kinds.isEmpty || kinds.contains($0.kind) }
                .map { ($0.id, point.distance(to: $0.position)) }
                .sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(count)
            #expect(found.map(\.facility.id) == expected.map(\.0))
            #expect(zip(found, expected).allSatisfy { abs($0.distance - $1.1) < 1e-9 })
        }
        let far = try GeoPoint(latitude: -40, longitude: -70)
        #expect(try await store.nearestFacilities(to: far, count: 2, kinds: [.disasterHospital]).count == 2)
        #expect(try await store.nearestFacilities(to: far, count: 500).count == dataset.facilities.count)
        await #expect(throws: StoreError.self) { try await store.nearestFacilities(to: far, count: 0) }
    }

    @Test(arguments: StoreBackend.allCases)
    func townsAndFacilitiesByTown(_ backend: StoreBackend) async throws {
        let (store, dataset) = try await backend.loadedStore()
        #expect(try await store.towns().count == 139)
        let site = try #require(dataset.facilities.first { $0.id == "E1311500001201" })
        let town = try #require(try await store.town(containing: site.position))
        #expect(town.name.hasPrefix("阿佐谷南"))
        let inTown = try await store.facilities(inTown: town.code)
        #expect(inTown.contains { $0.id == site.id })
        #expect(inTown.allSatisfy { town.boundary.contains($0.position) })
        #expect(try await store.town(containing: try GeoPoint(latitude: 35.0, longitude: 139.0)) == nil)
        await #expect(throws: StoreError.invalidArgument("no town with code 99999999999")) {
            try await store.facilities(inTown: "99999999999")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func invalidBatchWritesNothing(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let dataset = try SuginamiDataset.bundled()
        var batch = Array(dataset.facilities.prefix(10))
        batch[7].capacity = -5
        await #expect(throws: StoreError.invalidRecord(id: batch[7].id, problems: ["capacity is negative (-5)"])) {
            try await store.save(batch)
        }
        batch[7].capacity = 5
        batch[8].id = batch[2].id
        await #expect(throws: StoreError.duplicateID(batch[2].id)) { try await store.save(batch) }
        #expect(try await store.facilities().isEmpty)
    }

    @Test(arguments: StoreBackend.allCases)
    func syntheticBuildingsWithQueries(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let dataset = try SuginamiDataset.bundled()
        try await store.save(dataset.towns)
        let stored = try await SyntheticBuildingGenerator(totalBuildings: 3_000).load(
            towns: dataset.towns, stock: dataset.buildingStock, into: store)
        #expect(stored == 3_000)
        #expect(try await store.buildingCount() == 3_000)
        let town = dataset.towns[5]
        let inTown = try await store.buildings(inTown: town.code)
        #expect(!inTown.isEmpty && inTown.allSatisfy { town.boundary.contains($0.position) && $0.isSynthetic })
        let box = town.boundary.boundingBox
        let inBox = try await store.buildings(in: box)
        #expect(Set(inTown.map(\.id)).isSubset(of: Set(inBox.map(\.id))))
        #expect(inBox.first { $0.id == inTown[0].id } == inTown[0])
        let classes = try await store.buildingCountsByClass()
        #expect(classes.reduce(0) { $0 + $1.count } == 3_000)
        #expect(try await store.buildings() == (try await store.buildings()).sorted { $0.id < $1.id })
        #expect(try await store.buildings().count == 3_000)
        // A building naming a town the store does not hold is refused, with nothing written.
        var stray = inTown[0]
        stray.id = "stray-1"
        stray.townCode = "99999999999"
        await #expect(
            throws: StoreError.invalidRecord(
                id: "stray-1", problems: ["townCode 99999999999 is not a town in the store"])
        ) {
            try await store.insert([inTown[1], stray])
        }
        #expect(try await store.buildingCount() == 3_000)
        if let store = store as? SuginamiStore { #expect(try await store.integrityProblems().isEmpty) }
    }

    @Test(
        "Replacing the contents swaps towns, facilities and buildings whole; tokens and the audit log stay",
        arguments: StoreBackend.allCases)
    func replaceContents(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let dataset = try SuginamiDataset.bundled()
        let generator = SyntheticBuildingGenerator(seed: 5, totalBuildings: 1_200)
        try await store.replaceContents(
            with: StoreContents(
                towns: dataset.towns, facilities: dataset.facilities,
                buildings: try generator.batches(towns: dataset.towns, stock: dataset.buildingStock)),
            progress: nil)
        let tool = Actor.localTool("test")
        let token = try await store.issueToken(role: .headquarters, label: "hq", by: tool)
        try await store.record(
            ShelterStatus(facilityID: "RC-E1311500001111", state: .open, reportedAt: Date(), reportedBy: "x"), by: tool)
        let first = try await store.summary()
        #expect(first.buildings == 1_200 && first.towns == 139 && first.facilitiesByKind["relief_centre"] == 65)
        // A second load with a bad building stores nothing of it: the first contents stay.
        var bad = Array(dataset.facilities.prefix(3))
        bad[1].capacity = -1
        await #expect(throws: StoreError.self) {
            try await store.replaceContents(
                with: StoreContents(towns: dataset.towns, facilities: bad, buildings: BuildingArrayBatches([])),
                progress: nil)
        }
        #expect(try await store.summary() == first)
        let few = Array(dataset.facilities.filter { $0.kind == .reliefCentre }.prefix(5))
        let recorder = ProgressLog()
        try await store.replaceContents(
            with: StoreContents(
                towns: dataset.towns, facilities: few,
                buildings: try SyntheticBuildingGenerator(seed: 6, totalBuildings: 300).batches(
                    towns: dataset.towns, stock: dataset.buildingStock)),
            progress: { recorder.add($0, $1) })
        let second = try await store.summary()
        #expect(second.buildings == 300 && second.facilitiesByKind == ["relief_centre": 5])
        #expect(recorder.last == [300, 300])
        #expect(try await store.currentStatuses().isEmpty)
        #expect(try await store.principal(forSecret: token.secret)?.role == .headquarters)
        #expect(try await store.auditEntries().count == 2)
        #expect(try await store.verifyAuditLog().isIntact)
    }

    /// Many readers run while one writer inserts batches; readers always see whole batches.
    @Test(arguments: StoreBackend.allCases)
    func concurrentReadersAndOneWriter(_ backend: StoreBackend) async throws {
        let (store, dataset) = try await backend.loadedStore()
        let stock = dataset.buildingStock
        let generator = SyntheticBuildingGenerator(seed: 3)
        let batches = (0..<8).map {
            generator.buildings(in: dataset.towns[$0], townIndex: $0, count: 250, stock: stock)
        }
        try await withThrowingTaskGroup(of: [Int].self) { group in
            group.addTask {
                for batch in batches { try await store.insert(batch) }
                return []
            }
            for reader in 0..<6 {
                group.addTask {
                    var seen: [Int] = []
                    let point = try GeoPoint(latitude: 35.69 + Double(reader) * 0.005, longitude: 139.63)
                    for _ in 0..<25 {
                        seen.append(try await store.buildingCount())
                        let nearest = try await store.nearestFacilities(to: point, count: 3, kinds: [.reliefCentre])
                        #expect(nearest.count == 3)
                    }
                    return seen
                }
            }
            for try await counts in group {
                #expect(counts.allSatisfy { $0 % 250 == 0 })
                #expect(counts == counts.sorted())
            }
        }
        #expect(try await store.buildingCount() == 2_000)
    }
}

/// The last progress a store reported, from whichever thread reports it.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int] = []

    func add(_ written: Int, _ total: Int) { lock.withLock { values = [written, total] } }

    var last: [Int] { lock.withLock { values } }
}
