import Foundation

/// Writes a large text file piece by piece through a 1 MiB buffer, so that an output of a
/// gigabyte never has to exist as one string in memory.
///
/// Meant for the staging directory of an ``OutputDirectory``: a failed write leaves a partial
/// file there, which the all-or-nothing switch never publishes.
public final class BufferedFileWriter {
    private let handle: FileHandle
    private var buffer = Data()
    private let capacity = 1 << 20

    /// Creates (or truncates) the file at `url`.
    /// - Throws: the file system's error when the file cannot be created.
    public init(_ url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        handle = try FileHandle(forWritingTo: url)
        buffer.reserveCapacity(capacity)
    }

    /// Appends `text` as UTF-8.
    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= capacity { try flush() }
    }

    /// Writes what is buffered and closes the file.
    public func close() throws {
        try flush()
        try handle.close()
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
