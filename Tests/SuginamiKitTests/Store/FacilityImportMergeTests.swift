import Foundation
import SuginamiTestSupport
import Testing

@testable import SuginamiKit

/// Importing the GSI emergency-site list over the bundled data must not silently drop the
/// capacities the ward publishes (the GSI list has none): merged by default, dropped only when
/// asked, and refused on request.
@Suite("Facility import over stored records")
struct FacilityImportMergeTests {
    func totalCapacity(_ store: any StoreBackend.Store) async throws -> Int {
        try await store.facilities().reduce(0) { $0 + ($1.capacity ?? 0) }
    }

    func gsiSites() throws -> [Facility] {
        try FacilityImporter.read(contentsOf: TestSupport.bundledFile("emergency_131156.geojson")).records
    }

    @Test(arguments: StoreBackend.allCases)
    func mergeKeepsWhatTheFileLacks(_ backend: StoreBackend) async throws {
        let (store, _) = try await backend.loadedStore()
        let before = try await totalCapacity(store)
        let sites = try gsiSites()
        #expect(sites.allSatisfy { $0.capacity == nil })
        let summary = try await store.importFacilities(sites)
        #expect(summary.updated > 0 && summary.keptCapacity > 0 && summary.droppedValues.isEmpty)
        #expect((summary.keptValues["capacity"] ?? 0) > 0)
        #expect(try await totalCapacity(store) == before)
    }

    @Test(arguments: StoreBackend.allCases)
    func replaceDropsAndSaysHowMuch(_ backend: StoreBackend) async throws {
        let (store, _) = try await backend.loadedStore()
        let before = try await totalCapacity(store)
        let summary = try await store.importFacilities(try gsiSites(), existing: .replace)
        #expect(summary.droppedCapacity > 0)
        #expect(try await totalCapacity(store) == before - summary.droppedCapacity)
    }

    @Test(arguments: StoreBackend.allCases)
    func refuseWritesNothing(_ backend: StoreBackend) async throws {
        let (store, _) = try await backend.loadedStore()
        let before = try await store.facilities()
        await #expect(throws: StoreError.self) { try await store.importFacilities(try gsiSites(), existing: .refuse) }
        #expect(try await store.facilities() == before)
    }
}
