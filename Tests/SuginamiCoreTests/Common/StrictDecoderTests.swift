import Foundation
import Testing

@testable import SuginamiCore

@Suite("Strict decoding")
struct StrictDecoderTests {
    struct Port: Codable, Equatable {
        var number: Int
        var name: String?
        var open: Bool?
        var weight: Double?
    }

    struct Host: Codable, Equatable {
        var id: String
        var ports: [Port]
        var tags: [String: String]?
    }

    func decode<Value: Decodable>(_ type: Value.Type, _ json: String) throws -> (
        value: Value, unknownFields: [StrictDecoder.UnknownField]
    ) {
        try StrictDecoder().decode(type, from: try StrictJSON.parse(Array(json.utf8)))
    }

    @Test func unknownKeysAreNamedWithTheirPathWhateverTheirValue() throws {
        let decoded = try decode(
            Host.self,
            #"{"id": "h1", "colour": null, "ports": [{"number": 22}, {"number": 443, "nmae": "https", "name": null}]}"#)
        #expect(decoded.value == Host(id: "h1", ports: [Port(number: 22), Port(number: 443)]))
        #expect(decoded.unknownFields.map(\.fieldPath) == ["colour", "ports[1].nmae"])
        // A dictionary's keys are data, not fields.
        #expect(try decode(Host.self, #"{"id": "h", "ports": [], "tags": {"any": "x"}}"#).unknownFields.isEmpty)
    }

    @Test func typeErrorsCarryTheirPath() throws {
        #expect {
            _ = try decode(Host.self, #"{"id": "h", "ports": [{"number": 1}, {"number": "443"}]}"#)
        } throws: { error in
            guard case DecodingError.typeMismatch(_, let context) = error else { return false }
            return context.codingPath.pathText == "ports[1].number" && context.debugDescription == "found text"
        }
        #expect {
            _ = try decode(Host.self, #"{"ports": []}"#)
        } throws: { error in
            guard case DecodingError.keyNotFound(let key, _) = error else { return false }
            return key.stringValue == "id"
        }
        #expect {
            _ = try decode(Port.self, #"{"number": 1.5}"#)
        } throws: { error in
            if case DecodingError.typeMismatch = error { return true }
            return false
        }
    }

    @Test func yamlPlainScalarsTakeTheTypeAskedFor() throws {
        let document = DocumentValue.object([
            .init(key: "number", value: .scalar("443")), .init(key: "name", value: .scalar("443")),
            .init(key: "open", value: .scalar("True")), .init(key: "weight", value: .scalar("0.5")),
        ])
        let port = try StrictDecoder().decode(Port.self, from: document).value
        #expect(port == Port(number: 443, name: "443", open: true, weight: 0.5))
        #expect(throws: DecodingError.self) {
            try StrictDecoder().decode(Port.self, from: .object([.init(key: "number", value: .scalar("many"))]))
        }
        // A quoted YAML scalar is text, never a number.
        #expect(throws: DecodingError.self) {
            try StrictDecoder().decode(Port.self, from: .object([.init(key: "number", value: .string("443"))]))
        }
    }

    @Test func aLongListIsDecodedInPartsInDocumentOrder() throws {
        let count = 10_000
        let ports = (0..<count).map { #"{"number": \#($0)\#($0 % 5_000 == 7 ? #", "x": 1"# : "")}"# }
        let decoded = try decode(Host.self, #"{"id": "h", "ports": [\#(ports.joined(separator: ","))]}"#)
        #expect(decoded.value.ports.map(\.number) == Array(0..<count))
        #expect(decoded.unknownFields.map(\.fieldPath) == ["ports[7].x", "ports[5007].x"])
        // An error deep in the second half names its index.
        var broken = (0..<count).map { #"{"number": \#($0)}"# }
        broken[9_001] = #"{"number": "x"}"#
        #expect {
            _ = try decode(Host.self, #"{"id": "h", "ports": [\#(broken.joined(separator: ","))]}"#)
        } throws: { error in
            guard case DecodingError.typeMismatch(_, let context) = error else { return false }
            return context.codingPath.pathText == "ports[9001].number"
        }
    }

    @Test func strictJSONKeepsNumbersExactAndStringsWhole() throws {
        let value = try StrictJSON.parse(Array(#"[9007199254740993, -0.5, 1e3, "a\"b\u00e9", "杉並"]"#.utf8))
        #expect(
            value
                == .array([
                    .integer(9_007_199_254_740_993), .number(-0.5), .number(1000), .string("a\"bé"), .string("杉並"),
                ])
        )
        #expect(throws: StrictJSON.SyntaxError.self) { try StrictJSON.parse(Array(#"{"a": 1,}"#.utf8)) }
        #expect(throws: StrictJSON.SyntaxError.self) { try StrictJSON.parse(Array("[\"\u{01}\"]".utf8)) }
        #expect(throws: StrictJSON.SyntaxError.self) { try StrictJSON.parse([0x22, 0xFF, 0x22]) }
    }
}
