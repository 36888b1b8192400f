import Foundation
import Testing

@testable import SuginamiKit

@Suite("Bundled Suginami dataset")
struct BundledDatasetTests {
    @Test func countsMatchTheSources() throws {
        let dataset = try SuginamiDataset.bundled()
        let counts = Dictionary(grouping: dataset.facilities, by: \.kind).mapValues(\.count)
        #expect(
            counts == [
                .reliefCentre: 65, .emergencyEvacuationSite: 76, .designatedShelter: 78, .wideAreaEvacuationSite: 20,
                .waterStation: 8, .disasterHospital: 11,
            ])
        #expect(Set(dataset.facilities.map(\.id)).count == dataset.facilities.count)
        #expect(dataset.facilities.allSatisfy { $0.problems().isEmpty })
        // PROVENANCE.md: 72 capacities summing to 104,169 people.
        let sites = dataset.facilities.filter { $0.kind == .emergencyEvacuationSite }
        #expect(sites.compactMap(\.capacity).count == 72)
        #expect(sites.compactMap(\.capacity).reduce(0, +) == 104_169)
        #expect(dataset.facilities.filter(\.isWelfareShelter).count == 5)
        #expect(dataset.facilities.first { $0.name == "上井草給水所" }?.storedWaterLitres == 60_000_000)
        #expect(dataset.facilities.filter { $0.hospitalRole == .base }.count == 2)
    }

    @Test func reliefCentresSitAtTheirGSIShelterPositions() throws {
        let dataset = try SuginamiDataset.bundled()
        let shelters = Dictionary(
            uniqueKeysWithValues: dataset.facilities.filter { $0.kind == .designatedShelter }.map { ($0.id, $0) })
        for centre in dataset.facilities where centre.kind == .reliefCentre {
            let shelter = try #require(shelters[String(centre.id.dropFirst(3))])
            #expect(shelter.position == centre.position)
            #expect(shelter.name.hasSuffix(centre.name))
            #expect(centre.source.attribution.contains("国土地理院"))
        }
    }

    @Test func townsAndPopulation() throws {
        let towns = try SuginamiDataset.bundled().towns
        #expect(towns.count == 139)
        #expect(towns.reduce(0) { $0 + $1.population.total } == 571_703)
        #expect(towns.reduce(0) { $0 + $1.households } == 326_731)
        let honan = try #require(towns.first { $0.code == "13115001001" })
        #expect(honan.name == "方南一丁目")
        #expect(honan.households == 5092 && honan.population.total == 8177)
        #expect(honan.population.standardBands.map(\.people).reduce(0, +) == 8177)
        #expect(honan.population.standardBands.map(\.ages.lowerBound) == [0, 15, 65, 75])
        // PROVENANCE.md: the polygons cover 33.8 km² (the official ward area is 34.06 km²).
        let area = towns.reduce(0) { $0 + $1.boundary.approximateArea } / 1e6
        #expect(abs(area - 33.8) < 0.3)
    }

    @Test func everyGSISiteLiesInATown() throws {
        let dataset = try SuginamiDataset.bundled()
        for site in dataset.facilities where site.source == .gsiEmergencyEvacuationSites {
            #expect(dataset.towns.contains { $0.boundary.contains(site.position) }, "\(site.name)")
        }
    }

    @Test func damagedPopulationTableIsRejectedWithRowAndColumn() throws {
        var lines = String(decoding: try TestSupport.data("population_by_town_and_age.csv"), as: UTF8.self)
            .components(separatedBy: "\n")
        var fields = lines[3].components(separatedBy: ",")
        fields[2] = String(Int(fields[2])! + 1)
        lines[3] = fields.joined(separator: ",")
        #expect(
            throws: InputFileError(
                file: "pop.csv", location: .row(3, line: 4), field: "総人口",
                reason: "\(fields[2]) differs from the sum of the age columns (\(Int(fields[2])! - 1))")
        ) {
            try TownReader.towns(
                boundaries: try TestSupport.data("towns.geojson"), boundariesFile: "towns.geojson",
                population: Data(lines.joined(separator: "\n").utf8), populationFile: "pop.csv")
        }
    }

    @Test func unclosedTownRingIsRejected() throws {
        let text = String(decoding: try TestSupport.data("towns.geojson"), as: UTF8.self)
        // Drop the closing position of the first ring.
        let marker = "]]]}}"
        let end = try #require(text.range(of: marker))
        let ringText = text[..<end.lowerBound]
        let lastOpen = try #require(ringText.range(of: ",[", options: .backwards))
        let broken = String(text[..<lastOpen.lowerBound]) + String(text[text.index(after: end.lowerBound)...])
        #expect(
            throws: InputFileError(
                file: "towns.geojson", location: .feature(1), field: "geometry",
                reason: "ring 0 is not closed (its last point differs from its first)")
        ) {
            try TownReader.towns(
                boundaries: Data(broken.utf8), boundariesFile: "towns.geojson",
                population: try TestSupport.data("population_by_town_and_age.csv"), populationFile: "pop.csv")
        }
    }
}
