/// A value read from and written as text, whose parser says what it expected: decoding text
/// the parser refuses is a decoding error naming the expectation.
public protocol TextCodedValue: Codable, CustomStringConvertible {
    /// Parses the text; nil when malformed.
    init?(_ text: String)
    /// What well-formed text looks like, for error messages.
    static var expectation: String { get }
}

extension TextCodedValue {
    /// Decodes from text; malformed text is a decoding error that says what was expected.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" is not \(Self.expectation)")
        }
        self = value
    }

    /// Encodes as text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// An IPv4 or IPv6 address with an optional prefix length (`10.1.2.3`, `10.1.0.0/16`, `fd00::1/128`).
public struct IPNetwork: Sendable, Hashable, TextCodedValue {
    /// The address bytes: 4 for IPv4, 16 for IPv6.
    public let bytes: [UInt8]
    /// The prefix length; the full length for a single host.
    public let prefixLength: Int

    /// Parses an address or CIDR network; nil when malformed.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = parts.first else { return nil }
        if let v4 = Self.parseIPv4(address) {
            bytes = v4
        } else if let v6 = Self.parseIPv6(address) {
            bytes = v6
        } else {
            return nil
        }
        let maximum = bytes.count * 8
        if parts.count == 2 {
            guard let length = Int(parts[1]), parts[1].allSatisfy(\.isASCII), (0...maximum).contains(length) else {
                return nil
            }
            prefixLength = length
        } else {
            prefixLength = maximum
        }
    }

    /// One host (/32 or /128).
    public var isSingleHost: Bool { prefixLength == bytes.count * 8 }

    /// One unicast host: a single address that is not the unspecified address (`0.0.0.0`, `::`,
    /// which mean "any"), the IPv4 broadcast, or a multicast group. What pinning means.
    public var isNamedHost: Bool {
        guard isSingleHost, bytes.contains(where: { $0 != 0 }) else { return false }
        if bytes.count == 4 { return bytes != [255, 255, 255, 255] && !(224...239).contains(bytes[0]) }
        return bytes[0] != 0xFF
    }

    /// Dotted or colon notation with the prefix when it is not a single host.
    public var description: String {
        let address =
            bytes.count == 4
            ? bytes.map(String.init).joined(separator: ".")
            : stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
                .joined(separator: ":")
        return isSingleHost ? address : "\(address)/\(prefixLength)"
    }

    private static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var result: [UInt8] = []
        for octet in octets {
            guard !octet.isEmpty, octet.count <= 3, octet.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = UInt8(octet), octet == "0" || !octet.hasPrefix("0")
            else { return nil }
            result.append(value)
        }
        return result
    }

    private static func parseIPv6(_ text: Substring) -> [UInt8]? {
        guard text.contains(":"), text.count <= 45 else { return nil }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var values: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), let value = UInt16(group, radix: 16) else { return nil }
                values.append(value)
            }
            return values
        }
        guard let head = groups(halves[0]) else { return nil }
        var all = head
        if halves.count == 2 {
            guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
            all += Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        guard all.count == 8 else { return nil }
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }
    }

    /// What a network looks like, for error messages.
    public static let expectation = "an IPv4/IPv6 address or CIDR network"
}

/// A 48-bit MAC address (`00:1a:2b:3c:4d:5e` or with dashes).
public struct MACAddress: Sendable, Hashable, TextCodedValue {
    /// The six bytes.
    public let bytes: [UInt8]

    /// Parses six hexadecimal pairs separated by `:` or `-`; nil when malformed.
    public init?(_ text: String) {
        let separator: Character = text.contains("-") ? "-" : ":"
        let pairs = text.split(separator: separator, omittingEmptySubsequences: false)
        guard pairs.count == 6 else { return nil }
        var result: [UInt8] = []
        for pair in pairs {
            guard pair.count == 2, let value = UInt8(pair, radix: 16) else { return nil }
            result.append(value)
        }
        bytes = result
    }

    /// A unicast address of one interface: not all zeros, not broadcast, no group bit.
    public var isNamedHost: Bool { bytes.contains { $0 != 0 } && bytes[0] & 1 == 0 }

    /// Lower-case, colon-separated.
    public var description: String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: ":")
    }

    /// What a MAC address looks like, for error messages.
    public static let expectation = "a MAC address (six hex pairs)"
}

/// A destination port or inclusive range, 1–65535 (`443`, `8000-8080`).
public struct PortRange: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The first port.
    public let lower: Int
    /// The last port.
    public let upper: Int

    /// A range; nil unless 1 ≤ lower ≤ upper ≤ 65535.
    public init?(lower: Int, upper: Int) {
        guard 1 <= lower, lower <= upper, upper <= 65_535 else { return nil }
        self.lower = lower
        self.upper = upper
    }

    /// One port.
    public var isSinglePort: Bool { lower == upper }

    /// `443` or `8000-8080`.
    public var description: String { isSinglePort ? "\(lower)" : "\(lower)-\(upper)" }

    /// Decodes from a number or `a-b` text; anything outside 1–65535 or inverted is an error.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text: String
        if let number = try? container.decode(Int.self) {
            text = String(number)
        } else {
            text = try container.decode(String.self)
        }
        let ends = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard (1...2).contains(ends.count), let lower = ends.first ?? nil, let upper = ends.last ?? nil else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" is not a port or a port range like 8000-8080")
        }
        guard let range = PortRange(lower: lower, upper: upper) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: lower > upper
                    ? "port range \(text) is inverted" : "port \(text) is outside 1–65535")
        }
        self = range
    }

    /// Encodes as a number or `a-b` text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if isSinglePort { try container.encode(lower) } else { try container.encode(description) }
    }
}
