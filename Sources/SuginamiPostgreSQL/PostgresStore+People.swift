import Foundation
import SuginamiKit
import Logging
import PostgresNIO

extension PostgresStore: PeopleStore {
    /// Saves a roster, each person sealed with `key` and kept until `retainUntil`, audited.
    @discardableResult
    public func saveRoster(
        _ people: [PersonNeedingSupport], key: PersonalDataKey, retainUntil: Date, by actor: Actor
    ) async throws -> Int {
        try people.validateForStore()
        let sealed = try people.map { ($0, try SealedRecord.seal($0, recordID: $0.id, key: key)) }
        return try await change(by: actor, idempotency: nil) { connection, log in
            for (person, data) in sealed {
                try await connection.query(
                    """
                    INSERT INTO person_needing_support (id, relief_centre_id, retain_until, key_id, sealed)
                    VALUES (\(person.id), \(person.reliefCentreID), \(retainUntil.timeIntervalSince1970), \(key.id),
                            \(data))
                    ON CONFLICT (id) DO UPDATE SET relief_centre_id = excluded.relief_centre_id,
                        retain_until = excluded.retain_until, key_id = excluded.key_id, sealed = excluded.sealed
                    """, logger: log.logger)
            }
            try await log.audit(
                .init(
                    action: "roster.save", subject: "people",
                    detail: "\(sealed.count) people, kept until \(retainUntil)"))
            return sealed.count
        }.value
    }

    /// The people `principal` may see under `policy`, each read audited with `purpose`.
    public func people(
        visibleTo principal: Principal, from address: String, policy: PersonalDataPolicy, key: PersonalDataKey,
        purpose: String
    ) async throws -> [PersonView] {
        // Only the rows the role could see are opened at all.
        guard let visible = PeopleRules.visibleCentre(for: principal) else { return [] }
        return try await change(by: .principal(principal, from: address), idempotency: nil) { connection, log in
            var views: [PersonView] = []
            let rows = try await connection.query(
                """
                SELECT id, key_id, sealed FROM person_needing_support
                WHERE \(visible.all) OR relief_centre_id = \(visible.centre)
                ORDER BY id COLLATE "C"
                """, logger: log.logger
            ).collect()
            for row in rows {
                let (id, keyID, sealed) = try row.decode((String, String, Data).self)
                let person = try SealedRecord.open(
                    PersonNeedingSupport.self, keyID: keyID, sealed: sealed, recordID: id, key: key)
                guard let view = policy.view(of: person, for: principal) else { continue }
                try await log.audit(.init(action: "person.read", subject: id, detail: purpose))
                views.append(view)
            }
            return views
        }.value
    }

    /// Records a safety check for a person on the roster, if `principal` may; audited.
    @discardableResult
    public func recordSafetyCheck(
        _ check: SafetyCheck, by principal: Principal, from address: String, key: PersonalDataKey,
        idempotency: IdempotencyClaim?, now: Date
    ) async throws -> Recorded<Int64> {
        let sealed = try SealedRecord.seal(check, recordID: check.personID, key: key)
        return try await change(by: .principal(principal, from: address), idempotency: idempotency) {
            connection, log in
            guard let person = try await Self.person(check.personID, on: connection, logger: log.logger, key: key)
            else { throw PeopleStoreError.notOnTheRoster(check.personID) }
            try SafetyRecordingPolicy().check(check, for: person, by: principal, now: now)
            let sequence = try await Self.insertCheck(
                check, sealed: sealed, key: key, on: connection, logger: log.logger)
            try await log.audit(.init(action: "safety.record", subject: check.personID, detail: "recorded"))
            return sequence
        }
    }

    /// The safety checks of these people, opened, in the order they were recorded.
    public func safetyChecks(of people: Set<String>, key: PersonalDataKey) async throws -> [SafetyCheck] {
        let ids = Array(people)
        return try await read { connection in
            try await Self.checks(
                "SELECT person_id, key_id, sealed FROM safety_check WHERE person_id = ANY(\(ids)) ORDER BY sequence",
                on: connection, logger: self.logger, key: key)
        }
    }

    /// Records Person Finder's notes on the roster, in one transaction; headquarters only.
    public func importPersonFinderNotes(
        _ checks: [SafetyCheck], by principal: Principal, from address: String, key: PersonalDataKey, now: Date
    ) async throws -> (recorded: Int, skipped: [String]) {
        guard principal.role == .headquarters else { throw PeopleStoreError.exportByHeadquartersOnly }
        let outcome = try await change(by: .principal(principal, from: address), idempotency: nil) {
            connection, log in
            var recorded = 0
            var skipped: [String] = []
            for check in checks {
                let person = try await Self.person(check.personID, on: connection, logger: log.logger, key: key)
                let known = try await Self.checks(
                    "SELECT person_id, key_id, sealed FROM safety_check WHERE person_id = \(check.personID)",
                    on: connection, logger: log.logger, key: key)
                if let reason = PeopleRules.skipReason(check, person: person, known: known, by: principal, now: now) {
                    skipped.append(reason)
                    continue
                }
                let sealed = try SealedRecord.seal(check, recordID: check.personID, key: key)
                _ = try await Self.insertCheck(check, sealed: sealed, key: key, on: connection, logger: log.logger)
                try await log.audit(
                    .init(action: "safety.record", subject: check.personID, detail: "from Person Finder"))
                recorded += 1
            }
            return PersonFinderOutcome(recorded: recorded, skipped: skipped)
        }.value
        return (outcome.recorded, outcome.skipped)
    }

    /// The consenting people in full with their checks, for Person Finder; headquarters only.
    public func peopleForPersonFinder(by principal: Principal, from address: String, key: PersonalDataKey)
        async throws -> (people: [PersonNeedingSupport], board: SafetyBoard)
    {
        guard principal.role == .headquarters else { throw PeopleStoreError.exportByHeadquartersOnly }
        let exported = try await change(by: .principal(principal, from: address), idempotency: nil) {
            connection, log in
            var people: [PersonNeedingSupport] = []
            let rows = try await connection.query(
                "SELECT id, key_id, sealed FROM person_needing_support ORDER BY id COLLATE \"C\"", logger: log.logger
            ).collect()
            for row in rows {
                let (id, keyID, sealed) = try row.decode((String, String, Data).self)
                let person = try SealedRecord.open(
                    PersonNeedingSupport.self, keyID: keyID, sealed: sealed, recordID: id, key: key)
                guard person.consent == .consented else { continue }
                try await log.audit(.init(action: "person.export", subject: id, detail: "PFIF 1.4 for Person Finder"))
                people.append(person)
            }
            let ids = people.map(\.id)
            let checks = try await Self.checks(
                "SELECT person_id, key_id, sealed FROM safety_check WHERE person_id = ANY(\(ids)) ORDER BY sequence",
                on: connection, logger: log.logger, key: key)
            return ExportedPeople(people: people, checks: checks)
        }.value
        return (exported.people, SafetyBoard(exported.checks))
    }

    /// Deletes every person whose retention ended before `now`; one audit entry lists them.
    @discardableResult
    public func deleteExpiredPeople(now: Date, by actor: Actor) async throws -> [String] {
        try await change(by: actor, idempotency: nil) { connection, log in
            let ids = try await connection.query(
                """
                DELETE FROM person_needing_support WHERE retain_until < \(now.timeIntervalSince1970) RETURNING id
                """, logger: log.logger
            ).collect().map { try $0.decode(String.self) }.sorted()
            if !ids.isEmpty {
                try await log.audit(
                    .init(action: "roster.expire", subject: "people", detail: ids.joined(separator: ",")))
            }
            return ids
        }.value
    }

    // MARK: Rows

    /// One person of the roster, opened; nil when not on it.
    static func person(_ id: String, on connection: PostgresConnection, logger: Logger, key: PersonalDataKey)
        async throws -> PersonNeedingSupport?
    {
        guard
            let row = try await connection.query(
                "SELECT key_id, sealed FROM person_needing_support WHERE id = \(id)", logger: logger
            ).collect().first
        else { return nil }
        let (keyID, sealed) = try row.decode((String, Data).self)
        return try SealedRecord.open(PersonNeedingSupport.self, keyID: keyID, sealed: sealed, recordID: id, key: key)
    }

    /// The safety checks `query` returns (person id, key id, sealed), opened.
    static func checks(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger, key: PersonalDataKey)
        async throws -> [SafetyCheck]
    {
        try await connection.query(query, logger: logger).collect().map { row in
            let (personID, keyID, sealed) = try row.decode((String, String, Data).self)
            return try SealedRecord.open(SafetyCheck.self, keyID: keyID, sealed: sealed, recordID: personID, key: key)
        }
    }

    static func insertCheck(
        _ check: SafetyCheck, sealed: Data, key: PersonalDataKey, on connection: PostgresConnection, logger: Logger
    ) async throws -> Int64 {
        try await connection.query(
            """
            INSERT INTO safety_check (person_id, key_id, sealed) VALUES (\(check.personID), \(key.id), \(sealed))
            RETURNING sequence
            """, logger: logger
        ).collect().first?.decode(Int64.self) ?? 0
    }
}
