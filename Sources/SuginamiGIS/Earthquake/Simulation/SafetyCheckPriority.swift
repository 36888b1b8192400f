import Foundation
import SuginamiKit

/// 安否確認の優先順: whom to check first among the people not yet confirmed, by the simulated
/// probability that the building at their address collapsed or burned, and by their needs, each
/// with the reason for their place.
///
/// The rule, in order: the damage probability in bands of ten points (50 % or more first);
/// within a band, people who cannot leave alone or depend on medical care (寝たきり, 車いす,
/// 在宅酸素, 人工透析) first; then the exact probability; then the id. The probability of
/// 全壊 or 焼失 is taken as 1 − (1 − P全壊)(1 − P焼失), treating the two as independent (the
/// simulation gives each apart). A person is matched to the nearest building within
/// ``matchRadius`` of their position; one with no building there comes last, with a reason
/// asking to check the address.
public struct SafetyCheckPriority: Sendable {
    /// One person's place and why.
    public struct Entry: Sendable, Hashable {
        /// The roster's id.
        public var personID: String
        /// The building matched at the address, if any.
        public var buildingID: String?
        /// P(全壊) there, when the fragility set gives it.
        public var collapse: Double?
        /// P(焼失) there, when the run simulated fire.
        public var burnt: Double?
        /// P(全壊 or 焼失), as the ranking uses it; `nil` without a building.
        public var damage: Double?
        /// Cannot leave alone or depends on medical care.
        public var cannotLeaveAlone: Bool
        /// The reason, in Japanese.
        public var reason: String
    }

    /// How far from a person's position the building of their address may be, metres.
    public static let matchRadius = 30.0

    /// The needs that put a person first within a band.
    public static let urgentNeeds: Set<SupportNeed> = [.bedridden, .wheelchair, .oxygen, .dialysis]

    /// The people, first to check first.
    public let entries: [Entry]

    /// One person to place: the roster's id, where they live and what they need (all a ranking
    /// reads of a person, so that a reader who may see no more can rank).
    public struct Candidate: Sendable, Hashable {
        /// The roster's id.
        public var personID: String
        /// The home's position.
        public var position: GeoPoint
        /// 事由.
        public var needs: Set<SupportNeed>

        /// A person to place.
        public init(personID: String, position: GeoPoint, needs: Set<SupportNeed>) {
            self.personID = personID
            self.position = position
            self.needs = needs
        }
    }

    /// Ranks `people` by the run `result` made over `buildings` (in the order the run took them).
    /// - Throws: ``SafetyCheckPriorityError/otherBuildings(run:given:)`` when the result is not
    ///   of these buildings.
    public init(
        people: [PersonNeedingSupport], buildings: [Building], result: DamageSimulationResult
    ) throws(SafetyCheckPriorityError) {
        self.init(
            candidates: people.map { Candidate(personID: $0.id, position: $0.position, needs: $0.needs) },
            damage: try BuildingDamage.of(buildings, in: result))
    }

    /// Ranks `candidates` by the damage of the buildings at their addresses (``BuildingDamage``,
    /// as a run's `buildings.csv` gives it).
    public init(candidates: [Candidate], damage buildings: [BuildingDamage]) {
        guard let origin = buildings.first?.position ?? candidates.first?.position else {
            entries = []
            return
        }
        let plane = LocalPlane(origin: origin)
        let index = StaticPointIndex(
            points: buildings.map {
                let p = plane.project($0.position); return PlanePoint(northing: p.north, easting: p.east)
            })
        var entries: [Entry] = candidates.map { person in
            let p = plane.project(person.position)
            let urgent = !person.needs.isDisjoint(with: Self.urgentNeeds)
            let needs = person.needs.sorted { $0.rawValue < $1.rawValue }.map(\.japaneseName).joined(separator: "・")
            guard let match = index.nearest(to: PlanePoint(northing: p.north, easting: p.east)),
                match.distance <= Self.matchRadius
            else {
                return Entry(
                    personID: person.personID, buildingID: nil, collapse: nil, burnt: nil, damage: nil,
                    cannotLeaveAlone: urgent,
                    reason: "住所の\(Int(Self.matchRadius)) m以内に建物が見つからない（住所の位置を確認）; \(needs)")
            }
            let building = buildings[match.item]
            let (collapse, burnt) = (building.collapse, building.burnt)
            let damage = 1 - (1 - (collapse ?? 0)) * (1 - (burnt ?? 0))
            func percent(_ value: Double) -> String { "\(Int((value * 100).rounded())) %" }
            let parts = [collapse.map { "全壊 \(percent($0))" }, burnt.map { "焼失 \(percent($0))" }].compactMap { $0 }
            return Entry(
                personID: person.personID, buildingID: building.buildingID, collapse: collapse, burnt: burnt,
                damage: damage, cannotLeaveAlone: urgent,
                reason:
                    "全壊または焼失の確率 \(percent(damage))（\(parts.joined(separator: "・"))、建物 \(building.buildingID)）; "
                    + needs + (urgent ? "（自力での避難が困難・医療に依存）" : ""))
        }
        entries.sort { a, b in
            switch (a.damage, b.damage) {
            case (nil, nil): return a.personID < b.personID
            case (nil, _): return false
            case (_, nil): return true
            case (let x?, let y?):
                let (bandX, bandY) = (min(Int(x * 10), 9), min(Int(y * 10), 9))
                if bandX != bandY { return bandX > bandY }
                if a.cannotLeaveAlone != b.cannotLeaveAlone { return a.cannotLeaveAlone }
                if x != y { return x > y }
                return a.personID < b.personID
            }
        }
        self.entries = entries
    }
}

/// Why people cannot be ranked.
public enum SafetyCheckPriorityError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The run's per-building results are of another set of buildings.
    case otherBuildings(run: Int, given: Int)

    /// A sentence saying what to do.
    public var description: String {
        switch self {
        case .otherBuildings(let run, let given):
            "the simulation ran over \(run) buildings, \(given) were given: rank with the buildings the run used"
        }
    }
}
