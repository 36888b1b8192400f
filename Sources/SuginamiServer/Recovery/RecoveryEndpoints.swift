import Foundation
import HTTPTypes
import Hummingbird
import SuginamiKit

/// The recovery counter over HTTP: damage surveys in, り災証明書 issued and changed, printed as
/// an A4 page, the victims' register (被災者台帳) read, re-surveys and support applications
/// recorded, and the ward's figures. Headquarters tokens only; served when the daemon has the
/// personal-data key (`--people-key`); every household read is audited in the store.
///
/// | method and path | what |
/// |---|---|
/// | `POST /surveys` | one survey form, judged and filed (JSON: `id`, `building_id`, `surveyor`, `surveyed_at`, `round`, `collapsed`, `tilt`, `parts`, `photos`) |
/// | `GET /households/{id}` | the household's register record |
/// | `POST /households/{id}/certificate` | issue its certificate (`disaster`, `disaster_at`, `cause`) |
/// | `POST /households/{id}/resurvey-requests` | its request for a re-survey (`reason`) |
/// | `POST /households/{id}/support` | an application for 被災者生活再建支援金 (`state`, `methods`, `demolished`, …) |
/// | `GET /certificates/{number}` | every version (JSON), or one as a print-ready page (`f=html`, `version`) |
/// | `POST /certificates/{number}/{reissue,correction,resurvey}` | a new version (`reason`, except resurvey) |
/// | `GET /recovery/report` | the ward's figures, no household's details |
struct RecoveryEndpoints: Sendable {
    /// The counter; nil when the daemon has no personal-data key.
    let desk: RecoveryDesk?

    func register(on router: Hummingbird.Router<ServerContext>) {
        router.post("/surveys") { request, context in
            let (desk, principal) = try Self.reader(self.desk, context)
            var fields = try RequestFields(try await OperationsEndpoints.body(request, context).bytes)
            let survey = try Self.survey(&fields)
            try fields.finish()
            let judged = try await Self.mapping {
                try await desk.fileSurvey(survey, by: principal, from: context.clientAddress)
            }
            return OperationsEndpoints.json(Self.surveyJSON(judged), status: .created)
        }
        router.get("/households/:id") { request, context in
            let (desk, principal) = try Self.reader(self.desk, context)
            try OperationsEndpoints.noParameters(request)
            let id = try context.parameters.require("id")
            let entry = try await Self.mapping {
                try await desk.registerEntry(
                    householdID: id, by: principal, from: context.clientAddress, purpose: "被災者台帳: GET /households")
            }
            return OperationsEndpoints.json(Self.entryJSON(entry, rules: desk.rules), status: .ok)
        }
        router.post("/households/:id/certificate") { request, context in
            let (desk, principal) = try Self.reader(self.desk, context)
            let id = try context.parameters.require("id")
            var fields = try RequestFields(try await OperationsEndpoints.body(request, context).bytes)
            let name = try fields.requiredString("disaster", maximumLength: 200)
            let time = try fields.requiredString("disaster_at", maximumLength: 40)
            let cause = try fields.requiredString("cause", maximumLength: 200)
            try fields.finish()
            guard let date = try? Date(time, strategy: .iso8601), date <= Date() else {
                throw APIError.badRequest(
                    "disaster_at: \(time.prefix(40)) is not a past ISO 8601 time (2027-04-01T05:00:00+09:00)")
            }
            let certificate = try await Self.mapping {
                try await desk.issueCertificate(
                    householdID: id, disaster: .init(name: name, date: date), cause: cause, by: principal,
                    from: context.clientAddress)
            }
            var response = OperationsEndpoints.json(Self.certificateJSON(certificate), status: .created)
            response.headers[.location] = "/certificates/\(certificate.number)"
            return response
        }
        router.post("/households/:id/resurvey-requests") { request, context in
            let (desk, principal) = try Self.reader(self.desk, context)
            let id = try context.parameters.require("id")
            var fields = try RequestFields(try await OperationsEndpoints.body(request, context).bytes)
            let reason = try fields.requiredString("reason", maximumLength: 2_000)
            try fields.finish()
            let now = Date()
            try await Self.mapping {
                try await desk.requestResurvey(
                    ResurveyRequest(householdID: id, requestedAt: now, reason: reason), by: principal,
                    from: context.clientAddress)
            }
            return OperationsEndpoints.json(
                .object([("household", .string(id)), ("requested_at", .string(now.formatted(.iso8601)))]),
                status: .created)
        }
        router.post("/households/:id/support") { request, context in
            let (desk, principal) = try Self.reader(self.desk, context)
            let id = try context.parameters.require("id")
            var fields = try RequestFields(try await OperationsEndpoints.body(request, context).bytes)
            let state = try fields.choice("state", SupportApplication.State.self) ?? .applied
            let methodNames = try fields.string("methods", maximumLength: 100) ?? ""
            var methods: [SupportGrantRules.RebuildingMethod] = []
            for name in methodNames.split(separator: ",") {
                guard let method = SupportGrantRules.RebuildingMethod(rawValue: String(name)) else {
                    throw APIError.badRequest(
                        "methods: \(name.prefix(40)) is not one of "
                            + SupportGrantRules.RebuildingMethod.allCases.map(\.rawValue).joined(separator: ", "))
                }
                methods.append(method)
            }
            let plan = SupportPlan(
                demolished: try fields.bool("demolished") ?? false,
                longTermEvacuation: try fields.bool("long_term_evacuation") ?? false, methods: methods,
                livedThere: try fields.bool("lived_there") ?? true, actApplies: try fields.bool("act_applies") ?? true)
            try fields.finish()
            let application = try await Self.mapping {
                try await desk.recordSupportApplication(
                    householdID: id, plan: plan, state: state, by: principal, from: context.clientAddress)
            }
            return OperationsEndpoints.json(Self.applicationJSON(application), status: .created)
        }
        router.get("/certificates/:number") { request, context in
            let (desk, principal) = try Self.reader(self.desk, context)
            let number = try Self.number(context)
            let values = try ItemsQuery.single(request.queryItems, allowed: ["f", "version"])
            let html: Bool
            switch values["f"] {
            case nil, "json": html = false
            case "html": html = true
            case let other?: throw APIError.invalidParameter("f", "\(other.prefix(20)) is neither json nor html")
            }
            var version: Int?
            if let text = values["version"] {
                guard html, let number = Int(text), number >= 1 else {
                    throw APIError.invalidParameter(
                        "version", "\(text.prefix(20)) is not a version number (1, 2, …) with f=html")
                }
                version = number
            }
            let versions = try await Self.mapping {
                try await desk.certificateVersions(
                    number, by: principal, from: context.clientAddress, purpose: "り災証明書: GET /certificates")
            }
            guard html else {
                return OperationsEndpoints.json(
                    .object([
                        ("number", .string(number.description)),
                        ("versions", .array(versions.map(Self.certificateJSON))),
                    ]), status: .ok)
            }
            guard let certificate = version.map({ wanted in versions.first { $0.version == wanted } }) ?? versions.last
            else {
                throw APIError.notFound(
                    "certificate \(number) has versions 1 to \(versions.count), not \(version ?? 0)")
            }
            return Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: certificate.printableHTML())))
        }
        router.post("/certificates/:number/:change") { request, context in
            let (desk, principal) = try Self.reader(self.desk, context)
            let number = try Self.number(context)
            let kind = try context.parameters.require("change")
            var fields = try RequestFields(
                try await OperationsEndpoints.body(request, context, optional: true).bytes.nonEmptyOrObject)
            let change: CertificateChange
            switch kind {
            case "reissue": change = .reissue(reason: try fields.requiredString("reason", maximumLength: 500))
            case "correction": change = .correction(reason: try fields.requiredString("reason", maximumLength: 500))
            case "resurvey": change = .resurvey
            default:
                throw APIError.notFound(
                    "\(kind.prefix(40)) is not a change of a certificate (reissue, correction, resurvey)")
            }
            try fields.finish()
            let certificate = try await Self.mapping {
                try await desk.changeCertificate(number, change, by: principal, from: context.clientAddress)
            }
            return OperationsEndpoints.json(Self.certificateJSON(certificate), status: .created)
        }
        router.get("/recovery/report") { request, context in
            let (desk, principal) = try Self.reader(self.desk, context)
            try OperationsEndpoints.noParameters(request)
            let report = try await Self.mapping { try await desk.report(by: principal) }
            func grades(_ counts: [HouseDamageGrade: Int]) -> JSONValue {
                .object(HouseDamageGrade.allCases.sorted(by: >).map { ($0.rawValue, .number(Double(counts[$0] ?? 0))) })
            }
            return OperationsEndpoints.json(
                .object([
                    ("households", .number(Double(report.households))), ("surveys", .number(Double(report.surveys))),
                    ("surveyed_by_grade", grades(report.surveyedByGrade)),
                    (
                        "surveyed_by_town",
                        .object(report.surveyedByTown.sorted { $0.key < $1.key }.map { ($0.key, grades($0.value)) })
                    ),
                    ("certificates_by_grade", grades(report.certificatesByGrade)),
                    ("later_versions", .number(Double(report.laterVersions))),
                    ("resurvey_requests", .number(Double(report.resurveyRequests))),
                    (
                        "applications",
                        .object(
                            SupportApplication.State.allCases.map {
                                ($0.rawValue, .number(Double(report.applications[$0] ?? 0)))
                            })
                    ),
                    ("granted_yen", .number(Double(report.granted))),
                ]), status: .ok)
        }
    }

    // MARK: Requests

    private static func reader(_ desk: RecoveryDesk?, _ context: ServerContext) throws(APIError) -> (
        RecoveryDesk, Principal
    ) {
        guard let desk else {
            throw .notFound(
                "this daemon serves no victims' register: it was started without --people-key (made by `refd people key`)"
            )
        }
        let principal = try context.principal()
        guard principal.role == .headquarters else {
            throw .forbidden(
                "the victims' register and certificates are for headquarters tokens; this one is \(principal.role)")
        }
        return (desk, principal)
    }

    private static func number(_ context: ServerContext) throws -> CertificateNumber {
        let text = try context.parameters.require("number")
        guard let number = CertificateNumber(text) else {
            throw APIError.notFound("\(text.prefix(40)) is not a certificate number (2027-000123)")
        }
        return number
    }

    private static func survey(_ fields: inout RequestFields) throws -> DamageSurvey {
        let time = try fields.requiredString("surveyed_at", maximumLength: 40)
        guard let surveyedAt = try? Date(time, strategy: .iso8601), surveyedAt <= Date().addingTimeInterval(300) else {
            throw APIError.badRequest(
                "surveyed_at: \(time.prefix(40)) is not a past ISO 8601 time (2027-04-10T10:00:00+09:00)")
        }
        let tilt = try fields.object("tilt") { (tilt: inout RequestFields) throws(APIError) in
            let offsets = try tilt.requiredString("offsets", maximumLength: 60)
            let values = offsets.split(separator: ",").compactMap { Int($0) }
            guard values.count == offsets.split(separator: ",").count else {
                throw APIError.badRequest("offsets: \(offsets.prefix(60)) is not millimetres separated by commas")
            }
            guard let length = try tilt.integer("plumb_length", in: 1...10_000) else {
                throw APIError.badRequest("plumb_length: is required")
            }
            return TiltMeasurement(offsets: values, plumbLength: length)
        }
        var parts: [BuildingPart: Int] = [:]
        if let text = try fields.string("parts", maximumLength: 300) {
            for entry in text.split(separator: ",") {
                let pair = entry.split(separator: "=", maxSplits: 1)
                guard pair.count == 2, let part = BuildingPart(rawValue: String(pair[0])), let share = Int(pair[1])
                else {
                    throw APIError.badRequest(
                        "parts: \(entry.prefix(40)) is not PART=PERCENT with a part of "
                            + BuildingPart.allCases.map(\.rawValue).joined(separator: ", "))
                }
                parts[part] = share
            }
        }
        let photos = (try fields.string("photos", maximumLength: 2_000) ?? "").split(separator: ",").map(String.init)
        return DamageSurvey(
            id: try fields.requiredString("id", maximumLength: 80),
            buildingID: try fields.requiredString("building_id", maximumLength: 80),
            surveyor: try fields.requiredString("surveyor", maximumLength: 100), surveyedAt: surveyedAt,
            round: try fields.choice("round", SurveyRound.self) ?? .first,
            collapsed: try fields.bool("collapsed") ?? false,
            tilt: tilt, parts: parts, photos: photos)
    }

    /// The SDK's refusals as HTTP ones.
    private static func mapping<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as RecoveryStoreError {
            switch error {
            case .headquartersOnly: throw APIError.forbidden(error.description)
            case .unknownHousehold: throw APIError.notFound(error.description)
            case .unknownBuildings, .missing, .notSurveyed, .noCertificate: throw APIError.badRequest(error.description)
            case .surveyExists: throw APIError.conflict(error.description)
            }
        } catch let error as CertificateError {
            switch error {
            case .unknown: throw APIError.notFound(error.description)
            case .alreadyIssued: throw APIError.conflict(error.description)
            default: throw APIError.badRequest(error.description)
            }
        } catch let error as DamageSurveyError {
            throw APIError.badRequest(error.description)
        } catch let error as SupportGrantError {
            throw APIError.badRequest(error.description)
        }
    }

    // MARK: Answers

    static func surveyJSON(_ judged: JudgedSurvey) -> JSONValue {
        .object([
            ("id", .string(judged.id)), ("building_id", .string(judged.survey.buildingID)),
            ("surveyor", .string(judged.survey.surveyor)),
            ("surveyed_at", .string(judged.survey.surveyedAt.formatted(.iso8601))),
            ("round", .string(judged.survey.round.rawValue)), ("grade", .string(judged.judgement.grade.rawValue)),
            ("grade_ja", .string(judged.judgement.grade.japaneseName)),
            ("loss_ratio_percent", judged.judgement.lossRatio.map { .number(Double($0.basisPoints) / 100) } ?? .null),
            ("judgement", .string(judged.judgement.japaneseSummary)),
            ("photos", .array(judged.survey.photos.map(JSONValue.string))),
        ])
    }

    static func certificateJSON(_ certificate: DisasterCertificate) -> JSONValue {
        .object([
            ("number", .string(certificate.number.description)), ("version", .number(Double(certificate.version))),
            ("head", .string(certificate.household.head)), ("address", .string(certificate.household.address)),
            ("building_id", .string(certificate.household.buildingID)),
            ("disaster", .string(certificate.disaster.name)),
            ("cause", .string(certificate.cause)), ("grade", .string(certificate.judgement.grade.rawValue)),
            ("grade_ja", .string(certificate.judgement.grade.japaneseName)),
            ("judgement", .string(certificate.judgement.japaneseSummary)),
            ("surveyed_at", .string(certificate.surveyedAt.formatted(.iso8601))),
            ("issued_at", .string(certificate.issuedAt.formatted(.iso8601))), ("issuer", .string(certificate.issuer)),
            ("change", certificate.change.map { .string($0.japaneseText) } ?? .null),
            ("page", .string("/certificates/\(certificate.number)?f=html&version=\(certificate.version)")),
        ])
    }

    static func applicationJSON(_ application: SupportApplication) -> JSONValue {
        .object([
            ("household", .string(application.householdID)), ("state", .string(application.state.rawValue)),
            ("grade", .string(application.claim.grade.rawValue)),
            ("members", .number(Double(application.claim.members))),
            ("methods", .array(application.claim.methods.map { .string($0.rawValue) })),
            ("basic_yen", .number(Double(application.grant.basic))),
            ("additional_yen", .number(Double(application.grant.additional))),
            ("total_yen", .number(Double(application.grant.total))), ("rule", .string(application.grant.reason)),
            ("recorded_at", .string(application.recordedAt.formatted(.iso8601))),
        ])
    }

    static func entryJSON(_ entry: VictimRegisterEntry, rules: SupportGrantRules) -> JSONValue {
        let household = entry.household
        return .object([
            ("household", .string(household.id)), ("head", .string(household.head)),
            ("address", .string(household.address)),
            ("building_id", .string(household.buildingID)), ("members", .number(Double(household.members))),
            ("surveys", .array(entry.surveys.map(surveyJSON))),
            ("certificate", entry.certificate.map(certificateJSON) ?? .null),
            ("certificate_versions", .number(Double(entry.certificates.count))),
            (
                "resurvey_requests",
                .array(
                    entry.resurveyRequests.map {
                        .object([
                            ("requested_at", .string($0.requestedAt.formatted(.iso8601))),
                            ("reason", .string($0.reason)),
                        ])
                    })
            ),
            (
                "safety",
                entry.safety.map {
                    .object([
                        ("person", .string($0.personID)), ("state", .string($0.state.rawValue)),
                        ("observed_at", .string($0.observedAt.formatted(.iso8601))),
                    ])
                } ?? .null
            ),
            ("support", .array(entry.support.map(applicationJSON))),
            (
                "expected_basic_grant_yen",
                entry.expectedBasicGrant(rules: rules).map { .number(Double($0.basic)) } ?? .null
            ),
            ("grant_rules", .array(rules.sources.map(JSONValue.string))),
        ])
    }
}

extension Array where Element == UInt8 {
    /// An empty body read as `{}`: a change without a reason may come without a body.
    fileprivate var nonEmptyOrObject: [UInt8] { isEmpty ? Array("{}".utf8) : self }
}
