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

    /// A sentence saying what to do.
    public var description: String {
        switch self {
        case .otherKey(let id, let sealed, let given):
            "person \(id) was sealed with key \(sealed), not the key given (\(given)): give the key it was sealed with"
        case .doesNotOpen(let id): "person \(id) does not open with its key: the record was changed on disk"
        }
    }
}
