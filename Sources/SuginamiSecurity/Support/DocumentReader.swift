import Foundation
import Yams

/// Reads a JSON or YAML document into a `Decodable` value, strictly.
///
/// Both formats go through Yams (JSON is a subset of YAML 1.2), so that duplicate keys are
/// caught in either: Foundation's JSON decoder keeps the last of two equal keys silently. After
/// decoding, the document is compared with the decoded value re-encoded, so that a key the
/// schema does not know (a typo such as `importnt: true`) is reported instead of ignored.
enum DocumentReader {
    static func read<Value: Codable>(_ type: Value.Type, at url: URL, name: String) throws(ISMSValidationFailure)
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

    static func read<Value: Codable>(_ type: Value.Type, from data: Data, name: String) throws(ISMSValidationFailure)
        -> Value
    {
        try decode(type, from: try compose(data, name: name), name: name)
    }

    /// Parses the text into a YAML node tree; syntax errors and duplicate keys are errors.
    static func compose(_ data: Data, name: String) throws(ISMSValidationFailure) -> Node {
        guard let text = String(data: data, encoding: .utf8) else {
            throw failure(name, "", "the file is not UTF-8 text")
        }
        do {
            guard let composed = try Yams.compose(yaml: text) else { throw failure(name, "", "the file is empty") }
            return composed
        } catch let error as ISMSValidationFailure {
            throw error
        } catch let error as YamlError {
            throw failure(name, "", syntaxMessage(error))
        } catch {
            throw failure(name, "", "\(error)")
        }
    }

    /// Decodes a node tree strictly: type errors with their path, then unknown keys.
    static func decode<Value: Codable>(_ type: Value.Type, from node: Node, name: String) throws(ISMSValidationFailure)
        -> Value
    {
        let value: Value
        do {
            value = try YAMLDecoder().decode(type, from: node)
        } catch let error as DecodingError {
            throw failure(name, location(of: error), reason(of: error))
        } catch {
            throw failure(name, "", "\(error)")
        }
        // Unknown keys: whatever the input has that the decoded value does not give back.
        if let reencoded = try? JSONEncoder().encode(value),
            let tree = try? JSONSerialization.jsonObject(with: reencoded, options: [.fragmentsAllowed])
        {
            var problems = ProblemList(file: name)
            unknownKeys(input: node, known: tree, path: "", problems: &problems)
            try problems.throwIfAny()
        }
        return value
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

    /// `flows[3].ports[0]` from a coding path.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    private static func location(of error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context): path(context.codingPath)
        case .keyNotFound(_, let context): path(context.codingPath)
        case .typeMismatch(_, let context): path(context.codingPath)
        case .valueNotFound(_, let context): path(context.codingPath)
        @unknown default: ""
        }
    }

    private static func reason(of error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context): context.debugDescription
        case .keyNotFound(let key, _): "required field \"\(key.stringValue)\" is missing"
        case .typeMismatch(let type, _): "expected \(describe(type))"
        case .valueNotFound(let type, _): "expected \(describe(type)), found nothing"
        @unknown default: "\(error)"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default:
            String(describing: type).hasPrefix("Array") ? "a list" : "a mapping"
        }
    }

    private static func unknownKeys(input: Node, known: Any, path: String, problems: inout ProblemList) {
        switch input {
        case .mapping(let mapping):
            let knownMapping = known as? [String: Any] ?? [:]
            for (key, value) in mapping {
                let name = key.string ?? "?"
                let childPath = path.isEmpty ? name : "\(path).\(name)"
                if let knownValue = knownMapping[name] {
                    unknownKeys(input: value, known: knownValue, path: childPath, problems: &problems)
                } else if !isNull(value) {
                    problems.add(childPath, "unknown field \"\(name)\"")
                }
            }
        case .sequence(let sequence):
            guard let knownArray = known as? [Any], knownArray.count == sequence.count else { return }
            for (index, element) in sequence.enumerated() {
                unknownKeys(input: element, known: knownArray[index], path: "\(path)[\(index)]", problems: &problems)
            }
        default:
            return
        }
    }

    private static func isNull(_ node: Node) -> Bool {
        if case .scalar(let scalar) = node {
            return scalar.string == "null" || scalar.string == "~" || scalar.string.isEmpty
        }
        return false
    }
}
