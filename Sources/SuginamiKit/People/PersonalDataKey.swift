import Crypto
import Foundation

/// The key that seals personal data at rest: AES-256-GCM (swift-crypto), kept in a file of its
/// own, outside the store, readable by its owner only, so that a copy of the database (a backup,
/// a stolen disk) gives no names, addresses or phone numbers.
///
/// Each record is sealed with its id as authenticated data, so a sealed record moved onto
/// another id does not open. The key's ``id`` (from its SHA-256) is stored beside each record,
/// so opening with another key is a clear error rather than a failed decryption.
public struct PersonalDataKey: Sendable {
    let key: SymmetricKey
    /// The first 8 bytes of the key's SHA-256, hex: which key sealed a record.
    public let id: String

    init(_ key: SymmetricKey) {
        self.key = key
        id = key.withUnsafeBytes { SHA256.hash(data: $0) }.prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// Makes a new random key and writes it to `url` (base64, owner read and write only).
    /// - Throws: ``PersonalDataKeyError`` when a file is already there (a key is never
    ///   replaced: data sealed with it would be lost) or it cannot be written.
    public static func generate(at url: URL) throws(PersonalDataKeyError) -> PersonalDataKey {
        let key = SymmetricKey(size: .bits256)
        let text = key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        // O_EXCL: never over an existing file; 0600 from the start, not chmod after.
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw errno == EEXIST
                ? .exists(url.path) : .unreadable(url.path, String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        let written = text.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count - 1) }
        guard written == text.utf8.count, fsync(descriptor) == 0 else {
            unlink(url.path)
            throw .unreadable(url.path, "cannot write the key")
        }
        return PersonalDataKey(key)
    }

    /// Reads the key written by ``generate(at:)``.
    /// - Throws: ``PersonalDataKeyError`` when the file is missing, readable by others, or not
    ///   a 256-bit key.
    public static func load(from url: URL) throws(PersonalDataKeyError) -> PersonalDataKey {
        var status = stat()
        guard stat(url.path, &status) == 0 else { throw .unreadable(url.path, String(cString: strerror(errno))) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .unreadable(url.path, "is not a regular file") }
        guard status.st_mode & 0o077 == 0 else {
            throw .tooOpen(url.path, mode: String(status.st_mode & 0o777, radix: 8))
        }
        guard status.st_size <= 1_024, let text = try? String(contentsOf: url, encoding: .utf8),
            let bytes = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32
        else { throw .notAKey(url.path) }
        return PersonalDataKey(SymmetricKey(data: bytes))
    }

    /// `plaintext` sealed for the record `recordID` (nonce, ciphertext and tag together).
    func seal(_ plaintext: Data, recordID: String) throws -> Data {
        try AES.GCM.seal(plaintext, using: key, authenticating: Data(recordID.utf8)).combined!
    }

    /// The plaintext of a record sealed by ``seal(_:recordID:)``.
    /// - Throws: when the data was sealed with another key, for another record, or changed.
    func unseal(_ sealed: Data, recordID: String) throws -> Data {
        try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key, authenticating: Data(recordID.utf8))
    }
}

/// Why a personal-data key cannot be made or read.
public enum PersonalDataKeyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A file is already at the path.
    case exists(String)
    /// The file cannot be read or written.
    case unreadable(String, String)
    /// Others than its owner may read or write the file.
    case tooOpen(String, mode: String)
    /// The file does not hold a 256-bit key in base64.
    case notAKey(String)

    /// A sentence naming the file.
    public var description: String {
        switch self {
        case .exists(let path): "\(path): a file is already there; a key is never replaced (its data would be lost)"
        case .unreadable(let path, let reason): "\(path): \(reason)"
        case .tooOpen(let path, let mode):
            "\(path): mode \(mode) lets others read the key; make it readable by its owner only (chmod 600)"
        case .notAKey(let path): "\(path): not a 256-bit key in base64"
        }
    }
}
