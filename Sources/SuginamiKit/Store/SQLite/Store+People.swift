import Foundation
import GRDB

extension SuginamiStore: PeopleStore {
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
        guard let visible = PeopleRules.visibleCentre(for: principal) else { return [] }
        let filter: (sql: String, arguments: StatementArguments) =
            visible.all ? ("", []) : ("WHERE reliefCentreID = ?", [visible.centre])
        return try await change(by: .principal(principal, from: address), idempotency: nil) { db, log in
            var views: [PersonView] = []
            for row in try Row.fetchAll(
                db, sql: "SELECT id, keyID, sealed FROM personNeedingSupport \(filter.sql) ORDER BY id",
                arguments: filter.arguments)
            {
                let id: String = row["id"]
                let person = try SealedRecord.open(
                    PersonNeedingSupport.self, keyID: row["keyID"], sealed: row["sealed"], recordID: id, key: key)
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
        idempotency: IdempotencyClaim?, now: Date
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

    /// The safety checks of these people, opened, in the order they were recorded.
    public func safetyChecks(of people: Set<String>, key: PersonalDataKey) async throws -> [SafetyCheck] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT personID, keyID, sealed FROM safetyCheck ORDER BY sequence")
                .filter { people.contains($0["personID"]) }
                .map { try Self.check($0, key: key) }
        }
    }

    /// Records what Person Finder's notes say of the people on the roster (``PFIFImport``), in
    /// one transaction: headquarters only; a note already recorded (the same source) is not
    /// recorded again, and a note on someone not on the roster, or observed after `now`, is left
    /// out, saying why.
    /// - Returns: how many were recorded, and the notes left out with why.
    public func importPersonFinderNotes(
        _ checks: [SafetyCheck], by principal: Principal, from address: String, key: PersonalDataKey, now: Date
    ) async throws -> (recorded: Int, skipped: [String]) {
        guard principal.role == .headquarters else { throw PeopleStoreError.exportByHeadquartersOnly }
        let outcome = try await change(by: .principal(principal, from: address), idempotency: nil) { db, log in
            var recorded = 0
            var skipped: [String] = []
            for check in checks {
                var person: PersonNeedingSupport?
                do {
                    person = try Self.person(check.personID, in: db, key: key)
                } catch PeopleStoreError.notOnTheRoster {
                    person = nil
                }
                let known = try Row.fetchAll(
                    db, sql: "SELECT personID, keyID, sealed FROM safetyCheck WHERE personID = ?",
                    arguments: [check.personID]
                ).map { try Self.check($0, key: key) }
                if let reason = PeopleRules.skipReason(check, person: person, known: known, by: principal, now: now) {
                    skipped.append(reason)
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
        try SealedRecord.open(
            SafetyCheck.self, keyID: row["keyID"], sealed: row["sealed"], recordID: row["personID"], key: key)
    }

    /// One person of the roster, opened.
    static func person(_ id: String, in db: Database, key: PersonalDataKey) throws -> PersonNeedingSupport {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT keyID, sealed FROM personNeedingSupport WHERE id = ?", arguments: [id])
        else { throw PeopleStoreError.notOnTheRoster(id) }
        return try SealedRecord.open(
            PersonNeedingSupport.self, keyID: row["keyID"], sealed: row["sealed"], recordID: id, key: key)
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
