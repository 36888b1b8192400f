import Foundation
import SuginamiCore
import SuginamiKit

/// A mitigation scenario (被害軽減策): changes to the inventory and the fire parameters whose
/// effect a paired run measures against the baseline. A JSON file:
///
/// ```json
/// {
///   "name": "promotion-1",
///   "description": "耐震化 96 %, 不燃化 70 % in the dense wooden districts, breakers 25 %",
///   "seed": 1,
///   "retrofit": { "targetRate": 0.96, "towns": ["131150010"] },
///   "fireproofing": { "targetRate": 0.70, "towns": ["131150010"], "to": "quasi_fire_resistant" },
///   "breakerInstallation": 0.25,
///   "initialExtinguishment": 0.60,
///   "firebreaks": "widened-roads.geojson"
/// }
/// ```
///
/// - `retrofit`: raises 耐震化率 (the share of buildings built from 1981 or retrofitted) in the
///   towns listed (all when absent) to `targetRate`, retrofitting older buildings — a
///   reclassification, as in the damage model — oldest first, ties broken by a hash of
///   the building id with `seed`, so the same buildings change in every run.
/// - `fireproofing`: raises 不燃化率 (here the share of buildings that are 耐火 or 準耐火, by
///   count; TMG's 不燃領域率 is by area) in the towns listed by making wooden buildings `to`
///   (準耐火 by default), in the same order. Their shaking class is left as it was.
/// - `breakerInstallation`, `initialExtinguishment`: replace the fire parameters (TMG's
///   promotion cases: 25 % / 60 % and 50 % / 90 %).
/// - `firebreaks`: a GeoJSON file of lines (widened roads), relative to the scenario file.
public struct MitigationScenario: Sendable, Codable, Hashable {
    /// A change of one share in some towns.
    public struct RateChange: Sendable, Codable, Hashable {
        /// The share to reach, 0–1.
        public var targetRate: Double
        /// Town codes (all towns when absent).
        public var towns: [String]?
        /// For fire-proofing: the class buildings become.
        public var to: FireResistanceClass?
    }

    /// The name.
    public var name: String
    /// What it is, for reports.
    public var description: String
    /// Seed for choosing buildings.
    public var seed: UInt64
    /// 耐震化.
    public var retrofit: RateChange?
    /// 不燃化.
    public var fireproofing: RateChange?
    /// 感震ブレーカー installation rate.
    public var breakerInstallation: Double?
    /// 初期消火率.
    public var initialExtinguishment: Double?
    /// Firebreak lines (GeoJSON path).
    public var firebreaks: String?

    /// Reads and checks a scenario file.
    /// - Throws: ``FireInputError`` naming the file and field.
    public static func load(_ url: URL) throws(FireInputError) -> MitigationScenario {
        guard let data = try? Data(contentsOf: url) else {
            throw FireInputError(source: url.path, reason: "cannot read the file")
        }
        let scenario: MitigationScenario
        do {
            scenario = try JSONDecoder().decode(MitigationScenario.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw FireInputError(source: url.path, field: key.stringValue, reason: "required")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context) {
            throw FireInputError(
                source: url.path, field: context.codingPath.map(\.stringValue).joined(separator: "."),
                reason: context.debugDescription)
        } catch {
            throw FireInputError(source: url.path, reason: "\(error)")
        }
        try scenario.check(file: url.path)
        return scenario
    }

    func check(file: String) throws(FireInputError) {
        // The name becomes the directory `mitigation-NAME` of a run's output.
        if let problem = FileNameComponent.problem(with: name) {
            throw FireInputError(source: file, field: "name", reason: problem)
        }
        for (field, value) in [
            ("retrofit.targetRate", retrofit?.targetRate), ("fireproofing.targetRate", fireproofing?.targetRate),
            ("breakerInstallation", breakerInstallation), ("initialExtinguishment", initialExtinguishment),
        ] {
            if let value, !(value >= 0 && value <= 1) {
                throw FireInputError(source: file, field: field, reason: "\(value) is outside [0, 1]")
            }
        }
        if let to = fireproofing?.to, to != .fireResistant, to != .quasiFireResistant {
            throw FireInputError(
                source: file, field: "fireproofing.to", reason: "must be fire_resistant or quasi_fire_resistant")
        }
        if retrofit == nil, fireproofing == nil, breakerInstallation == nil, initialExtinguishment == nil,
            firebreaks == nil
        {
            throw FireInputError(source: file, reason: "changes nothing")
        }
    }

    /// The scenario applied.
    public struct Applied: Sendable {
        /// The buildings, same order and ids, some changed.
        public var buildings: [Building]
        /// The fire parameters.
        public var fire: FireParameters
        /// Firebreak lines.
        public var firebreakLines: [[GeoPoint]]
        /// What changed, for provenance and reports.
        public var notes: [String]
    }

    /// Applies the scenario.
    /// - Parameters:
    ///   - buildings: the baseline buildings.
    ///   - classes: each building's fire-resistance class in the baseline.
    ///   - fire: the baseline fire parameters.
    ///   - knownTowns: every town code of the ward (a scenario naming another is an error).
    ///   - directory: where relative paths (firebreaks) are resolved.
    /// - Throws: ``FireInputError`` for a town that does not exist or a bad firebreak file.
    public func apply(
        to buildings: [Building], classes: [FireResistanceClass], fire: FireParameters, knownTowns: Set<String>,
        directory: URL
    ) throws(FireInputError) -> Applied {
        for (field, change) in [("retrofit.towns", retrofit), ("fireproofing.towns", fireproofing)] {
            for town in change?.towns ?? [] where !knownTowns.contains(town) {
                throw FireInputError(source: "mitigation \(name)", field: field, reason: "town \(town) does not exist")
            }
        }
        var changed = buildings
        var notes = ["mitigation: \(name): \(description)"]
        // Oldest first; within a year by a seeded hash of the id (stable when buildings are added).
        func order(_ indices: [Int]) -> [Int] {
            indices.map { ($0, buildings[$0].constructionYear ?? 0, hash(buildings[$0].id)) }
                .sorted { ($0.1, $0.2) < ($1.1, $1.2) }.map(\.0)
        }
        func inScope(_ building: Building, _ change: RateChange) -> Bool {
            change.towns.map { $0.contains(building.townCode ?? "") } ?? true
        }
        if let retrofit {
            let scope = buildings.indices.filter { inScope(buildings[$0], retrofit) }
            func meets(_ building: Building) -> Bool {
                building.seismicRetrofit != .none || (building.constructionYear ?? 0) >= 1981
            }
            let before = scope.filter { meets(changed[$0]) }.count
            let needed = max(0, Int((retrofit.targetRate * Double(scope.count)).rounded(.up)) - before)
            let candidates = order(scope.filter { !meets(buildings[$0]) && buildings[$0].constructionYear != nil })
            for index in candidates.prefix(needed) { changed[index].seismicRetrofit = .retrofitted }
            let done = min(needed, candidates.count)
            notes.append(
                "mitigation: 耐震化率 in \(retrofit.towns.map { "\($0.count) towns" } ?? "the ward") "
                    + "\(rate(before, scope.count)) → \(rate(before + done, scope.count)) (target \(retrofit.targetRate)): "
                    + "\(done) buildings retrofitted, oldest first, ties by a seeded hash of the id")
        }
        if let fireproofing {
            let target = fireproofing.to ?? .quasiFireResistant
            let scope = buildings.indices.filter { inScope(buildings[$0], fireproofing) }
            func proof(_ index: Int) -> Bool {
                let resistance = changed[index].fireResistance ?? classes[index]
                return resistance == .fireResistant || resistance == .quasiFireResistant
            }
            let before = scope.filter(proof).count
            let needed = max(0, Int((fireproofing.targetRate * Double(scope.count)).rounded(.up)) - before)
            let candidates = order(scope.filter { !proof($0) })
            for index in candidates.prefix(needed) { changed[index].fireResistance = target }
            let done = min(needed, candidates.count)
            notes.append(
                "mitigation: 不燃化率 (by count) in \(fireproofing.towns.map { "\($0.count) towns" } ?? "the ward") "
                    + "\(rate(before, scope.count)) → \(rate(before + done, scope.count)) (target "
                    + "\(fireproofing.targetRate)): \(done) buildings made \(target.rawValue), oldest first; their shaking "
                    + "class is unchanged")
        }
        var parameters = fire
        if let breakerInstallation {
            parameters.breakerInstallation = breakerInstallation
            notes.append("mitigation: 感震ブレーカー installation \(fire.breakerInstallation) → \(breakerInstallation)")
        }
        if let initialExtinguishment {
            parameters.initialExtinguishment = initialExtinguishment
            notes.append("mitigation: 初期消火率 \(fire.initialExtinguishment) → \(initialExtinguishment)")
        }
        var lines: [[GeoPoint]] = []
        if let firebreaks {
            let url = URL(fileURLWithPath: firebreaks, relativeTo: directory)
            guard let data = try? Data(contentsOf: url) else {
                throw FireInputError(source: url.path, reason: "cannot read the firebreak file")
            }
            lines = try Firebreaks.lines(geoJSON: data, file: url.path)
            notes.append("mitigation: firebreaks (widened roads): \(lines.count) lines from \(firebreaks)")
        }
        return Applied(buildings: changed, fire: parameters, firebreakLines: lines, notes: notes)
    }

    private func hash(_ id: String) -> UInt64 {
        var value = seed ^ 0xCBF2_9CE4_8422_2325
        for byte in id.utf8 { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return CounterRandom.mix(value)
    }

    private func rate(_ count: Int, _ total: Int) -> String {
        total == 0 ? "n/a" : String(format: "%.3f", Double(count) / Double(total))
    }
}
