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
}
