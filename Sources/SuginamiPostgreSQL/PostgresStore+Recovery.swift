import Foundation
import SuginamiKit
import Logging
import PostgresNIO

extension PostgresStore: RecoveryStore {
    /// Saves households, each sealed with `key` and kept until `retainUntil`, audited.
    @discardableResult
    public func saveHouseholds(
        _ households: [Household], key: PersonalDataKey, retainUntil: Date, by actor: Actor
    ) async throws -> Int {
        try households.validateForStore()
        let sealed = try households.map { ($0, try SealedRecord.seal($0, recordID: "household:\($0.id)", key: key)) }
        return try await change(by: actor, idempotency: nil) { connection, log in
            try await Self.checkBuildingsExist(households.map(\.buildingID), on: connection, logger: log.logger)
            for (household, data) in sealed {
                try await connection.query(
                    """
                    INSERT INTO household (id, building_id, retain_until, key_id, sealed)
                    VALUES (\(household.id), \(household.buildingID), \(retainUntil.timeIntervalSince1970),
                            \(key.id), \(data))
                    ON CONFLICT (id) DO UPDATE SET building_id = excluded.building_id,
                        retain_until = excluded.retain_until, key_id = excluded.key_id, sealed = excluded.sealed
                    """, logger: log.logger)
            }
            try await log.audit(
                .init(action: "households.save", subject: "households", detail: "\(sealed.count) households"))
            return sealed.count
        }.value
    }

    /// Saves judged surveys; a survey is never replaced.
    @discardableResult
    public func saveSurveys(_ surveys: [JudgedSurvey], by actor: Actor) async throws -> Int {
        try surveys.validateForStore()
        let documents = try surveys.map { ($0, try DocumentCoding.encode($0)) }
        return try await change(by: actor, idempotency: nil) { connection, log in
            try await Self.checkBuildingsExist(surveys.map(\.survey.buildingID), on: connection, logger: log.logger)
            let ids = surveys.map(\.id)
            let stored = Set(
                try await connection.query("SELECT id FROM damage_survey WHERE id = ANY(\(ids))", logger: log.logger)
                    .collect().map { try $0.decode(String.self) })
            // The first of the batch that is stored, as SQLite's insert meets it.
            if let first = ids.first(where: stored.contains) { throw RecoveryStoreError.surveyExists(first) }
            for (judged, document) in documents {
                try await connection.query(
                    """
                    INSERT INTO damage_survey (id, building_id, surveyed_at, grade, document)
                    VALUES (\(judged.id), \(judged.survey.buildingID), \(judged.survey.surveyedAt.timeIntervalSince1970),
                            \(judged.judgement.grade.rawValue), \(document))
                    """, logger: log.logger)
            }
            try await log.audit(
                .init(action: "surveys.save", subject: "surveys", detail: "\(documents.count) surveys"))
            return documents.count
        }.value
    }

    /// Records a household's request for a re-survey, sealed; headquarters only, audited.
    public func requestResurvey(
        _ request: ResurveyRequest, key: PersonalDataKey, by principal: Principal, from address: String
    ) async throws {
        try RecoveryStoreError.checkHeadquarters(principal)
        guard !request.reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RecoveryStoreError.missing("reason")
        }
        let sealed = try SealedRecord.seal(request, recordID: "resurvey:\(request.householdID)", key: key)
        _ = try await change(by: .principal(principal, from: address), idempotency: nil) { connection, log in
            _ = try await Self.household(request.householdID, on: connection, logger: log.logger, key: key)
            try await connection.query(
                """
                INSERT INTO resurvey_request (household_id, key_id, sealed)
                VALUES (\(request.householdID), \(key.id), \(sealed))
                """, logger: log.logger)
            try await log.audit(.init(action: "resurvey.request", subject: request.householdID, detail: "recorded"))
            return true
        }
    }

    /// Issues a household's り災証明書 from the latest survey of its dwelling; headquarters only.
    public func issueCertificate(
        householdID: String, disaster: DisasterCertificate.Disaster, cause: String, issuer: String,
        key: PersonalDataKey, by principal: Principal, from address: String, now: Date
    ) async throws -> DisasterCertificate {
        try RecoveryStoreError.checkHeadquarters(principal)
        return try await change(by: .principal(principal, from: address), idempotency: nil) { connection, log in
            let household = try await Self.household(householdID, on: connection, logger: log.logger, key: key)
            guard
                let survey = try await Self.surveys(of: household.buildingID, on: connection, logger: log.logger).last
            else { throw RecoveryStoreError.notSurveyed(household.buildingID) }
            var ledger = try await Self.ledger(
                of: householdID, issuer: issuer, on: connection, logger: log.logger, key: key)
            let certificate = try ledger.issue(
                household: household.certified, disaster: disaster, cause: cause, judgement: survey.judgement,
                surveyedAt: survey.survey.surveyedAt, at: now)
            try await Self.insert(
                certificate, householdID: householdID, ledger: ledger, on: connection, logger: log.logger, key: key)
            try await log.audit(
                .init(
                    action: "certificate.issue", subject: certificate.number.description,
                    detail: "household \(householdID), \(certificate.judgement.grade.rawValue), survey \(survey.id)"))
            return certificate
        }.value
    }

    /// Issues a new version of certificate `number`; headquarters only, audited.
    public func changeCertificate(
        _ number: CertificateNumber, _ change: CertificateChange, issuer: String, key: PersonalDataKey,
        by principal: Principal, from address: String, now: Date
    ) async throws -> DisasterCertificate {
        try RecoveryStoreError.checkHeadquarters(principal)
        return try await self.change(by: .principal(principal, from: address), idempotency: nil) { connection, log in
            guard
                let householdID = try await connection.query(
                    """
                    SELECT household_id FROM certificate WHERE year = \(number.year) AND serial = \(number.serial)
                    LIMIT 1
                    """, logger: log.logger
                ).collect().first?.decode(String.self)
            else { throw CertificateError.unknown(number) }
            var ledger = try await Self.ledger(
                of: householdID, issuer: issuer, on: connection, logger: log.logger, key: key)
            let household = try await Self.household(householdID, on: connection, logger: log.logger, key: key)
            let certificate = try RecoveryRules.newVersion(
                of: number, change, ledger: &ledger, household: household,
                latestSurvey: try await Self.surveys(of: household.buildingID, on: connection, logger: log.logger).last,
                now: now)
            try await Self.insert(
                certificate, householdID: householdID, ledger: ledger, on: connection, logger: log.logger, key: key)
            try await log.audit(RecoveryRules.versionNote(certificate, number: number))
            return certificate
        }.value
    }

    /// Every version of certificate `number`; headquarters only, an audited read.
    public func certificateVersions(
        _ number: CertificateNumber, key: PersonalDataKey, by principal: Principal, from address: String,
        purpose: String
    ) async throws -> [DisasterCertificate] {
        try RecoveryStoreError.checkHeadquarters(principal)
        return try await change(by: .principal(principal, from: address), idempotency: nil) { connection, log in
            let versions = try await Self.certificates(
                """
                SELECT year, serial, version, key_id, sealed FROM certificate
                WHERE year = \(number.year) AND serial = \(number.serial) ORDER BY version
                """, on: connection, logger: log.logger, key: key)
            guard !versions.isEmpty else { throw CertificateError.unknown(number) }
            try await log.audit(.init(action: "certificate.read", subject: number.description, detail: purpose))
            return versions
        }.value
    }

    /// Records a support application for a household with a certificate; headquarters only.
    public func recordSupportApplication(
        householdID: String, plan: SupportPlan, state: SupportApplication.State, key: PersonalDataKey,
        by principal: Principal, from address: String, now: Date, rules: SupportGrantRules
    ) async throws -> SupportApplication {
        try RecoveryStoreError.checkHeadquarters(principal)
        return try await change(by: .principal(principal, from: address), idempotency: nil) { connection, log in
            let household = try await Self.household(householdID, on: connection, logger: log.logger, key: key)
            guard
                let certificate = try await Self.certificates(
                    of: householdID, on: connection, logger: log.logger, key: key
                ).last
            else { throw RecoveryStoreError.noCertificate(householdID) }
            let application = try SupportApplication(
                householdID: householdID,
                claim: .init(
                    grade: certificate.judgement.grade, demolished: plan.demolished,
                    longTermEvacuation: plan.longTermEvacuation, members: household.members, methods: plan.methods,
                    livedThere: plan.livedThere, actApplies: plan.actApplies),
                state: state, recordedAt: now, rules: rules)
            try await connection.query(
                """
                INSERT INTO support_application (household_id, state, total, document)
                VALUES (\(householdID), \(state.rawValue), \(application.grant.total),
                        \(try DocumentCoding.encode(application)))
                """, logger: log.logger)
            try await log.audit(
                .init(
                    action: "support.record", subject: householdID,
                    detail: "\(state.rawValue) \(application.grant.total) yen"))
            return application
        }.value
    }

    /// The register's record of a household; headquarters only, an audited read.
    public func registerEntry(
        householdID: String, key: PersonalDataKey, by principal: Principal, from address: String, purpose: String
    ) async throws -> VictimRegisterEntry {
        try RecoveryStoreError.checkHeadquarters(principal)
        return try await change(by: .principal(principal, from: address), idempotency: nil) { connection, log in
            let household = try await Self.household(householdID, on: connection, logger: log.logger, key: key)
            var safety: SafetyCheck?
            if let person = household.personID {
                let checks = try await Self.checks(
                    "SELECT person_id, key_id, sealed FROM safety_check WHERE person_id = \(person) ORDER BY sequence",
                    on: connection, logger: log.logger, key: key)
                safety = SafetyBoard(checks).latest[person]
            }
            let requests = try await connection.query(
                """
                SELECT key_id, sealed FROM resurvey_request WHERE household_id = \(householdID) ORDER BY sequence
                """, logger: log.logger
            ).collect().map { row in
                let (keyID, sealed) = try row.decode((String, Data).self)
                return try SealedRecord.open(
                    ResurveyRequest.self, keyID: keyID, sealed: sealed, recordID: "resurvey:\(householdID)", key: key)
            }
            let support = try await connection.query(
                """
                SELECT document FROM support_application WHERE household_id = \(householdID) ORDER BY sequence
                """, logger: log.logger
            ).collect().map { try DocumentCoding.decode(SupportApplication.self, from: try $0.decode(String.self)) }
            try await log.audit(.init(action: "register.read", subject: householdID, detail: purpose))
            return RegisterRecord(
                household: household,
                surveys: try await Self.surveys(of: household.buildingID, on: connection, logger: log.logger),
                certificates: try await Self.certificates(
                    of: householdID, on: connection, logger: log.logger, key: key),
                resurveyRequests: requests, safety: safety, support: support)
        }.value.entry
    }

    /// The ward's recovery figures, without any household's details.
    public func recoveryReport() async throws -> RecoveryReport {
        try await read(.replica) { connection in
            var byGrade: [HouseDamageGrade: Int] = [:]
            var byTown: [String: [HouseDamageGrade: Int]] = [:]
            // The latest survey of each dwelling (a later one on the same second wins by id, as
            // SQLite orders ids: by byte).
            for row in try await connection.query(
                """
                SELECT DISTINCT ON (s.building_id) s.grade, b.town_code FROM damage_survey s
                LEFT JOIN building b ON b.id = s.building_id
                ORDER BY s.building_id, s.surveyed_at DESC, s.id COLLATE "C" DESC
                """, logger: self.logger
            ).collect() {
                let (gradeText, town) = try row.decode((String, String?).self)
                guard let grade = HouseDamageGrade(rawValue: gradeText) else { continue }
                byGrade[grade, default: 0] += 1
                byTown[town ?? "", default: [:]][grade, default: 0] += 1
            }
            var certificates: [HouseDamageGrade: Int] = [:]
            for row in try await connection.query(
                """
                SELECT DISTINCT ON (year, serial) grade FROM certificate ORDER BY year, serial, version DESC
                """, logger: self.logger
            ).collect() {
                if let grade = HouseDamageGrade(rawValue: try row.decode(String.self)) {
                    certificates[grade, default: 0] += 1
                }
            }
            var applications: [SupportApplication.State: Int] = [:]
            var granted = 0
            for row in try await connection.query(
                "SELECT state, COUNT(*)::bigint, COALESCE(SUM(total), 0)::bigint FROM support_application GROUP BY state",
                logger: self.logger
            ).collect() {
                let (stateText, count, yen) = try row.decode((String, Int, Int).self)
                guard let state = SupportApplication.State(rawValue: stateText) else { continue }
                applications[state] = count
                if state == .granted { granted = yen }
            }
            let (surveys, households, laterVersions, requests) =
                try await connection.query(
                    """
                    SELECT (SELECT COUNT(*) FROM damage_survey)::bigint, (SELECT COUNT(*) FROM household)::bigint,
                           (SELECT COUNT(*) FROM certificate WHERE version > 1)::bigint,
                           (SELECT COUNT(*) FROM resurvey_request)::bigint
                    """, logger: self.logger
                ).collect().first?.decode((Int, Int, Int, Int).self) ?? (0, 0, 0, 0)
            return RecoveryReport(
                surveyedByGrade: byGrade, surveyedByTown: byTown, surveys: surveys, households: households,
                certificatesByGrade: certificates, laterVersions: laterVersions, resurveyRequests: requests,
                applications: applications, granted: granted)
        }
    }

    /// Deletes every household whose retention ended before `now`, with what hangs on it.
    @discardableResult
    public func deleteExpiredHouseholds(now: Date, by actor: Actor) async throws -> [String] {
        try await change(by: actor, idempotency: nil) { connection, log in
            let ids = try await connection.query(
                "DELETE FROM household WHERE retain_until < \(now.timeIntervalSince1970) RETURNING id",
                logger: log.logger
            ).collect().map { try $0.decode(String.self) }.sorted()
            if !ids.isEmpty {
                try await log.audit(
                    .init(action: "households.expire", subject: "households", detail: ids.joined(separator: ",")))
            }
            return ids
        }.value
    }

    // MARK: Rows

    /// Refuses dwellings the store has no building for, naming them.
    static func checkBuildingsExist(_ ids: [String], on connection: PostgresConnection, logger: Logger) async throws {
        let wanted = Array(Set(ids))
        let found = Set(
            try await connection.query("SELECT id FROM building WHERE id = ANY(\(wanted))", logger: logger)
                .collect().map { try $0.decode(String.self) })
        let missing = wanted.filter { !found.contains($0) }.sorted()
        guard missing.isEmpty else { throw RecoveryStoreError.unknownBuildings(missing) }
    }

    static func household(_ id: String, on connection: PostgresConnection, logger: Logger, key: PersonalDataKey)
        async throws -> Household
    {
        guard
            let row = try await connection.query(
                "SELECT key_id, sealed FROM household WHERE id = \(id)", logger: logger
            ).collect().first
        else { throw RecoveryStoreError.unknownHousehold(id) }
        let (keyID, sealed) = try row.decode((String, Data).self)
        return try SealedRecord.open(
            Household.self, keyID: keyID, sealed: sealed, recordID: "household:\(id)", key: key)
    }

    static func surveys(of buildingID: String, on connection: PostgresConnection, logger: Logger) async throws
        -> [JudgedSurvey]
    {
        try await connection.query(
            """
            SELECT document FROM damage_survey WHERE building_id = \(buildingID) ORDER BY surveyed_at, id COLLATE "C"
            """, logger: logger
        ).collect().map { try DocumentCoding.decode(JudgedSurvey.self, from: try $0.decode(String.self)) }
    }

    static func certificates(
        of householdID: String, on connection: PostgresConnection, logger: Logger, key: PersonalDataKey
    ) async throws -> [DisasterCertificate] {
        try await certificates(
            """
            SELECT year, serial, version, key_id, sealed FROM certificate WHERE household_id = \(householdID)
            ORDER BY year, serial, version
            """, on: connection, logger: logger, key: key)
    }

    /// The certificates `query` returns (year, serial, version, key id, sealed), opened.
    static func certificates(
        _ query: PostgresQuery, on connection: PostgresConnection, logger: Logger, key: PersonalDataKey
    ) async throws -> [DisasterCertificate] {
        try await connection.query(query, logger: logger).collect().map { row in
            let (year, serial, version, keyID, sealed) = try row.decode((Int, Int, Int, String, Data).self)
            let number = CertificateNumber(year: year, serial: serial)
            return try SealedRecord.open(
                DisasterCertificate.self, keyID: keyID, sealed: sealed, recordID: "certificate:\(number) v\(version)",
                key: key)
        }
    }

    static func ledger(
        of householdID: String, issuer: String, on connection: PostgresConnection, logger: Logger,
        key: PersonalDataKey
    ) async throws -> CertificateLedger {
        var last: [Int: Int] = [:]
        for row in try await connection.query("SELECT year, last FROM certificate_serial", logger: logger).collect() {
            let (year, serial) = try row.decode((Int, Int).self)
            last[year] = serial
        }
        return CertificateLedger(
            issuer: issuer,
            versions: try await certificates(of: householdID, on: connection, logger: logger, key: key),
            lastSerials: last)
    }

    static func insert(
        _ certificate: DisasterCertificate, householdID: String, ledger: CertificateLedger,
        on connection: PostgresConnection, logger: Logger, key: PersonalDataKey
    ) async throws {
        let number = certificate.number
        let sealed = try SealedRecord.seal(
            certificate, recordID: "certificate:\(number) v\(certificate.version)", key: key)
        try await connection.query(
            """
            INSERT INTO certificate (year, serial, version, household_id, grade, key_id, sealed)
            VALUES (\(number.year), \(number.serial), \(certificate.version), \(householdID),
                    \(certificate.judgement.grade.rawValue), \(key.id), \(sealed))
            """, logger: logger)
        if let last = ledger.lastSerials[number.year] {
            try await connection.query(
                """
                INSERT INTO certificate_serial (year, last) VALUES (\(number.year), \(last))
                ON CONFLICT (year) DO UPDATE SET last = GREATEST(certificate_serial.last, excluded.last)
                """, logger: logger)
        }
    }
}
