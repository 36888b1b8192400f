import Foundation
import SuginamiCore
import Testing

@testable import SuginamiSecurity

/// Bad input is rejected with its file, location and reason, and no verdict is given.
@Suite("ISMS bad input")
struct ISMSBadInputTests {
    static func inventoryProblems(_ edit: (String) -> String) throws -> [ISMSInputError] {
        let text = try String(contentsOf: Example.inventory, encoding: .utf8)
        let bundle = try EvidenceBundle.load(directory: Example.evidence, at: Example.time)
        do {
            _ = try InventoryLoader.load(Data(edit(text).utf8), name: "inv.yaml", evidence: bundle, at: Example.time)
            return []
        } catch {
            return error.errors
        }
    }

    static let cases: [(String, String, String, String)] = [
        ("schemaVersion: 1", "schemaVersion: 7", "schemaVersion", "unknown schema version 7"),
        ("  - {id: z-lg, name:", "  - {id: z-mn, name:", "zones[1].id", "duplicate id \"z-mn\""),
        (
            "zone: z-mn\n    owner: 課税課", "zone: z-nowhere\n    owner: 課税課", "assets[1].zone",
            "unknown zone \"z-nowhere\""
        ),
        ("kind: mynumber}", "kind: myNumber}", "zones[0].kind", "is not one of: mynumber"),
        ("snapshotAt: 2026-11-20T09:00:00+09:00", "snapshotAt: 2026-11-20T09:00:00", "snapshotAt", "UTC offset"),
        (
            "snapshotAt: 2026-11-20T09:00:00+09:00", "snapshotAt: 2027-11-20T09:00:00+09:00", "snapshotAt",
            "in the future"
        ),
        (
            "sourceAddress: 10.10.1.20, destinationAddress: 192.0.2.10}", "sourceAddress: 10.10.1.300}",
            "flows[0].pinned.sourceAddress", "not an IPv4/IPv6"
        ),
        (
            "ports: [443], action: allow, pinned: {sourceAddress: 10.10.1.20, destinationAddress: 192.0.2.20}",
            "ports: [70000], action: allow", "flows[1].ports[0]", "outside 1–65535"
        ),
        ("ports: [9100-9200]", "ports: [9200-9100]", "flows[2].ports[0]", "inverted"),
        ("authMethods: [password, pin]", "authMethods: []", "accounts[2].authMethods", "has no authentication method"),
        (
            "authMethods: [password, pin]", "authMethods: [password, iris]", "accounts[2].authMethods[1]",
            "is not one of"
        ),
        (
            "evidence: [idp-export-2026-11]}\n  - {id: a-kazei-01", "evidence: [idp-export-2099]}\n  - {id: a-kazei-01",
            "accounts[0].evidence[0]", "not in the evidence manifest"
        ),
        (
            "    important: true\n    dataClasses: [{kind: specific-personal-information, confidentiality: 3A}]\n    edr: true",
            "    important: true\n    importnt: true\n    edr: true", "assets[0].importnt", "unknown field"
        ),
        // An unknown key is refused in YAML too when its value is null, written or left empty.
        ("    owner: 区民課\n", "    owner: 区民課\n    colour: ~\n", "assets[0].colour", "unknown field \"colour\""),
        ("    owner: 区民課\n", "    owner: 区民課\n    colour:\n", "assets[0].colour", "unknown field \"colour\""),
        ("    owner: 区民課\n", "    owner: 区民課\n    owner: 税務課\n", "", "duplicate key \"owner\""),
        (
            "localGovernmentCode: \"139998\"", "localGovernmentCode: \"139990\"", "organization.localGovernmentCode",
            "check digit"
        ),
        ("from: lg-file-01, to: mn-jyuki-01", "from: lg-file-01, to: lg-file-01", "flows[2].to", "to itself"),
        (
            "pinned: {sourceAddress: 10.10.1.20, destinationAddress: 192.0.2.10}",
            "pinned: {sourceMAC: 00:1a:2b:3c:4d}", "flows[0].pinned.sourceMAC", "not a MAC address"
        ),
    ]

    @Test(arguments: cases.indices)
    func inventoryErrorNamesTheLocation(index: Int) throws {
        let (original, replacement, location, reason) = Self.cases[index]
        let problems = try Self.inventoryProblems {
            #expect($0.contains(original), "the example no longer contains \(original)")
            return $0.replacingOccurrences(of: original, with: replacement)
        }
        #expect(
            problems.contains { $0.location.hasPrefix(location) && $0.description.contains(reason) },
            "expected \(location): …\(reason)…, got \(problems)")
    }

    /// A copy of the example bundle with one change, checked as a whole.
    static func bundleProblems(_ change: (URL) throws -> Void) throws -> [ISMSInputError] {
        let copy = try Example.scratch()
        defer { try? FileManager.default.removeItem(at: copy) }
        let bundle = copy.appendingPathComponent("evidence")
        try FileManager.default.copyItem(at: Example.evidence, to: bundle)
        try change(bundle)
        do {
            _ = try EvidenceBundle.load(directory: bundle, at: Example.time)
            return []
        } catch {
            return error.errors
        }
    }

    @Test func tamperedEvidenceIsAHashMismatch() throws {
        let problems = try Self.bundleProblems { bundle in
            try Data("tampered".utf8).write(to: bundle.appendingPathComponent("firewall-export.json"))
        }
        #expect(problems.count == 1 && problems[0].location == "items[1].sha256")
        #expect(problems[0].reason.contains("hash mismatch for \"firewall-export.json\""))
    }

    @Test func missingEvidenceFileAndEscapingPathAreErrors() throws {
        let problems = try Self.bundleProblems { bundle in
            try FileManager.default.removeItem(at: bundle.appendingPathComponent("bcp-plan.txt"))
            let manifest = bundle.appendingPathComponent("manifest.json")
            let text = try String(contentsOf: manifest, encoding: .utf8)
            try text.replacingOccurrences(of: "\"path\": \"idp-export.json\"", with: "\"path\": \"../../etc/passwd\"")
                .write(to: manifest, atomically: true, encoding: .utf8)
        }
        #expect(problems.contains { $0.location == "items[7].path" && $0.reason.contains("missing") })
        #expect(
            problems.contains { $0.location == "items[2].path" && $0.reason.contains("leaves the evidence bundle") })
    }

    /// A symbolic link inside the bundle that leads out of it is refused before anything is read,
    /// and no outside file's hash appears in the message.
    @Test func symbolicLinksOutOfTheBundleAreRefused() throws {
        let problems = try Self.bundleProblems { bundle in
            let evidence = bundle.appendingPathComponent("idp-export.json")
            try FileManager.default.removeItem(at: evidence)
            try FileManager.default.createSymbolicLink(atPath: evidence.path, withDestinationPath: "/etc/passwd")
            let nested = bundle.appendingPathComponent("bcp-plan.txt")
            try FileManager.default.removeItem(at: nested)
            try FileManager.default.createSymbolicLink(
                atPath: nested.path, withDestinationPath: "../../../../etc/hostname")
        }
        let passwd = try EvidenceBundle.sha256Hex(Data(contentsOf: URL(fileURLWithPath: "/etc/passwd")))
        #expect(
            problems.contains { $0.location == "items[2].path" && $0.reason.contains("leaves the evidence bundle") })
        #expect(
            problems.contains { $0.location == "items[7].path" && $0.reason.contains("leaves the evidence bundle") })
        #expect(!problems.contains { $0.reason.contains(passwd) })
        // A link that stays inside the bundle is followed.
        let inside = try Self.bundleProblems { bundle in
            let evidence = bundle.appendingPathComponent("idp-export.json")
            try FileManager.default.moveItem(at: evidence, to: bundle.appendingPathComponent("real-idp-export.json"))
            try FileManager.default.createSymbolicLink(
                atPath: evidence.path, withDestinationPath: "real-idp-export.json")
        }
        #expect(inside.isEmpty, "\(inside)")
    }

    @Test func aManifestThatIsALinkOutOfTheBundleIsRefused() throws {
        let outside = try Example.scratch()
        defer { try? FileManager.default.removeItem(at: outside) }
        let problems = try Self.bundleProblems { bundle in
            let manifest = bundle.appendingPathComponent("manifest.json")
            try FileManager.default.moveItem(at: manifest, to: outside.appendingPathComponent("manifest.json"))
            try FileManager.default.createSymbolicLink(
                at: manifest, withDestinationURL: outside.appendingPathComponent("manifest.json"))
        }
        #expect(problems.count == 1 && problems[0].reason.contains("leaves the directory"), "\(problems)")
    }

    @Test func twoEntriesForOneSubjectAreRefused() throws {
        let line =
            "  - {asset: mn-jyuki-01, types: [auth, access, admin], centralStore: true, retentionDays: 1825, "
            + "evidence: [log-report-2026-11]}\n"
        let problems = try Self.inventoryProblems { $0.replacingOccurrences(of: line, with: line + line) }
        #expect(
            problems.map(\.location) == ["logSources[1].asset"]
                && problems[0].reason.contains("a second entry for asset \"mn-jyuki-01\""), "\(problems)")
    }

    static func catalogueProblems(_ yaml: String) throws -> [ISMSInputError] {
        let directory = try Example.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("local.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let annexA = try AnnexACatalogue.bundled()
        do {
            _ = try RuleCatalogue.load(file, annexA: annexA, name: "local.yaml")
            return []
        } catch {
            return error.errors
        }
    }

    static func rule(id: String = "local-01", control: String = "8.22", check: String) -> String {
        """
        catalogueVersion: 1
        name: local
        rules:
          - id: \(id)
            title: t
            level: local
            source: {document: d}
            maps: [{control: "\(control)", relation: supports}]
            check: \(check)
            severity: low
        """
    }

    @Test func catalogueErrorsAreSpecific() throws {
        let good = try Self.catalogueProblems(Self.rule(check: "{kind: flow-pinned, zone: lgwan}"))
        #expect(good.isEmpty, "\(good)")
        let cases: [(String, String)] = [
            (Self.rule(control: "8.35", check: "{kind: manual}"), "not one of the 93"),
            (Self.rule(control: "A.8.22", check: "{kind: manual}"), "not one of the 93"),
            (Self.rule(id: "8.22-local", check: "{kind: manual}"), "is not a token"),
            (Self.rule(check: "{kind: flow-telepathy}"), "is not one of: flow-forbidden"),
            (Self.rule(check: "{kind: flow-forbidden, between: [mynumber]}"), "needs \"between"),
            (
                Self.rule(check: "{kind: attribute, collection: assets, attribute: colour, values: [red]}"),
                "not an attribute of assets"
            ),
            (Self.rule(check: "{kind: retention-min, parameter: logDays}"), "unknown organisation parameter"),
            (Self.rule(check: "{kind: min-factors, minimum: 4, accounts: {privileged: true}}"), "minimum (1 to 3"),
        ]
        for (yaml, reason) in cases {
            let problems = try Self.catalogueProblems(yaml)
            #expect(problems.contains { $0.description.contains(reason) }, "expected …\(reason)…, got \(problems)")
        }
    }

    @Test func waiverForAnUnknownRuleIsAnError() throws {
        let directory = try Example.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("waivers.yaml")
        try """
        waiverVersion: 1
        waivers:
          - {rule: mic-net-99, subject: x, reason: r, approver: a, approvedAt: 2026-10-01T10:00:00+09:00, expiresAt: 2026-09-01T10:00:00+09:00}
        """.write(to: file, atomically: true, encoding: .utf8)
        #expect {
            try ISMSCheck(inventory: Example.inventory, evidence: Example.evidence, waivers: file, at: Example.time)
        } throws: { error in
            let text = "\(error)"
            return text.contains("waivers[0].rule: unknown rule \"mic-net-99\"")
                && text.contains("waivers[0].expiresAt: expires")
        }
    }

    @Test func textFormats() {
        #expect(Timestamp("2026-11-27T09:00:00+09:00")?.date == Timestamp("2026-11-27T00:00:00Z")?.date)
        #expect(Timestamp("2026-02-29T00:00:00Z") == nil)
        #expect(Timestamp("2024-02-29T23:59:59.5-05:30") != nil)
        #expect(IPNetwork("10.1.2.3")?.isSingleHost == true && IPNetwork("10.1.0.0/16")?.isSingleHost == false)
        #expect(IPNetwork("fd00::1")?.isSingleHost == true && IPNetwork("2001:db8::/32")?.prefixLength == 32)
        #expect(IPNetwork("10.1.2") == nil && IPNetwork("010.1.2.3") == nil && IPNetwork("10.1.2.3/33") == nil)
        #expect(IPNetwork("1::2::3") == nil && MACAddress("00-1A-2B-3C-4D-5E")?.description == "00:1a:2b:3c:4d:5e")
    }
}

/// JSON inventories take Foundation's decoder, with the same strictness as YAML.
@Suite("ISMS JSON inventories")
struct ISMSJSONTests {
    static func load(_ data: Data) throws(ISMSValidationFailure) -> Inventory {
        let bundle = try EvidenceBundle.load(directory: Example.evidence, at: Example.time)
        return try InventoryLoader.load(data, name: "inv.json", evidence: bundle, at: Example.time)
    }

    static func exampleJSON() throws -> String {
        let bundle = try EvidenceBundle.load(directory: Example.evidence, at: Example.time)
        let inventory = try InventoryLoader.load(Example.inventory, evidence: bundle, at: Example.time)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(inventory), as: UTF8.self)
    }

    @Test func jsonAndYAMLGiveTheSameInventory() throws {
        let bundle = try EvidenceBundle.load(directory: Example.evidence, at: Example.time)
        let fromYAML = try InventoryLoader.load(Example.inventory, evidence: bundle, at: Example.time)
        #expect(try Self.load(Data(try Self.exampleJSON().utf8)) == fromYAML)
    }

    @Test func duplicateKeysUnknownFieldsAndVersionsInJSON() throws {
        let json = try Self.exampleJSON()
        func problems(_ text: String) -> [ISMSInputError] {
            do {
                _ = try Self.load(Data(text.utf8))
                return []
            } catch {
                return error.errors
            }
        }
        let duplicate = problems(
            json.replacingOccurrences(of: "\"id\" : \"z-mn\",", with: "\"id\" : \"z-mn\", \"id\" : \"z-x\","))
        #expect(duplicate.count == 1 && duplicate[0].reason.contains("the key \"id\" appears twice"), "\(duplicate)")
        #expect(duplicate.first?.reason.hasPrefix("not valid JSON at line ") == true)
        // Foundation forgives a trailing comma; the check does not.
        let trailing = problems(json.replacingOccurrences(of: "\"id\" : \"z-mn\",", with: "\"id\" : \"z-mn\",,"))
        #expect(trailing.first?.reason.contains("expected a key after the comma") == true, "\(trailing)")
        let trailingInArray = problems(
            json.replacingOccurrences(of: "\"9100-9200\"", with: "\"9100-9200\","))
        #expect(trailingInArray.first?.reason.contains("trailing commas are not JSON") == true, "\(trailingInArray)")
        let unknown = problems(
            json.replacingOccurrences(of: "\"id\" : \"z-mn\",", with: "\"id\" : \"z-mn\", \"colour\" : \"red\","))
        #expect(
            unknown.contains { $0.location == "zones[0].colour" && $0.reason == "unknown field \"colour\"" },
            "\(unknown)")
        // An unknown key is refused even when its value is null; a known optional field may be null.
        let unknownNull = problems(
            json.replacingOccurrences(of: "\"id\" : \"z-mn\",", with: "\"id\" : \"z-mn\", \"colour\" : null,"))
        #expect(
            unknownNull.contains { $0.location == "zones[0].colour" && $0.reason == "unknown field \"colour\"" },
            "\(unknownNull)")
        let knownNull = json.replacingOccurrences(
            of: "\"id\" : \"f-mn-portal\",", with: "\"id\" : \"f-mn-portal\", \"gateway\" : null,")
        #expect(knownNull != json)
        #expect(problems(knownNull).isEmpty, "\(problems(knownNull))")
        let version = problems(json.replacingOccurrences(of: "\"schemaVersion\" : 1", with: "\"schemaVersion\" : 2"))
        #expect(
            version.first?.location == "schemaVersion"
                && version.first?.reason.contains("unknown schema version 2") == true)
        let syntax = problems(String(json.dropLast(3)))
        #expect(syntax.first?.reason.hasPrefix("not valid JSON") == true, "\(syntax)")
        let badPort = problems(json.replacingOccurrences(of: "9100-9200", with: "9100-99999"))
        #expect(
            badPort.first?.location == "flows[2].ports[0]" && badPort.first?.reason.contains("outside 1–65535") == true)
    }

    @Test func strictJSONHandlesStringsNestingAndPlaces() {
        #expect(throws: Never.self) {
            try StrictJSON.check(Array(#"{"a": {"a": 1}, "b": "a\",\"a\":", "c": [{"a": 1}, {"a": 2}]}"#.utf8))
        }
        do {
            try StrictJSON.check(Array("{\n  \"a\": 1,\n  \"a\": 2}".utf8))
            Issue.record("a duplicate key was accepted")
        } catch {
            #expect(error.line == 3 && error.column == 3 && error.reason.contains("appears twice"))
        }
    }
}
