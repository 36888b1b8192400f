import SuginamiCore
import Testing

@testable import SuginamiSecurity

/// The transitive separation check against a brute-force closure over asset pairs.
@Suite("Transitive flow reachability")
struct FlowGraphTests {
    /// Which assets can reach which, by repeated relaxation over the zone-expanded flows.
    static func bruteForceReachable(_ inventory: Inventory) -> [[Bool]] {
        let count = inventory.assets.count
        let members = Dictionary(grouping: inventory.assets.indices, by: { inventory.assets[$0].zone })
        let indexByID = Dictionary(uniqueKeysWithValues: inventory.assets.enumerated().map { ($1.id, $0) })
        func expand(_ end: String) -> [Int] { indexByID[end].map { [$0] } ?? members[end] ?? [] }
        var reach = [[Bool]](repeating: [Bool](repeating: false, count: count), count: count)
        let zoneKinds = Dictionary(uniqueKeysWithValues: inventory.zones.map { ($0.id, $0.kind) })
        func kind(_ end: String) -> ZoneKind? { zoneKinds[indexByID[end].map { inventory.assets[$0].zone } ?? end] }
        // 無害化 cuts a connection only from the internet side into LGWAN (the guideline's route).
        func cut(_ flow: Flow) -> Bool {
            (flow.sanitizer ?? Sanitizer.none) != Sanitizer.none
                && [.internet, .externalInternet].contains(kind(flow.from))
                && kind(flow.to) == .lgwan
        }
        for flow in inventory.flows where flow.action == .allow && !cut(flow) {
            for a in expand(flow.from) { for b in expand(flow.to) { reach[a][b] = true } }
        }
        for k in 0..<count {
            for i in 0..<count where reach[i][k] { for j in 0..<count where reach[k][j] { reach[i][j] = true } }
        }
        return reach
    }

    @Test(arguments: [1 as UInt64, 2, 3, 4, 5, 6, 7, 8])
    func separationVerdictMatchesBruteForce(seed: UInt64) throws {
        // Small random inventories with many cross-layer flows, so both verdicts occur.
        var inventory = SyntheticInventory.make(assets: 30, flows: 25, seed: seed)
        var random = SplitMix64(seed: seed * 7919)
        for number in 0..<6 {
            let from = inventory.assets[Int(random.next() % 30)].id
            let to = inventory.assets[Int(random.next() % 30)].id
            guard from != to else { continue }
            inventory.flows.append(Flow(id: "x\(number)", from: from, to: to, protocol: .tcp, action: .allow))
        }
        let reach = Self.bruteForceReachable(inventory)
        let kinds = Dictionary(uniqueKeysWithValues: inventory.zones.map { ($0.id, $0.kind) })
        let mynumber = inventory.assets.indices.filter { kinds[inventory.assets[$0].zone] == .mynumber }
        let internet = inventory.assets.indices.filter { kinds[inventory.assets[$0].zone] == .internet }
        let expected = mynumber.contains { a in internet.contains { b in reach[a][b] || reach[b][a] } }

        let rules = try RuleCatalogue.bundled().rules.filter { $0.id == "mic-net-01" }
        let result = Assessor(rules: rules, annexA: try AnnexACatalogue.bundled()).assess(
            inventory, evidence: SyntheticInventory.evidence(), at: Timestamp("2026-11-21T09:00:00+09:00")!)
        let verdict = try #require(result.outcomes.first?.verdict)
        #expect(verdict == (expected ? .fail : .pass), "seed \(seed)")
        if expected {
            // Every listed path starts on one side and ends on the other, through listed flows.
            for fact in result.outcomes[0].subjects[0].facts {
                let ends = [fact.split(separator: " ").first!, fact.split(separator: " ").last!].map(String.init)
                let sides = ends.compactMap { end in inventory.assets.first { $0.id == end }.map { kinds[$0.zone]! } }
                #expect(Set(sides) == [.mynumber, .internet], "\(fact)")
            }
        }
    }
}
