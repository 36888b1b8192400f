/// 避難者: TMG's (2022, p. 6-70, PRIMARY) evacuees of a town in an event, the one rule the
/// shelter demand and the mitigation comparison share:
///
/// - from building damage: (全壊 + 焼失) × residents per building × 100 % + 半壊 × residents per
///   building × 50.3 %, the 半壊 term only where the fragility set gives 半壊 (the bundled one does
///   not: then the count is a FLOOR);
/// - from lifelines (断水, lifts stopped): the town's other residents × a share. TMG's rates by
///   time after the event were not found, so the share is a parameter with no default; without it
///   the lifeline term is left out and the count is a FLOOR.
///
/// Buildings both collapsed and burnt count twice, as in TMG's sum; a town's damage evacuees are
/// capped at its residents.
public struct EvacueeFormula: Sendable, Hashable {
    /// Evacuees per resident of a half-collapsed (半壊) building: 50.3 %.
    public static let halfCollapseShare = 0.503

    /// The share of the residents not displaced by damage who leave for lack of water or lifts
    /// (断水率 × 避難率 at the time considered), when given.
    public let lifelineShare: Double?

    /// The formula without the lifeline term.
    public static let withoutLifelines = EvacueeFormula(unchecked: nil)

    private init(unchecked lifelineShare: Double?) { self.lifelineShare = lifelineShare }

    /// A formula with the lifeline share, if any.
    /// - Throws: ``SimulationError/parameter(_:)`` for a share outside [0, 1].
    public init(lifelineShare: Double? = nil) throws(SimulationError) {
        if let lifelineShare {
            guard (0...1).contains(lifelineShare) else {
                throw .parameter("the lifeline evacuation share \(lifelineShare) is outside [0, 1]")
            }
        }
        self.lifelineShare = lifelineShare
    }

    /// The evacuees of one town in one event.
    /// - Parameters:
    ///   - collapsed: expected 全壊 buildings.
    ///   - burnt: expected 焼失 buildings.
    ///   - halfCollapsed: expected 半壊 buildings (not 全壊), 0 where not modelled.
    ///   - peoplePerBuilding: the town's residents per building.
    ///   - residents: the town's residents.
    public func evacuees(
        collapsed: Double, burnt: Double, halfCollapsed: Double, peoplePerBuilding: Double, residents: Double
    ) -> (damage: Double, lifeline: Double) {
        let damage = min(
            residents, (collapsed + burnt + Self.halfCollapseShare * halfCollapsed) * peoplePerBuilding)
        return (damage, max(0, residents - damage) * (lifelineShare ?? 0))
    }

    /// Whether the counts leave a term out, given whether the run models 半壊.
    public func isFloor(modelsHalfCollapse: Bool) -> Bool { !modelsHalfCollapse || lifelineShare == nil }

    /// The lines for a run's provenance.
    public func provenance(modelsHalfCollapse: Bool) -> [String] {
        [
            "evacuees: (全壊 + 焼失) × residents per building × 100 % + 半壊 × residents per building × 50.3 % "
                + "(TMG 2022 p. 6-70, PRIMARY); "
                + (modelsHalfCollapse
                    ? "半壊 from the fragility set's 半壊 function"
                    : "半壊 NOT MODELLED (the fragility set has no 半壊 function): a FLOOR"),
            lifelineShare.map {
                "evacuees: lifelines (断水, lifts) = the other residents × \($0) (given: TMG's rates by time were "
                    + "not found)"
            }
                ?? "evacuees: lifeline term (断水, lifts) NOT MODELLED (TMG's rates by time were not found; give a "
                + "share): a FLOOR",
        ]
    }
}
