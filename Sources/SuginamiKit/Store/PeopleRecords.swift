import Foundation

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
package struct PersonFinderOutcome: Sendable, Codable {
    package var recorded: Int
    package var skipped: [String]

    package init(recorded: Int, skipped: [String]) {
        self.recorded = recorded
        self.skipped = skipped
    }
}

/// What an export read, as the store's change hands it back (a value it can keep).
package struct ExportedPeople: Sendable, Codable {
    package var people: [PersonNeedingSupport]
    package var checks: [SafetyCheck]

    package init(people: [PersonNeedingSupport], checks: [SafetyCheck]) {
        self.people = people
        self.checks = checks
    }
}

/// Personal records sealed at rest: written and opened alike by both back ends.
package enum SealedRecord {
    /// `value` as JSON, sealed with `key` for `recordID`.
    package static func seal(_ value: some Encodable, recordID: String, key: PersonalDataKey) throws -> Data {
        try key.seal(Data(try DocumentCoding.encode(value).utf8), recordID: recordID)
    }

    /// A sealed record, opened and decoded.
    /// - Throws: ``PeopleStoreError/otherKey(id:sealedWith:given:)`` when another key sealed
    ///   it; ``PeopleStoreError/doesNotOpen(id:)`` when it was changed at rest.
    package static func open<Value: Decodable>(
        _ type: Value.Type, keyID: String, sealed: Data, recordID: String, key: PersonalDataKey
    ) throws -> Value {
        guard keyID == key.id else { throw PeopleStoreError.otherKey(id: recordID, sealedWith: keyID, given: key.id) }
        do {
            let opened = try key.unseal(sealed, recordID: recordID)
            return try DocumentCoding.decode(Value.self, from: String(decoding: opened, as: UTF8.self))
        } catch {
            throw PeopleStoreError.doesNotOpen(id: recordID)
        }
    }
}

/// The rules of the people writes that both back ends apply.
package enum PeopleRules {
    /// Why a note from Person Finder is not recorded, or nil when it is: not on the roster, its
    /// source already recorded, or refused by ``SafetyRecordingPolicy``.
    package static func skipReason(
        _ check: SafetyCheck, person: PersonNeedingSupport?, known: [SafetyCheck], by principal: Principal, now: Date
    ) -> String? {
        guard let person else { return "\(check.source): \(check.personID) is not on the roster" }
        if known.contains(where: { $0.source == check.source }) { return "\(check.source): already recorded" }
        do {
            try SafetyRecordingPolicy().check(check, for: person, by: principal, now: now)
        } catch {
            return "\(check.source): \(error)"
        }
        return nil
    }

    /// The rows a role may open at all: every centre's for headquarters, its own for staff,
    /// none for others (nil).
    package static func visibleCentre(for principal: Principal) -> (all: Bool, centre: String?)? {
        switch principal.role {
        case .headquarters: (true, nil)
        case .staff: principal.facilityID.map { (false, $0) }
        case .public, .admin: nil
        }
    }
}
