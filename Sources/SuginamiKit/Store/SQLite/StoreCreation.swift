import Foundation
import SuginamiCore

extension SuginamiStore {
    /// Fills the store at `path` with what `contents` writes, all or nothing, and opens it.
    ///
    /// - No file at `path`: the store is built in a staging file beside it and moved into place
    ///   in one step when complete, so a process killed at any moment leaves no database there
    ///   (only a `.NAME.creating-…` file beside it, which the next build removes: see
    ///   ``removeAbandonedBuilds(besideDatabaseAt:)``).
    /// - A SuginamiKit store at `path` and `replacingExisting`: its records are removed and
    ///   `contents` written in one transaction. Killed at any moment, the store holds the old
    ///   records or the new ones. The file is never unlinked, so a process that has it open keeps
    ///   writing to the same database, and SQLite's lock makes the two writers wait for each other.
    ///
    /// - Parameters:
    ///   - path: the database file.
    ///   - replacingExisting: whether a store already at `path` may have its records replaced.
    ///   - contents: the records.
    ///   - progress: called as buildings are written with (written, all).
    /// - Throws: ``StoreError/alreadyExists(path:)`` if `path` exists and `replacingExisting` is
    ///   false; ``StoreError/notAStore(path:reason:)`` if the file there is not a SuginamiKit store
    ///   (it is left untouched); ``StoreError/busy(path:)``; what `contents` threw.
    public static func build(
        at path: String, replacingExisting: Bool, contents: StoreContents,
        progress: (@Sendable (_ written: Int, _ total: Int) -> Void)? = nil
    ) async throws -> SuginamiStore {
        let manager = FileManager.default
        removeAbandonedBuilds(besideDatabaseAt: path)
        if manager.fileExists(atPath: path) {
            guard replacingExisting else { throw StoreError.alreadyExists(path: path) }
            let store = try SuginamiStore(path: path)
            try await store.replaceContents(with: contents, progress: progress)
            return store
        }
        for suffix in ["-wal", "-journal"] where manager.fileExists(atPath: path + suffix) {
            // SQLite would read a log left without its database into the new file.
            throw StoreError.notAStore(
                path: path + suffix, reason: "a database log without its database; move it away first")
        }
        let target = URL(fileURLWithPath: path)
        let claim = try Staging(beside: target, kind: Self.stagingKind, shape: .file)
        let staging = claim.url
        var moved = false
        // The staging files have a fresh unique name and hold only what this call wrote.
        defer {
            if !moved {
                for suffix in ["-wal", "-shm", ""] { try? manager.removeItem(atPath: staging.path + suffix) }
            }
            claim.release()
        }
        let building = try SuginamiStore(path: staging.path)
        try await building.write { try $0.write(contents, progress: progress) }
        // Everything into the main file, so that it moves alone: a log left behind under the
        // staging name would hold no committed page.
        _ = try await building.pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        try building.close()
        for suffix in ["-wal", "-shm"] {
            let path = staging.path + suffix
            let size = (try? manager.attributesOfItem(atPath: path))?[.size] as? NSNumber
            guard let size else { continue }
            guard suffix == "-shm" || size.intValue == 0 else {
                throw StoreError.notAStore(
                    path: path, reason: "the new database's log was not merged; nothing was moved")
            }
            try manager.removeItem(atPath: path)
        }
        try FileSwitch.sync(staging)
        do {
            try FileSwitch.moveWithoutReplacing(staging, to: target)
        } catch {
            if manager.fileExists(atPath: path) { throw StoreError.alreadyExists(path: path) }
            throw error
        }
        moved = true
        try? FileSwitch.sync(target.deletingLastPathComponent())
        // Released before the store opens the file again: closing the lock's descriptor would
        // drop the new connection's SQLite locks.
        claim.release()
        return try SuginamiStore(path: path)
    }

    /// Removes what builds of a database at `path` that did not finish left beside it (a
    /// process killed before its switch): their `.NAME.creating-…` staging files, with their
    /// logs. A build still running, in this process or another, holds its file and keeps it.
    /// ``build(at:replacingExisting:contents:progress:)`` calls this first; call it yourself
    /// to report what was removed.
    /// - Returns: the paths removed.
    @discardableResult
    public static func removeAbandonedBuilds(besideDatabaseAt path: String) -> [String] {
        Staging.removeAbandoned(beside: URL(fileURLWithPath: path), kind: stagingKind, shape: .file) {
            Staging.removeFile($0, companions: ["-wal", "-shm", "-journal"])
        }
    }

    static let stagingKind = "creating"
}
