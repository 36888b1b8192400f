import Testing

@testable import SuginamiSecurity

/// Holes found by trying the checker as a municipality's security team would: sanitisation
/// (無害化) that let a connection into the マイナンバー利用事務系 zone pass, and "pinning" to a
/// wildcard address.
@Suite("ISMS isolation holes")
struct IsolationHoleTests {
    static let at = Timestamp("2026-11-21T09:00:00+09:00")!

    /// A clean synthetic inventory (no cross-layer flows) and its first asset of each zone kind.
    static func clean() -> (Inventory, mynumber: String, lgwan: String, internet: String) {
        var inventory = SyntheticInventory.make(assets: 30, flows: 0, seed: 3)
        inventory.flows = []
        let kinds = Dictionary(uniqueKeysWithValues: inventory.zones.map { ($0.id, $0.kind) })
        func first(_ kind: ZoneKind) -> String { inventory.assets.first { kinds[$0.zone] == kind }!.id }
        return (inventory, first(.mynumber), first(.lgwan), first(.internet))
    }

    static func assess(_ inventory: Inventory, rules ids: Set<String>) throws -> AssessmentResult {
        let rules = try RuleCatalogue.bundled().rules.filter { ids.contains($0.id) }
        return Assessor(rules: rules, annexA: try AnnexACatalogue.bundled()).assess(
            inventory, evidence: SyntheticInventory.evidence(), at: at)
    }

    static func pinned(_ flow: inout Flow, source: String, destination: String) {
        flow.ports = [PortRange(lower: 443, upper: 443)!]
        flow.approval = "承認-2026-001"
        flow.pinned = Pinning(sourceAddress: IPNetwork(source), destinationAddress: IPNetwork(destination))
    }

    @Test("A sanitised, approved, pinned flow from the internet zone into the My Number zone fails the isolation rule")
    func sanitisedIntoMyNumber() throws {
        var (inventory, mynumber, _, internet) = Self.clean()
        var flow = Flow(id: "f-bypass", from: internet, to: mynumber, protocol: .tcp, action: .allow)
        flow.sanitizer = .mailText
        Self.pinned(&flow, source: "192.0.2.10", destination: "10.1.0.5")
        inventory.flows = [flow]
        let result = try Self.assess(inventory, rules: ["mic-net-01"])
        #expect(result.outcomes.first?.verdict == .fail)
        #expect(result.outcomes.first?.subjects.first?.facts.contains { $0.contains("f-bypass") } == true)
        let control = result.applicability.entries.first { $0.control.id == "8.22" }
        #expect(control?.verdict == .fail, "SoA 8.22 is \(String(describing: control?.verdict))")
    }

    @Test("Sanitisation does not let a flow leave the My Number zone either, nor chain through LGWAN")
    func sanitisedOutOfMyNumber() throws {
        var (inventory, mynumber, lgwan, internet) = Self.clean()
        var out = Flow(id: "f-out", from: mynumber, to: internet, protocol: .tcp, action: .allow)
        out.sanitizer = .fileSanitize
        inventory.flows = [out]
        #expect(try Self.assess(inventory, rules: ["mic-net-01"]).outcomes.first?.verdict == .fail)
        // The guideline's route (internet → LGWAN through 無害化) still cuts the chain on to My Number.
        var inbound = Flow(id: "f-in", from: internet, to: lgwan, protocol: .tcp, action: .allow)
        inbound.sanitizer = .mailText
        var onward = Flow(id: "f-on", from: lgwan, to: mynumber, protocol: .tcp, action: .allow)
        Self.pinned(&onward, source: "10.2.0.5", destination: "10.1.0.5")
        inventory.flows = [inbound, onward]
        #expect(try Self.assess(inventory, rules: ["mic-net-01"]).outcomes.first?.verdict == .pass)
        // The same chain with the sanitised step going LGWAN → My Number instead is a connection.
        var sanitisedOnward = onward
        sanitisedOnward.sanitizer = .fileSanitize
        var plainInbound = inbound
        plainInbound.sanitizer = nil
        inventory.flows = [plainInbound, sanitisedOnward]
        #expect(try Self.assess(inventory, rules: ["mic-net-01"]).outcomes.first?.verdict == .fail)
    }

    @Test(
        "Pinning to 0.0.0.0, ::, a broadcast, multicast or a /0 network is no pinning",
        arguments: [
            "0.0.0.0", "::", "255.255.255.255", "224.0.0.1", "ff02::1", "0.0.0.0/0", "::/0", "10.0.0.0/8",
        ])
    func wildcardPins(address: String) throws {
        var (inventory, mynumber, lgwan, _) = Self.clean()
        var flow = Flow(id: "f-wild", from: lgwan, to: mynumber, protocol: .tcp, action: .allow)
        Self.pinned(&flow, source: "10.2.0.5", destination: address)
        #expect(!flow.isPinned)
        inventory.flows = [flow]
        let result = try Self.assess(inventory, rules: ["mic-net-02"])
        let subject = result.outcomes.first?.subjects.first { $0.subject == "f-wild" }
        #expect(subject?.verdict == .fail)
        #expect(subject?.explanation.contains("destination") == true, "\(subject?.explanation ?? "")")
        // A named host is pinned.
        Self.pinned(&flow, source: "10.2.0.5", destination: "10.1.0.5")
        #expect(flow.isPinned)
        #expect(!(MACAddress("ff:ff:ff:ff:ff:ff")!.isNamedHost) && !(MACAddress("00:00:00:00:00:00")!.isNamedHost))
        #expect(!(MACAddress("01:00:5e:00:00:01")!.isNamedHost) && MACAddress("00:1a:2b:3c:4d:5e")!.isNamedHost)
    }

    @Test("A waiver naming a flow covers that flow's paths of a separation rule, and only those")
    func waiversNameFlows() throws {
        var (inventory, mynumber, lgwan, internet) = Self.clean()
        let chainIn = Flow(id: "f-chain-in", from: internet, to: lgwan, protocol: .tcp, action: .allow)
        let chainOn = Flow(id: "f-chain-on", from: lgwan, to: mynumber, protocol: .tcp, action: .allow)
        let direct = Flow(id: "f-direct", from: internet, to: mynumber, protocol: .tcp, action: .allow)
        inventory.flows = [chainIn, chainOn, direct]
        func waiver(_ subject: String) -> Waiver {
            Waiver(
                rule: "mic-net-01", subject: subject, reason: "暫定措置", approver: "CISO",
                approvedAt: Timestamp("2026-10-01T00:00:00+09:00")!, expiresAt: Timestamp("2027-03-31T00:00:00+09:00")!)
        }
        func assess(_ waived: [String]) throws -> (RuleOutcome, AssessmentResult) {
            let rules = try RuleCatalogue.bundled().rules.filter { $0.id == "mic-net-01" }
            let result = Assessor(rules: rules, annexA: try AnnexACatalogue.bundled()).assess(
                inventory, evidence: SyntheticInventory.evidence(), waivers: WaiverList(waivers: waived.map(waiver)),
                at: Self.at)
            guard let outcome = result.outcomes.first else { throw ISMSValidationFailure([]) }
            return (outcome, result)
        }
        // One of two paths waived: that flow is waived, the separation still fails unwaived.
        let (one, _) = try assess(["f-chain-on"])
        #expect(one.verdict == .fail && one.unwaivedFailures == 1)
        let waivedSubject = try #require(one.subjects.first { $0.subject == "f-chain-on" })
        #expect(waivedSubject.waiver != nil && waivedSubject.facts == ["\(lgwan) →[f-chain-on]→ \(mynumber)"])
        let rest = try #require(one.subjects.first { $0.subject == "mynumber↔internet" })
        #expect(rest.waiver == nil && rest.facts.contains { $0.contains("[f-direct]") })
        #expect(!rest.facts.contains { $0.contains("[f-chain-on]") })
        // Both paths waived: the rule still shows its fails, none unwaived.
        let (both, _) = try assess(["f-chain-on", "f-direct"])
        #expect(both.verdict == .fail && both.unwaivedFailures == 0)
        #expect(Set(both.subjects.map(\.subject)) == ["f-chain-on", "f-direct"])
        // A waiver for a flow on no path covers nothing and is reported unused.
        let kinds = Dictionary(uniqueKeysWithValues: inventory.zones.map { ($0.id, $0.kind) })
        let otherLGWAN = inventory.assets.filter { kinds[$0.zone] == .lgwan && $0.id != lgwan }.map(\.id)
        var extra = Flow(id: "f-unrelated", from: otherLGWAN[0], to: otherLGWAN[1], protocol: .tcp, action: .allow)
        extra.purpose = "internal"
        inventory.flows.append(extra)
        let (none, result) = try assess(["f-unrelated"])
        #expect(none.unwaivedFailures == 1 && none.subjects.map(\.subject) == ["mynumber↔internet"])
        #expect(result.unusedWaivers.map(\.subject) == ["f-unrelated"])
    }

    @Test("A new failing subject is a regression, and the diff rolls up to Annex A controls")
    func diffRegressions() throws {
        var (inventory, mynumber, lgwan, _) = Self.clean()
        var pinnedFlow = Flow(id: "f-ok", from: lgwan, to: mynumber, protocol: .tcp, action: .allow)
        Self.pinned(&pinnedFlow, source: "10.2.0.5", destination: "10.1.0.5")
        inventory.flows = [pinnedFlow]
        let before = try Self.assess(inventory, rules: ["mic-net-02"])
        // A new, unpinned flow into the My Number zone.
        inventory.flows.append(Flow(id: "f-new", from: lgwan, to: mynumber, protocol: .tcp, action: .allow))
        let after = try Self.assess(inventory, rules: ["mic-net-02"])
        let comparison = RunComparison(previous: before, current: after)
        #expect(comparison.regressions.map(\.subject) == ["f-new"])
        #expect(comparison.hasRegressions && comparison.added.isEmpty)
        let control = try #require(comparison.controls.first)
        #expect(control.before == .pass && control.after == .fail)
        #expect(comparison.summary.contains("Annex A controls") && comparison.summary.contains(": pass → fail"))
        // The same run twice: nothing.
        #expect(RunComparison(previous: after, current: after).summary == "No changes.")
    }
}
