import Foundation

/// Reads a whole input file the way every entry point of the SDK does: only a regular file (a
/// pipe or device could block for ever), no larger than a limit (a mistaken 10 GB file is
/// refused, not read into memory), and text only as valid UTF-8.
public enum InputFile {
    /// The default limit for the small files read whole (closures, areas, tables): 256 MiB.
    public static let defaultLimit = 256 << 20

    /// The bytes of `url`.
    /// - Throws: ``InputFileError`` for a missing or unreadable file, one that is not a regular
    ///   file, or one larger than `limit` bytes.
    public static func data(_ url: URL, limit: Int = defaultLimit) throws(InputFileError) -> Data {
        let name = url.path
        var status = stat()
        guard stat(name, &status) == 0 else {
            throw InputFileError(
                file: name, location: .file, reason: "cannot read the file: \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw InputFileError(file: name, location: .file, reason: "not a regular file")
        }
        guard Int(status.st_size) <= limit else {
            throw InputFileError(
                file: name, location: .file,
                reason: "\(status.st_size) bytes: larger than the \(limit >> 20) MiB this file may have")
        }
        guard let data = FileManager.default.contents(atPath: name) else {
            throw InputFileError(file: name, location: .file, reason: "cannot read the file")
        }
        return data
    }

    /// The text of `url`, which must be UTF-8 (a byte-order mark is dropped).
    /// - Throws: ``InputFileError`` as ``data(_:limit:)``, and for bytes that are not UTF-8.
    public static func text(_ url: URL, limit: Int = defaultLimit) throws(InputFileError) -> String {
        var bytes = try data(url, limit: limit)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(data: bytes, encoding: .utf8) else {
            throw InputFileError(file: url.path, location: .file, reason: "not UTF-8 text")
        }
        return text
    }
}
