import Foundation
import SuginamiCore
import SuginamiTestSupport
import Testing

/// A staging entry is removed only once nobody holds it, and only if it is exactly one of ours.
@Suite("Staging")
struct StagingTests {
    let root: URL
    let target: URL

    init() throws {
        root = try Programs.temporaryDirectory()
        target = root.appendingPathComponent("ward.sqlite")
    }

    func names() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
    }

    func removeAbandoned(companions: [String] = []) -> [String] {
        Staging.removeAbandoned(beside: target, kind: "creating", shape: .file) {
            Staging.removeFile($0, companions: companions)
        }
    }

    func write(_ name: String) throws {
        try Data("x".utf8).write(to: root.appendingPathComponent(name))
    }

    @Test("One held in this process is kept; released, it goes with its companions")
    func heldThenReleased() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let claim = try Staging(beside: target, kind: "creating", shape: .file)
        let name = claim.url.lastPathComponent
        #expect(name.hasPrefix(".ward.sqlite.creating-") && UUID(uuidString: String(name.suffix(36))) != nil)
        try write(name + "-wal")
        try write(name + "-shm")
        #expect(removeAbandoned(companions: ["-wal", "-shm"]).isEmpty)
        #expect(try names() == [name, name + "-shm", name + "-wal"])

        claim.release()
        let removed = removeAbandoned(companions: ["-wal", "-shm"])
        #expect(removed.map { URL(fileURLWithPath: $0).lastPathComponent } == [name + "-wal", name + "-shm", name])
        #expect(try names().isEmpty)
    }

    @Test("One held by another process is kept until that process is killed")
    func heldByAnotherProcess() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let claim = try Staging(beside: target, kind: "creating", shape: .file)
        let path = claim.url.path
        claim.release()
        // Another process takes the lock as a running build would, says so, and waits.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        holder.arguments = [
            "-c",
            "import fcntl, sys, time; f = open(sys.argv[1]); fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); time.sleep(600)",
            path,
        ]
        let output = Pipe()
        holder.standardOutput = output
        try holder.run()
        defer { if holder.isRunning { holder.terminate() } }
        let said = try await blockingWork { output.fileHandleForReading.readData(ofLength: 5) }
        #expect(String(decoding: said, as: UTF8.self) == "held\n")
        #expect(removeAbandoned().isEmpty)
        #expect(FileManager.default.fileExists(atPath: path))

        kill(holder.processIdentifier, SIGKILL)
        try await blockingWork { holder.waitUntilExit() }
        #expect(removeAbandoned() == [path])
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("What is not exactly a staging file of that target and kind is left alone")
    func othersAreLeftAlone() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let uuid = UUID().uuidString
        let kept = [
            ".ward.sqlite.creating-\(uuid.lowercased())",  // another spelling of a UUID
            ".ward.sqlite.creating-not-a-uuid",
            ".ward.sqlite.staging-\(uuid)",  // another kind
            ".other.sqlite.creating-\(uuid)",  // another target
            "ward.sqlite.creating-\(uuid)",  // not hidden
            ".ward.sqlite.creating-\(UUID().uuidString)-wal",  // a companion without its file
            ".ward.sqlite.creating-\(UUID().uuidString).claiming",  // being claimed, under a minute old
        ]
        for name in kept { try write(name) }
        // A directory and a symbolic link (to a file of the user's) named as a staging file.
        let directory = root.appendingPathComponent(".ward.sqlite.creating-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        try write("users-file")
        let link = root.appendingPathComponent(".ward.sqlite.creating-\(UUID().uuidString)")
        try FileManager.default.createSymbolicLink(
            at: link, withDestinationURL: root.appendingPathComponent("users-file"))
        let before = try names()

        #expect(removeAbandoned(companions: ["-wal"]).isEmpty)
        #expect(try names() == before)
        #expect(try Data(contentsOf: root.appendingPathComponent("users-file")) == Data("x".utf8))
    }

    @Test("A directory: held, it is kept; released, it is handed over; a file of its name is not")
    func directories() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("quake-out")
        let claim = try Staging(beside: out, kind: "staging", shape: .directory)
        try Data("partial".utf8).write(to: claim.url.appendingPathComponent("cells.csv"))
        try write(".quake-out.staging-\(UUID().uuidString)")
        var handed: [String] = []
        func sweep() -> [String] {
            Staging.removeAbandoned(beside: out, kind: "staging", shape: .directory) { path in
                handed.append(path)
                return (try? FileManager.default.removeItem(atPath: path)) == nil ? [] : [path]
            }
        }
        #expect(sweep().isEmpty && handed.isEmpty)
        claim.release()
        #expect(sweep() == [claim.url.path] && handed == [claim.url.path])
        #expect(try names().count == 1)  // the file named as a staging directory
    }

    @Test("A file is written whole or not at all, replaces only when told, and sweeps what kills left")
    func writingAFile() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("sites.csv")
        try Staging.writeFile(Data("one".utf8), to: out, replacing: false, permissions: 0o600)
        #expect(try Data(contentsOf: out) == Data("one".utf8))
        let mode = try FileManager.default.attributesOfItem(atPath: out.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // There already, not to be replaced: refused, untouched.
        #expect(throws: OutputDirectoryError(path: out.path, reason: "already exists; it is not replaced")) {
            try Staging.writeFile(Data("two".utf8), to: out, replacing: false)
        }
        // A body that fails leaves the file as it was and nothing beside it.
        struct Failure: Error {}
        #expect(throws: Failure.self) {
            try Staging.buildFile(at: out, replacing: true) { staging in
                try Data("half".utf8).write(to: staging)
                throw Failure()
            }
        }
        #expect(try Data(contentsOf: out) == Data("one".utf8) && names() == ["sites.csv"])
        // What a killed write left (unlocked) goes with the next write; replaced whole.
        let killed = try Staging(beside: out, kind: "writing", shape: .file)
        try Data("partial".utf8).write(to: URL(fileURLWithPath: killed.url.path + "-journal"))
        killed.release()
        #expect(try names().count == 3)
        try Staging.writeFile(Data("three".utf8), to: out, replacing: true)
        #expect(try Data(contentsOf: out) == Data("three".utf8) && names() == ["sites.csv"])
    }

    @Test("A file its process was still claiming goes once it is a minute old")
    func anOldClaimGoes() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let name = ".ward.sqlite.creating-\(UUID().uuidString).claiming"
        try write(name)
        let path = root.appendingPathComponent(name).path
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -120)], ofItemAtPath: path)
        #expect(removeAbandoned() == [path])
        #expect(try names().isEmpty)
    }

    @Test("A staging file that cannot be made says where and why")
    func unwritableDirectory() throws {
        let missing = root.appendingPathComponent("no-such-directory/ward.sqlite")
        defer { try? FileManager.default.removeItem(at: root) }
        #expect {
            try Staging(beside: missing, kind: "creating", shape: .file)
        } throws: { error in
            let text = "\(error)"
            // The target the caller gave, not the staging name.
            return text.hasPrefix(missing.path + ": ") && text.contains("No such file or directory")
        }
    }
}
