import Foundation
import GRDB

/// The victims' register (被災者台帳) in the store: households sealed, surveys in the clear,
/// certificates numbered and versioned through ``CertificateLedger``, support applications.
/// Every read of a household's details is headquarters', audited with its purpose.
extension SuginamiStore: RecoveryStore {
    /// Saves households (replacing those with the same id), each sealed with `key` and kept
    /// until `retainUntil`; one audit entry records the import.
    /// - Returns: the number saved.
    /// - Throws: ``StoreError`` for an invalid household or an id twice, and
    ///   ``RecoveryStoreError/unknownBuildings(_:)`` for dwellings the store does not have;
    ///   nothing is written then.
    @discardableResult
    public func saveHouseholds(
        _ households: [Household], key: PersonalDataKey, retainUntil: Date, by actor: Actor
    ) async throws -> Int {
        try households.validateForStore()
        let sealed = try households.map { household in
            (
                household,
                try key.seal(Data(try DocumentCoding.encode(household).utf8), recordID: "household:\(household.id)")
            )
        }
        return try await change(by: actor, idempotency: nil) { db, log in
            try Self.checkBuildingsExist(households.map(\.buildingID), in: db)
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO household (id, buildingID, retainUntil, keyID, sealed) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET buildingID = excluded.buildingID,
                        retainUntil = excluded.retainUntil, keyID = excluded.keyID, sealed = excluded.sealed
                    """)
            for (household, data) in sealed {
                try statement.execute(arguments: [
                    household.id, household.buildingID, retainUntil.timeIntervalSince1970, key.id, data,
                ])
            }
            try log.audit("households.save", subject: "households", detail: "\(sealed.count) households")
            return sealed.count
        }.value
    }

    /// Saves judged surveys; a survey is never replaced (a re-survey is a new one).
    /// - Returns: the number saved.
    /// - Throws: ``StoreError/duplicateID(_:)`` for a form number twice in the batch,
    ///   ``RecoveryStoreError`` for one already stored or a dwelling the store does not have;
    ///   nothing is written then.
    @discardableResult
    public func saveSurveys(_ surveys: [JudgedSurvey], by actor: Actor) async throws -> Int {
        try surveys.validateForStore()
        let documents = try surveys.map { ($0, try DocumentCoding.encode($0)) }
        return try await change(by: actor, idempotency: nil) { db, log in
            try Self.checkBuildingsExist(surveys.map(\.survey.buildingID), in: db)
            let statement = try db.cachedStatement(
                sql: "INSERT INTO damageSurvey (id, buildingID, surveyedAt, grade, document) VALUES (?, ?, ?, ?, ?)")
            for (judged, document) in documents {
                do {
                    try statement.execute(arguments: [
                        judged.id, judged.survey.buildingID, judged.survey.surveyedAt.timeIntervalSince1970,
                        judged.judgement.grade.rawValue, document,
                    ])
                } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                    throw RecoveryStoreError.surveyExists(judged.id)
                }
            }
            try log.audit("surveys.save", subject: "surveys", detail: "\(documents.count) surveys")
            return documents.count
        }.value
    }

    /// Records a household's request for a re-survey (再調査の申出), sealed (its words may be
    /// personal); headquarters only, audited.
    public func requestResurvey(
        _ request: ResurveyRequest, key: PersonalDataKey, by principal: Principal, from address: String
    ) async throws {
        try RecoveryStoreError.checkHeadquarters(principal)
        guard !request.reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RecoveryStoreError.missing("reason")
        }
        let sealed = try key.seal(
            Data(try DocumentCoding.encode(request).utf8), recordID: "resurvey:\(request.householdID)")
        _ = try await change(by: .principal(principal, from: address), idempotency: nil) { db, log in
            _ = try Self.household(request.householdID, in: db, key: key)
            try db.execute(
                sql: "INSERT INTO resurveyRequest (householdID, keyID, sealed) VALUES (?, ?, ?)",
                arguments: [request.householdID, key.id, sealed])
            try log.audit("resurvey.request", subject: request.householdID, detail: "recorded")
            return true
        }
    }

    /// Issues the り災証明書 of a household from the latest survey of its dwelling, numbered in
    /// the year of issue (Japan time); headquarters only, the issue audited.
    /// - Throws: ``RecoveryStoreError`` for an unknown household or an unsurveyed dwelling,
    ///   ``CertificateError`` when the ledger refuses (already issued, dates out of order).
    public func issueCertificate(
        householdID: String, disaster: DisasterCertificate.Disaster, cause: String, issuer: String,
        key: PersonalDataKey, by principal: Principal, from address: String, now: Date
    ) async throws -> DisasterCertificate {
        try RecoveryStoreError.checkHeadquarters(principal)
        return try await change(by: .principal(principal, from: address), idempotency: nil) { db, log in
            let household = try Self.household(householdID, in: db, key: key)
            guard let survey = try Self.surveys(of: household.buildingID, in: db).last else {
                throw RecoveryStoreError.notSurveyed(household.buildingID)
            }
            var ledger = try Self.ledger(of: householdID, issuer: issuer, in: db, key: key)
            let certificate = try ledger.issue(
                household: household.certified, disaster: disaster, cause: cause, judgement: survey.judgement,
                surveyedAt: survey.survey.surveyedAt, at: now)
            try Self.insert(certificate, householdID: householdID, ledger: ledger, in: db, key: key)
            try log.audit(
                "certificate.issue", subject: certificate.number.description,
                detail: "household \(householdID), \(certificate.judgement.grade.rawValue), survey \(survey.id)")
            return certificate
        }.value
    }

    /// Issues a new version of certificate `number`; headquarters only, audited.
    /// - Throws: ``CertificateError`` for an unknown number, a missing reason or a re-survey
    ///   that is not newer; ``RecoveryStoreError`` when the household is gone.
    public func changeCertificate(
        _ number: CertificateNumber, _ change: CertificateChange, issuer: String, key: PersonalDataKey,
        by principal: Principal, from address: String, now: Date
    ) async throws -> DisasterCertificate {
        try RecoveryStoreError.checkHeadquarters(principal)
        return try await self.change(by: .principal(principal, from: address), idempotency: nil) { db, log in
            guard
                let householdID = try String.fetchOne(
                    db, sql: "SELECT householdID FROM certificate WHERE year = ? AND serial = ? LIMIT 1",
                    arguments: [number.year, number.serial])
            else { throw CertificateError.unknown(number) }
            var ledger = try Self.ledger(of: householdID, issuer: issuer, in: db, key: key)
            let household = try Self.household(householdID, in: db, key: key)
            let certificate = try RecoveryRules.newVersion(
                of: number, change, ledger: &ledger, household: household,
                latestSurvey: try Self.surveys(of: household.buildingID, in: db).last, now: now)
            try Self.insert(certificate, householdID: householdID, ledger: ledger, in: db, key: key)
            try log.audit(RecoveryRules.versionNote(certificate, number: number))
            return certificate
        }.value
    }

    /// Every version of certificate `number`, first to last; headquarters only, an audited
    /// read with `purpose`.
    /// - Throws: ``CertificateError/unknown(_:)`` for a number never issued.
    public func certificateVersions(
        _ number: CertificateNumber, key: PersonalDataKey, by principal: Principal, from address: String,
        purpose: String
    ) async throws -> [DisasterCertificate] {
        try RecoveryStoreError.checkHeadquarters(principal)
        return try await change(by: .principal(principal, from: address), idempotency: nil) { db, log in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT version, keyID, sealed FROM certificate WHERE year = ? AND serial = ? ORDER BY version",
                arguments: [number.year, number.serial])
            guard !rows.isEmpty else { throw CertificateError.unknown(number) }
            let versions = try rows.map { try Self.certificate($0, number: number, key: key) }
            try log.audit("certificate.read", subject: number.description, detail: purpose)
            return versions
        }.value
    }

    /// Records an application for 被災者生活再建支援金 for a household with a certificate: the
    /// grade is the certificate's in force and the members the household's; the rules give the
    /// amounts. Headquarters only, audited.
    /// - Throws: ``RecoveryStoreError/noCertificate(_:)`` before a certificate;
    ///   ``SupportGrantError`` for a plan the rules cannot assess.
    public func recordSupportApplication(
        householdID: String, plan: SupportPlan, state: SupportApplication.State, key: PersonalDataKey,
        by principal: Principal, from address: String, now: Date, rules: SupportGrantRules
    ) async throws -> SupportApplication {
        try RecoveryStoreError.checkHeadquarters(principal)
        return try await change(by: .principal(principal, from: address), idempotency: nil) { db, log in
            let household = try Self.household(householdID, in: db, key: key)
            guard let certificate = try Self.certificates(of: householdID, in: db, key: key).last else {
                throw RecoveryStoreError.noCertificate(householdID)
            }
            let application = try SupportApplication(
                householdID: householdID,
                claim: .init(
                    grade: certificate.judgement.grade, demolished: plan.demolished,
                    longTermEvacuation: plan.longTermEvacuation, members: household.members, methods: plan.methods,
                    livedThere: plan.livedThere, actApplies: plan.actApplies),
                state: state, recordedAt: now, rules: rules)
            try db.execute(
                sql: "INSERT INTO supportApplication (householdID, state, total, document) VALUES (?, ?, ?, ?)",
                arguments: [
                    householdID, state.rawValue, application.grant.total, try DocumentCoding.encode(application),
                ])
            try log.audit(
                "support.record", subject: householdID, detail: "\(state.rawValue) \(application.grant.total) yen")
            return application
        }.value
    }

    /// The register's record of a household (被災者台帳); headquarters only, an audited read
    /// with `purpose`.
    public func registerEntry(
        householdID: String, key: PersonalDataKey, by principal: Principal, from address: String, purpose: String
    ) async throws -> VictimRegisterEntry {
        try RecoveryStoreError.checkHeadquarters(principal)
        return try await change(by: .principal(principal, from: address), idempotency: nil) { db, log in
            let household = try Self.household(householdID, in: db, key: key)
            var safety: SafetyCheck?
            if let person = household.personID {
                var board = SafetyBoard()
                for row in try Row.fetchAll(
                    db, sql: "SELECT personID, keyID, sealed FROM safetyCheck WHERE personID = ? ORDER BY sequence",
                    arguments: [person])
                {
                    board.record(try Self.check(row, key: key))
                }
                safety = board.latest[person]
            }
            let requests = try Row.fetchAll(
                db, sql: "SELECT keyID, sealed FROM resurveyRequest WHERE householdID = ? ORDER BY sequence",
                arguments: [householdID]
            ).map { row in
                try Self.open(ResurveyRequest.self, row, recordID: "resurvey:\(householdID)", key: key)
            }
            let support = try String.fetchAll(
                db, sql: "SELECT document FROM supportApplication WHERE householdID = ? ORDER BY sequence",
                arguments: [householdID]
            ).map { try DocumentCoding.decode(SupportApplication.self, from: $0) }
            try log.audit("register.read", subject: householdID, detail: purpose)
            return RegisterRecord(
                household: household, surveys: try Self.surveys(of: household.buildingID, in: db),
                certificates: try Self.certificates(of: householdID, in: db, key: key), resurveyRequests: requests,
                safety: safety, support: support)
        }.value.entry
    }

    /// The ward's recovery figures, without any household's details.
    public func recoveryReport() async throws -> RecoveryReport {
        try await pool.read { db in
            var byGrade: [HouseDamageGrade: Int] = [:]
            var byTown: [String: [HouseDamageGrade: Int]] = [:]
            // The latest survey of each dwelling (a later one on the same second wins by id).
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT s.grade, b.townCode FROM damageSurvey s
                    JOIN (SELECT buildingID, MAX(surveyedAt) AS latest FROM damageSurvey GROUP BY buildingID) m
                      ON s.buildingID = m.buildingID AND s.surveyedAt = m.latest
                    LEFT JOIN building b ON b.id = s.buildingID
                    WHERE s.id = (SELECT MAX(id) FROM damageSurvey t
                                  WHERE t.buildingID = s.buildingID AND t.surveyedAt = m.latest)
                    """)
            {
                guard let grade = HouseDamageGrade(rawValue: row["grade"]) else { continue }
                byGrade[grade, default: 0] += 1
                byTown[row["townCode"] ?? "", default: [:]][grade, default: 0] += 1
            }
            var certificates: [HouseDamageGrade: Int] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT c.grade FROM certificate c
                    JOIN (SELECT year, serial, MAX(version) AS version FROM certificate GROUP BY year, serial) l
                      ON c.year = l.year AND c.serial = l.serial AND c.version = l.version
                    """)
            {
                if let grade = HouseDamageGrade(rawValue: row["grade"]) { certificates[grade, default: 0] += 1 }
            }
            var applications: [SupportApplication.State: Int] = [:]
            var granted = 0
            for row in try Row.fetchAll(
                db, sql: "SELECT state, COUNT(*) AS n, SUM(total) AS yen FROM supportApplication GROUP BY state")
            {
                guard let state = SupportApplication.State(rawValue: row["state"]) else { continue }
                applications[state] = row["n"]
                if state == .granted { granted = row["yen"] ?? 0 }
            }
            return RecoveryReport(
                surveyedByGrade: byGrade, surveyedByTown: byTown,
                surveys: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM damageSurvey") ?? 0,
                households: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM household") ?? 0,
                certificatesByGrade: certificates,
                laterVersions: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM certificate WHERE version > 1") ?? 0,
                resurveyRequests: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM resurveyRequest") ?? 0,
                applications: applications, granted: granted)
        }
    }

    /// Deletes every household whose retention ended before `now`, with its certificates,
    /// requests and applications (the serials stay counted); one audit entry lists them.
    @discardableResult
    public func deleteExpiredHouseholds(now: Date, by actor: Actor) async throws -> [String] {
        try await change(by: actor, idempotency: nil) { db, log in
            let ids = try String.fetchAll(
                db, sql: "SELECT id FROM household WHERE retainUntil < ? ORDER BY id",
                arguments: [now.timeIntervalSince1970])
            try db.execute(sql: "DELETE FROM household WHERE retainUntil < ?", arguments: [now.timeIntervalSince1970])
            if !ids.isEmpty {
                try log.audit("households.expire", subject: "households", detail: ids.joined(separator: ","))
            }
            return ids
        }.value
    }

    // MARK: Helpers

    /// Refuses dwellings the store has no building for, naming up to five.
    static func checkBuildingsExist(_ ids: [String], in db: Database) throws {
        let statement = try db.cachedStatement(sql: "SELECT 1 FROM building WHERE id = ?")
        var missing: [String] = []
        for id in Set(ids) where try Int.fetchOne(statement, arguments: [id]) == nil {
            missing.append(id)
        }
        guard missing.isEmpty else { throw RecoveryStoreError.unknownBuildings(missing.sorted()) }
    }

    static func household(_ id: String, in db: Database, key: PersonalDataKey) throws -> Household {
        guard let row = try Row.fetchOne(db, sql: "SELECT keyID, sealed FROM household WHERE id = ?", arguments: [id])
        else { throw RecoveryStoreError.unknownHousehold(id) }
        return try open(Household.self, row, recordID: "household:\(id)", key: key)
    }

    static func surveys(of buildingID: String, in db: Database) throws -> [JudgedSurvey] {
        try String.fetchAll(
            db, sql: "SELECT document FROM damageSurvey WHERE buildingID = ? ORDER BY surveyedAt, id",
            arguments: [buildingID]
        ).map { try DocumentCoding.decode(JudgedSurvey.self, from: $0) }
    }

    static func certificates(of householdID: String, in db: Database, key: PersonalDataKey) throws
        -> [DisasterCertificate]
    {
        try Row.fetchAll(
            db,
            sql: """
                SELECT year, serial, version, keyID, sealed FROM certificate WHERE householdID = ?
                ORDER BY year, serial, version
                """,
            arguments: [householdID]
        ).map { row in
            try certificate(row, number: CertificateNumber(year: row["year"], serial: row["serial"]), key: key)
        }
    }

    static func certificate(_ row: Row, number: CertificateNumber, key: PersonalDataKey) throws -> DisasterCertificate {
        try open(DisasterCertificate.self, row, recordID: "certificate:\(number) v\(row["version"] as Int)", key: key)
    }

    static func ledger(of householdID: String, issuer: String, in db: Database, key: PersonalDataKey) throws
        -> CertificateLedger
    {
        var last: [Int: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT year, last FROM certificateSerial") {
            last[row["year"]] = row["last"]
        }
        return CertificateLedger(
            issuer: issuer, versions: try certificates(of: householdID, in: db, key: key), lastSerials: last)
    }

    static func insert(
        _ certificate: DisasterCertificate, householdID: String, ledger: CertificateLedger, in db: Database,
        key: PersonalDataKey
    ) throws {
        let number = certificate.number
        let sealed = try key.seal(
            Data(try DocumentCoding.encode(certificate).utf8), recordID: "certificate:\(number) v\(certificate.version)"
        )
        try db.execute(
            sql: """
                INSERT INTO certificate (year, serial, version, householdID, grade, keyID, sealed)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                number.year, number.serial, certificate.version, householdID, certificate.judgement.grade.rawValue,
                key.id, sealed,
            ])
        if let last = ledger.lastSerials[number.year] {
            try db.execute(
                sql: """
                    INSERT INTO certificateSerial (year, last) VALUES (?, ?)
                    ON CONFLICT(year) DO UPDATE SET last = MAX(last, excluded.last)
                    """,
                arguments: [number.year, last])
        }
    }

    /// A sealed record, opened and decoded.
    static func open<Value: Decodable>(_ type: Value.Type, _ row: Row, recordID: String, key: PersonalDataKey) throws
        -> Value
    {
        try SealedRecord.open(type, keyID: row["keyID"], sealed: row["sealed"], recordID: recordID, key: key)
    }
}
