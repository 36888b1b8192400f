import Foundation
import SuginamiCore
import Testing

/// The strict XML reader: what exchange files use is read, the rest refused by line, never a
/// crash or a partial tree.
@Suite struct XMLElementReaderTests {
    func read(_ text: String) throws -> XMLElement { try XMLElementReader.read(Data(text.utf8), file: "t.xml") }

    func refusal(_ data: Data) -> String {
        do {
            _ = try XMLElementReader.read(data, file: "t.xml")
            return "accepted"
        } catch {
            return error.description
        }
    }

    @Test func elementsAttributesTextEntitiesAndCDATA() throws {
        let root = try read(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- a comment -->
            <a:root xmlns:a="urn:x" k='v &amp; w'>
              <a:item n="1">A &lt;B&gt; &#x6771;&#20140;</a:item>
              <a:item n="2"><![CDATA[<raw> & text]]></a:item>
              <empty/>
            </a:root>
            """)
        #expect(root.name == "a:root" && root.localName == "root" && root.attributes["k"] == "v & w")
        #expect(root.children.map(\.localName) == ["item", "item", "empty"])
        #expect(root.children[0].text == "A <B> 東京" && root.children[0].line == 4)
        #expect(root.children[1].text == "<raw> & text" && root.childText("item") == "A <B> 東京")
    }

    @Test func whatIsNotWellFormedIsRefusedByLine() {
        #expect(refusal(Data("<a><b></a>".utf8)).contains("</a> closes <b>"))
        #expect(refusal(Data("<a>\n<b>".utf8)).contains("line 2") == true)
        #expect(refusal(Data("<!DOCTYPE a [<!ENTITY x \"y\">]><a/>".utf8)).contains("document type declaration"))
        #expect(refusal(Data("<a>&bogus;</a>".utf8)).contains("&bogus; is not an entity"))
        #expect(refusal(Data("<a k=v/>".utf8)).contains("must be quoted"))
        #expect(refusal(Data("<a k='1' k='2'/>".utf8)).contains("given twice"))
        #expect(refusal(Data("<a/><b/>".utf8)).contains("second root"))
        #expect(refusal(Data("".utf8)).contains("no root element"))
        #expect(refusal(Data([0x3C, 0x61, 0x3E, 0xC3, 0x28, 0x3C, 0x2F, 0x61, 0x3E])).contains("not UTF-8"))
        let deep = String(repeating: "<a>", count: 100) + String(repeating: "</a>", count: 100)
        #expect(refusal(Data(deep.utf8)).contains("nest deeper than 64"))
    }

    @Test("Random damage to a document never crashes the reader")
    func randomDamage() {
        var random = SplitMix64(seed: 7)
        let base = Array("<p:r xmlns:p='u'><p:n a=\"1\">t &amp; <![CDATA[c]]></p:n><!-- c --><e/></p:r>".utf8)
        for _ in 0..<5_000 {
            var bytes = base
            for _ in 0..<(1 + Int(random.next() % 4)) {
                bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
            }
            _ = refusal(Data(bytes))
        }
    }
}
