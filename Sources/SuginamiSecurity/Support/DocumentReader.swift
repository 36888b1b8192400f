import Foundation
import SuginamiCore
import Yams

/// Reads a JSON or YAML document into a `Decodable` value, strictly.
///
/// Foundation's JSON decoder and Yams both keep the last of two equal keys silently (Yams
/// reports duplicates only while composing a node tree), Foundation forgives trailing commas,
/// and both ignore keys the schema does not know. So JSON is read by `StrictJSON` (SuginamiCore)
/// and YAML composed by Yams, which rejects duplicates, into one `DocumentValue` tree, and
/// `StrictDecoder` decodes it, naming every key the type does not know (a typo such as
/// `importnt: true`, or an unknown key set to null) instead of ignoring it.
enum DocumentReader {
    static func read<Value: Decodable>(_ type: Value.Type, at url: URL, name: String) throws(ISMSValidationFailure)
        -> Value
    {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw failure(name, "", "cannot read the file: \(error.localizedDescription)")
        }
        return try read(type, from: data, name: name)
    }

    static func read<Value: Decodable>(_ type: Value.Type, from data: Data, name: String)
        throws(ISMSValidationFailure) -> Value
    {
        try decode(type, from: try parse(data, name: name), name: name)
    }

    /// Parses JSON (a document starting with `{` or `[`) or YAML; syntax errors and duplicate
    /// keys are errors.
    static func parse(_ data: Data, name: String) throws(ISMSValidationFailure) -> DocumentValue {
        let first = data.first { !(" \t\r\n" as String).utf8.contains($0) }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            do {
                return try StrictJSON.parse(data)
            } catch {
                throw failure(name, "", error.description)
            }
        }
        // Each part is checked for UTF-8 as it is made; the whole text only when composed whole.
        if let value = ParallelYAML.compose(Array(data), name: name) { return value }
        guard let text = String(data: data, encoding: .utf8) else {
            throw failure(name, "", "the file is not UTF-8 text")
        }
        do {
            // Tags are resolved here, by YAML 1.2's core schema, when the value is decoded: Yams's
            // default resolver runs regular expressions on every scalar (70 % of the time).
            guard let composed = try Yams.compose(yaml: text, .basic) else {
                throw failure(name, "", "the file is empty")
            }
            return try value(of: composed, name: name)
        } catch let error as ISMSValidationFailure {
            throw error
        } catch let error as YamlError {
            throw failure(name, "", syntaxMessage(error))
        } catch {
            throw failure(name, "", "\(error)")
        }
    }

    /// Decodes a parsed document strictly: the first value that does not fit, with its path,
    /// or every unknown key.
    static func decode<Value: Decodable>(_ type: Value.Type, from document: DocumentValue, name: String)
        throws(ISMSValidationFailure) -> Value
    {
        let decoded: (value: Value, unknownFields: [StrictDecoder.UnknownField])
        do {
            decoded = try StrictDecoder().decode(type, from: document)
        } catch let error as DecodingError {
            throw failure(name, location(of: error), reason(of: error))
        } catch {
            throw failure(name, "", "\(error)")
        }
        var problems = ProblemList(file: name)
        for field in decoded.unknownFields { problems.add(field.fieldPath, "unknown field \"\(field.key)\"") }
        try problems.throwIfAny()
        return decoded.value
    }

    /// A YAML node as a document value: quoted and block scalars are text, plain scalars take
    /// the type they are decoded as, and `null`, `~` or nothing is null (YAML's core schema).
    /// Anchors and aliases have been resolved by Yams; mapping keys must be scalars.
    static func value(of node: Node, name: String) throws(ISMSValidationFailure) -> DocumentValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain { return .string(scalar.string) }
            switch scalar.string {
            case "", "~", "null", "Null", "NULL": return .null
            case let text: return .scalar(text)
            }
        case .sequence(let sequence):
            var elements: [DocumentValue] = []
            elements.reserveCapacity(sequence.count)
            for element in sequence { elements.append(try value(of: element, name: name)) }
            return .array(elements)
        case .mapping(let mapping):
            var members: [DocumentValue.Member] = []
            members.reserveCapacity(mapping.count)
            for (key, element) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    let line = key.mark.map { "line \($0.line), column \($0.column): " } ?? ""
                    throw failure(name, "", "\(line)a mapping key must be text")
                }
                members.append(DocumentValue.Member(key: keyScalar.string, value: try value(of: element, name: name)))
            }
            return .object(members)
        case .alias:
            throw failure(name, "", "an unresolved alias")
        }
    }

    static func failure(_ file: String, _ location: String, _ reason: String) -> ISMSValidationFailure {
        ISMSValidationFailure([ISMSInputError(file: file, location: location, reason: reason)])
    }

    private static func syntaxMessage(_ error: YamlError) -> String {
        switch error {
        case .duplicatedKeysInMapping(let duplicates, let context):
            "line \(context.mark.line), column \(context.mark.column): duplicate key "
                + duplicates.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
        default:
            // Yams's own text starts with the line and column; keep its first line.
            String(error.description.split(separator: "\n").first ?? "syntax error")
        }
    }

    private static func location(of error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context): context.codingPath.pathText
        case .keyNotFound(_, let context): context.codingPath.pathText
        case .typeMismatch(_, let context): context.codingPath.pathText
        case .valueNotFound(_, let context): context.codingPath.pathText
        @unknown default: ""
        }
    }

    private static func reason(of error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context): context.debugDescription
        case .keyNotFound(let key, _): "required field \"\(key.stringValue)\" is missing"
        case .typeMismatch(let type, let context):
            "expected \(describe(type))"
                + (context.debugDescription.hasPrefix("found") ? ", \(context.debugDescription)" : "")
        case .valueNotFound(let type, _): "expected \(describe(type)), found nothing"
        @unknown default: "\(error)"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is any BinaryInteger.Type, is any BinaryFloatingPoint.Type: "a number"
        case is Bool.Type: "true or false"
        default:
            String(describing: type).hasPrefix("Array") ? "a list" : "a mapping"
        }
    }
}
