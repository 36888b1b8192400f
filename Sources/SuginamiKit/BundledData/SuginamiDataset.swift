import Foundation

/// The real public data for Suginami ward that ship with the SDK: relief centres, shelters
/// and evacuation sites with capacities, wide-area evacuation sites, water stations, disaster
/// hospitals, the 139 町丁目 with their population, and Tokyo's building stock table.
///
/// ```swift
/// let dataset = try SuginamiDataset.bundled()
/// try await dataset.load(into: store)
/// ```
///
/// Every facility carries its 出典 in ``Facility/source``; ``attribution`` has the full text.
public struct SuginamiDataset: Sendable {
    /// All facilities, ordered by kind and id.
    public var facilities: [Facility]
    /// The 139 町丁目 with boundaries and population.
    public var towns: [Town]
    /// Tokyo's building stock by structure and era (input to the synthetic building generator).
    public var buildingStock: BuildingStockTable

    /// The attribution text (出典) that must accompany any use of the bundled data.
    public static var attribution: String {
        get throws { String(decoding: try resource("ATTRIBUTION.md"), as: UTF8.self) }
    }

    /// Reads and cross-checks the bundled files.
    /// - Throws: `InputFileError` if a bundled file is damaged (naming the file and row).
    public static func bundled() throws -> SuginamiDataset {
        let emergencySites = try FacilityImporter.read(
            resource("emergency_131156.geojson"), file: "emergency_131156.geojson", format: .geoJSON,
            layout: .gsiEmergencySites
        ).records
        let shelters = try FacilityImporter.read(
            resource("evacuation_131156.geojson"), file: "evacuation_131156.geojson", format: .geoJSON,
            layout: .gsiShelters
        ).records
        let reader = BundledFacilityReader(
            capacityTable: try table("shelters_with_capacity.csv"), reliefCentreTable: try table("relief_centres.csv"),
            wideAreaTable: try table("wide_area_evacuation_sites.csv"),
            waterStationTable: try table("disaster_water_stations.csv"),
            hospitalTable: try table("disaster_hospitals.csv"))
        var facilities = try reader.withCapacities(emergencySites)
        facilities += BundledFacilityReader.markingWelfareShelters(shelters)
        facilities += try reader.reliefCentres(matching: shelters, capacitiesFrom: facilities)
        facilities += try reader.wideAreaSites()
        facilities += try reader.waterStations()
        facilities += try reader.hospitals()
        facilities.sort { ($0.kind.rawValue, $0.id) < ($1.kind.rawValue, $1.id) }
        let towns = try TownReader.towns(
            boundaries: resource("towns.geojson"), boundariesFile: "towns.geojson",
            population: resource("population_by_town_and_age.csv"), populationFile: "population_by_town_and_age.csv")
        let stock = try BuildingStockTable(
            csv: resource("building_stock_tokyo_2020.csv"), file: "building_stock_tokyo_2020.csv")
        return SuginamiDataset(facilities: facilities, towns: towns, buildingStock: stock)
    }

    /// Writes the facilities and towns into the store (one transaction each).
    public func load(into store: some ReferenceDataStore) async throws {
        try await store.save(towns)
        try await store.save(facilities)
    }

    static func resource(_ name: String) throws(InputFileError) -> Data {
        guard let url = Bundle.suginamiKit?.url(forResource: name, withExtension: nil, subdirectory: "Resources") else {
            throw InputFileError(file: name, location: .file, reason: "bundled resource is missing")
        }
        do { return try Data(contentsOf: url) } catch {
            throw InputFileError(file: name, location: .file, reason: "bundled resource cannot be read (\(error))")
        }
    }

    static func table(_ name: String) throws(InputFileError) -> (table: CSVTable, file: String) {
        (try CSVTable(parsing: try TextEncoding.utf8.decode(resource(name), file: name), file: name), name)
    }
}
