import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file built beside its target before it moves into place (``FileSwitch``), locked by the
/// process building it so that one a killed process left behind can be told from one still
/// being written, and removed.
///
/// The file is named `.NAME.KIND-UUID` beside the target `NAME`. Its lock is an advisory
/// `flock(2)`, taken before the file has that name and dropped by the kernel when the process
/// ends, however it ends: a staging file whose lock is free belongs to nobody.
/// ``removeAbandoned(beside:kind:companions:)`` removes those, and only those.
///
/// SQLite's own locks are `fcntl(2)` locks, which `flock(2)` does not touch on a local file
/// system; close an SQLite database on the file before ``release()``, since closing any
/// descriptor of a file drops the process's `fcntl` locks on it.
public final class StagingFile {
    /// Where the file is being built.
    public let url: URL
    private var descriptor: Int32

    /// Creates an empty staging file beside `target`, locked by this process.
    /// - Parameters:
    ///   - target: the file the staging file will become.
    ///   - kind: the word between the target's name and the UUID (`"creating"`).
    /// - Throws: ``OutputDirectoryError`` if the file cannot be created or locked.
    public init(beside target: URL, kind: String) throws(OutputDirectoryError) {
        url = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(kind)-\(UUID().uuidString)")
        // Locked under a name the sweep does not take, then renamed: between creating and
        // locking, another process's sweep would find the file unlocked.
        let claiming = url.path + Self.claimingSuffix
        descriptor = open(claiming, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw OutputDirectoryError(path: claiming, reason: "cannot create a staging file: \(FileSwitch.errnoText)")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0, rename(claiming, url.path) == 0 else {
            let reason = FileSwitch.errnoText
            unlink(claiming)
            close(descriptor)
            throw OutputDirectoryError(path: url.path, reason: "cannot claim a staging file: \(reason)")
        }
    }

    /// Drops the lock (after the file moved into place, or was removed). Idempotent.
    public func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }

    /// Removes the staging files of `target` and `kind` that no process holds, with their
    /// companions (a database's `-wal`, `-shm`), and returns what it removed.
    ///
    /// Only regular files named exactly as ``init(beside:kind:)`` names them are considered (and
    /// those it was creating when its process ended, once a minute old); a staging file being
    /// written (its lock held), anything else in the directory, and a companion whose staging
    /// file is gone are left alone. Failures to remove are skipped:
    /// this is housekeeping, and the next call tries again.
    /// - Parameters:
    ///   - target: the file the staging files were to become.
    ///   - kind: as given to ``init(beside:kind:)``.
    ///   - companions: suffixes of files that belong to a staging file (`["-wal", "-shm"]`).
    /// - Returns: the paths removed, staging files and companions.
    @discardableResult
    public static func removeAbandoned(beside target: URL, kind: String, companions: [String] = []) -> [String] {
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
            guard fstat(held, &status) == 0, status.st_mode & S_IFMT == S_IFREG,
                flock(held, LOCK_EX | LOCK_NB) == 0
            else { continue }
            // A file still being claimed is unlocked for the moment between its creation and its
            // lock: one under that name is taken only once it is a minute old.
            if claiming {
                let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
                guard let modified, modified.timeIntervalSinceNow < -60 else { continue }
            }
            // The companions first: removed the other way round, a kill between the two would
            // leave a companion without the file that lets a later sweep know it.
            for suffix in companions where isRegularFile(path + suffix) && unlink(path + suffix) == 0 {
                removed.append(path + suffix)
            }
            if unlink(path) == 0 { removed.append(path) }
        }
        return removed
    }

    static let claimingSuffix = ".claiming"

    static func isRegularFile(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
    }
}
