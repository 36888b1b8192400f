import Foundation
import GRDB

extension SuginamiStore {
    /// Saves a roster of people who need help (replacing people with the same id), each sealed
    /// with `key` and kept until `retainUntil`; one audit entry records the import.
    /// - Returns: the number of people saved.
    /// - Throws: ``StoreError`` for an invalid person or an id twice, before anything is written.
    @discardableResult
    public func saveRoster(
        _ people: [PersonNeedingSupport], key: PersonalDataKey, retainUntil: Date, by actor: Actor
    ) async throws -> Int {
        try people.validateForStore()
        let sealed = try people.map { person in
            (person, try key.seal(Data(try DocumentCoding.encode(person).utf8), recordID: person.id))
        }
        return try await change(by: actor, idempotency: nil) { db, log in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO personNeedingSupport (id, reliefCentreID, retainUntil, keyID, sealed)
                    VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET reliefCentreID = excluded.reliefCentreID,
                        retainUntil = excluded.retainUntil, keyID = excluded.keyID, sealed = excluded.sealed
                    """)
            for (person, data) in sealed {
                try statement.execute(arguments: [
                    person.id, person.reliefCentreID, retainUntil.timeIntervalSince1970, key.id, data,
                ])
            }
            try log.audit(
                "roster.save", subject: "people", detail: "\(sealed.count) people, kept until \(retainUntil)")
            return sealed.count
        }.value
    }

    /// The people `principal` may see under `policy`, each with only the fields they may read,
    /// by id. Every person given is a read of personal data, and one audit entry with `purpose`.
    /// - Throws: ``PeopleStoreError`` when a record was sealed with another key or does not open
    ///   (changed on disk); nothing is given then.
    public func people(
        visibleTo principal: Principal, from address: String, policy: PersonalDataPolicy, key: PersonalDataKey,
        purpose: String
    ) async throws -> [PersonView] {
        // Only the rows the role could see are opened at all.
        let filter: (sql: String, arguments: StatementArguments)
        switch principal.role {
        case .headquarters: filter = ("", [])
        case .staff:
            guard let centre = principal.facilityID else { return [] }
            filter = ("WHERE reliefCentreID = ?", [centre])
        case .public, .admin: return []
        }
        return try await change(by: .principal(principal, from: address), idempotency: nil) { db, log in
            var views: [PersonView] = []
            for row in try Row.fetchAll(
                db, sql: "SELECT id, keyID, sealed FROM personNeedingSupport \(filter.sql) ORDER BY id",
                arguments: filter.arguments)
            {
                let id: String = row["id"]
                guard row["keyID"] == key.id as String else {
                    throw PeopleStoreError.otherKey(id: id, sealedWith: row["keyID"], given: key.id)
                }
                let person: PersonNeedingSupport
                do {
                    let opened = try key.unseal(row["sealed"], recordID: id)
                    person = try DocumentCoding.decode(
                        PersonNeedingSupport.self, from: String(decoding: opened, as: UTF8.self))
                } catch {
                    throw PeopleStoreError.doesNotOpen(id: id)
                }
                guard let view = policy.view(of: person, for: principal) else { continue }
                try log.audit("person.read", subject: id, detail: purpose)
                views.append(view)
            }
            return views
        }.value
    }

    /// Records a safety check (安否確認) for a person on the roster, sealed as the person is, if
    /// `principal` may (``SafetyRecordingPolicy``); audited without its content.
    /// - Parameter idempotency: a client's retry key: the retry records nothing and gets the
    ///   first answer (only the check's number is kept for it, never its content).
    /// - Returns: the check's number in the store (rising with every check).
    /// - Throws: ``SafetyCheckError`` when the principal may not, ``PeopleStoreError`` for a
    ///   person not on the roster or sealed with another key; nothing is written then.
    @discardableResult
    public func recordSafetyCheck(
        _ check: SafetyCheck, by principal: Principal, from address: String, key: PersonalDataKey,
        idempotency: IdempotencyClaim? = nil, now: Date = Date()
    ) async throws -> Recorded<Int64> {
        let sealed = try key.seal(Data(try DocumentCoding.encode(check).utf8), recordID: check.personID)
        return try await change(by: .principal(principal, from: address), idempotency: idempotency) { db, log in
            let person = try Self.person(check.personID, in: db, key: key)
            try SafetyRecordingPolicy().check(check, for: person, by: principal, now: now)
            try db.execute(
                sql: "INSERT INTO safetyCheck (personID, keyID, sealed) VALUES (?, ?, ?)",
                arguments: [check.personID, key.id, sealed])
            try log.audit("safety.record", subject: check.personID, detail: "recorded")
            return db.lastInsertedRowID
        }
    }

    /// The people `principal` may see, each with their latest safety check (`nil` when nobody
    /// has reported on them yet), by id. Each person given is an audited read.
    public func safetyOverview(
        visibleTo principal: Principal, from address: String, policy: PersonalDataPolicy, key: PersonalDataKey,
        purpose: String
    ) async throws -> [PersonSafety] {
        let visible = try await people(visibleTo: principal, from: address, policy: policy, key: key, purpose: purpose)
        let ids = Set(visible.map(\.id))
        let board = try await pool.read { db in
            var board = SafetyBoard()
            for row in try Row.fetchAll(db, sql: "SELECT personID, keyID, sealed FROM safetyCheck ORDER BY sequence")
            where ids.contains(row["personID"]) {
                board.record(try Self.check(row, key: key))
            }
            return board
        }
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

    /// Records what Person Finder's notes say of the people on the roster (``PFIFImport``), in
    /// one transaction: headquarters only; a note already recorded (the same source) is not
    /// recorded again, and a note on someone not on the roster, or observed after `now`, is left
    /// out, saying why.
    /// - Returns: how many were recorded, and the notes left out with why.
    public func importPersonFinderNotes(
        _ checks: [SafetyCheck], by principal: Principal, from address: String, key: PersonalDataKey,
        now: Date = Date()
    ) async throws -> (recorded: Int, skipped: [String]) {
        guard principal.role == .headquarters else { throw PeopleStoreError.exportByHeadquartersOnly }
        let outcome = try await change(by: .principal(principal, from: address), idempotency: nil) { db, log in
            var recorded = 0
            var skipped: [String] = []
            for check in checks {
                let person: PersonNeedingSupport
                do {
                    person = try Self.person(check.personID, in: db, key: key)
                } catch PeopleStoreError.notOnTheRoster {
                    skipped.append("\(check.source): \(check.personID) is not on the roster")
                    continue
                }
                let known = try Row.fetchAll(
                    db, sql: "SELECT personID, keyID, sealed FROM safetyCheck WHERE personID = ?",
                    arguments: [person.id]
                ).map { try Self.check($0, key: key) }
                if known.contains(where: { $0.source == check.source }) {
                    skipped.append("\(check.source): already recorded")
                    continue
                }
                do {
                    try SafetyRecordingPolicy().check(check, for: person, by: principal, now: now)
                } catch {
                    skipped.append("\(check.source): \(error)")
                    continue
                }
                let sealed = try key.seal(Data(try DocumentCoding.encode(check).utf8), recordID: check.personID)
                try db.execute(
                    sql: "INSERT INTO safetyCheck (personID, keyID, sealed) VALUES (?, ?, ?)",
                    arguments: [check.personID, key.id, sealed])
                try log.audit("safety.record", subject: check.personID, detail: "from Person Finder")
                recorded += 1
            }
            return PersonFinderOutcome(recorded: recorded, skipped: skipped)
        }.value
        return (outcome.recorded, outcome.skipped)
    }

    /// The people who consented to be published for Person Finder, in full, with their safety
    /// checks, for ``PFIFExport``: headquarters only, each person exported an audited read.
    /// - Throws: ``PeopleStoreError/exportByHeadquartersOnly`` for any other role;
    ///   ``PeopleStoreError`` for a record sealed with another key or changed.
    public func peopleForPersonFinder(
        by principal: Principal, from address: String, key: PersonalDataKey
    ) async throws -> (people: [PersonNeedingSupport], board: SafetyBoard) {
        guard principal.role == .headquarters else { throw PeopleStoreError.exportByHeadquartersOnly }
        let exported = try await change(by: .principal(principal, from: address), idempotency: nil) { db, log in
            var people: [PersonNeedingSupport] = []
            for id in try String.fetchAll(db, sql: "SELECT id FROM personNeedingSupport ORDER BY id") {
                let person = try Self.person(id, in: db, key: key)
                guard person.consent == .consented else { continue }
                try log.audit("person.export", subject: id, detail: "PFIF 1.4 for Person Finder")
                people.append(person)
            }
            let ids = Set(people.map(\.id))
            var checks: [SafetyCheck] = []
            for row in try Row.fetchAll(db, sql: "SELECT personID, keyID, sealed FROM safetyCheck ORDER BY sequence")
            where ids.contains(row["personID"]) {
                checks.append(try Self.check(row, key: key))
            }
            return ExportedPeople(people: people, checks: checks)
        }.value
        return (exported.people, SafetyBoard(exported.checks))
    }

    /// One safety check row, opened.
    static func check(_ row: Row, key: PersonalDataKey) throws -> SafetyCheck {
        let id: String = row["personID"]
        guard row["keyID"] == key.id as String else {
            throw PeopleStoreError.otherKey(id: id, sealedWith: row["keyID"], given: key.id)
        }
        guard let opened = try? key.unseal(row["sealed"], recordID: id),
            let check = try? DocumentCoding.decode(SafetyCheck.self, from: String(decoding: opened, as: UTF8.self))
        else { throw PeopleStoreError.doesNotOpen(id: id) }
        return check
    }

    /// One person of the roster, opened.
    static func person(_ id: String, in db: Database, key: PersonalDataKey) throws -> PersonNeedingSupport {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT keyID, sealed FROM personNeedingSupport WHERE id = ?", arguments: [id])
        else { throw PeopleStoreError.notOnTheRoster(id) }
        guard row["keyID"] == key.id as String else {
            throw PeopleStoreError.otherKey(id: id, sealedWith: row["keyID"], given: key.id)
        }
        do {
            let opened = try key.unseal(row["sealed"], recordID: id)
            return try DocumentCoding.decode(PersonNeedingSupport.self, from: String(decoding: opened, as: UTF8.self))
        } catch {
            throw PeopleStoreError.doesNotOpen(id: id)
        }
    }

    /// Deletes every person whose retention ended before `now`; one audit entry lists them.
    /// - Returns: the ids deleted.
    @discardableResult
    public func deleteExpiredPeople(now: Date, by actor: Actor) async throws -> [String] {
        try await change(by: actor, idempotency: nil) { db, log in
            let ids = try String.fetchAll(
                db, sql: "SELECT id FROM personNeedingSupport WHERE retainUntil < ? ORDER BY id",
                arguments: [now.timeIntervalSince1970])
            try db.execute(
                sql: "DELETE FROM personNeedingSupport WHERE retainUntil < ?", arguments: [now.timeIntervalSince1970])
            if !ids.isEmpty {
                try log.audit("roster.expire", subject: "people", detail: ids.joined(separator: ","))
            }
            return ids
        }.value
    }
}

/// Why the store cannot give its people.
public enum PeopleStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The record was sealed with another key.
    case otherKey(id: String, sealedWith: String, given: String)
    /// The record does not open with its key: it was changed on disk.
    case doesNotOpen(id: String)
    /// No person with this id is on the roster.
    case notOnTheRoster(String)
    /// Only headquarters exchanges people with Person Finder (export and import).
    case exportByHeadquartersOnly

    /// A sentence saying what to do.
    public var description: String {
        switch self {
        case .otherKey(let id, let sealed, let given):
            "person \(id) was sealed with key \(sealed), not the key given (\(given)): give the key it was sealed with"
        case .doesNotOpen(let id): "person \(id) does not open with its key: the record was changed on disk"
        case .notOnTheRoster(let id): "person_id: \(id) is not on the roster"
        case .exportByHeadquartersOnly: "only a headquarters token exchanges people with Person Finder"
        }
    }
}

/// What an import of Person Finder's notes did, as the store's change hands it back.
private struct PersonFinderOutcome: Sendable, Codable {
    var recorded: Int
    var skipped: [String]
}

/// What an export read, as the store's change hands it back (a value it can keep).
private struct ExportedPeople: Sendable, Codable {
    var people: [PersonNeedingSupport]
    var checks: [SafetyCheck]
}
