import SuginamiCore

/// Runs the rules of a catalogue over a validated inventory and its evidence.
///
/// Pure: the same inputs give the same result, byte for byte once encoded.
public struct Assessor: Sendable {
    /// The rules in force.
    public let rules: [ControlRule]
    /// The Annex A catalogue, for the Statement of Applicability.
    public let annexA: AnnexACatalogue

    /// How many offending paths a flow-forbidden fail lists (all are counted).
    public static let pathsListed = 10

    /// What a tailoring profile did to rules, by rule id: a disabled rule is not run.
    public let tailoring: [String: TailoringNote]
    /// Controls provided by someone else, for the Statement of Applicability.
    public let inherited: [InheritedControl]

    /// Creates an assessor.
    /// - Parameters:
    ///   - rules: the rules in force (a profile's changes applied: ``TailoringProfile/apply(to:annexA:evidence:name:)``).
    ///   - tailoring: the profile's notes by rule id.
    ///   - inherited: the profile's inherited controls.
    public init(
        rules: [ControlRule], annexA: AnnexACatalogue, tailoring: [String: TailoringNote] = [:],
        inherited: [InheritedControl] = []
    ) {
        self.rules = rules
        self.annexA = annexA
        self.tailoring = tailoring
        self.inherited = inherited
    }

    /// Assesses `inventory` at `time`.
    public func assess(
        _ inventory: Inventory, evidence: EvidenceBundle, waivers: WaiverList? = nil, at time: Timestamp
    ) -> AssessmentResult {
        let index = InventoryIndex(inventory, at: time)
        let waiverIndex = Dictionary(
            (waivers?.waivers ?? []).map { ("\($0.rule)\u{0}\($0.subject)", $0) },
            uniquingKeysWith: { first, _ in first })
        // The flow graphs the forbidden-flow rules share, made once before the rules run.
        var graphs: [Bool: FlowGraph] = [:]
        for rule in rules where rule.check.kind == .flowForbidden {
            let through = rule.check.throughSanitizers ?? false
            if graphs[through] == nil { graphs[through] = FlowGraph(index, throughSanitizers: through) }
        }
        let forbiddenGraphs = graphs
        // Rules are independent of one another: judged side by side, on every core.
        let results = concurrentMap(rules.count) { position in
            judge(
                rules[position], inventory: inventory, index: index, evidence: evidence, waivers: waivers,
                waiverIndex: waiverIndex, graphs: forbiddenGraphs, at: time)
        }
        let outcomes = results.map(\.outcome)
        let usedWaivers = Set(results.flatMap(\.usedWaivers))
        let allWaivers = waivers?.waivers ?? []
        return AssessmentResult(
            assessedAt: time,
            organization: inventory.organization.name,
            networkModel: inventory.organization.networkModel,
            snapshotAt: inventory.snapshotAt,
            outcomes: outcomes,
            expiredWaivers: allWaivers.filter { $0.expiresAt <= time },
            unusedWaivers: allWaivers.filter {
                !usedWaivers.contains("\($0.rule)\u{0}\($0.subject)") && $0.expiresAt > time
            },
            evidence: evidence.manifest.items.sorted { $0.id < $1.id },
            applicability: StatementOfApplicability(
                annexA: annexA, outcomes: outcomes, exclusions: inventory.organization.exclusions ?? [],
                inherited: inherited))
    }

    /// One rule's outcome, and the waivers it used.
    private func judge(
        _ rule: ControlRule, inventory: Inventory, index: InventoryIndex, evidence: EvidenceBundle,
        waivers: WaiverList?, waiverIndex: [String: Waiver], graphs: [Bool: FlowGraph], at time: Timestamp
    ) -> (outcome: RuleOutcome, usedWaivers: [String]) {
        let note = tailoring[rule.id]
        if let note, note.disabled {
            return (
                RuleOutcome(
                    rule: rule, verdict: .notApplicable, note: "disabled by profile \(note.profile): \(note.reason)",
                    subjects: [], tailoring: note), []
            )
        }
        if let models = rule.applies?.networkModels, !models.contains(inventory.organization.networkModel) {
            return (
                RuleOutcome(
                    rule: rule, verdict: .notApplicable,
                    note: "applies to network models \(models.map(\.rawValue).joined(separator: ", ")); "
                        + "this organisation is \(inventory.organization.networkModel.rawValue)",
                    subjects: [], tailoring: note), []
            )
        }
        var evaluation = RuleEvaluation(rule: rule, index: index, evidence: evidence)
        if rule.check.kind == .flowForbidden { evaluation.graph = graphs[rule.check.throughSanitizers ?? false] }
        var (subjects, noteText) = evaluation.run()
        if rule.check.kind == .flowForbidden {
            subjects = waivingFlows(
                subjects, rule: rule, evaluation: evaluation, index: index, waivers: waivers?.waivers ?? [], at: time)
        }
        var used: [String] = []
        for position in subjects.indices where subjects[position].verdict == .fail {
            let key = "\(rule.id)\u{0}\(subjects[position].subject)"
            guard let waiver = waiverIndex[key] else { continue }
            used.append(key)
            if waiver.expiresAt > time { subjects[position].waiver = waiver }
        }
        subjects.sort { ($0.verdict, $0.subject) < ($1.verdict, $1.subject) }
        let verdict = subjects.isEmpty ? Verdict.notAssessed : Verdict.aggregate(subjects.map(\.verdict))
        return (RuleOutcome(rule: rule, verdict: verdict, note: noteText, subjects: subjects, tailoring: note), used)
    }
}

extension Assessor {
    /// A separation rule's subject is the separation itself (`mynumber↔internet`), but a waiver
    /// names what it accepts: a flow. Each flow a valid waiver names for the rule becomes a
    /// subject of its own, failing with the paths it carries (the waiver then covers it and only
    /// it), and the separation is judged again without those flows: it still fails, unwaived, if
    /// any other path remains, and is left out when none does (a pass would say that no flow
    /// connects the zones, which the waived ones do).
    func waivingFlows(
        _ subjects: [SubjectOutcome], rule: ControlRule, evaluation: RuleEvaluation, index: InventoryIndex,
        waivers: [Waiver], at time: Timestamp
    ) -> [SubjectOutcome] {
        guard subjects.contains(where: { $0.verdict == .fail }) else { return subjects }
        let flows = index.inventory.flows
        let numbers = Dictionary(flows.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        let waived = waivers.filter { $0.rule == rule.id && $0.expiresAt > time }.compactMap { numbers[$0.subject] }
        guard !waived.isEmpty else { return subjects }
        let facts = subjects.flatMap(\.facts)
        let kinds = rule.check.between ?? []
        let transitive = rule.check.transitive ?? false
        let graph = FlowGraph(index, throughSanitizers: rule.check.throughSanitizers ?? false)
        var result: [SubjectOutcome] = []
        for number in Set(waived).sorted() {
            let flow = flows[number]
            // On a path from one side to the other: its start is reached from one side (or is
            // on it) and the other side is reached from its end (or it ends there).
            var carries = false
            if transitive, kinds.count == 2, let start = graph.sourceNode(of: flow.from, index: index),
                let end = graph.destinationNode(of: flow.to, index: index)
            {
                for (from, to) in [(kinds[0], kinds[1]), (kinds[1], kinds[0])] {
                    let destinations = graph.nodes(ofKinds: [to], index: index, asSource: false)
                    let otherSide = Set(destinations + graph.nodes(ofKinds: [to], index: index, asSource: true))
                    let fromSide = graph.reachable(
                        from: graph.nodes(ofKinds: [from], index: index, asSource: true), stoppingAt: otherSide)
                    let afterFlow = graph.reachable(from: [end], stoppingAt: otherSide)
                    if fromSide[start] && !otherSide.contains(start) && destinations.contains(where: { afterFlow[$0] })
                    {
                        carries = true
                    }
                }
            } else {
                carries = facts.contains { $0.contains("[\(flow.id)]") }
            }
            guard carries else { continue }
            result.append(
                SubjectOutcome(
                    subject: flow.id, verdict: .fail,
                    explanation:
                        "this allowed flow carries a path that breaks the \(kinds.map(\.rawValue).joined(separator: "↔")) separation",
                    facts: ["\(flow.from) →[\(flow.id)]→ \(flow.to)"],
                    evidence: index.evidence(of: SubjectReference(collection: .flows, index: number))))
        }
        var rest = evaluation
        rest.excludedFlows = Set(waived)
        if rest.graph != nil {
            rest.graph = FlowGraph(
                index, throughSanitizers: rule.check.throughSanitizers ?? false, excluding: Set(waived))
        }
        result += rest.run().0.filter { $0.verdict != .pass }
        return result
    }
}

/// One rule's evaluation: the check primitives.
struct RuleEvaluation {
    let rule: ControlRule
    let index: InventoryIndex
    let evidence: EvidenceBundle
    var graph: FlowGraph?
    /// flow-forbidden: flows left out (a waiver accepts them).
    var excludedFlows: Set<Int> = []

    init(rule: ControlRule, index: InventoryIndex, evidence: EvidenceBundle) {
        self.rule = rule
        self.index = index
        self.evidence = evidence
    }

    private var check: CheckDefinition { rule.check }
    private var inventory: Inventory { index.inventory }
    private var maxAge: Int { rule.maxEvidenceAgeDays ?? inventory.organization.parameters.evidenceMaxAgeDays }

    /// The subjects' outcomes, or none and a note saying why nothing could be assessed.
    func run() -> ([SubjectOutcome], String?) {
        switch check.kind {
        case .flowForbidden: return flowForbidden()
        case .flowPinned, .flowSanitizer: return boundaryFlows()
        case .placement: return placement()
        case .minFactors: return minFactors()
        case .attribute, .freshness, .retentionMin: return attributeChecks()
        case .exists: return exists()
        case .countMin: return countMin()
        case .evidenceFacts: return evidenceFacts()
        case .manual:
            return ([], "manual check: needs an auditor's examination; no machine verdict")
        }
    }

    /// A subject outcome. A pass rests on the evidence that the inventory is true, so it becomes
    /// not-assessed when that evidence is missing or stale; a fail is what the inventory itself
    /// declares (a forbidden flow, an account without MFA), so it stays a fail whatever the
    /// evidence's age, with the evidence's state said beside it: a known violation is never
    /// hidden behind not-assessed.
    private func outcome(
        _ subject: String, _ verdict: Verdict, _ explanation: String, facts: [String] = [], evidence ids: [String]
    ) -> SubjectOutcome {
        let ids = Array(Set(ids)).sorted()
        guard verdict == .pass || verdict == .fail else {
            return SubjectOutcome(
                subject: subject, verdict: verdict, explanation: explanation, facts: facts, evidence: ids)
        }
        let stale = ids.compactMap { evidence.items[$0]?.staleness(at: index.time, ruleMaxAgeDays: maxAge) }
        let gap = ids.isEmpty ? "no evidence for this subject" : stale.isEmpty ? nil : stale.joined(separator: "; ")
        guard let gap else {
            return SubjectOutcome(
                subject: subject, verdict: verdict, explanation: explanation, facts: facts, evidence: ids)
        }
        if verdict == .fail {
            return SubjectOutcome(
                subject: subject, verdict: .fail,
                explanation: "\(explanation) (the inventory shows it; also: \(gap))", facts: facts, evidence: ids)
        }
        return SubjectOutcome(
            subject: subject, verdict: .notAssessed,
            explanation: "\(gap) (would have been: pass: \(explanation))", facts: facts, evidence: ids)
    }

    private func zoneExists(_ kinds: [ZoneKind]) -> ZoneKind? {
        kinds.first { kind in !inventory.zones.contains { $0.kind == kind } }
    }

    private func flowEvidence(_ flows: some Sequence<Int>) -> [String] {
        flows.flatMap { index.evidence(of: SubjectReference(collection: .flows, index: $0)) }
    }

    // MARK: Evidence facts

    /// Each declared fact: the file's value against the inventory's. A mismatch or a file that
    /// does not state the fact is a fail naming the file and the place in it.
    private func evidenceFacts() -> ([SubjectOutcome], String?) {
        let facts = evidence.observedFacts
        guard !facts.isEmpty else {
            return (
                [], "no evidence item declares facts (manifest items[].facts): nothing attests the inventory's values"
            )
        }
        var references: [InventoryCollection: [String: SubjectReference]] = [:]
        return (
            facts.map { observed in
                let fact = observed.fact
                let id = "\(observed.evidence):\(fact.subject).\(fact.attribute)"
                if references[fact.collection] == nil {
                    references[fact.collection] = Dictionary(
                        index.subjects(of: fact.collection, where: nil).map { (index.identifier(of: $0), $0) },
                        uniquingKeysWith: { first, _ in first })
                }
                let place = observed.location
                guard let reference = references[fact.collection]![fact.subject] else {
                    return outcome(
                        id, .fail,
                        "\(place) speaks of \(fact.subject), which is not in the inventory's \(fact.collection.rawValue)",
                        facts: [place], evidence: [observed.evidence])
                }
                let declared = index.attribute(fact.attribute, of: reference)
                guard let found = observed.found else {
                    return outcome(
                        id, .fail,
                        "\(observed.problem ?? "the file does not state it"); the inventory says \(declared.display)",
                        facts: [place], evidence: [observed.evidence])
                }
                let statement = "\(place): \(found.displayText); inventory: \(declared.display)"
                return declared.agrees(with: found)
                    ? outcome(
                        id, .pass, "the file states what the inventory declares",
                        facts: [statement], evidence: [observed.evidence])
                    : outcome(
                        id, .fail,
                        "\(observed.path) states \(found.displayText) where the inventory declares \(declared.display)",
                        facts: [statement], evidence: [observed.evidence])
            }, nil
        )
    }

    // MARK: Flows

    private func flowForbidden() -> ([SubjectOutcome], String?) {
        let kinds = check.between!
        if let missing = zoneExists(kinds) {
            return ([], "no zone of kind \(missing.rawValue) in the inventory: nothing to check the separation against")
        }
        let subject = "\(kinds[0].rawValue)↔\(kinds[1].rawValue)"
        var facts: [String] = []
        var offending = 0
        var usedFlows = Set<Int>()
        if check.transitive ?? false, let graph {
            for (from, to) in [(kinds[0], kinds[1]), (kinds[1], kinds[0])] {
                let sources = graph.nodes(ofKinds: [from], index: index, asSource: true)
                let destinations = Set(graph.nodes(ofKinds: [to], index: index, asSource: false))
                let found = graph.paths(from: sources, to: destinations, limit: Assessor.pathsListed)
                offending += found.count
                for path in found.paths {
                    facts.append(graph.describe(path, index: index))
                    usedFlows.formUnion(path.compactMap(\.flow))
                }
            }
        } else {
            for (number, flow) in inventory.flows.enumerated()
            where flow.action == .allow && !excludedFlows.contains(number) {
                guard let from = index.zoneKind(ofEnd: flow.from), let to = index.zoneKind(ofEnd: flow.to) else {
                    continue
                }
                if (from == kinds[0] && to == kinds[1]) || (from == kinds[1] && to == kinds[0]) {
                    if !(check.throughSanitizers ?? false), index.sanitisationCuts(flow) { continue }
                    offending += 1
                    usedFlows.insert(number)
                    if facts.count < Assessor.pathsListed { facts.append("\(flow.from) →[\(flow.id)]→ \(flow.to)") }
                }
            }
        }
        if offending > 0 {
            let how = check.transitive ?? false ? "directly or through a chain of allowed flows" : "directly"
            return (
                [
                    outcome(
                        subject, .fail,
                        "\(offending) place(s) in \(kinds[1].rawValue) zones are reachable from \(kinds[0].rawValue) "
                            + "zones or the reverse, \(how)",
                        facts: facts, evidence: flowEvidence(usedFlows) + (inventory.evidence ?? []))
                ], nil
            )
        }
        return (
            [
                outcome(
                    subject, .pass,
                    "no allowed flow connects \(kinds[0].rawValue) and \(kinds[1].rawValue) zones"
                        + (check.transitive ?? false ? ", directly or through any chain" : "")
                        + " (\(inventory.flows.count) flows examined)",
                    evidence: flowEvidence(inventory.flows.indices) + (inventory.evidence ?? []))
            ], nil
        )
    }

    /// flow-pinned and flow-sanitizer: one subject per allowed flow across the boundary.
    private func boundaryFlows() -> ([SubjectOutcome], String?) {
        let pinned = check.kind == .flowPinned
        let zoneKinds = pinned ? [check.zone!] : check.from! + check.to!
        if let missing = zoneExists(pinned ? zoneKinds : check.to!) {
            return ([], "no zone of kind \(missing.rawValue) in the inventory: no boundary to check")
        }
        var subjects: [SubjectOutcome] = []
        for (number, flow) in inventory.flows.enumerated() where flow.action == .allow {
            guard let from = index.zoneKind(ofEnd: flow.from), let to = index.zoneKind(ofEnd: flow.to) else { continue }
            let ids = index.evidence(of: SubjectReference(collection: .flows, index: number))
            let route = "\(flow.from) (\(from.rawValue)) → \(flow.to) (\(to.rawValue))"
            if pinned {
                let zone = check.zone!
                guard (from == zone) != (to == zone) else { continue }
                if flow.isPinned {
                    subjects.append(
                        outcome(flow.id, .pass, "pinned with approval \(flow.approval!)", facts: [route], evidence: ids)
                    )
                } else {
                    subjects.append(
                        outcome(
                            flow.id, .fail,
                            "crosses the \(zone.rawValue) boundary without pinning: "
                                + pinningGaps(flow).joined(separator: "; "), facts: [route], evidence: ids))
                }
            } else {
                guard check.from!.contains(from), check.to!.contains(to) else { continue }
                let method = flow.sanitizer ?? .none
                if check.sanitizers!.contains(method) {
                    subjects.append(
                        outcome(flow.id, .pass, "passes 無害化 \(method.rawValue)", facts: [route], evidence: ids))
                } else {
                    subjects.append(
                        outcome(
                            flow.id, .fail,
                            "brings content into \(to.rawValue) with 無害化 \(method.rawValue); accepted: "
                                + check.sanitizers!.map(\.rawValue).joined(separator: ", "), facts: [route],
                            evidence: ids))
                }
            }
        }
        if subjects.isEmpty {
            // No flow crosses: a real finding about the boundary, not an empty pass.
            let boundary =
                pinned ? "\(check.zone!.rawValue) boundary" : "into \(check.to!.map(\.rawValue).joined(separator: ","))"
            guard !inventory.flows.isEmpty else { return ([], "the inventory declares no flows") }
            return (
                [
                    outcome(
                        boundary, .pass, "no allowed flow crosses it (\(inventory.flows.count) flows examined)",
                        evidence: flowEvidence(inventory.flows.indices) + (inventory.evidence ?? []))
                ], nil
            )
        }
        return (subjects, nil)
    }

    private func pinningGaps(_ flow: Flow) -> [String] {
        var gaps: [String] = []
        let pin = flow.pinned
        for (end, address, mac) in [
            ("source", pin?.sourceAddress, pin?.sourceMAC),
            ("destination", pin?.destinationAddress, pin?.destinationMAC),
        ] where !(address?.isNamedHost ?? false) && !(mac?.isNamedHost ?? false) {
            if let address, address.isSingleHost {
                gaps.append("\(end) \(address) is a wildcard, broadcast or multicast address, not a named host")
            } else if let address {
                gaps.append("\(end) is network \(address)")
            } else if let mac {
                gaps.append("\(end) MAC \(mac) is a broadcast, multicast or zero address, not a named host")
            } else {
                gaps.append("\(end) is not pinned")
            }
        }
        if flow.protocol == .any { gaps.append("any protocol") }
        if flow.protocol != .icmp {
            if let ports = flow.ports, !ports.isEmpty {
                let ranges = ports.filter { !$0.isSinglePort }
                if !ranges.isEmpty { gaps.append("port ranges \(ranges.map(\.description).joined(separator: ", "))") }
            } else {
                gaps.append("any port")
            }
        }
        if (flow.approval ?? "").isEmpty { gaps.append("no approval reference") }
        return gaps
    }

    // MARK: Data and accounts

    private func placement() -> ([SubjectOutcome], String?) {
        let kind = check.dataKind!
        let allowed = Set(check.zones!)
        var subjects: [SubjectOutcome] = []
        for (number, asset) in inventory.assets.enumerated()
        where (asset.dataClasses ?? []).contains(where: { $0.kind == kind }) {
            let zoneKind = index.zoneKindByZoneID[asset.zone]!
            let ids = index.evidence(of: SubjectReference(collection: .assets, index: number))
            let fact = "\(asset.id) in zone \(asset.zone) (\(zoneKind.rawValue)) holds \(kind.rawValue)"
            subjects.append(
                allowed.contains(zoneKind)
                    ? outcome(asset.id, .pass, "held in a \(zoneKind.rawValue) zone", facts: [fact], evidence: ids)
                    : outcome(
                        asset.id, .fail,
                        "\(kind.rawValue) held outside \(allowed.map(\.rawValue).sorted().joined(separator: ", ")) zones",
                        facts: [fact], evidence: ids))
        }
        return (subjects, subjects.isEmpty ? "no asset declares data of kind \(kind.rawValue)" : nil)
    }

    private func minFactors() -> ([SubjectOutcome], String?) {
        let scope = check.accounts!
        let minimum = check.minimum!
        let zoneKinds = Set(scope.systemsInZones ?? [])
        var subjects: [SubjectOutcome] = []
        for (number, account) in inventory.accounts.enumerated() where account.status == .active {
            var reasons: [String] = []
            let reached = account.systems.compactMap { index.zoneKind(ofEnd: $0) }
            if let kind = reached.first(where: zoneKinds.contains) {
                reasons.append("reaches a \(kind.rawValue) system")
            }
            if scope.privileged == true, account.privileged == true { reasons.append("privileged") }
            if scope.importantSystems == true, account.systems.contains(where: { index.asset($0)?.important == true }) {
                reasons.append("uses an important system")
            }
            guard !reasons.isEmpty else { continue }
            let categories = account.factorCategories.sorted()
            let fact =
                "\(account.id) (\(reasons.joined(separator: ", "))): methods "
                + account.authMethods.map(\.rawValue).joined(separator: "+") + " → categories "
                + categories.map(\.rawValue).joined(separator: ", ")
            let ids = index.evidence(of: SubjectReference(collection: .accounts, index: number))
            subjects.append(
                categories.count >= minimum
                    ? outcome(account.id, .pass, "\(categories.count) factor categories", facts: [fact], evidence: ids)
                    : outcome(
                        account.id, .fail,
                        "\(categories.count) factor categor\(categories.count == 1 ? "y" : "ies"); at least \(minimum) required",
                        facts: [fact], evidence: ids))
        }
        return (subjects, subjects.isEmpty ? "no active account is in the rule's scope" : nil)
    }

    // MARK: Attributes

    private func attributeChecks() -> ([SubjectOutcome], String?) {
        let collection: InventoryCollection = check.kind == .retentionMin ? .logSources : check.collection!
        let parameterValue = check.parameter.flatMap {
            rule.parameterOverrides?[$0] ?? inventory.organization.parameters.value(named: $0)
        }.map(
            Double.init)
        var subjects: [SubjectOutcome] = []
        var references = index.subjects(of: collection, where: check.where)
        if check.latestOnly == true, let name = check.attribute {
            func time(_ reference: SubjectReference) -> Timestamp? {
                if case .time(let time) = index.attribute(name, of: reference) { return time }
                return nil
            }
            references =
                references.max { (time($0)?.date ?? .distantPast) < (time($1)?.date ?? .distantPast) }.map { [$0] }
                ?? []
        }
        for reference in references {
            let id = index.identifier(of: reference)
            let ids = index.evidence(of: reference)
            switch check.kind {
            case .retentionMin:
                let source = inventory.logSources![reference.index]
                let minimum = parameterValue!
                var gaps: [String] = []
                if !source.centralStore { gaps.append("not sent to the central log store") }
                if Double(source.retentionDays) < minimum {
                    gaps.append("kept \(source.retentionDays) days; \(check.parameter!) is \(Int(minimum))")
                }
                let fact =
                    "\(source.asset): \(source.types.map(\.rawValue).joined(separator: ", ")) logs, "
                    + "central store \(source.centralStore), \(source.retentionDays) days"
                subjects.append(
                    gaps.isEmpty
                        ? outcome(
                            id, .pass, "central store, \(source.retentionDays) days ≥ \(Int(minimum))", facts: [fact],
                            evidence: ids)
                        : outcome(id, .fail, gaps.joined(separator: "; "), facts: [fact], evidence: ids))
            case .freshness:
                let name = check.attribute!
                let value = index.attribute(name, of: reference)
                guard case .time(let time) = value else {
                    subjects.append(
                        outcome(id, .notAssessed, "\(name) is not declared", evidence: ids))
                    continue
                }
                let fact = "\(id).\(name) = \(time.text)"
                // Facts are judged as of the snapshot; evidence age is judged at the assessment.
                let snapshot = inventory.snapshotAt
                if check.future == true {
                    subjects.append(
                        time > snapshot
                            ? outcome(id, .pass, "\(name) \(time.text) is still ahead", facts: [fact], evidence: ids)
                            : outcome(id, .fail, "\(name) \(time.text) has passed", facts: [fact], evidence: ids))
                } else {
                    let limit = check.maxAgeDays.map(Double.init) ?? parameterValue!
                    let age = time.days(until: snapshot)
                    subjects.append(
                        age <= limit
                            ? outcome(
                                id, .pass, "\(name) is \(Int(age)) days old (limit \(Int(limit)))", facts: [fact],
                                evidence: ids)
                            : outcome(
                                id, .fail, "\(name) is \(Int(age)) days old; the limit is \(Int(limit)) days",
                                facts: [fact],
                                evidence: ids))
                }
            default:
                subjects.append(
                    attributeOutcome(id: id, reference: reference, parameterValue: parameterValue, evidence: ids))
            }
        }
        return (subjects, subjects.isEmpty ? "no \(collection.rawValue) match the rule's filter" : nil)
    }

    private func attributeOutcome(
        id: String, reference: SubjectReference, parameterValue: Double?, evidence ids: [String]
    ) -> SubjectOutcome {
        let name = check.attribute!
        let value = index.attribute(name, of: reference)
        let fact = "\(id).\(name) = \(value.display)"
        if case .missing = value {
            return check.present == true
                ? outcome(id, .fail, "\(name) is required and not declared", facts: [fact], evidence: ids)
                : outcome(id, .notAssessed, "\(name) is not declared", facts: [fact], evidence: ids)
        }
        var gaps: [String] = []
        if let accepted = check.values, !value.texts.contains(where: accepted.contains) {
            gaps.append("\(name) is \(value.display); accepted: \(accepted.joined(separator: ", "))")
        }
        if case .number(let number) = value {
            let lower = check.atLeast.map { check.parameter != nil ? max($0, parameterValue!) : $0 }
            let upper = check.atMost.map { check.parameter != nil ? parameterValue! : $0 }
            if let lower, number < lower {
                gaps.append("\(name) is \(value.display); at least \(format(lower)) required")
            }
            if let upper, number > upper {
                gaps.append("\(name) is \(value.display); at most \(format(upper)) allowed")
            }
        } else if check.atLeast != nil || check.atMost != nil {
            gaps.append("\(name) is not a number")
        }
        return gaps.isEmpty
            ? outcome(id, .pass, "\(name) is \(value.display)", facts: [fact], evidence: ids)
            : outcome(id, .fail, gaps.joined(separator: "; "), facts: [fact], evidence: ids)
    }

    private func format(_ number: Double) -> String {
        number == number.rounded() ? String(Int(number)) : String(number)
    }

    // MARK: Existence and counts

    private func exists() -> ([SubjectOutcome], String?) {
        let snapshot = inventory.evidence ?? []
        if let fact = check.fact {
            let organization = inventory.organization
            let (present, detail): (Bool, String) =
                switch fact {
                case "ciso":
                    (
                        organization.ciso != nil,
                        organization.ciso.map { "CISO \($0.name) (\($0.personId))" } ?? "no CISO"
                    )
                case "csirt":
                    (
                        organization.csirt.map { !$0.members.isEmpty && !$0.contact.isEmpty } ?? false,
                        organization.csirt.map { "CSIRT, contact \($0.contact), \($0.members.count) members" }
                            ?? "no CSIRT"
                    )
                default:
                    (
                        organization.securityCloud != nil,
                        organization.securityCloud.map { "member of \($0.provider) since \($0.joinedAt.text)" }
                            ?? "no security cloud membership"
                    )
                }
            return (
                [outcome("organization:\(fact)", present ? .pass : .fail, detail, facts: [detail], evidence: snapshot)],
                nil
            )
        }
        let covering = check.coveredBy!
        let covered: Set<String> =
            switch covering {
            case .bcp: Set((inventory.bcp ?? []).map(\.system))
            case .backups: Set((inventory.backups ?? []).map(\.system))
            default: Set((inventory.logSources ?? []).map(\.asset))
            }
        var subjects: [SubjectOutcome] = []
        for reference in index.subjects(of: check.collection!, where: check.where) {
            let id = index.identifier(of: reference)
            subjects.append(
                covered.contains(id)
                    ? outcome(id, .pass, "has a \(covering.rawValue) entry", evidence: index.evidence(of: reference))
                    : outcome(id, .fail, "has no \(covering.rawValue) entry", evidence: index.evidence(of: reference)))
        }
        return (subjects, subjects.isEmpty ? "no \(check.collection!.rawValue) match the rule's filter" : nil)
    }

    private func countMin() -> ([SubjectOutcome], String?) {
        let collection = check.collection!
        let matching = index.subjects(of: collection, where: check.where)
        let minimum = check.minimum!
        let subject = "organization:\(collection.rawValue)"
        let detail = "\(matching.count) \(collection.rawValue) match; at least \(minimum) required"
        return (
            [
                outcome(
                    subject, matching.count >= minimum ? .pass : .fail, detail,
                    facts: matching.prefix(20).map { index.identifier(of: $0) },
                    evidence: matching.flatMap { index.evidence(of: $0) } + (inventory.evidence ?? []))
            ], nil
        )
    }
}
