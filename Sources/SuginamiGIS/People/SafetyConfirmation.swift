import Foundation
import SuginamiKit

/// 要配慮者の安否確認: the SDK's facade for confirming the safety of the people on the roster
/// (避難行動要支援者名簿) after an earthquake, as a daemon or an app serves it.
///
/// It puts together what the store keeps sealed (the roster and the checks), the towns
/// (町丁目), and a damage simulation's per-building results, and answers as one reader may
/// see: who is still unconfirmed, per relief centre and per town; who to check first and why;
/// what goes to Person Finder. Every person given is an audited read in the store; the rules of
/// who sees which field are ``PersonalDataPolicy``'s, of who records what
/// ``SafetyRecordingPolicy``'s.
///
/// ```swift
/// let confirmation = SafetyConfirmation(
///     store: store, key: try PersonalDataKey.load(from: keyFile),
///     policy: PersonalDataPolicy(disasterDeclared: true), towns: try await store.towns(),
///     damage: try BuildingDamage.read(run: runDirectory))
/// let overview = try await confirmation.overview(for: principal, from: address, purpose: "安否確認")
/// ```
public struct SafetyConfirmation: Sendable {
    /// Where the roster and the checks are kept.
    public let store: any SuginamiDatabase
    /// The key they are sealed with.
    public let key: PersonalDataKey
    /// Who may read which field.
    public let policy: PersonalDataPolicy
    /// The simulated damage per building, for ``priority(for:from:purpose:)``; `nil` without a run.
    public let damage: [BuildingDamage]?
    private let towns: TownLocator

    /// A facade over `store`, its roster sealed with `key`.
    /// - Parameters:
    ///   - towns: the 町丁目 the people are counted by.
    ///   - damage: a run's per-building damage (``BuildingDamage/read(run:)``), or `nil`.
    public init(
        store: any SuginamiDatabase, key: PersonalDataKey, policy: PersonalDataPolicy, towns: [Town],
        damage: [BuildingDamage]?
    ) {
        self.store = store
        self.key = key
        self.policy = policy
        self.damage = damage
        self.towns = TownLocator(towns: towns)
    }

    /// A person as the reader may see them, with their latest state and their town.
    public struct Entry: Sendable, Hashable {
        /// The person and their latest report.
        public var safety: PersonSafety
        /// The 町丁目 their home's position lies in (`nil` outside every town, or when the
        /// reader may not see the position).
        public var town: Area?
        /// Whether their safety is confirmed.
        public var isConfirmed: Bool { safety.isConfirmed }
    }

    /// A town or a relief centre, by its code and name.
    public struct Area: Sendable, Hashable {
        /// The census code of a town, the facility id of a centre.
        public var id: String
        /// Its name (`nil` for a centre the store does not know).
        public var name: String?
    }

    /// How many people an area has on the roster (as the reader may see them), and how many of
    /// them are still unconfirmed.
    public struct Tally: Sendable, Hashable {
        /// The town or the centre; `nil` for the people of none.
        public var area: Area?
        /// The people.
        public var people: Int
        /// Those not yet confirmed.
        public var unconfirmed: Int
    }

    /// What a reader sees of the roster's safety now.
    public struct Overview: Sendable, Hashable {
        /// Everyone the reader may see, by id.
        public var entries: [Entry]
        /// Per relief centre, by id (the people of no centre last).
        public var byCentre: [Tally]
        /// Per town, by code (the people of no town last).
        public var byTown: [Tally]
        /// How many are still unconfirmed.
        public var unconfirmed: Int { entries.count { !$0.isConfirmed } }
    }

    /// Everyone `principal` may see with their latest state, counted per centre and per town;
    /// each person given is an audited read with `purpose`.
    public func overview(for principal: Principal, from address: String, purpose: String) async throws -> Overview {
        let people = try await store.safetyOverview(
            visibleTo: principal, from: address, policy: policy, key: key, purpose: purpose)
        let entries = people.map { safety in
            Entry(
                safety: safety,
                town: safety.person.position.flatMap { towns.town(containing: $0) }.map {
                    Area(id: $0.code, name: $0.name)
                })
        }
        var centreNames: [String: String] = [:]
        for id in Set(people.compactMap(\.person.reliefCentreID)) {
            centreNames[id] = try await store.facility(id: id)?.name
        }
        func tallies(_ area: (Entry) -> Area?) -> [Tally] {
            Dictionary(grouping: entries, by: area).map { area, group in
                Tally(area: area, people: group.count, unconfirmed: group.count { !$0.isConfirmed })
            }.sorted { ($0.area?.id ?? "\u{10FFFF}") < ($1.area?.id ?? "\u{10FFFF}") }
        }
        return Overview(
            entries: entries,
            byCentre: tallies { entry in
                entry.safety.person.reliefCentreID.map { Area(id: $0, name: centreNames[$0]) }
            },
            byTown: tallies(\.town))
    }

    /// Records a report of a person's state, if `principal` may (see
    /// ``SuginamiStore/recordSafetyCheck(_:by:from:key:idempotency:now:)``).
    @discardableResult
    public func record(
        _ check: SafetyCheck, by principal: Principal, from address: String, idempotency: IdempotencyClaim? = nil
    ) async throws -> Recorded<Int64> {
        try await store.recordSafetyCheck(check, by: principal, from: address, key: key, idempotency: idempotency)
    }

    /// One unconfirmed person in the order to check them, with the reason.
    public struct RankedPerson: Sendable, Hashable {
        /// The person as the reader may see them.
        public var entry: Entry
        /// Their place: the damage at their address and why.
        public var rank: SafetyCheckPriority.Entry
    }

    /// The people `principal` may see who are still unconfirmed, first to check first
    /// (``SafetyCheckPriority``), by the simulated damage at their address and their needs.
    /// - Throws: ``SafetyConfirmationError/noSimulation`` without a run's damage.
    public func priority(for principal: Principal, from address: String, purpose: String) async throws
        -> [RankedPerson]
    {
        guard let damage else { throw SafetyConfirmationError.noSimulation }
        let unconfirmed = try await overview(for: principal, from: address, purpose: purpose).entries.filter {
            !$0.isConfirmed
        }
        let byID = Dictionary(uniqueKeysWithValues: unconfirmed.map { ($0.safety.person.id, $0) })
        let candidates = unconfirmed.compactMap { entry -> SafetyCheckPriority.Candidate? in
            guard let position = entry.safety.person.position else { return nil }
            return SafetyCheckPriority.Candidate(
                personID: entry.safety.person.id, position: position, needs: entry.safety.person.needs ?? [])
        }
        return SafetyCheckPriority(candidates: candidates, damage: damage).entries.compactMap { rank in
            byID[rank.personID].map { RankedPerson(entry: $0, rank: rank) }
        }
    }

    /// The PFIF 1.4 document of the people who consented (headquarters only; each an audited
    /// read), with their latest state, entered at `now` and expiring at `expiry`.
    /// - Returns: the document and how many people it holds.
    public func personFinder(
        by principal: Principal, from address: String, export: PFIFExport, now: Date, expiry: Date
    ) async throws -> (document: String, people: Int) {
        let (people, board) = try await store.peopleForPersonFinder(by: principal, from: address, key: key)
        return (try export.document(people: people, board: board, now: now, expiry: expiry), people.count)
    }
}

/// Why ``SafetyConfirmation`` cannot answer.
public enum SafetyConfirmationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Ranking needs a damage simulation's per-building results.
    case noSimulation

    /// A sentence saying what to do.
    public var description: String {
        switch self {
        case .noSimulation:
            "ranking who to check first needs a damage simulation: give the run directory `refd simulate --out` wrote"
        }
    }
}
