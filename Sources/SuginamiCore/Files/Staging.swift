import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file or directory built beside its target before it switches into place (``FileSwitch``),
/// locked by the process building it so that one a killed process left behind can be told from
/// one still being built, and removed.
///
/// It is named `.NAME.KIND-UUID` beside the target `NAME`. Its lock is an advisory `flock(2)`,
/// taken before it has that name and dropped by the kernel when the process ends, however it
/// ends: a staging entry whose lock is free belongs to nobody.
/// ``removeAbandoned(beside:kind:shape:removing:)`` finds those, and only those.
///
/// SQLite's own locks are `fcntl(2)` locks, which `flock(2)` does not touch on a local file
/// system; close an SQLite database on a staging file before ``release()``, since closing any
/// descriptor of a file drops the process's `fcntl` locks on it.
public final class Staging {
    /// A file or a directory.
    public enum Shape: Sendable {
        /// A regular file (a database being built).
        case file
        /// A directory (an output being written).
        case directory
    }

    /// Where it is being built.
    public let url: URL
    private var descriptor: Int32

    /// Creates an empty staging file or directory beside `target`, locked by this process.
    /// - Parameters:
    ///   - target: what the staging entry will become.
    ///   - kind: the word between the target's name and the UUID (`"creating"`, `"staging"`).
    ///   - shape: a file or a directory.
    ///   - permissions: a new file's mode, before the process's umask (a directory's is 0755).
    /// - Throws: ``OutputDirectoryError`` if it cannot be created or locked.
    public init(beside target: URL, kind: String, shape: Shape, permissions: mode_t = 0o644)
        throws(OutputDirectoryError)
    {
        url = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(kind)-\(UUID().uuidString)")
        // Locked under a name the sweep takes only once it is old, then renamed: between
        // creating and locking, another process's sweep would find it unlocked.
        let claiming = url.path + Self.claimingSuffix
        switch shape {
        case .file:
            descriptor = open(claiming, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, permissions)
        case .directory:
            descriptor =
                mkdir(claiming, 0o755) == 0 ? open(claiming, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1
        }
        // Errors name the target, which the user gave, not the staging name they never saw.
        let folder = target.deletingLastPathComponent().path
        guard descriptor >= 0 else {
            throw OutputDirectoryError(
                path: target.path, reason: "cannot create a file in \(folder) to write it: \(FileSwitch.errnoText)")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0, rename(claiming, url.path) == 0 else {
            let reason = FileSwitch.errnoText
            _ = shape == .file ? unlink(claiming) : rmdir(claiming)
            close(descriptor)
            throw OutputDirectoryError(
                path: target.path, reason: "cannot prepare \(url.lastPathComponent) in \(folder): \(reason)")
        }
    }

    /// Drops the lock (after the entry switched into place, or was removed). Idempotent.
    public func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }

    /// Finds the staging entries of `target`, `kind` and `shape` that no process holds and
    /// hands each to `removing`, its lock held meanwhile; returns what `removing` said it
    /// removed.
    ///
    /// Only entries named exactly as ``init(beside:kind:shape:)`` names them, of that shape and
    /// not symbolic links, are handed over (and those being created when their process ended,
    /// once a minute old). An entry being built (its lock held), anything else in the directory,
    /// and a file's companion whose file is gone are left alone. This is housekeeping: what
    /// cannot be removed now is tried again by the next call.
    /// - Parameters:
    ///   - target: what the staging entries were to become.
    ///   - kind: as given to ``init(beside:kind:shape:)``.
    ///   - shape: as given to ``init(beside:kind:shape:)``.
    ///   - removing: removes one entry (its path) and returns the paths it removed.
    /// - Returns: the paths removed.
    @discardableResult
    public static func removeAbandoned(
        beside target: URL, kind: String, shape: Shape, removing: (String) -> [String]
    ) -> [String] {
        let directory = target.deletingLastPathComponent()
        let prefix = ".\(target.lastPathComponent).\(kind)-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var removed: [String] = []
        for name in names.sorted() where name.hasPrefix(prefix) {
            var identifier = Substring(name.dropFirst(prefix.count))
            let claiming = identifier.hasSuffix(claimingSuffix)
            if claiming { identifier = identifier.dropLast(claimingSuffix.count) }
            // UUID(uuidString:) alone would take other spellings of one; the name is exactly ours.
            guard let uuid = UUID(uuidString: String(identifier)), uuid.uuidString == identifier else { continue }
            let path = directory.appendingPathComponent(name).path
            let held = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
            guard held >= 0 else { continue }
            defer { close(held) }
            var status = stat()
            guard fstat(held, &status) == 0, status.st_mode & S_IFMT == (shape == .file ? S_IFREG : S_IFDIR),
                flock(held, LOCK_EX | LOCK_NB) == 0
            else { continue }
            // One still being claimed is unlocked for the moment between its creation and its
            // lock: under that name it is taken only once it is a minute old.
            if claiming {
                let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
                guard let modified, modified.timeIntervalSinceNow < -60 else { continue }
            }
            removed += removing(path)
        }
        return removed
    }

    /// Removes a staging file with its companions (a database's `-wal`, `-shm`), the companions
    /// first: the other way round, a kill between the two would leave a companion without the
    /// file that lets a later sweep know it. For ``removeAbandoned(beside:kind:shape:removing:)``.
    /// - Returns: the paths removed.
    public static func removeFile(_ path: String, companions: [String]) -> [String] {
        var removed: [String] = []
        for suffix in companions where isRegularFile(path + suffix) && unlink(path + suffix) == 0 {
            removed.append(path + suffix)
        }
        if unlink(path) == 0 { removed.append(path) }
        return removed
    }

    static let claimingSuffix = ".claiming"

    // MARK: - Writing one file

    /// The word in the name of a file being written by ``buildFile(at:replacing:permissions:_:)``.
    static let fileKind = "writing"

    /// What SQLite may keep beside a database file (a GeoPackage being built).
    static let sqliteCompanions = ["-journal", "-wal", "-shm"]

    /// Builds a file all or nothing: `body` fills a staging file beside `target` (it is given
    /// the staging file's URL, and may build an SQLite database there), which is then flushed
    /// to disk and switched into place in one step. A reader, or a process killed at any moment,
    /// sees the old file or the new one; what killed writes of `target` left beside it is
    /// removed first. If `body` throws, its staging file goes and `target` stays as it was.
    /// - Parameters:
    ///   - target: the file to write.
    ///   - replacing: whether a file already at `target` is replaced (in one step); otherwise it
    ///     is an error, even if the file appears while `body` runs.
    ///   - permissions: the new file's mode, before the process's umask (0600 for personal data).
    ///   - body: fills the file; close any database on it before returning.
    /// - Throws: ``OutputDirectoryError`` (`target` exists and `replacing` is false, or a file
    ///   system call failed); what `body` threw.
    @discardableResult
    public static func buildFile<Result>(
        at target: URL, replacing: Bool, permissions: mode_t = 0o644, _ body: (URL) throws -> Result
    ) throws -> Result {
        try build(at: target, replacing: replacing, permissions: permissions) { try body($0.url) }
    }

    /// Writes `data` to `target` all or nothing, as ``buildFile(at:replacing:permissions:_:)``.
    public static func writeFile(
        _ data: Data, to target: URL, replacing: Bool, permissions: mode_t = 0o644
    ) throws(OutputDirectoryError) {
        do {
            try build(at: target, replacing: replacing, permissions: permissions) { staging in
                try staging.append(data)
            }
        } catch let error as OutputDirectoryError {
            throw error
        } catch {
            throw OutputDirectoryError(path: target.path, reason: "\(error)")
        }
    }

    private static func build<Result>(
        at target: URL, replacing: Bool, permissions: mode_t, _ body: (Staging) throws -> Result
    ) throws -> Result {
        guard replacing || !exists(target.path) else {
            throw OutputDirectoryError(path: target.path, reason: "already exists; it is not replaced")
        }
        removeAbandoned(beside: target, kind: fileKind, shape: .file) { removeFile($0, companions: sqliteCompanions) }
        let staging = try Staging(beside: target, kind: fileKind, shape: .file, permissions: permissions)
        var switched = false
        defer {
            if !switched { _ = removeFile(staging.url.path, companions: sqliteCompanions) }
            staging.release()
        }
        let result = try body(staging)
        try FileSwitch.sync(staging.url)
        if replacing {
            try FileSwitch.replace(target, with: staging.url)
        } else {
            do {
                try FileSwitch.moveWithoutReplacing(staging.url, to: target)
            } catch {
                if exists(target.path) {
                    throw OutputDirectoryError(path: target.path, reason: "already exists; it is not replaced")
                }
                throw error
            }
        }
        switched = true
        try? FileSwitch.sync(target.deletingLastPathComponent())
        return result
    }

    /// Writes all of `data` through the locked descriptor (a new name would lose the lock).
    private func append(_ data: Data) throws(OutputDirectoryError) {
        var written = 0
        while written < data.count {
            let count = data[data.startIndex + written..<data.endIndex].withUnsafeBytes {
                write(descriptor, $0.baseAddress, $0.count)
            }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                throw OutputDirectoryError(path: url.path, reason: "cannot write: \(FileSwitch.errnoText)")
            }
            written += count
        }
    }

    /// Whether anything (a symbolic link included) is at `path`.
    static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    static func isRegularFile(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
    }
}
