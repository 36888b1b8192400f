import Foundation
import SuginamiCore
import Testing

/// An output directory replaces only what the SDK wrote, and never leaves a mix.
@Suite("Output directories")
struct OutputDirectoryTests {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("output-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    func write(_ output: OutputDirectory, files: [String: String]) throws {
        try output.write { staging in
            for (name, text) in files {
                let url = staging.appendingPathComponent(name)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
        }
    }

    func contents(_ url: URL) throws -> [String: String] {
        var result: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: url.path)
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = url.appendingPathComponent(relative).path
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            if !isDirectory.boolValue, relative != OutputDirectory.markerName {
                result[relative] = try String(contentsOfFile: path, encoding: .utf8)
            }
        }
        return result
    }

    /// Everything in `root` besides the named entries: leftovers such as staging directories.
    func strays(besides names: Set<String>) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root.path).filter { !names.contains($0) }
    }

    @Test func createsANewDirectoryWithItsMarker() throws {
        let target = root.appendingPathComponent("run")
        try write(OutputDirectory(target, kind: "test"), files: ["a.csv": "1", "inputs/b.json": "{}"])
        #expect(try contents(target) == ["a.csv": "1", "inputs/b.json": "{}"])
        #expect(FileManager.default.fileExists(atPath: target.appendingPathComponent(OutputDirectory.markerName).path))
        #expect(try strays(besides: ["run"]).isEmpty)
    }

    @Test func aCheckWritesNothingAndAWriteCreatesTheParents() throws {
        let target = root.appendingPathComponent("new/nested/run")
        let output = OutputDirectory(target, kind: "test")
        try output.check()
        #expect(try strays(besides: []).isEmpty, "the check created something")
        try write(output, files: ["a.csv": "1"])
        #expect(try contents(target) == ["a.csv": "1"])
    }

    @Test func replacesAnEmptyDirectory() throws {
        let target = root.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
        try write(OutputDirectory(target, kind: "test"), files: ["a.csv": "1"])
        #expect(try contents(target) == ["a.csv": "1"])
    }

    @Test func replacesItsOwnPreviousOutputWhole() throws {
        let target = root.appendingPathComponent("run")
        let output = OutputDirectory(target, kind: "test")
        try write(output, files: ["a.csv": "old", "only-old.csv": "x", "sub/c.csv": "old"])
        try write(output, files: ["a.csv": "new", "sub/d.csv": "new"])
        #expect(try contents(target) == ["a.csv": "new", "sub/d.csv": "new"])
        #expect(try strays(besides: ["run"]).isEmpty, "the previous output is removed, not left beside")
    }

    @Test func refusesADirectoryWithOtherFilesAndLeavesThem() throws {
        let target = root.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
        try Data("thesis".utf8).write(to: target.appendingPathComponent("thesis.docx"))
        let error = #expect(throws: OutputDirectoryError.self) {
            try write(OutputDirectory(target, kind: "test"), files: ["a.csv": "1"])
        }
        #expect(error?.reason.contains("thesis.docx") == true)
        #expect(try contents(target) == ["thesis.docx": "thesis"])
        #expect(try strays(besides: ["mine"]).isEmpty)
    }

    @Test func refusesItsOwnOutputOnceSomethingWasAddedOrChanged() throws {
        let target = root.appendingPathComponent("run")
        let output = OutputDirectory(target, kind: "test")
        try write(output, files: ["a.csv": "old", "sub/b.csv": "old"])
        try Data("notes".utf8).write(to: target.appendingPathComponent("sub/notes.txt"))
        #expect(throws: OutputDirectoryError.self) { try output.check() }
        try FileManager.default.removeItem(at: target.appendingPathComponent("sub/notes.txt"))
        try output.check()

        // A file edited after the run (different size) is the user's now.
        try Data("edited by hand".utf8).write(to: target.appendingPathComponent("a.csv"))
        let error = #expect(throws: OutputDirectoryError.self) { try write(output, files: ["a.csv": "new"]) }
        #expect(error?.reason.contains("a.csv was changed") == true)
        #expect(try contents(target) == ["a.csv": "edited by hand", "sub/b.csv": "old"])
    }

    @Test func aFileRemovedFromThePreviousOutputIsNoObstacle() throws {
        let target = root.appendingPathComponent("run")
        let output = OutputDirectory(target, kind: "test")
        try write(output, files: ["a.csv": "old", "b.csv": "old"])
        try FileManager.default.removeItem(at: target.appendingPathComponent("b.csv"))
        try write(output, files: ["a.csv": "new"])
        #expect(try contents(target) == ["a.csv": "new"])
    }

    @Test func aMarkerListingPathsOutsideIsNotOurs() throws {
        let target = root.appendingPathComponent("run")
        let output = OutputDirectory(target, kind: "test")
        try write(output, files: ["a.csv": "1"])
        let outside = root.appendingPathComponent("keep.txt")
        try Data("keep".utf8).write(to: outside)
        let markerURL = target.appendingPathComponent(OutputDirectory.markerName)
        // A marker that also lists a file beside the output, with that file's true size and time:
        // removing the previous output would delete it.
        var marker = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: markerURL)) as? [String: Any])
        let attributes = try FileManager.default.attributesOfItem(atPath: outside.path)
        var files = marker["files"] as? [[String: Any]] ?? []
        files.append([
            "path": "../keep.txt", "size": (attributes[.size] as? NSNumber)?.intValue ?? 0,
            "modified": (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0,
        ])
        marker["files"] = files
        try JSONSerialization.data(withJSONObject: marker).write(to: markerURL)
        #expect(throws: OutputDirectoryError.self) { try write(output, files: ["b.csv": "2"]) }
        #expect(try String(contentsOf: outside, encoding: .utf8) == "keep")
    }

    @Test func refusesAnOutputOfAnotherKind() throws {
        let target = root.appendingPathComponent("run")
        try write(OutputDirectory(target, kind: "simulation-run"), files: ["a.csv": "1"])
        let error = #expect(throws: OutputDirectoryError.self) {
            try write(OutputDirectory(target, kind: "isms-check"), files: ["b.csv": "2"])
        }
        #expect(error?.reason.contains("simulation-run") == true)
        #expect(try contents(target) == ["a.csv": "1"])
    }

    @Test func refusesAFileALinkAndTheWorkingDirectory() throws {
        let file = root.appendingPathComponent("notes.txt")
        try Data("keep".utf8).write(to: file)
        #expect(throws: OutputDirectoryError.self) { try OutputDirectory(file, kind: "test").check() }
        #expect(try String(contentsOf: file, encoding: .utf8) == "keep")

        let elsewhere = root.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: false)
        let link = root.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: elsewhere)
        let error = #expect(throws: OutputDirectoryError.self) { try OutputDirectory(link, kind: "test").check() }
        #expect(error?.reason.contains("symbolic link") == true)

        let working = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        for url in [URL(fileURLWithPath: "."), working, working.deletingLastPathComponent(), URL(fileURLWithPath: "/")]
        {
            #expect(throws: OutputDirectoryError.self, "\(url.path)") { try OutputDirectory(url, kind: "test").check() }
        }
    }

    @Test func aFailingWriterLeavesTheTargetAsItWas() throws {
        struct Failure: Error {}
        let target = root.appendingPathComponent("run")
        let output = OutputDirectory(target, kind: "test")
        try write(output, files: ["a.csv": "old"])
        #expect(throws: Failure.self) {
            try output.write { staging in
                try Data("half".utf8).write(to: staging.appendingPathComponent("a.csv"))
                throw Failure()
            }
        }
        #expect(try contents(target) == ["a.csv": "old"])
        #expect(try strays(besides: ["run"]).isEmpty, "the staging directory is removed")
    }

    @Test func aWriteRemovesWhatAKilledWriteLeftAndNothingElse() throws {
        let target = root.appendingPathComponent("run")
        // Killed while writing: the staging directory, its note, a partial file (unlocked: the
        // process is gone).
        let killed = try Staging(beside: target, kind: "staging", shape: .directory)
        try Data().write(to: killed.url.appendingPathComponent(".suginamikit-staging"))
        try FileManager.default.createDirectory(
            at: killed.url.appendingPathComponent("inputs"), withIntermediateDirectories: false)
        try Data("half".utf8).write(to: killed.url.appendingPathComponent("inputs/run.json"))
        killed.release()
        // Killed while removing the previous output it swapped out: that output, under a staging
        // name, holding a file the SDK did not write.
        let previous = root.appendingPathComponent("previous")
        try write(OutputDirectory(previous, kind: "test"), files: ["a.csv": "old", "sub/b.csv": "old"])
        try Data("mine".utf8).write(to: previous.appendingPathComponent("notes.txt"))
        let swapped = root.appendingPathComponent(".run.staging-\(UUID().uuidString)")
        try FileManager.default.moveItem(at: previous, to: swapped)
        // Named as a staging directory, but with neither a note nor a marker: not ours to judge.
        let unknown = root.appendingPathComponent(".run.staging-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: unknown, withIntermediateDirectories: false)
        try Data("?".utf8).write(to: unknown.appendingPathComponent("x"))

        try write(OutputDirectory(target, kind: "test"), files: ["a.csv": "new"])
        #expect(try contents(target) == ["a.csv": "new"])
        #expect(!FileManager.default.fileExists(atPath: killed.url.path))
        #expect(try contents(swapped) == ["notes.txt": "mine"], "exactly what the marker listed is removed")
        #expect(try contents(unknown) == ["x": "?"])
        #expect(Set(try strays(besides: ["run"])) == [swapped.lastPathComponent, unknown.lastPathComponent])
    }

    @Test func aWriteStillRunningKeepsItsStagingDirectory() throws {
        let target = root.appendingPathComponent("run")
        let output = OutputDirectory(target, kind: "test")
        try output.write { staging in
            try Data("outer".utf8).write(to: staging.appendingPathComponent("a.csv"))
            // Another write of the same target meanwhile sweeps, and must leave this one be.
            try write(output, files: ["a.csv": "inner"])
            #expect(FileManager.default.fileExists(atPath: staging.appendingPathComponent("a.csv").path))
        }
        #expect(try contents(target) == ["a.csv": "outer"])
        #expect(try strays(besides: ["run"]).isEmpty)
    }

    @Test func aLinkWrittenIntoTheStagingDirectoryIsRefused() throws {
        let target = root.appendingPathComponent("run")
        #expect(throws: OutputDirectoryError.self) {
            try OutputDirectory(target, kind: "test").write { staging in
                try FileManager.default.createSymbolicLink(
                    at: staging.appendingPathComponent("etc"), withDestinationURL: URL(fileURLWithPath: "/etc"))
            }
        }
        #expect(!FileManager.default.fileExists(atPath: target.path))
    }
}

@Suite("Names that become paths")
struct FileNameComponentTests {
    @Test(arguments: ["promotion-1", "促進策 2026", "a.b", String(repeating: "x", count: 120)])
    func accepted(_ name: String) {
        #expect(FileNameComponent.problem(with: name) == nil)
    }

    @Test(arguments: [
        "", ".", "..", "../escape", "a/b", "a\\b", ".hidden", "nul\u{0}byte", "line\nbreak",
        String(repeating: "x", count: 121),
    ])
    func refused(_ name: String) {
        #expect(FileNameComponent.problem(with: name) != nil)
    }
}
