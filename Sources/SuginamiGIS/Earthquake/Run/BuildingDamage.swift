import Foundation
import SuginamiKit

/// What a damage simulation says of one building: where it stands, and the probability that it
/// collapsed (全壊) and that it burned (焼失) over the run's events, when the run modelled them.
///
/// The form in which a run's per-building results leave the run (`buildings.csv`) and come back
/// to whoever needs them, such as ``SafetyCheckPriority`` in the daemon, without the run itself.
public struct BuildingDamage: Sendable, Hashable {
    /// The building's id.
    public var buildingID: String
    /// Where it stands.
    public var position: GeoPoint
    /// P(全壊), or `nil` when the fragility set gave no 全壊 function.
    public var collapse: Double?
    /// P(焼失), or `nil` when the run simulated no fire.
    public var burnt: Double?

    /// A building's damage.
    public init(buildingID: String, position: GeoPoint, collapse: Double?, burnt: Double?) {
        self.buildingID = buildingID
        self.position = position
        self.collapse = collapse
        self.burnt = burnt
    }

    /// Each building of `buildings` with its probabilities in `result` (the run made over them).
    /// - Throws: ``SafetyCheckPriorityError/otherBuildings(run:given:)`` when the result is not
    ///   of these buildings.
    public static func of(_ buildings: [Building], in result: DamageSimulationResult)
        throws(SafetyCheckPriorityError) -> [BuildingDamage]
    {
        guard result.buildingProbabilities.count == buildings.count,
            result.fire.map({ $0.buildingProbabilities.count == buildings.count }) ?? true
        else {
            throw .otherBuildings(run: result.buildingProbabilities.count, given: buildings.count)
        }
        let collapseState = result.states.firstIndex(of: .collapse)
        return buildings.indices.map { index in
            BuildingDamage(
                buildingID: buildings[index].id, position: buildings[index].position,
                collapse: collapseState.map { Double(result.buildingProbabilities[index][$0]) },
                burnt: result.fire.map { Double($0.buildingProbabilities[index]) })
        }
    }

    /// The buildings of a run directory written by `refd simulate --out`, from its
    /// `buildings.csv` (`building_id`, `longitude`, `latitude`, a `p_…` column per damage state
    /// and `p_burnt` with fire).
    /// - Throws: `InputFileError` naming the file, the row and the field that is missing or not
    ///   a position or a probability.
    public static func read(run directory: URL) throws(InputFileError) -> [BuildingDamage] {
        let url = directory.appendingPathComponent("buildings.csv")
        let table = try CSVTable(parsing: try InputFile.text(url, limit: 1 << 30), file: url.path)
        func column(_ name: String) throws(InputFileError) -> Int {
            guard let index = table.header.firstIndex(of: name) else {
                throw InputFileError(
                    file: url.path, location: .line(1), field: name,
                    reason: "is not a column: this is not the buildings.csv of a run (refd simulate --out)")
            }
            return index
        }
        let id = try column("building_id")
        let longitude = try column("longitude")
        let latitude = try column("latitude")
        let collapse = table.header.firstIndex(of: "p_\(DamageState.collapse.rawValue)")
        let burnt = table.header.firstIndex(of: "p_burnt")
        var buildings: [BuildingDamage] = []
        buildings.reserveCapacity(table.records.count)
        for (index, record) in table.records.enumerated() {
            let location = InputFileError.Location.row(index + 1, line: table.lines[index])
            func field(_ column: Int, _ name: String) throws(InputFileError) -> String {
                guard column < record.count, !record[column].isEmpty else {
                    throw InputFileError(file: url.path, location: location, field: name, reason: "is empty")
                }
                return record[column]
            }
            func probability(_ column: Int?, _ name: String) throws(InputFileError) -> Double? {
                guard let column else { return nil }
                let text = try field(column, name)
                guard let value = Double(text), (0...1).contains(value) else {
                    throw InputFileError(
                        file: url.path, location: location, field: name, reason: "\(text.prefix(40)) is not from 0 to 1"
                    )
                }
                return value
            }
            func coordinate(_ column: Int, _ name: String) throws(InputFileError) -> Double {
                let text = try field(column, name)
                guard let value = Double(text) else {
                    throw InputFileError(
                        file: url.path, location: location, field: name, reason: "\(text.prefix(40)) is not a number")
                }
                return value
            }
            let (y, x) = (try coordinate(latitude, "latitude"), try coordinate(longitude, "longitude"))
            let position: GeoPoint
            do throws(GeoPointError) {
                position = try GeoPoint(latitude: y, longitude: x)
            } catch {
                throw InputFileError(file: url.path, location: location, field: "position", reason: error.description)
            }
            buildings.append(
                BuildingDamage(
                    buildingID: try field(id, "building_id"), position: position,
                    collapse: try probability(collapse, "p_collapse"), burnt: try probability(burnt, "p_burnt")))
        }
        return buildings
    }
}
