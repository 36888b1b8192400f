import Foundation

/// テーラリング: how a municipality fits the rules in force to itself, in one file (JSON or
/// YAML), as an OpenSCAP tailoring file or an InSpec profile's overrides do.
///
/// - `disable`: a bundled rule does not apply here, with the reason; the rule stays in the
///   results, the report and the Statement of Applicability, marked disabled with that reason.
/// - `tailor`: a rule made stricter or re-parameterised (its severity, evidence age, check
///   bounds, or the organisation parameters it reads, e.g. `logRetentionDays: 730`), with the
///   reason; every change is listed beside the rule's verdict.
/// - `rules`: the municipality's own rules, in the catalogue format.
/// - `inherited`: Annex A controls someone else provides (the prefecture's
///   自治体情報セキュリティクラウド, a cloud provider), with their evidence.
public struct TailoringProfile: Sendable, Codable, Hashable {
    /// The format this SDK reads.
    public static let currentVersion = 1

    /// Must be ``currentVersion``.
    public var profileVersion: Int
    /// The profile's name, shown in every report.
    public var name: String
    /// Rules that do not apply here.
    public var disable: [DisabledRule]?
    /// Rules changed here.
    public var tailor: [RuleTailoring]?
    /// The municipality's own rules.
    public var rules: [ControlRule]?
    /// Controls provided by someone else.
    public var inherited: [InheritedControl]?

    /// A profile.
    public init(
        name: String, disable: [DisabledRule]? = nil, tailor: [RuleTailoring]? = nil, rules: [ControlRule]? = nil,
        inherited: [InheritedControl]? = nil
    ) {
        profileVersion = Self.currentVersion
        self.name = name
        self.disable = disable
        self.tailor = tailor
        self.rules = rules
        self.inherited = inherited
    }

    /// Reads a profile file; see ``validate(rules:annexA:evidence:name:)`` for what is checked.
    public static func load(_ url: URL) throws(ISMSValidationFailure) -> TailoringProfile {
        try DocumentReader.read(TailoringProfile.self, at: url, name: url.path)
    }

    /// The rules in force once the profile is applied: its own rules added, tailored rules
    /// changed, and, for each rule it touches, what it did and why.
    /// - Parameters:
    ///   - rules: the rules of the catalogues in force.
    ///   - annexA: the 93 controls, which inherited controls and new rules must name.
    ///   - evidence: the bundle, which inherited controls' evidence must be in.
    ///   - name: the file's name, for messages.
    /// - Throws: ``ISMSValidationFailure``: an unknown version; a rule disabled or tailored that
    ///   is not in force, or named twice; an empty reason; a tailoring that changes nothing or
    ///   leaves the check malformed; an unknown organisation parameter or a non-positive value;
    ///   an own rule that repeats an id or fails the catalogue's checks; an inherited control
    ///   outside the 93, named twice, or citing evidence not in the bundle.
    public func apply(to rules: [ControlRule], annexA: AnnexACatalogue, evidence: EvidenceBundle, name: String)
        throws(ISMSValidationFailure) -> (rules: [ControlRule], notes: [String: TailoringNote])
    {
        var problems = ProblemList(file: name)
        if profileVersion != Self.currentVersion {
            problems.add(
                "profileVersion", "unknown profile version \(profileVersion) (this SDK reads \(Self.currentVersion))")
            try problems.throwIfAny()
        }
        if self.name.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.add("name", "the profile needs a name (it is shown in every report)")
        }
        let own = self.rules ?? []
        do {
            try RuleCatalogue(catalogueVersion: RuleCatalogue.currentVersion, name: self.name, rules: own)
                .validate(annexA: annexA, name: name)
        } catch {
            for problem in error.errors { problems.add(problem.location, problem.reason) }
        }
        var inForce = rules
        let known = Set(inForce.map(\.id))
        for (index, rule) in own.enumerated() where known.contains(rule.id) {
            problems.add("rules[\(index)].id", "rule \"\(rule.id)\" is already in force; tailor it instead")
        }
        inForce += own
        var notes: [String: TailoringNote] = [:]
        var named = Set<String>()
        func claim(_ rule: String, _ location: String) -> Int? {
            guard let position = inForce.firstIndex(where: { $0.id == rule }) else {
                problems.add("\(location).rule", "unknown rule \"\(rule)\" (not in any catalogue in force)")
                return nil
            }
            if !named.insert(rule).inserted {
                problems.add("\(location).rule", "rule \"\(rule)\" is disabled or tailored more than once")
                return nil
            }
            return position
        }
        func reasoned(_ reason: String, _ location: String) {
            if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems.add("\(location).reason", "say why (the reason is shown in the report and the SoA)")
            }
        }
        for (index, disabled) in (disable ?? []).enumerated() {
            let location = "disable[\(index)]"
            reasoned(disabled.reason, location)
            if claim(disabled.rule, location) != nil {
                notes[disabled.rule] = TailoringNote(
                    profile: self.name, disabled: true, reason: disabled.reason, changes: [])
            }
        }
        for (index, tailoring) in (tailor ?? []).enumerated() {
            let location = "tailor[\(index)]"
            reasoned(tailoring.reason, location)
            guard let position = claim(tailoring.rule, location) else { continue }
            let (rule, changes, errors) = tailoring.applied(to: inForce[position])
            for error in errors { problems.add("\(location).\(error.field)", error.reason) }
            if changes.isEmpty && errors.isEmpty { problems.add(location, "the tailoring changes nothing") }
            for reason in rule.check.problems() { problems.add("\(location).check", reason) }
            inForce[position] = rule
            notes[tailoring.rule] = TailoringNote(
                profile: self.name, disabled: false, reason: tailoring.reason, changes: changes)
        }
        var inheritedControls = Set<String>()
        for (index, control) in (inherited ?? []).enumerated() {
            let location = "inherited[\(index)]"
            if annexA.control(id: control.control) == nil {
                problems.add(
                    "\(location).control",
                    "\"\(control.control)\" is not one of the 93 ISO/IEC 27001:2022 Annex A controls")
            }
            if !inheritedControls.insert(control.control).inserted {
                problems.add("\(location).control", "control \(control.control) is inherited twice")
            }
            if control.provider.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.add("\(location).provider", "name who provides the control")
            }
            if let id = control.evidence, evidence.items[id] == nil {
                problems.add("\(location).evidence", "evidence \"\(id)\" is not in the evidence manifest")
            }
            if control.evidence == nil && (control.reference ?? "").isEmpty {
                problems.add(location, "an inherited control needs its evidence (an id in the bundle) or a reference")
            }
        }
        try problems.throwIfAny()
        return (inForce, notes)
    }
}

/// A rule that does not apply to this municipality.
public struct DisabledRule: Sendable, Codable, Hashable {
    /// The rule id.
    public var rule: String
    /// Why (shown in the report and the SoA).
    public var reason: String

    /// A disabled rule.
    public init(rule: String, reason: String) {
        self.rule = rule
        self.reason = reason
    }
}

/// Changes to one rule. Only what is given changes.
public struct RuleTailoring: Sendable, Codable, Hashable {
    /// The rule id.
    public var rule: String
    /// Why.
    public var reason: String
    /// A new severity (it drives the gates).
    public var severity: Severity?
    /// A new maximum evidence age, in days.
    public var maxEvidenceAgeDays: Int?
    /// Organisation parameters as this rule reads them (e.g. `logRetentionDays: 730`).
    public var parameters: [String: Int]?
    /// New bounds of the check.
    public var check: CheckBounds?

    /// A tailoring.
    public init(
        rule: String, reason: String, severity: Severity? = nil, maxEvidenceAgeDays: Int? = nil,
        parameters: [String: Int]? = nil, check: CheckBounds? = nil
    ) {
        self.rule = rule
        self.reason = reason
        self.severity = severity
        self.maxEvidenceAgeDays = maxEvidenceAgeDays
        self.parameters = parameters
        self.check = check
    }

    /// The bounds of a check a profile may set.
    public struct CheckBounds: Sendable, Codable, Hashable {
        /// min-factors, count-min: the minimum.
        public var minimum: Int?
        /// freshness: the maximum age in days.
        public var maxAgeDays: Int?
        /// attribute: a numeric lower bound.
        public var atLeast: Double?
        /// attribute: a numeric upper bound.
        public var atMost: Double?
        /// attribute: the accepted values.
        public var values: [String]?

        /// Bounds.
        public init(
            minimum: Int? = nil, maxAgeDays: Int? = nil, atLeast: Double? = nil, atMost: Double? = nil,
            values: [String]? = nil
        ) {
            self.minimum = minimum
            self.maxAgeDays = maxAgeDays
            self.atLeast = atLeast
            self.atMost = atMost
            self.values = values
        }
    }

    /// The rule with the changes, the changes as sentences (`severity high → critical`), and
    /// the fields that cannot be changed so.
    func applied(to original: ControlRule) -> (
        rule: ControlRule, changes: [String], errors: [(field: String, reason: String)]
    ) {
        var rule = original
        var changes: [String] = []
        var errors: [(field: String, reason: String)] = []
        func change<Value: Equatable>(_ label: String, _ old: Value?, _ new: Value?, _ set: (Value) -> Void) {
            guard let new, new != old else { return }
            set(new)
            changes.append("\(label) \(old.map { "\($0)" } ?? "unset") → \(new)")
        }
        change("severity", original.severity.rawValue, severity?.rawValue) { rule.severity = Severity(rawValue: $0)! }
        if let days = maxEvidenceAgeDays, days <= 0 {
            errors.append(("maxEvidenceAgeDays", "must be a positive number of days, not \(days)"))
        }
        change("maxEvidenceAgeDays", original.maxEvidenceAgeDays, maxEvidenceAgeDays) {
            rule.maxEvidenceAgeDays = $0
        }
        for (name, value) in (parameters ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard Parameters.names.contains(name) else {
                errors.append(
                    ("parameters.\(name)", "unknown parameter (known: \(Parameters.names.joined(separator: ", ")))"))
                continue
            }
            guard value > 0 else {
                errors.append(("parameters.\(name)", "must be positive, not \(value)"))
                continue
            }
            guard original.check.parameter == name else {
                errors.append(
                    (
                        "parameters.\(name)",
                        "rule \(original.id) does not read \(name)"
                            + (original.check.parameter.map { " (it reads \($0))" } ?? " (it reads no parameter)")
                    ))
                continue
            }
            changes.append("\(name) → \(value) for this rule")
            rule.parameterOverrides = (rule.parameterOverrides ?? [:]).merging([name: value]) { $1 }
        }
        if let bounds = check {
            let kind = original.check.kind
            func allowed(_ field: String, _ given: Bool, for kinds: [CheckKind]) -> Bool {
                guard given else { return false }
                if kinds.contains(kind) { return true }
                errors.append(("check.\(field)", "a \(kind.rawValue) check has no \(field)"))
                return false
            }
            if allowed("minimum", bounds.minimum != nil, for: [.minFactors, .countMin]) {
                change("minimum", original.check.minimum, bounds.minimum) { rule.check.minimum = $0 }
            }
            if allowed("maxAgeDays", bounds.maxAgeDays != nil, for: [.freshness]) {
                change("maxAgeDays", original.check.maxAgeDays, bounds.maxAgeDays) { rule.check.maxAgeDays = $0 }
            }
            if allowed("atLeast", bounds.atLeast != nil, for: [.attribute]) {
                change("atLeast", original.check.atLeast, bounds.atLeast) { rule.check.atLeast = $0 }
            }
            if allowed("atMost", bounds.atMost != nil, for: [.attribute]) {
                change("atMost", original.check.atMost, bounds.atMost) { rule.check.atMost = $0 }
            }
            if allowed("values", bounds.values != nil, for: [.attribute]) {
                change("values", original.check.values, bounds.values) { rule.check.values = $0 }
            }
        }
        return (rule, changes, errors)
    }
}

/// An Annex A control that someone else provides (継承する管理策): the prefecture's security cloud,
/// a cloud provider under ISMAP. It is applicable, and its SoA line says who provides it and
/// on what evidence.
public struct InheritedControl: Sendable, Codable, Hashable {
    /// The Annex A id, e.g. `8.20`.
    public var control: String
    /// Who provides it.
    public var provider: String
    /// An evidence id of the bundle (their attestation, report or certificate).
    public var evidence: String?
    /// A reference (a document or URL) when the evidence is not in the bundle.
    public var reference: String?

    /// An inherited control.
    public init(control: String, provider: String, evidence: String? = nil, reference: String? = nil) {
        self.control = control
        self.provider = provider
        self.evidence = evidence
        self.reference = reference
    }
}

/// What a profile did to a rule, kept with the rule's outcome.
public struct TailoringNote: Sendable, Codable, Hashable {
    /// The profile's name.
    public var profile: String
    /// The rule is disabled.
    public var disabled: Bool
    /// Why.
    public var reason: String
    /// The changes, one sentence each (empty when disabled).
    public var changes: [String]
}
