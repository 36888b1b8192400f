import Crypto
import Foundation

/// Name-based UUIDs (RFC 9562 version 5, SHA-1), so that two runs over the same inputs give
/// the same identifiers and their OSCAL documents diff cleanly.
enum NameBasedUUID {
    /// The namespace of SuginamiKit's ISMS results (itself a v5 UUID of the URL namespace).
    static let namespace = make(
        namespace: UUID(uuidString: "6ba7b811-9dad-11d1-80b4-00c04fd430c8")!, name: "https://suginamikit.invalid/isms")

    static func make(namespace: UUID, name: String) -> UUID {
        var bytes = withUnsafeBytes(of: namespace.uuid) { Array($0) }
        bytes.append(contentsOf: Array(name.utf8))
        var digest = Array(Insecure.SHA1.hash(data: bytes).prefix(16))
        digest[6] = (digest[6] & 0x0f) | 0x50
        digest[8] = (digest[8] & 0x3f) | 0x80
        return UUID(
            uuid: (
                digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7], digest[8],
                digest[9], digest[10], digest[11], digest[12], digest[13], digest[14], digest[15]
            ))
    }

    /// A lower-case UUID string for a name within a run.
    static func string(_ parts: String...) -> String {
        make(namespace: namespace, name: parts.joined(separator: "\u{1f}")).uuidString.lowercased()
    }
}
