import Foundation

/// The people who need help (要配慮者) in a store: the roster sealed at rest, safety checks
/// (安否確認), Person Finder's notes in and out, and deletion at the end of retention. Every
/// read of a person is audited with its purpose.
///
/// Two back ends give it: ``SuginamiStore`` (SQLite) and `PostgresStore` (SuginamiPostgreSQL).
public protocol PeopleStore: OperationsStore {
    /// Saves a roster (replacing people with the same id), each sealed with `key` and kept until
    /// `retainUntil`; one audit entry records the import.
    /// - Returns: the number of people saved.
    /// - Throws: ``StoreError`` for an invalid person or an id twice, before anything is written.
    @discardableResult
    func saveRoster(_ people: [PersonNeedingSupport], key: PersonalDataKey, retainUntil: Date, by actor: Actor)
        async throws -> Int

    /// The people `principal` may see under `policy`, each with only the fields they may read,
    /// by id; each person given is an audited read with `purpose`.
    /// - Throws: ``PeopleStoreError`` when a record was sealed with another key or does not open.
    func people(
        visibleTo principal: Principal, from address: String, policy: PersonalDataPolicy, key: PersonalDataKey,
        purpose: String
    ) async throws -> [PersonView]

    /// Records a safety check for a person on the roster, sealed as the person is, if
    /// `principal` may (``SafetyRecordingPolicy``); audited without its content.
    /// - Returns: the check's number in the store (rising with every check).
    /// - Throws: ``SafetyCheckError``, ``PeopleStoreError``; nothing is written then.
    @discardableResult
    func recordSafetyCheck(
        _ check: SafetyCheck, by principal: Principal, from address: String, key: PersonalDataKey,
        idempotency: IdempotencyClaim?, now: Date
    ) async throws -> Recorded<Int64>

    /// The safety checks of these people, opened, in the order they were recorded.
    func safetyChecks(of people: Set<String>, key: PersonalDataKey) async throws -> [SafetyCheck]

    /// Records what Person Finder's notes say of the people on the roster, in one transaction:
    /// headquarters only; a note already recorded (the same source), on someone not on the
    /// roster, or observed after `now` is left out, saying why.
    func importPersonFinderNotes(
        _ checks: [SafetyCheck], by principal: Principal, from address: String, key: PersonalDataKey, now: Date
    ) async throws -> (recorded: Int, skipped: [String])

    /// The people who consented to be published for Person Finder, in full, with their safety
    /// checks: headquarters only, each person exported an audited read.
    func peopleForPersonFinder(by principal: Principal, from address: String, key: PersonalDataKey) async throws
        -> (people: [PersonNeedingSupport], board: SafetyBoard)

    /// Deletes every person whose retention ended before `now`; one audit entry lists them.
    @discardableResult
    func deleteExpiredPeople(now: Date, by actor: Actor) async throws -> [String]
}

extension PeopleStore {
    /// Records a safety check now (``recordSafetyCheck(_:by:from:key:idempotency:now:)``).
    @discardableResult
    public func recordSafetyCheck(
        _ check: SafetyCheck, by principal: Principal, from address: String, key: PersonalDataKey,
        idempotency: IdempotencyClaim? = nil
    ) async throws -> Recorded<Int64> {
        try await recordSafetyCheck(
            check, by: principal, from: address, key: key, idempotency: idempotency, now: Date())
    }

    /// Records Person Finder's notes as of now.
    public func importPersonFinderNotes(
        _ checks: [SafetyCheck], by principal: Principal, from address: String, key: PersonalDataKey
    ) async throws -> (recorded: Int, skipped: [String]) {
        try await importPersonFinderNotes(checks, by: principal, from: address, key: key, now: Date())
    }

    /// The people `principal` may see, each with their latest safety check (`nil` when nobody
    /// has reported on them yet), by id. Each person given is an audited read.
    public func safetyOverview(
        visibleTo principal: Principal, from address: String, policy: PersonalDataPolicy, key: PersonalDataKey,
        purpose: String
    ) async throws -> [PersonSafety] {
        let visible = try await people(visibleTo: principal, from: address, policy: policy, key: key, purpose: purpose)
        let board = SafetyBoard(try await safetyChecks(of: Set(visible.map(\.id)), key: key))
        return visible.map { PersonSafety(person: $0, latest: board.latest[$0.id]) }
    }

    /// The people `principal` may see whose safety is not yet confirmed, by relief centre, with
    /// the latest check of each where there is one. Each person given is an audited read.
    public func unconfirmedPeople(
        visibleTo principal: Principal, from address: String, policy: PersonalDataPolicy, key: PersonalDataKey,
        purpose: String
    ) async throws -> [String: [PersonView]] {
        let overview = try await safetyOverview(
            visibleTo: principal, from: address, policy: policy, key: key, purpose: purpose)
        return Dictionary(
            grouping: overview.filter { !$0.isConfirmed }.map(\.person), by: { $0.reliefCentreID ?? "" })
    }
}
