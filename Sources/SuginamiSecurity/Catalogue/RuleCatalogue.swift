import Foundation

/// A declarative catalogue of rules (JSON or YAML), such as the 総務省 guideline rules that ship
/// with the SDK. A municipality adds its own rules in a file of the same format.
public struct RuleCatalogue: Sendable, Codable, Hashable {
    /// The format this SDK reads.
    public static let currentVersion = 1

    /// Must be ``currentVersion``.
    public var catalogueVersion: Int
    /// The catalogue's name.
    public var name: String
    /// The rules, in reporting order.
    public var rules: [ControlRule]

    /// The guideline rules shipped with the SDK (`Catalogue/Resources/guideline-rules.yaml`).
    public static func bundled() throws(ISMSValidationFailure) -> RuleCatalogue {
        guard
            let url = Bundle.suginamiSecurity?.url(
                forResource: "guideline-rules", withExtension: "yaml", subdirectory: "Resources")
        else {
            throw ISMSValidationFailure([
                ISMSInputError(file: "guideline-rules.yaml", location: "", reason: "bundled resource is missing")
            ])
        }
        return try load(url, annexA: try annexA(), name: "guideline-rules.yaml")
    }

    /// Loads and validates a catalogue file.
    /// - Throws: ``ISMSValidationFailure`` for a malformed file, an unknown version, duplicate or
    ///   malformed rule ids, Annex A ids not among the 93, unknown check kinds, missing or
    ///   meaningless parameters, and unknown attributes or parameters.
    public static func load(_ url: URL, annexA: AnnexACatalogue, name: String? = nil) throws(ISMSValidationFailure)
        -> RuleCatalogue
    {
        let name = name ?? url.path
        let catalogue = try DocumentReader.read(RuleCatalogue.self, at: url, name: name)
        try catalogue.validate(annexA: annexA, name: name)
        return catalogue
    }

    private static func annexA() throws(ISMSValidationFailure) -> AnnexACatalogue {
        do {
            return try AnnexACatalogue.bundled()
        } catch {
            throw ISMSValidationFailure([ISMSInputError(file: "annex-a-2022.csv", location: "", reason: "\(error)")])
        }
    }

    /// Checks the catalogue; see ``load(_:annexA:name:)``.
    public func validate(annexA: AnnexACatalogue, name: String) throws(ISMSValidationFailure) {
        var problems = ProblemList(file: name)
        if catalogueVersion != Self.currentVersion {
            problems.add(
                "catalogueVersion",
                "unknown catalogue version \(catalogueVersion) (this SDK reads \(Self.currentVersion))")
        }
        var seen = Set<String>()
        for (index, rule) in rules.enumerated() {
            let location = "rules[\(index)]"
            if !Self.isToken(rule.id) {
                problems.add("\(location).id", "\"\(rule.id)\" is not a token (a letter, then letters, digits, . - _)")
            }
            if !seen.insert(rule.id).inserted { problems.add("\(location).id", "duplicate rule id \"\(rule.id)\"") }
            for (mapIndex, mapping) in rule.maps.enumerated() where annexA.control(id: mapping.control) == nil {
                problems.add(
                    "\(location).maps[\(mapIndex)].control",
                    "\"\(mapping.control)\" is not one of the 93 ISO/IEC 27001:2022 Annex A controls")
            }
            if let days = rule.maxEvidenceAgeDays, days <= 0 {
                problems.add("\(location).maxEvidenceAgeDays", "must be positive, not \(days)")
            }
            for reason in rule.check.problems() { problems.add("\(location).check", reason) }
        }
        try problems.throwIfAny()
    }

    /// Rules of several catalogues together; a rule id may appear only once across them.
    public static func merged(_ catalogues: [RuleCatalogue]) throws(ISMSValidationFailure) -> [ControlRule] {
        var seen = Set<String>()
        var problems = ProblemList(file: catalogues.map(\.name).joined(separator: " + "))
        for catalogue in catalogues {
            for rule in catalogue.rules where !seen.insert(rule.id).inserted {
                problems.add(catalogue.name, "rule id \"\(rule.id)\" is defined in more than one catalogue")
            }
        }
        try problems.throwIfAny()
        return catalogues.flatMap(\.rules)
    }

    /// OSCAL's token pattern, restricted to ASCII: a letter or `_`, then letters, digits, `.-_`.
    static func isToken(_ text: String) -> Bool {
        guard let first = text.first, first.isLetter || first == "_" else { return false }
        return text.allSatisfy { $0.isLetter || $0.isNumber || ".-_".contains($0) }
    }
}

extension CheckDefinition {
    /// What is missing or wrong for the kind, as sentences; empty when the check is well formed.
    func problems() -> [String] {
        var problems: [String] = []
        func require(_ present: Bool, _ parameter: String) {
            if !present { problems.append("\(kind.rawValue) needs \"\(parameter)\"") }
        }
        func attributes(_ names: [String], in collection: InventoryCollection?) {
            guard let collection, let known = InventoryIndex.attributeNames[collection] else { return }
            for name in names where !known.contains(name) {
                problems.append(
                    "\"\(name)\" is not an attribute of \(collection.rawValue) (known: \(known.sorted().joined(separator: ", ")))"
                )
            }
        }
        if let parameter, !Parameters.names.contains(parameter) {
            problems.append(
                "unknown organisation parameter \"\(parameter)\" (known: \(Parameters.names.joined(separator: ", ")))")
        }
        attributes(Array((self.where ?? [:]).keys).sorted(), in: collection)
        switch kind {
        case .flowForbidden:
            require(between?.count == 2, "between (two zone kinds)")
        case .flowPinned:
            require(zone != nil, "zone")
        case .flowSanitizer:
            require(!(from ?? []).isEmpty, "from")
            require(!(to ?? []).isEmpty, "to")
            require(!(sanitizers ?? []).isEmpty, "sanitizers")
            if sanitizers?.contains(.none) == true { problems.append("\"none\" cannot be an accepted 無害化") }
        case .placement:
            require(dataKind != nil, "dataKind")
            require(!(zones ?? []).isEmpty, "zones")
        case .minFactors:
            require(minimum.map { (1...3).contains($0) } ?? false, "minimum (1 to 3 factor categories)")
            require(
                accounts.map { $0.systemsInZones != nil || $0.privileged == true || $0.importantSystems == true }
                    ?? false,
                "accounts (systemsInZones, privileged or importantSystems)")
        case .attribute:
            require(collection != nil, "collection")
            require(attribute != nil, "attribute")
            require(
                values != nil || atLeast != nil || atMost != nil || present == true || parameter != nil,
                "a condition (values, atLeast, atMost, present or parameter)")
            if parameter != nil && atLeast == nil && atMost == nil {
                problems.append("parameter needs atLeast or atMost to say which bound it sets (give it as 0)")
            }
            attributes(attribute.map { [$0] } ?? [], in: collection)
        case .freshness:
            require(collection != nil, "collection")
            require(attribute != nil, "attribute")
            require(maxAgeDays != nil || parameter != nil || future == true, "maxAgeDays, parameter or future")
            if let maxAgeDays, maxAgeDays <= 0 { problems.append("maxAgeDays must be positive") }
            attributes(attribute.map { [$0] } ?? [], in: collection)
        case .retentionMin:
            require(parameter != nil, "parameter")
        case .exists:
            require(fact != nil || (collection != nil && coveredBy != nil), "fact, or collection and coveredBy")
            if let fact, !["ciso", "csirt", "securityCloud"].contains(fact) {
                problems.append("unknown fact \"\(fact)\" (known: ciso, csirt, securityCloud)")
            }
            if let coveredBy, ![.bcp, .backups, .logSources].contains(coveredBy) {
                problems.append("coveredBy must be bcp, backups or logSources")
            }
        case .countMin:
            require(collection != nil, "collection")
            require(minimum.map { $0 >= 1 } ?? false, "minimum (at least 1)")
        case .evidenceFacts, .manual:
            break
        }
        return problems
    }
}
