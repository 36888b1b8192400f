import CAtomicRename
import Foundation

/// One-step renames for publishing what was staged beside its target: a reader or a killed
/// process sees the old file or the new one, never a mix and never neither.
public enum FileSwitch {
    /// Moves `source` to `target` only if nothing is at `target`, in one step.
    /// - Throws: ``OutputDirectoryError`` (with `EEXIST`'s text if `target` appeared meanwhile).
    public static func moveWithoutReplacing(_ source: URL, to target: URL) throws(OutputDirectoryError) {
        guard sgk_rename_no_replace(source.path, target.path) == 0 else {
            throw OutputDirectoryError(path: target.path, reason: "cannot move \(source.path) into place: \(errnoText)")
        }
    }

    /// Swaps `first` and `second` in one step; both must exist.
    public static func exchange(_ first: URL, _ second: URL) throws(OutputDirectoryError) {
        guard sgk_rename_exchange(first.path, second.path) == 0 else {
            throw OutputDirectoryError(path: second.path, reason: "cannot swap \(first.path) into place: \(errnoText)")
        }
    }

    /// Moves `source` to `target`, replacing a file or an empty directory there in one step
    /// (rename(2)); fails if `target` is a directory that is not empty.
    public static func replace(_ target: URL, with source: URL) throws(OutputDirectoryError) {
        guard rename(source.path, target.path) == 0 else {
            throw OutputDirectoryError(path: target.path, reason: "cannot move \(source.path) into place: \(errnoText)")
        }
    }

    /// Flushes a file or directory to stable storage.
    public static func sync(_ url: URL) throws(OutputDirectoryError) {
        guard sgk_sync_path(url.path) == 0 else {
            throw OutputDirectoryError(path: url.path, reason: "cannot flush to disk: \(errnoText)")
        }
    }

    static var errnoText: String { String(cString: strerror(errno)) }
}
