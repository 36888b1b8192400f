import Foundation

/// A directory of outputs (a simulation run, a report, an ISMS check) written all or nothing,
/// which never deletes or overwrites what the SDK did not write.
///
/// ``write(_:)`` fills a fresh staging directory beside the target and, only when every file is
/// complete and on disk, puts it in the target's place in one step (`renameat2`). A reader, or a
/// process killed at any moment, sees either the previous contents or the new ones, never a mix.
/// What a killed write left beside the target (its `.NAME.staging-…` directory) is removed by the
/// next write of that target, as far as it is the SDK's (see ``Staging``).
///
/// The target may be:
/// - absent: it is created;
/// - an empty directory: it is replaced;
/// - a previous output of the same ``kind`` written by the SDK, recognised by its marker file
///   (``markerName``), which lists every file and directory it wrote with their sizes and times.
///   It is replaced only if it holds nothing else and no listed file was changed since; the old
///   contents are then removed file by file from that list, never by a recursive delete.
///
/// Anything else is refused with ``OutputDirectoryError``: a file or a symbolic link of that name,
/// a directory holding anything the SDK did not write there, the current directory or one of
/// its parents. Call ``check()`` before a long computation so that a refusal comes first.
///
/// ```swift
/// let out = OutputDirectory(URL(fileURLWithPath: "quake-out"), kind: "simulation-run")
/// try out.check()
/// // … compute …
/// try out.write { staging in
///     try Data("…".utf8).write(to: staging.appendingPathComponent("cells.csv"))
/// }
/// ```
public struct OutputDirectory: Sendable {
    /// The marker file a finished output carries at its top level.
    public static let markerName = ".suginamikit-output.json"

    /// The directory as given.
    public let url: URL
    /// What the directory holds (`"simulation-run"`, `"scenario-report"`, `"isms-check"`…): an
    /// output of one kind never replaces one of another.
    public let kind: String

    /// Names an output directory; nothing is checked or written yet.
    public init(_ url: URL, kind: String) {
        self.url = url
        self.kind = kind
    }

    /// Checks that ``write(_:)`` may put its output at ``url``, without writing anything.
    /// - Throws: ``OutputDirectoryError`` saying why not.
    public func check() throws(OutputDirectoryError) {
        let target = try resolvedTarget(creatingParent: false)
        _ = try existingContents(at: target)
    }

    /// Writes the output: `body` fills the staging directory it is given (create subdirectories
    /// as needed), then the staging directory replaces the target in one step.
    ///
    /// If `body` throws, or anything fails before the switch, the staging directory is removed
    /// and the target is left as it was.
    /// - Returns: what `body` returned.
    /// - Throws: ``OutputDirectoryError`` if the target may not be replaced (checked again just
    ///   before the switch) or a file system call fails; or what `body` threw.
    @discardableResult
    public func write<Result>(_ body: (URL) throws -> Result) throws -> Result {
        let target = try resolvedTarget(creatingParent: true)
        _ = try existingContents(at: target)
        let parent = target.deletingLastPathComponent()
        Self.removeAbandonedWrites(of: target)
        let claim = try Staging(beside: target, kind: Self.stagingKind, shape: .directory)
        let staging = claim.url
        let manager = FileManager.default
        let note = staging.appendingPathComponent(Self.stagingNoteName)
        guard manager.createFile(atPath: note.path, contents: nil) else {
            try? manager.removeItem(at: staging)
            throw OutputDirectoryError(path: note.path, reason: "cannot write in the staging directory")
        }
        var switched = false
        // The staging directory has a fresh unique name and only what this call wrote.
        defer {
            if !switched { try? manager.removeItem(at: staging) }
            claim.release()
        }
        let result = try body(staging)
        try Marker.write(kind: kind, describing: staging)
        // From here a sweep goes by the marker, which lists everything but the note.
        unlink(note.path)
        try Self.sync(staging)
        let previous = try existingContents(at: target)
        switch previous {
        case .absent:
            try FileSwitch.moveWithoutReplacing(staging, to: target)
            switched = true
        case .emptyDirectory:
            // Replaces an empty directory in one step, and fails if it is no longer empty.
            try FileSwitch.replace(target, with: staging)
            switched = true
        case .previousOutput(let marker):
            try FileSwitch.exchange(staging, target)
            switched = true
            // The staging name now holds the previous output: remove exactly what it listed.
            Self.remove(marker, from: staging)
        }
        try? FileSwitch.sync(parent)
        return result
    }

    // MARK: - What is there now

    enum Contents {
        case absent
        case emptyDirectory
        case previousOutput(Marker)
    }

    /// The absolute target with its parent's symbolic links resolved, after the checks on the name.
    /// Only a write creates missing parents; a check finds nothing there to conflict with.
    func resolvedTarget(creatingParent: Bool) throws(OutputDirectoryError) -> URL {
        let given = url.standardizedFileURL
        let name = given.lastPathComponent
        guard !name.isEmpty, name != "/", name != ".", name != ".." else {
            throw OutputDirectoryError(path: url.path, reason: "name a directory to create, not \(url.path)")
        }
        let parent = given.deletingLastPathComponent()
        if creatingParent {
            do {
                try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            } catch {
                throw OutputDirectoryError(path: parent.path, reason: "cannot create the parent directory (\(error))")
            }
        }
        let target = parent.resolvingSymlinksInPath().appendingPathComponent(name)
        let working = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).resolvingSymlinksInPath().path
        if working == target.path || working.hasPrefix(target.path + "/") {
            throw OutputDirectoryError(
                path: url.path,
                reason: "it is the current directory or contains it; name a new directory for the output")
        }
        return target
    }

    func existingContents(at target: URL) throws(OutputDirectoryError) -> Contents {
        let manager = FileManager.default
        guard let type = Self.type(of: target.path) else { return .absent }
        guard type == .typeDirectory else {
            throw OutputDirectoryError(
                path: url.path,
                reason: type == .typeSymbolicLink
                    ? "it is a symbolic link; name a new directory for the output"
                    : "it is a file, not a directory; name a new directory for the output")
        }
        let entries = (try? manager.contentsOfDirectory(atPath: target.path)) ?? []
        if entries.isEmpty { return .emptyDirectory }
        guard entries.contains(Self.markerName) else {
            throw OutputDirectoryError(
                path: url.path,
                reason: "the directory holds files SuginamiKit did not write (\(Self.sample(entries))); "
                    + "name a new or empty directory")
        }
        let marker = try Marker.read(from: target, path: url.path)
        guard marker.kind == kind else {
            throw OutputDirectoryError(
                path: url.path,
                reason: "it holds a previous \(marker.kind) output, not a \(kind); name another directory")
        }
        let problems = marker.differences(from: target)
        guard problems.isEmpty else {
            throw OutputDirectoryError(
                path: url.path,
                reason: "it holds a previous \(kind) output, but \(Self.sample(problems)); "
                    + "move what you want to keep, or name a new directory")
        }
        return .previousOutput(marker)
    }

    static func type(of path: String) -> FileAttributeType? {
        // attributesOfItem does not follow a final symbolic link (lstat).
        (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
    }

    static func sample(_ items: [String]) -> String {
        let sorted = items.sorted()
        return sorted.prefix(3).joined(separator: ", ") + (sorted.count > 3 ? " and \(sorted.count - 3) more" : "")
    }

    // MARK: - Removing a previous output

    /// Removes the files and directories the marker lists, then the marker and the directory.
    /// Whatever is not as the marker says stays where it is.
    static func remove(_ marker: Marker, from directory: URL) {
        for file in marker.files where marker.matches(file, in: directory) {
            unlink(directory.appendingPathComponent(file.path).path)
        }
        for path in marker.directories.sorted(by: { $0.count > $1.count }) {
            rmdir(directory.appendingPathComponent(path).path)
        }
        unlink(directory.appendingPathComponent(markerName).path)
        rmdir(directory.path)
    }

    // MARK: - What a killed write left

    /// The word in a staging directory's name: `.NAME.staging-UUID`.
    static let stagingKind = "staging"

    /// A file in a staging directory while only what the write put there is in it: until its
    /// marker is written, a killed write's directory is removed whole because of it.
    static let stagingNoteName = ".suginamikit-staging"

    /// Removes the staging directories that writes of `target` killed before they finished left
    /// beside it, and returns their paths. A write still running keeps its directory (see
    /// ``Staging``). One killed before its marker was written holds only what it wrote (its note
    /// says so) and is removed whole; one with a marker (written just before the switch, or a
    /// previous output swapped out and being removed) loses exactly what the marker lists, as a
    /// replaced output does, so that what the SDK did not write stays.
    @discardableResult
    static func removeAbandonedWrites(of target: URL) -> [String] {
        Staging.removeAbandoned(beside: target, kind: stagingKind, shape: .directory) { path in
            let directory = URL(fileURLWithPath: path)
            if Staging.isRegularFile(directory.appendingPathComponent(stagingNoteName).path) {
                try? FileManager.default.removeItem(at: directory)
            } else if let marker = try? Marker.read(from: directory, path: path) {
                remove(marker, from: directory)
            }
            return type(of: path) == nil ? [path] : []
        }
    }

    // MARK: - Durability

    /// Flushes every file below `directory`, then the directories, so that the switch publishes
    /// only what is on disk.
    static func sync(_ directory: URL) throws(OutputDirectoryError) {
        let manager = FileManager.default
        var paths: [String] = []
        if let enumerator = manager.enumerator(atPath: directory.path) {
            while let relative = enumerator.nextObject() as? String { paths.append(relative) }
        }
        for relative in paths.sorted(by: { $0.count > $1.count }) + [""] {
            let path = relative.isEmpty ? directory.path : directory.appendingPathComponent(relative).path
            guard type(of: path) != .typeSymbolicLink else { continue }
            try FileSwitch.sync(URL(fileURLWithPath: path))
        }
    }
}

/// Why an ``OutputDirectory`` could not be written.
public struct OutputDirectoryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path concerned.
    public var path: String
    /// Why, in a sentence that says what to do.
    public var reason: String

    /// Creates an error.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `path: reason`.
    public var description: String { "\(path): \(reason)" }
}
