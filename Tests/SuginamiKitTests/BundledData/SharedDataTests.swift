import Foundation
import Testing

@testable import SuginamiKit

/// The bundled files are the project's collected originals, byte for byte: if someone edits one
/// side, this fails. It needs `../shared/data` beside the repository (as in CI).
@Suite("Bundled data match the shared originals")
struct SharedDataTests {
    static let shared = TestSupport.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    static let available = FileManager.default.fileExists(atPath: shared.path)

    static let pairs: [(bundled: String, original: String)] = [
        ("emergency_131156.geojson", "gsi_hinanbasho_131156/emergency_131156.geojson"),
        ("evacuation_131156.geojson", "gsi_hinanbasho_131156/evacuation_131156.geojson"),
        ("relief_centres.csv", "relief_centres_muk-ai/evacuation_sites.csv"),
        ("shelters_with_capacity.csv", "suginami_town_api_extract/shelters_with_capacity.csv"),
        ("wide_area_evacuation_sites.csv", "suginami_town_api_extract/wide_area_evacuation_sites.csv"),
        ("disaster_water_stations.csv", "suginami_town_api_extract/disaster_water_stations.csv"),
        ("disaster_hospitals.csv", "suginami_town_api_extract/disaster_hospitals.csv"),
        ("towns.geojson", "boundaries_suginami/towns.geojson"),
        ("population_by_town_and_age.csv", "population_suginami/suginami_population_by_chome_age.csv"),
        ("building_stock_tokyo_2020.csv", "buildings/tokyo_building_stock_by_structure_and_age_2020.csv"),
    ]

    @Test(.enabled(if: available, "../shared/data is not beside the repository"))
    func bundledFilesAreTheOriginals() throws {
        for pair in Self.pairs {
            let original = try Data(contentsOf: Self.shared.appendingPathComponent(pair.original))
            #expect(try TestSupport.data(pair.bundled) == original, "\(pair.bundled)")
        }
    }

    @Test(.enabled(if: available, "../shared/data is not beside the repository"))
    func sharedGeoJSONInShiftJISImportsTheSame() throws {
        let original = try Data(contentsOf: Self.shared.appendingPathComponent(Self.pairs[0].original))
        let shiftJIS = try TextEncoding.shiftJIS.encode(String(decoding: original, as: UTF8.self), file: "e.geojson")
        let fromUTF8 = try FacilityImporter.read(original, file: "e.geojson", format: .geoJSON).records
        let fromShiftJIS = try FacilityImporter.read(shiftJIS, file: "e.geojson", format: .geoJSON).records
        #expect(fromShiftJIS == fromUTF8)
        #expect(fromUTF8.count == 76)
    }
}
