import Foundation

/// The rules of the operations writes, apart from any database: what a change checks, how it
/// shapes the stored value and what its audit entry says. Both back ends call these, so a
/// change is refused, stored and audited alike on SQLite and on PostgreSQL; each back end only
/// reads and writes rows around them.
package enum OperationsRules {
    /// An audit entry's content, before the log numbers and chains it.
    package struct AuditNote: Sendable {
        package var action: String
        package var subject: String
        package var detail: String

        package init(action: String, subject: String, detail: String) {
            self.action = action
            self.subject = subject
            self.detail = detail
        }
    }

    // MARK: Status

    /// The status report as it is stored: checked against who sends it, to the whole second,
    /// signed with the actor's label, and valid.
    package static func preparedStatus(_ status: ShelterStatus, by actor: Actor) throws -> ShelterStatus {
        try actor.principal?.checkMayUpdateStatus(of: status.facilityID)
        var status = status
        status.reportedAt = status.reportedAt.wholeSeconds
        status.reportedBy = actor.principal.map { "\($0.role): \($0.label)" } ?? actor.source
        let problems = status.problems()
        guard problems.isEmpty else {
            throw StoreError.invalidRecord(id: status.facilityID, problems: problems.map(\.description))
        }
        return status
    }

    /// Refuses a status for a facility the store does not hold (`kind` nil) or of a kind that
    /// has no open/closed/full status.
    package static func checkTakesStatus(facilityID: String, kind: String?) throws {
        try checkIsShelter(
            facilityID: facilityID, kind: kind,
            because: "open/closed/full status applies to relief centres, shelters "
                + "and temporary stay facilities")
    }

    /// Refuses a facility the store does not hold (`kind` nil) or that is not a shelter, saying
    /// what applies only to shelters.
    static func checkIsShelter(facilityID: String, kind: String?, because rule: String) throws {
        guard let kind else { throw OperationsError.notFound("there is no facility \(facilityID.prefix(80))") }
        guard FacilityKind(rawValue: kind)?.isShelter == true else {
            throw OperationsError.invalid(field: "facility", reason: "\(facilityID.prefix(80)) is a \(kind); \(rule)")
        }
    }

    package static func statusNote(_ status: ShelterStatus) -> AuditNote {
        AuditNote(
            action: "status.record", subject: status.facilityID,
            detail: "\(status.state.rawValue), occupancy \(status.occupancy.map(String.init) ?? "not given")")
    }

    // MARK: Reports

    /// A new report as it is stored: its author from the actor, its first state, a new id and
    /// the receipt time to the whole second (a retry's replayed answer is then the same value).
    package static func preparedSubmission(_ report: DamageReport, by actor: Actor, publish: Bool) throws
        -> DamageReport
    {
        try actor.principal?.checkMaySubmitReports()
        var report = report
        let role = actor.principal?.role ?? .headquarters
        report.authorRole = role
        report.authorFacilityID = actor.principal?.facilityID
        report.authorTokenID = actor.principal?.tokenID
        report.photoType = nil
        report.state = DamageReport.initialState(for: role)
        if publish {
            guard role == .headquarters else {
                throw OperationsError.forbidden("only headquarters may publish a report as it submits it")
            }
            report.state = .published
        }
        let problems = report.problems()
        guard problems.isEmpty else {
            throw StoreError.invalidRecord(id: report.id, problems: problems.map(\.description))
        }
        report.id = newReportID()
        report.receivedAt = Date.wholeSecondsNow
        report.updatedAt = report.receivedAt
        report.observedAt = report.observedAt.wholeSeconds
        return report
    }

    package static func submissionNote(_ report: DamageReport) -> AuditNote {
        AuditNote(
            action: "report.submit", subject: report.id,
            detail: "\(report.kind.rawValue) at \(report.position), \(report.state.rawValue)")
    }

    /// Checks a review before any row is read.
    package static func checkReview(note: String?, by actor: Actor) throws {
        try actor.principal?.checkMayReview()
        if let note, note.count > 1_000 {
            throw OperationsError.invalid(field: "note", reason: "has \(note.count) characters; at most 1000")
        }
    }

    /// The report a merge names, to be read before ``reviewed(_:id:_:note:target:)``.
    package static func mergeTarget(of action: ReportAction) -> String? {
        if case .merge(let target) = action { target } else { nil }
    }

    /// Applies a review to the stored report; `target` is the report a merge names, as read
    /// (nil when there is none).
    /// - Returns: the report as it is now, and its state before.
    package static func reviewed(
        _ stored: DamageReport?, id: String, _ action: ReportAction, note: String?, target: DamageReport?
    ) throws -> (report: DamageReport, before: DamageReport.State) {
        guard var report = stored else { throw OperationsError.notFound("there is no report \(id.prefix(80))") }
        let before = report.state
        report.state = try action.nextState(from: report.state)
        if let targetID = mergeTarget(of: action) {
            guard targetID != id else {
                throw OperationsError.invalid(field: "into", reason: "a report cannot be merged into itself")
            }
            guard let other = target else {
                throw OperationsError.notFound("there is no report \(targetID.prefix(80)) to merge into")
            }
            guard other.state != .rejected, other.state != .withdrawn else {
                throw OperationsError.conflict("report \(targetID) is \(other.state.rawValue); merge into a live one")
            }
            report.duplicateOf = targetID
        }
        report.reviewNote = note
        report.updatedAt = Date.wholeSecondsNow
        return (report, before)
    }

    package static func reviewNote(_ report: DamageReport, _ action: ReportAction, before: DamageReport.State)
        -> AuditNote
    {
        AuditNote(
            action: "report.\(action.name)", subject: report.id,
            detail: "\(before.rawValue) → \(report.state.rawValue)"
                + (report.duplicateOf.map { ", duplicate of \($0)" } ?? ""))
    }

    /// Whether a change to a report is seen by the public (it is, or was, published).
    package static func isPublic(_ report: DamageReport, before: DamageReport.State? = nil) -> Bool {
        report.state == .published || before == .published
    }

    /// The stored report with its photo, checked: the author's token or headquarters, one
    /// photo per report.
    package static func withPhoto(_ stored: DamageReport?, id: String, _ photo: ReportPhoto, by actor: Actor) throws
        -> DamageReport
    {
        guard var report = stored else { throw OperationsError.notFound("there is no report \(id.prefix(80))") }
        if let principal = actor.principal, principal.role != .headquarters, principal.tokenID != report.authorTokenID {
            throw OperationsError.forbidden("only the report's author or headquarters may add its photo")
        }
        guard report.photoType == nil else {
            throw OperationsError.conflict("report \(id) already has its photo; a report takes one")
        }
        report.photoType = photo.mediaType
        return report
    }

    package static func photoNote(_ photo: ReportPhoto, reportID: String) -> AuditNote {
        AuditNote(
            action: "report.photo", subject: reportID,
            detail:
                "\(photo.mediaType), \(photo.original.count) bytes, SHA-256 \(AccessToken.digest(of: photo.original))"
        )
    }

    package static func newReportID() -> String {
        var generator = SystemRandomNumberGenerator()
        return "rep_" + String(format: "%016llx", UInt64.random(in: .min ... .max, using: &generator))
    }

    // MARK: Tokens

    /// A new token's record, checked: who may issue, a label, a facility exactly for staff.
    package static func newToken(role: AccessRole, facilityID: String?, label: String, by actor: Actor) throws
        -> AccessToken
    {
        try actor.principal?.checkMayManageTokens()
        let label = label.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(label.count) else {
            throw OperationsError.invalid(field: "label", reason: "must be 1 to 200 characters saying whom it is for")
        }
        guard (role == .staff) == (facilityID != nil) else {
            throw OperationsError.invalid(
                field: "facility",
                reason: role == .staff
                    ? "a staff token is bound to one facility; name it" : "only staff tokens are bound to a facility")
        }
        return AccessToken(
            id: AccessToken.makeID(), role: role, facilityID: facilityID, label: label, issuedAt: Date.wholeSecondsNow,
            revokedAt: nil)
    }

    /// Refuses to bind a staff token to a facility the store does not hold (`kind` nil) or
    /// that is not a shelter.
    package static func checkTakesStaff(facilityID: String, kind: String?) throws {
        try checkIsShelter(
            facilityID: facilityID, kind: kind,
            because: "staff tokens are for relief centres, shelters and temporary stay facilities")
    }

    package static func issueNote(_ token: AccessToken) -> AuditNote {
        AuditNote(
            action: "token.issue", subject: token.id,
            detail: "\(token.role.rawValue)\(token.facilityID.map { " for \($0)" } ?? ""): \(token.label)")
    }

    /// The stored token, revoked now; refused when unknown or already revoked.
    package static func revoked(_ stored: AccessToken?, id: String) throws -> AccessToken {
        guard var token = stored else { throw OperationsError.notFound("there is no token \(id.prefix(80))") }
        guard token.revokedAt == nil else { throw OperationsError.conflict("token \(id) was already revoked") }
        token.revokedAt = Date.wholeSecondsNow
        return token
    }

    package static func revokeNote(_ token: AccessToken) -> AuditNote {
        AuditNote(action: "token.revoke", subject: token.id, detail: "\(token.role.rawValue): \(token.label)")
    }

    // MARK: Idempotency

    /// The key's owner: the token, or for a local tool its source.
    package static func idempotencyOwner(_ actor: Actor) -> String { actor.principal?.tokenID ?? actor.source }

    /// The stored answer to a retry, or ``OperationsError/keyReused(_:)`` when the request
    /// differs from the one the key first came with.
    package static func replay<Value: Sendable & Codable>(
        _ claim: IdempotencyClaim, fingerprint: String, answer: String, as type: Value.Type
    ) throws -> Recorded<Value> {
        guard fingerprint == claim.fingerprint else { throw OperationsError.keyReused(claim.key) }
        return Recorded(value: try DocumentCoding.decode(Value.self, from: answer), replayed: true, events: [])
    }
}
