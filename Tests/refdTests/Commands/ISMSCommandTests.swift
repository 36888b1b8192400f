import Foundation
import SuginamiTestSupport
import Testing

/// `refd isms check` and `refd isms diff` on the example inventory, as a user runs them.
@Suite("refd isms")
struct ISMSCommandTests {
    let example = Programs.repositoryRoot.appendingPathComponent("Examples/ISMS")

    func check(_ inventory: String, out: URL, extra: [String] = []) throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        try Programs.run(
            "refd",
            [
                "isms", "check", inventory, "--evidence", example.appendingPathComponent("evidence").path,
                "--waivers", example.appendingPathComponent("waivers.yaml").path, "--out", out.path,
                "--at", "2026-11-27T09:00:00+09:00",
            ] + extra)
    }

    @Test func checkWritesReportsAndDiffShowsNoChangeForTheSameInput() throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = directory.appendingPathComponent("run1")
        let second = directory.appendingPathComponent("run2")
        let inventory = example.appendingPathComponent("inventory.yaml").path
        // The example has findings by design: status 1, the reports written all the same.
        let run = try check(inventory, out: first)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(
            run.stdout.contains("FAIL mic-net-01:")
                && run.stdout.contains("expired waiver: mic-auth-03 a-shared-bousai"))
        #expect(try check(inventory, out: second, extra: ["--fail-on", "never"]).status == 0)
        for name in [
            "results.json", "assessment-results.json", "report.html", "statement-of-applicability.csv", "results.sarif",
            "junit.xml",
        ] {
            let a = try Data(contentsOf: first.appendingPathComponent(name))
            let b = try Data(contentsOf: second.appendingPathComponent(name))
            #expect(a == b, "\(name) differs between two runs over the same inputs")
        }
        // A year later the evidence is stale: history shows each rule's verdicts over the runs.
        let later = directory.appendingPathComponent("run3")
        _ = try Programs.run(
            "refd",
            [
                "isms", "check", inventory, "--evidence", example.appendingPathComponent("evidence").path, "--out",
                later.path, "--at", "2027-12-01T09:00:00+09:00", "--fail-on", "never",
            ])
        let history = try Programs.run("refd", ["isms", "history", later.path, first.path])
        #expect(history.status == 0, "\(history.stderr)")
        let rows = history.stdout.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        #expect(
            rows.first == ["rule", "2026-11-27T09:00:00+09:00", "2027-12-01T09:00:00+09:00"], "\(rows.first ?? [])")
        let network = try #require(rows.first { $0.first == "mic-net-01" })
        #expect(network[1].hasPrefix("fail") && network[2].hasPrefix("fail"))
        #expect(rows.dropFirst().contains { $0[1] == "pass" && $0[2] == "not-assessed" })
        #expect(try Programs.run("refd", ["isms", "history", "/nonexistent"]).status == 2)
        let diff = try Programs.run("refd", ["isms", "diff", first.path, second.path, "--fail-on-regressions"])
        #expect(diff.status == 0 && diff.stdout.contains("No changes."))
        // As a CI gate: unwaived fails give status 1, also with the stricter gate.
        #expect(try check(inventory, out: second, extra: ["--fail-on", "not-assessed"]).status == 1)
        #expect(try check(inventory, out: second, extra: ["--fail-on", "sometimes"]).status != 0)
        // By severity: the example's unwaived fails include critical ones (mic-net-01).
        #expect(try check(inventory, out: second, extra: ["--fail-on", "critical"]).status == 1)
    }

    @Test func badInventoryWritesNothingAndNamesEveryProblem() throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = try String(contentsOf: example.appendingPathComponent("inventory.yaml"), encoding: .utf8)
        let broken = directory.appendingPathComponent("broken.yaml")
        try text.replacingOccurrences(of: "id: f-ntp-mn,", with: "id: f-mn-portal,")
            .replacingOccurrences(of: "zone: z-mn\n    owner: 課税課", with: "zone: z-moon\n    owner: 課税課")
            .write(to: broken, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("out")
        let run = try check(broken.path, out: out)
        #expect(run.status == 2)
        #expect(run.stderr.contains("2 problem(s) in the input; no verdicts given"), "\(run.stderr)")
        #expect(run.stderr.contains("flows[3].id: duplicate id \"f-mn-portal\""), "\(run.stderr)")
        #expect(run.stderr.contains("assets[1].zone: unknown zone \"z-moon\""), "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: out.path) == false)
        let badTime = try Programs.run(
            "refd", ["isms", "check", broken.path, "--evidence", "x", "--out", out.path, "--at", "2026-11-27"])
        #expect(badTime.status == 2 && badTime.stderr.contains("not an RFC 3339 time"))
        let badDiff = try Programs.run("refd", ["isms", "diff", broken.path, out.path])
        #expect(badDiff.status == 2)
    }
}
