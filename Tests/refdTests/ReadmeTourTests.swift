import Foundation
import SuginamiTestSupport
import Testing

/// The README's five-minute tour is the program in Examples/NearestReliefCentres, word for
/// word, and it runs.
@Suite("README tour")
struct ReadmeTourTests {
    @Test func readmeSnippetIsTheExampleProgram() throws {
        let readme = try String(
            contentsOf: Programs.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let example = try String(
            contentsOf: Programs.repositoryRoot.appendingPathComponent("Examples/NearestReliefCentres/main.swift"),
            encoding: .utf8)
        let start = try #require(readme.range(of: "<!-- tour:begin -->\n```swift\n"))
        let end = try #require(readme.range(of: "```\n<!-- tour:end -->"))
        #expect(String(readme[start.upperBound..<end.lowerBound]) == example)
    }

    @Test func tourPrintsTheThreeNearestReliefCentres() throws {
        let result = try Programs.run("NearestReliefCentres", [])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        let distances = lines.compactMap { line in Int(line.split(separator: "\t")[1].dropLast(2)) }
        #expect(distances.count == 3 && distances == distances.sorted() && distances[2] < 2_000)
    }
}
