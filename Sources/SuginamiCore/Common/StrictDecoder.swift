import Foundation

/// Decodes a `Decodable` value from a ``DocumentValue`` and names every key the type does not
/// know, whatever its value (`null` included), with its path.
///
/// Foundation's and Yams's decoders ignore unknown keys, and finding them afterwards (by
/// encoding the value again and comparing trees) costs more than the decoding itself and cannot
/// see a key whose value is `null`. Here each object's keys are checked once, when a type asks
/// for its keyed container: a key that the type's `CodingKeys` cannot be made from is unknown.
/// Written by hand because no package here decodes strictly; it is the one decoder of
/// validated inputs (inventories, catalogues, manifests, waivers).
///
/// Scalars decode as strictly as Foundation's JSON decoder: a JSON string is no number, a
/// number no string. A YAML plain scalar (``DocumentValue/scalar(_:)``) decodes as the type
/// asks: text, a flag (`true`, `True`, `TRUE`, `false`…), or a number.
public struct StrictDecoder: Sendable {
    /// A key of the document that the decoded type does not know.
    public struct UnknownField: Sendable, Hashable {
        /// The object's path, e.g. `flows[3]` (empty for the top level).
        public var path: String
        /// The key.
        public var key: String

        /// The key's own path, e.g. `flows[3].importnt`.
        public var fieldPath: String { path.isEmpty ? key : "\(path).\(key)" }
    }

    /// A decoder.
    public init() {}

    /// Decodes `type` from `document`.
    /// - Returns: the value and the unknown fields, in document order.
    /// - Throws: `DecodingError` with the coding path of the first value that does not fit.
    public func decode<Value: Decodable>(_ type: Value.Type, from document: DocumentValue) throws -> (
        value: Value, unknownFields: [UnknownField]
    ) {
        let log = UnknownFieldLog()
        let value = try Value(from: ValueDecoder(document, parent: nil, key: nil, log: log))
        return (value, log.fields)
    }
}

/// The unknown fields met while decoding one document.
private final class UnknownFieldLog {
    var fields: [StrictDecoder.UnknownField] = []
}

/// A key of an array element in a coding path.
private struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

/// The decoder of one value. Its coding path is made from its parents only when needed (for
/// an error or an unknown key), so decoding a value costs no path.
private final class ValueDecoder: Decoder, SingleValueDecodingContainer {
    let value: DocumentValue
    let parent: ValueDecoder?
    let key: (any CodingKey)?
    let log: UnknownFieldLog
    /// The path above the root, for the root of a part decoded on another thread.
    let basePath: [any CodingKey]

    init(
        _ value: DocumentValue, parent: ValueDecoder?, key: (any CodingKey)?, log: UnknownFieldLog,
        path basePath: [any CodingKey] = []
    ) {
        self.value = value
        self.parent = parent
        self.key = key
        self.log = log
        self.basePath = basePath
    }

    var codingPath: [any CodingKey] {
        var keys: [any CodingKey] = []
        var decoder: ValueDecoder? = self
        var root = self
        while let current = decoder {
            root = current
            guard let key = current.key else { break }
            keys.append(key)
            decoder = current.parent
        }
        return root.basePath + keys.reversed()
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw mismatch([String: Any].self) }
        for member in members where Key(stringValue: member.key) == nil {
            log.fields.append(StrictDecoder.UnknownField(path: codingPath.pathText, key: member.key))
        }
        return KeyedDecodingContainer(KeyedContainer<Key>(decoder: self, members: members))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch([Any].self) }
        return UnkeyedContainer(decoder: self, elements: elements)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    // MARK: Errors

    func mismatch(_ type: Any.Type) -> DecodingError {
        if case .null = value {
            return .valueNotFound(type, .init(codingPath: codingPath, debugDescription: "found null"))
        }
        return .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "found \(kind)"))
    }

    private var kind: String {
        switch value {
        case .null: "null"
        case .bool: "a flag"
        case .integer, .number: "a number"
        case .string, .scalar: "text"
        case .array: "a list"
        case .object: "a mapping"
        }
    }

    // MARK: Scalars

    func decodeNil() -> Bool {
        if case .null = value { return true }
        return false
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        switch value {
        case .bool(let flag): return flag
        case .scalar("true"), .scalar("True"), .scalar("TRUE"): return true
        case .scalar("false"), .scalar("False"), .scalar("FALSE"): return false
        default: throw mismatch(type)
        }
    }

    func decode(_ type: String.Type) throws -> String {
        switch value {
        case .string(let text), .scalar(let text): return text
        default: throw mismatch(type)
        }
    }

    func decode(_ type: Double.Type) throws -> Double {
        switch value {
        case .number(let number): return number
        case .integer(let integer): return Double(integer)
        case .scalar(let text):
            guard let number = Double(text), number.isFinite else { throw mismatch(type) }
            return number
        default: throw mismatch(type)
        }
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func integer<Integer: FixedWidthInteger>(_ type: Integer.Type) throws -> Integer {
        let integer: Int
        switch value {
        case .integer(let value): integer = value
        case .scalar(let text):
            guard let value = Int(text.hasPrefix("+") ? String(text.dropFirst()) : text) else {
                throw mismatch(type)
            }
            integer = value
        default: throw mismatch(type)
        }
        guard let exact = Integer(exactly: integer) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: codingPath, debugDescription: "\(integer) does not fit \(Integer.self)"))
        }
        return exact
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        // The common scalars without a decoder of their own.
        if type == String.self { return try decode(String.self) as! T }
        if type == Int.self { return try decode(Int.self) as! T }
        if type == Bool.self { return try decode(Bool.self) as! T }
        if type == Double.self { return try decode(Double.self) as! T }
        return try T(from: self)
    }

    /// A string, integer or flag asked for as exactly that type, without a decoder of its own
    /// (most values of a document); nil for anything else, which goes the long way.
    @inline(__always)
    static func exactScalar<T>(_ value: DocumentValue) -> T? {
        switch value {
        case .string(let text) where T.self == String.self: text as? T
        case .integer(let integer) where T.self == Int.self: integer as? T
        case .bool(let flag) where T.self == Bool.self: flag as? T
        case .scalar(let text) where T.self == String.self: text as? T
        case .scalar(let text) where T.self == Int.self: Int(text) as? T
        default: nil
        }
    }

    /// The decoder of a child value.
    func child(_ value: DocumentValue, key: any CodingKey) -> ValueDecoder {
        ValueDecoder(value, parent: self, key: key, log: log)
    }
}

/// Arrays whose elements can be decoded on several threads: a long list (the flows of a large
/// inventory) is decoded in parts side by side, each part with its own unknown-field log,
/// merged in document order.
private protocol ParallelArray {
    static func decodeInParallel(_ elements: [DocumentValue], decoder: ValueDecoder) throws -> Self
}

/// Below this many elements, one thread is quicker.
private let parallelArrayMinimumCount = 4096

/// A path key that can cross threads.
private struct PathKey: CodingKey, Sendable {
    let stringValue: String
    let intValue: Int?
    init(_ key: any CodingKey) {
        stringValue = key.stringValue
        intValue = key.intValue
    }
    init?(stringValue: String) { (self.stringValue, intValue) = (stringValue, nil) }
    init?(intValue: Int) { (stringValue, self.intValue) = ("\(intValue)", intValue) }
}

extension Array: ParallelArray where Element: Decodable {
    fileprivate static func decodeInParallel(_ elements: [DocumentValue], decoder: ValueDecoder) throws -> [Element] {
        let parts = Swift.min(ProcessInfo.processInfo.activeProcessorCount, 8)
        let size = (elements.count + parts - 1) / parts
        let path = decoder.codingPath.map(PathKey.init)
        // Each part has its own log, merged in document order.
        let decoded = try concurrentMap(parts) { part -> ([Element], [StrictDecoder.UnknownField]) in
            let range = part * size..<Swift.min(elements.count, (part + 1) * size)
            let log = UnknownFieldLog()
            let root = ValueDecoder(.array(elements), parent: nil, key: nil, log: log, path: path)
            var values: [Element] = []
            values.reserveCapacity(range.count)
            for index in range {
                let element = elements[index]
                if let scalar: Element = ValueDecoder.exactScalar(element) {
                    values.append(scalar)
                } else {
                    values.append(try root.child(element, key: IndexKey(index)).decode(Element.self))
                }
            }
            return (values, log.fields)
        }
        var values: [Element] = []
        values.reserveCapacity(elements.count)
        for (part, fields) in decoded {
            values += part
            decoder.log.fields += fields
        }
        return values
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: ValueDecoder
    let members: [DocumentValue.Member]

    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { members.compactMap { Key(stringValue: $0.key) } }

    func contains(_ key: Key) -> Bool { members.contains { $0.key == key.stringValue } }

    private func member(_ key: Key) throws -> DocumentValue {
        let name = key.stringValue
        guard let member = members.first(where: { $0.key == name }) else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath, debugDescription: "required field \"\(name)\" is missing"))
        }
        return member.value
    }

    private func present(_ key: Key) -> DocumentValue? {
        let name = key.stringValue
        guard let member = members.first(where: { $0.key == name }) else { return nil }
        if case .null = member.value { return nil }
        return member.value
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try member(key) { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let value = try member(key)
        if let scalar: T = ValueDecoder.exactScalar(value) { return scalar }
        if case .array(let elements) = value, elements.count >= parallelArrayMinimumCount,
            let arrayType = T.self as? any ParallelArray.Type
        {
            return try arrayType.decodeInParallel(elements, decoder: decoder.child(value, key: key)) as! T
        }
        return try decoder.child(value, key: key).decode(type)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = present(key) else { return nil }
        if let scalar: T = ValueDecoder.exactScalar(value) { return scalar }
        return try decoder.child(value, key: key).decode(type)
    }

    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try decoder.child(try member(key), key: key).decode(type)
    }

    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let value = present(key) else { return nil }
        if case .string(let text) = value { return text }
        return try decoder.child(value, key: key).decode(type)
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        guard let value = present(key) else { return nil }
        if case .bool(let flag) = value { return flag }
        return try decoder.child(value, key: key).decode(type)
    }

    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        guard let value = present(key) else { return nil }
        if case .integer(let integer) = value { return integer }
        return try decoder.child(value, key: key).decode(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try decoder.child(try member(key), key: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder.child(try member(key), key: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }

    func superDecoder(forKey key: Key) throws -> any Decoder { decoder.child(try member(key), key: key) }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: ValueDecoder
    let elements: [DocumentValue]
    var currentIndex = 0

    init(decoder: ValueDecoder, elements: [DocumentValue]) {
        self.decoder = decoder
        self.elements = elements
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next(_ type: Any.Type) throws -> ValueDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type,
                .init(
                    codingPath: codingPath + [IndexKey(currentIndex)], debugDescription: "the list has no more elements"
                ))
        }
        defer { currentIndex += 1 }
        return decoder.child(elements[currentIndex], key: IndexKey(currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, case .null = elements[currentIndex] else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if !isAtEnd, let scalar: T = ValueDecoder.exactScalar(elements[currentIndex]) {
            currentIndex += 1
            return scalar
        }
        return try next(type).decode(type)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try next(type).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next([Any].self).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { try next(Any.self) }
}
