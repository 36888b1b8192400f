import Foundation
import SuginamiKit
import Testing

@testable import SuginamiGIS

/// Who to check first: by the simulated damage at the address in bands of ten points, those who
/// cannot leave alone first within a band, each with its reason; no building at the address
/// comes last and says so; a run over other buildings is refused.
@Suite struct SafetyCheckPriorityTests {
    /// Four buildings 100 m apart along a street.
    static func buildings() throws -> [Building] {
        try (0..<4).map { index in
            Building(
                id: "b\(index)", position: try GeoPoint(latitude: 35.70, longitude: 139.630 + 0.0011 * Double(index)),
                structure: .wooden, isSynthetic: true)
        }
    }

    static func result(collapse: [Float], burnt: [Float]?) -> DamageSimulationResult {
        DamageSimulationResult(
            scenario: "test", events: 1, seed: 1, states: [.collapse], cells: [], towns: [], eventTotals: [[0]],
            buildingProbabilities: collapse.map { [$0] }, townEventCollapse: [],
            fire: burnt.map {
                FireResult(
                    cells: [], towns: [], townDeaths: [], eventBurnt: [0], townEventBurnt: [], ignitions: [[]],
                    clusterOfBuilding: [0, 1, 2, 3], clusterSizes: [1, 1, 1, 1], buildingProbabilities: $0)
            }, provenance: [])
    }

    static func person(_ id: String, near building: Int, metres: Double = 5, needs: Set<SupportNeed>) throws
        -> PersonNeedingSupport
    {
        let base = try buildings()[building].position
        return PersonNeedingSupport(
            id: id, name: id, kana: "な", address: "杉並区",
            position: try GeoPoint(latitude: base.latitude + metres / 111_000, longitude: base.longitude),
            dateOfBirth: try CalendarDay(year: 1940, month: 1, day: 1), needs: needs, consent: .consented)
    }

    @Test func damageBandsThenNeedsThenProbability() throws {
        let people = [
            try Self.person("F", near: 0, metres: 60, needs: [.bedridden]),  // no building within 30 m
            try Self.person("D", near: 3, needs: [.hearing]),
            try Self.person("E", near: 2, needs: [.language]),
            try Self.person("C", near: 2, needs: [.bedridden]),
            try Self.person("B", near: 1, needs: [.language]),
            try Self.person("G", near: 1, needs: [.oxygen, .sight]),
            try Self.person("A", near: 0, needs: [.hearing]),
        ]
        let ranking = try SafetyCheckPriority(
            people: people, buildings: try Self.buildings(),
            result: Self.result(collapse: [0.55, 0.12, 0.15, 0.02], burnt: [0, 0.1, 0, 0]))
        #expect(ranking.entries.map(\.personID) == ["A", "G", "B", "C", "E", "D", "F"])
        let g = try #require(ranking.entries.first { $0.personID == "G" })
        // 1 − 0.88 × 0.9 = 0.208.
        #expect(abs(g.damage! - 0.208) < 1e-6 && g.buildingID == "b1" && g.cannotLeaveAlone)
        #expect(g.reason == "全壊または焼失の確率 21 %（全壊 12 %・焼失 10 %、建物 b1）; 在宅酸素・視覚障害（自力での避難が困難・医療に依存）")
        let f = try #require(ranking.entries.last)
        #expect(f.damage == nil && f.reason.hasPrefix("住所の30 m以内に建物が見つからない"))
    }

    @Test func withoutFireTheCollapseAloneRanks() throws {
        let ranking = try SafetyCheckPriority(
            people: [try Self.person("X", near: 1, needs: [.infant]), try Self.person("Y", near: 0, needs: [.infant])],
            buildings: try Self.buildings(), result: Self.result(collapse: [0.3, 0.4, 0, 0], burnt: nil))
        #expect(ranking.entries.map(\.personID) == ["X", "Y"] && ranking.entries[0].burnt == nil)
        #expect(ranking.entries[0].reason.hasPrefix("全壊または焼失の確率 40 %（全壊 40 %、建物 b1）"))
    }

    @Test func aRunOverOtherBuildingsIsRefused() {
        #expect(throws: SafetyCheckPriorityError.otherBuildings(run: 3, given: 4)) {
            try SafetyCheckPriority(
                people: [], buildings: try Self.buildings(), result: Self.result(collapse: [0.1, 0.2, 0.3], burnt: nil))
        }
    }

    @Test("A run's buildings.csv reads back as the damage the ranking uses, and the same ranking comes out")
    func aRunsBuildingsFileRanksAsTheRunItself() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("damage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = Self.result(collapse: [0.55, 0.12, 0.15, 0.02], burnt: [0, 0.1, 0, 0])
        try result.writeBuildingsCSV(try Self.buildings(), to: directory.appendingPathComponent("buildings.csv"))
        let read = try BuildingDamage.read(run: directory)
        #expect(read.map(\.buildingID) == ["b0", "b1", "b2", "b3"])
        #expect(read[1].collapse == 0.12 && read[1].burnt == 0.1)
        let people = [
            try Self.person("B", near: 1, needs: [.language]), try Self.person("A", near: 0, needs: [.hearing]),
            try Self.person("G", near: 1, needs: [.oxygen]),
        ]
        let fromRun = try SafetyCheckPriority(people: people, buildings: try Self.buildings(), result: result)
        let fromFile = SafetyCheckPriority(
            candidates: people.map { .init(personID: $0.id, position: $0.position, needs: $0.needs) }, damage: read)
        #expect(fromFile.entries.map(\.personID) == ["A", "G", "B"])
        #expect(fromFile.entries.map(\.reason) == fromRun.entries.map(\.reason))
    }

    @Test("A buildings.csv that is not a run's, or has a bad row, is refused by file, row and field")
    func badBuildingsFilesAreNamed() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("damage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("buildings.csv")
        func refusal(_ text: String) -> String {
            do {
                try Data(text.utf8).write(to: file)
                _ = try BuildingDamage.read(run: directory)
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        let header = "building_id,longitude,latitude,p_collapse,p_burnt\n"
        #expect(refusal(header + "b0,139.63,35.70,0.5,0\n") == "accepted")
        #expect(refusal("id,x,y\nb0,1,2\n").contains("building_id"))
        #expect(refusal(header + "b0,139.63,35.70,0.5,0\nb1,139.63,35.70,1.5,0\n").contains("row 2"))
        #expect(refusal(header + "b0,139.63,35.70,1.5,0\n").contains("p_collapse"))
        #expect(refusal(header + "b0,east,35.70,0.5,0\n").contains("longitude"))
        #expect(refusal(header + "b0,139.63,95,0.5,0\n").contains("position"))
        #expect(refusal(header + ",139.63,35.70,0.5,0\n").contains("building_id"))
        #expect(refusal("").contains("buildings.csv"))
        #expect(throws: InputFileError.self) { try BuildingDamage.read(run: directory.appendingPathComponent("none")) }
    }
}
