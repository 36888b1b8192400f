import Testing

@testable import SuginamiSecurity

/// The rules that depend on the guideline's network model: α, α′ (LGWAN break-out to
/// allow-listed cloud services), β (terminals in the internet zone) and β′ (terminals and
/// business systems there).
@Suite("ISMS network-model rules")
struct NetworkModelRuleTests {
    static let models = ["mic-net-08a", "mic-net-08b", "mic-net-08c", "mic-net-08d"]

    static func assess(_ inventory: Inventory) throws -> [String: RuleOutcome] {
        let rules = try RuleCatalogue.bundled().rules.filter { models.contains($0.id) }
        let result = Assessor(rules: rules, annexA: try AnnexACatalogue.bundled()).assess(
            inventory, evidence: SyntheticInventory.evidence(), at: Timestamp("2026-11-21T09:00:00+09:00")!)
        return Dictionary(uniqueKeysWithValues: result.outcomes.map { ($0.rule.id, $0) })
    }

    /// A synthetic inventory under `model`, with its internet-zone terminals and servers made
    /// compliant (EDR, central logging, traffic monitoring).
    static func inventory(_ model: NetworkModel) -> Inventory {
        var inventory = SyntheticInventory.make(assets: 40, flows: 30, seed: 5)
        inventory.organization.networkModel = model
        let kinds = Dictionary(uniqueKeysWithValues: inventory.zones.map { ($0.id, $0.kind) })
        var sources = inventory.logSources ?? []
        for index in inventory.assets.indices where kinds[inventory.assets[index].zone] == .internet {
            inventory.assets[index].edr = true
            inventory.assets[index].trafficMonitored = true
            if !sources.contains(where: { $0.asset == inventory.assets[index].id }), let first = sources.first {
                var source = first
                source.asset = inventory.assets[index].id
                sources.append(source)
            }
        }
        inventory.logSources = sources
        inventory.flows.removeAll { flow in
            kinds[inventory.assets.first { $0.id == flow.from }?.zone ?? flow.from] == .lgwan && flow.to == "z-internet"
        }
        return inventory
    }

    @Test("Under α the model rules do not apply")
    func alpha() throws {
        let outcomes = try Self.assess(Self.inventory(.alpha))
        #expect(Self.models.allSatisfy { outcomes[$0]?.verdict == .notApplicable })
    }

    @Test("Under β an internet-zone terminal without EDR, or outside central logging, fails")
    func beta() throws {
        var inventory = Self.inventory(.beta)
        let kinds = Dictionary(uniqueKeysWithValues: inventory.zones.map { ($0.id, $0.kind) })
        var outcomes = try Self.assess(inventory)
        #expect(outcomes["mic-net-08a"]?.verdict == .pass, "\(outcomes["mic-net-08a"]?.note ?? "")")
        #expect(outcomes["mic-net-08b"]?.verdict == .pass)
        #expect(
            outcomes["mic-net-08c"]?.verdict == .notApplicable && outcomes["mic-net-08d"]?.verdict == .notApplicable)
        let terminal = try #require(
            inventory.assets.firstIndex { kinds[$0.zone] == .internet && $0.type == .terminal })
        inventory.assets[terminal].edr = false
        inventory.logSources?.removeAll { $0.asset == inventory.assets[terminal].id }
        outcomes = try Self.assess(inventory)
        let id = inventory.assets[terminal].id
        #expect(outcomes["mic-net-08a"]?.subjects.first { $0.subject == id }?.verdict == .fail)
        #expect(outcomes["mic-net-08b"]?.subjects.first { $0.subject == id }?.verdict == .fail)
    }

    @Test("Under β′ internet-zone servers must also be traffic-monitored")
    func betaPrime() throws {
        var inventory = Self.inventory(.betaPrime)
        let kinds = Dictionary(uniqueKeysWithValues: inventory.zones.map { ($0.id, $0.kind) })
        if !inventory.assets.contains(where: { kinds[$0.zone] == .internet && $0.type == .server }) {
            let index = try #require(inventory.assets.firstIndex { kinds[$0.zone] == .internet })
            inventory.assets[index].type = .server
        }
        #expect(try Self.assess(inventory)["mic-net-08c"]?.verdict == .pass)
        let server = try #require(inventory.assets.firstIndex { kinds[$0.zone] == .internet && $0.type == .server })
        inventory.assets[server].trafficMonitored = false
        #expect(try Self.assess(inventory)["mic-net-08c"]?.verdict == .fail)
    }

    @Test("Under α′ a break-out from the LGWAN zone to the internet must be pinned")
    func alphaPrime() throws {
        var inventory = Self.inventory(.alphaPrime)
        let kinds = Dictionary(uniqueKeysWithValues: inventory.zones.map { ($0.id, $0.kind) })
        let terminal = try #require(inventory.assets.first { kinds[$0.zone] == .lgwan }).id
        var breakOut = Flow(id: "f-breakout", from: terminal, to: "z-internet", protocol: .tcp, action: .allow)
        breakOut.ports = [PortRange(lower: 443, upper: 443)!]
        inventory.flows.append(breakOut)
        var outcomes = try Self.assess(inventory)
        #expect(outcomes["mic-net-08d"]?.subjects.first { $0.subject == "f-breakout" }?.verdict == .fail)
        #expect(outcomes["mic-net-08a"]?.verdict == .notApplicable)
        breakOut.pinned = Pinning(sourceAddress: IPNetwork("10.2.0.9"), destinationAddress: IPNetwork("203.0.113.10"))
        breakOut.approval = "クラウド利用承認-2026-004"
        inventory.flows[inventory.flows.count - 1] = breakOut
        outcomes = try Self.assess(inventory)
        #expect(outcomes["mic-net-08d"]?.subjects.first { $0.subject == "f-breakout" }?.verdict == .pass)
    }
}
