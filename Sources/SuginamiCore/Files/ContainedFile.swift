import Foundation

/// A file named by a path from an input (an evidence manifest, say) that must stay inside a
/// directory: every symbolic link resolved, it is checked to lie inside, and to be a regular
/// file, before anything reads it.
public enum ContainedFile {
    /// Why a path was refused.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// The path is absolute, climbs out with `..`, or resolves (through a link) outside.
        case leavesDirectory
        /// Nothing is there, or it cannot be resolved.
        case missing
        /// It is a directory, a device, a pipe or a socket: reading one could block or read a disk.
        case notARegularFile

        /// A phrase for messages.
        public var description: String {
            switch self {
            case .leavesDirectory: "leaves the directory (directly or through a symbolic link)"
            case .missing: "is missing"
            case .notARegularFile: "is not a regular file"
            }
        }
    }

    /// The resolved location of `relative` inside `directory`.
    /// - Throws: ``Problem``.
    public static func resolve(_ relative: String, in directory: URL) throws(Problem) -> URL {
        guard !relative.hasPrefix("/"), !relative.contains("\0") else { throw .leavesDirectory }
        guard let root = realPath(directory.path) else { throw .missing }
        let lexical = directory.appendingPathComponent(relative).standardizedFileURL.path
        let lexicalRoot = directory.standardizedFileURL.path
        guard lexical.hasPrefix(lexicalRoot + "/") else { throw .leavesDirectory }
        guard let real = realPath(lexical) else { throw .missing }
        guard real.hasPrefix(root == "/" ? "/" : root + "/") else { throw .leavesDirectory }
        var status = stat()
        guard stat(real, &status) == 0 else { throw .missing }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .notARegularFile }
        return URL(fileURLWithPath: real)
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
