import Foundation
import SuginamiCore
import Testing
import Yams

@testable import SuginamiSecurity

/// A large YAML inventory is composed in parts on every core; the parts must give exactly
/// the document composed whole, and anything a part cannot stand alone falls back to that.
@Suite("ISMS large YAML")
struct ParallelYAMLTests {
    static func whole(_ text: String) throws -> DocumentValue {
        try DocumentReader.value(of: try #require(try Yams.compose(yaml: text, .basic)), name: "whole")
    }

    static func fixture() throws -> String {
        let out = try Example.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let written = try SyntheticInventory.writeFixture(to: out, assets: 2_000, flows: 12_000, format: .yaml)
        return try String(contentsOf: written.inventory, encoding: .utf8)
    }

    @Test func partsGiveTheDocumentComposedWhole() throws {
        let text = try Self.fixture()
        #expect(text.utf8.count >= ParallelYAML.minimumSize)
        let parallel = try #require(ParallelYAML.compose(Array(text.utf8), name: "inventory.yaml"))
        #expect(parallel == (try Self.whole(text)))
        // Comments, blank lines and plain scalars between the items change nothing.
        let commented = text.replacingOccurrences(of: "\n  id: f5000\n", with: "\n# a comment\n\n  id: \"f5000\"\n")
        #expect(commented != text)
        #expect(ParallelYAML.compose(Array(commented.utf8), name: "i") == (try Self.whole(commented)))
    }

    @Test func whatAPartCannotHoldAloneIsComposedWhole() throws {
        let text = try Self.fixture()
        // An anchor in one part and its alias in another: the parts fail, the whole resolves it.
        let anchored = text.replacingOccurrences(of: "  id: f10\n", with: "  id: &first f10\n")
            .replacingOccurrences(of: "  id: f11900\n", with: "  id: f11900\n  note: *first\n")
        #expect(anchored != text)
        #expect(ParallelYAML.compose(Array(anchored.utf8), name: "i") == nil)
        // A repeated top-level key and a document marker are left to the whole document.
        #expect(ParallelYAML.compose(Array((text + "zones: []\n").utf8), name: "i") == nil)
        #expect(ParallelYAML.compose(Array(("---\n" + text).utf8), name: "i") == nil)
    }

    @Test func anErrorInALargeDocumentNamesItsTrueLine() throws {
        let text = try Self.fixture()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let target = try #require(lines.firstIndex { $0 == "  id: f9000" })
        var broken = lines
        broken[target - 1] = "  protocol: [unclosed"
        do {
            _ = try DocumentReader.parse(Data(broken.joined(separator: "\n").utf8), name: "inventory.yaml")
            Issue.record("a syntax error was accepted")
        } catch {
            let reason = try #require(error.errors.first?.reason)
            // The flow sequence opens on line `target` (1-based): the whole document's numbering.
            #expect(reason.contains("while parsing a flow sequence in line \(target), column 13"), "\(reason)")
        }
    }
}
