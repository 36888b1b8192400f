import Foundation
import SuginamiCore
import Yams

/// Reads a JSON or YAML document into a `Decodable` value, strictly.
///
/// Foundation's JSON decoder and Yams both keep the last of two equal keys silently (Yams
/// reports duplicates only while composing a node tree), and Foundation also forgives trailing
/// commas, so JSON is checked by `StrictJSON` first and then decoded by Foundation, which is an
/// order of magnitude faster than Yams on large inventories; YAML is composed into a node tree,
/// which rejects duplicates. After decoding, the document is compared with the decoded
/// value re-encoded, so that a key the schema does not know (a typo such as `importnt: true`) is
/// reported instead of ignored.
enum DocumentReader {
    /// A parsed document: a YAML node tree, or JSON bytes with their object tree.
    enum Parsed {
        case yaml(Node)
        case json(Data, Any)

        /// A top-level integer field, if the document is a mapping that has one.
        func integer(_ key: String) -> Int? {
            switch self {
            case .yaml(let node): node[key]?.int
            case .json(_, let tree): (tree as? [String: Any])?[key] as? Int
            }
        }

        /// Whether the document is a mapping with this top-level key.
        func has(_ key: String) -> Bool {
            switch self {
            case .yaml(let node): node[key] != nil
            case .json(_, let tree): (tree as? [String: Any])?[key] != nil
            }
        }
    }

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
        try decode(type, from: try parse(data, name: name), name: name)
    }

    /// Parses JSON (a document starting with `{` or `[`) or YAML; syntax errors and duplicate
    /// keys are errors.
    static func parse(_ data: Data, name: String) throws(ISMSValidationFailure) -> Parsed {
        guard let text = String(data: data, encoding: .utf8) else {
            throw failure(name, "", "the file is not UTF-8 text")
        }
        let first = data.first { !(" \t\r\n" as String).utf8.contains($0) }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            // Foundation forgives trailing commas and keeps one of two equal keys: check first.
            do {
                try StrictJSON.check(data)
            } catch {
                throw failure(name, "", error.description)
            }
            do {
                return .json(data, try JSONSerialization.jsonObject(with: data))
            } catch {
                let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
                throw failure(name, "", "not valid JSON: \(detail)")
            }
        }
        do {
            guard let composed = try Yams.compose(yaml: text) else { throw failure(name, "", "the file is empty") }
            return .yaml(composed)
        } catch let error as ISMSValidationFailure {
            throw error
        } catch let error as YamlError {
            throw failure(name, "", syntaxMessage(error))
        } catch {
            throw failure(name, "", "\(error)")
        }
    }

    /// Decodes a parsed document strictly: type errors with their path, then unknown keys.
    static func decode<Value: Codable>(_ type: Value.Type, from parsed: Parsed, name: String)
        throws(ISMSValidationFailure) -> Value
    {
        let value: Value
        do {
            switch parsed {
            case .yaml(let node): value = try YAMLDecoder().decode(type, from: node)
            case .json(let data, _): value = try JSONDecoder().decode(type, from: data)
            }
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
            switch parsed {
            case .yaml(let node): unknownKeys(input: node, known: tree, path: "", problems: &problems)
            case .json(_, let input):
                unknownKeys(input: input, known: tree, path: "", problems: &problems)
                for (path, name) in unknownNullKeys(type, input: input, known: tree) {
                    problems.add(path, "unknown field \"\(name)\"")
                }
            }
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

    private static func unknownKeys(input: Any, known: Any, path: String, problems: inout ProblemList) {
        if let mapping = input as? [String: Any] {
            let knownMapping = known as? [String: Any] ?? [:]
            for name in mapping.keys.sorted() {
                let value = mapping[name]!
                let childPath = path.isEmpty ? name : "\(path).\(name)"
                if let knownValue = knownMapping[name] {
                    unknownKeys(input: value, known: knownValue, path: childPath, problems: &problems)
                } else if !(value is NSNull) {
                    problems.add(childPath, "unknown field \"\(name)\"")
                }
            }
        } else if let sequence = input as? [Any], let knownArray = known as? [Any], knownArray.count == sequence.count {
            for (index, element) in sequence.enumerated() {
                unknownKeys(input: element, known: knownArray[index], path: "\(path)[\(index)]", problems: &problems)
            }
        }
    }

    /// One step of a path into a JSON tree.
    private enum Step {
        case key(String)
        case index(Int)
    }

    /// The keys set to `null` that the type does not know. A known optional field given as null
    /// is dropped when the value is encoded again, just as an unknown key is, so each such key is
    /// probed: decoded once with a string and once with a number in place of the null. A field
    /// the type knows refuses one of the two (a string field takes no number); an unknown key
    /// is ignored both times.
    private static func unknownNullKeys<Value: Decodable>(_ type: Value.Type, input: Any, known: Any)
        -> [(path: String, name: String)]
    {
        var candidates: [([Step], String)] = []
        func collect(_ input: Any, _ known: Any?, _ steps: [Step], _ path: String) {
            if let mapping = input as? [String: Any] {
                let knownMapping = known as? [String: Any] ?? [:]
                for name in mapping.keys.sorted() {
                    let childPath = path.isEmpty ? name : "\(path).\(name)"
                    if let knownValue = knownMapping[name] {
                        collect(mapping[name]!, knownValue, steps + [.key(name)], childPath)
                    } else if mapping[name] is NSNull {
                        candidates.append((steps + [.key(name)], childPath))
                    }
                }
            } else if let sequence = input as? [Any], let knownArray = known as? [Any],
                knownArray.count == sequence.count
            {
                for (index, element) in sequence.enumerated() {
                    collect(element, knownArray[index], steps + [.index(index)], "\(path)[\(index)]")
                }
            }
        }
        collect(input, known, [], "")
        func replacing(_ tree: Any, at steps: ArraySlice<Step>, with value: Any) -> Any {
            guard let step = steps.first else { return value }
            switch step {
            case .key(let name):
                var mapping = tree as? [String: Any] ?? [:]
                mapping[name] = replacing(mapping[name] ?? NSNull(), at: steps.dropFirst(), with: value)
                return mapping
            case .index(let index):
                var sequence = tree as? [Any] ?? []
                guard sequence.indices.contains(index) else { return tree }
                sequence[index] = replacing(sequence[index], at: steps.dropFirst(), with: value)
                return sequence
            }
        }
        return candidates.compactMap { steps, path in
            let refused = ["\u{0}probe" as Any, 0 as Any].contains { probe in
                guard
                    let data = try? JSONSerialization.data(
                        withJSONObject: replacing(input, at: steps[...], with: probe))
                else { return true }
                return (try? JSONDecoder().decode(type, from: data)) == nil
            }
            guard !refused, case .key(let name)? = steps.last else { return nil }
            return (path, name)
        }
    }

    private static func isNull(_ node: Node) -> Bool {
        if case .scalar(let scalar) = node {
            return scalar.string == "null" || scalar.string == "~" || scalar.string.isEmpty
        }
        return false
    }
}
