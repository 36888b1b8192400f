import SuginamiKit

/// How a building without a recorded 防火性能 gets one: a class per structure, given by the
/// run (never guessed by the SDK). A building with a recorded class keeps it.
public struct FireClassRule: Sendable, Hashable {
    /// The class per structure.
    public var byStructure: [StructureClass: FireResistanceClass]

    /// Creates a rule.
    public init(byStructure: [StructureClass: FireResistanceClass] = [:]) {
        self.byStructure = byStructure
    }

    /// Parses `structure=class,…`, e.g. `wooden=fire_preventive,non_wooden=fire_resistant`.
    /// - Throws: ``FireInputError`` naming the unknown structure or class.
    public init(parsing text: String) throws(FireInputError) {
        var map: [StructureClass: FireResistanceClass] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else {
                throw FireInputError(source: "fire class rule", reason: "\"\(pair)\" is not structure=class")
            }
            guard let structure = StructureClass(rawValue: parts[0]) else {
                throw FireInputError(
                    source: "fire class rule", field: parts[0],
                    reason:
                        "unknown structure (known: \(StructureClass.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let resistance = FireResistanceClass(rawValue: parts[1]) else {
                throw FireInputError(
                    source: "fire class rule", field: parts[1],
                    reason:
                        "unknown fire-resistance class (known: \(FireResistanceClass.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            guard map.updateValue(resistance, forKey: structure) == nil else {
                throw FireInputError(source: "fire class rule", field: parts[0], reason: "given twice")
            }
        }
        byStructure = map
    }

    /// The class of each building.
    /// - Throws: ``FireInputError`` naming the first building with neither a recorded class
    ///   nor a rule for its structure.
    public func classes(of buildings: [Building]) throws(FireInputError) -> [FireResistanceClass] {
        var result: [FireResistanceClass] = []
        result.reserveCapacity(buildings.count)
        for building in buildings {
            guard let resistance = building.fireResistance ?? byStructure[building.structure] else {
                throw FireInputError(
                    source: "building \(building.id)", field: "fire_resistance",
                    reason:
                        "no fire-resistance class recorded and no rule for structure \(building.structure.rawValue)")
            }
            result.append(resistance)
        }
        return result
    }

    /// The rule as text, for provenance.
    public var text: String {
        byStructure.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue)=\($0.value.rawValue)" }
            .joined(separator: ",")
    }
}
