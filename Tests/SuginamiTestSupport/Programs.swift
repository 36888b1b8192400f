import Foundation
import SuginamiCore

/// What every test target shares: the repository, temporary directories, and the programs
/// SwiftPM built next to the test bundle (found and run as a user runs them).
public enum Programs {
    /// The repository root, found from this file's path.
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The products directory: where the test binary itself lives.
    public static var productsDirectory: URL {
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL,
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("refd").path) }
            ?? repositoryRoot.appendingPathComponent(".build/debug")
    }

    /// A built program by name, or `name` itself when it is an absolute path.
    public static func path(_ name: String) -> String {
        name.hasPrefix("/") ? name : productsDirectory.appendingPathComponent(name).path
    }

    /// Whether GDAL's GeoPackage validator accepts the file (python3-gdal, installed by `make`).
    public static func isValidGeoPackage(_ url: URL) throws -> Bool {
        let validator = Process()
        validator.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        validator.arguments = ["-m", "osgeo_utils.samples.validate_gpkg", url.path]
        try validator.run()
        validator.waitUntilExit()
        return validator.terminationStatus == 0
    }

    /// The features whose geometry GDAL (OGR's `IsValid`, GEOS) finds invalid in a vector file,
    /// and how many features it read: `(invalid, total)`.
    public static func invalidGeometries(_ url: URL) throws -> (invalid: Int, total: Int) {
        let script = """
            import sys
            from osgeo import ogr, gdal
            gdal.PushErrorHandler("CPLQuietErrorHandler")
            source = ogr.Open(sys.argv[1])
            layer = source.GetLayer()
            total = invalid = 0
            for feature in layer:
                total += 1
                invalid += not feature.GetGeometryRef().IsValid()
            print(invalid, total)
            """
        let result = try run("/usr/bin/python3", ["-c", script, url.path])
        let numbers = result.stdout.split(separator: " ").compactMap {
            Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        guard result.status == 0, numbers.count == 2 else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path, "stderr": result.stderr])
        }
        return (numbers[0], numbers[1])
    }

    /// A fresh directory under the system's temporary directory.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "suginamikit-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs a program to completion.
    @discardableResult
    public static func run(_ name: String, _ arguments: [String], in directory: URL? = nil) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        try runExecutable(path(name), arguments, in: directory)
    }

    /// Runs the program at `executable` (a path) to completion.
    @discardableResult
    public static func runExecutable(_ executable: String, _ arguments: [String], in directory: URL? = nil) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes concurrently so neither fills up and blocks the child.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outData, as: UTF8.self),
            String(decoding: errData, as: UTF8.self)
        )
    }
}

extension Programs {
    /// ``run(_:_:in:)`` awaited on a thread of its own. An async test that waits seconds for a
    /// program must not hold one of the cooperative pool's threads (two on a 2-core machine):
    /// the in-process daemons of the other tests need them to answer.
    @discardableResult
    public static func running(_ name: String, _ arguments: [String], in directory: URL? = nil) async throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        try await runOffCooperativePool { try run(name, arguments, in: directory) }
    }

    /// ``timed(_:_:)`` awaited on a thread of its own (see ``running(_:_:in:)``).
    public static func timing(_ name: String, _ arguments: [String]) async throws -> Double {
        try await runOffCooperativePool { try timed(name, arguments) }
    }

    /// ``kill(_:_:after:)`` awaited on a thread of its own (see ``running(_:_:in:)``).
    @discardableResult
    public static func killing(_ name: String, _ arguments: [String], after delay: Double) async throws -> Bool {
        try await runOffCooperativePool { try kill(name, arguments, after: delay) }
    }

    /// A database loaded by `refd load` (the bundled data, `buildings` synthetic buildings) on
    /// `backend`: a file in `directory`, or a new database of the test cluster. Returns what
    /// `--database` takes.
    public static func loadingDatabase(_ backend: StoreBackend, in directory: URL, buildings: Int) async throws
        -> String
    {
        switch backend {
        case .sqlite: return try await loadingDatabase(in: directory, buildings: buildings)
        case .postgres:
            let url = try await TestPostgres.freshDatabase()
            let load = try await running(
                "refd", ["load", "--database", url, "--buildings", "\(buildings)", "--progress", "none"])
            guard load.status == 0 else { throw ProgramFailure(description: "refd load: \(load.stderr)") }
            return url
        }
    }

    /// ``loadedDatabase(in:buildings:)`` awaited on a thread of its own (see ``running(_:_:in:)``).
    public static func loadingDatabase(in directory: URL, buildings: Int) async throws -> String {
        try await runOffCooperativePool { try loadedDatabase(in: directory, buildings: buildings) }
    }
}

extension Programs {
    /// Starts a program with its output discarded (or its standard error piped, if asked).
    public static func start(_ name: String, _ arguments: [String], standardError: Pipe? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path(name))
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = standardError ?? FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs a program to completion and returns how long it took, in seconds.
    public static func timed(_ name: String, _ arguments: [String]) throws -> Double {
        let start = Date()
        let result = try run(name, arguments)
        guard result.status == 0 else { throw ProgramFailure(description: "\(name) \(arguments): \(result.stderr)") }
        return Date().timeIntervalSince(start)
    }

    /// Starts a program, kills it with SIGKILL after `delay` seconds (if it is still running),
    /// and waits for it to end. Returns whether it was killed before it finished.
    @discardableResult
    public static func kill(_ name: String, _ arguments: [String], after delay: Double) throws -> Bool {
        let process = try start(name, arguments)
        let deadline = Date().addingTimeInterval(delay)
        while process.isRunning, Date() < deadline { usleep(2_000) }
        let killed = process.isRunning
        if killed { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return killed
    }
}

extension Programs {
    /// Every file below `url` (relative path → bytes), to compare a directory before and after.
    public static func files(below url: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: url.path)
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = url.appendingPathComponent(relative).path
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            if !isDirectory.boolValue { result[relative] = try Data(contentsOf: URL(fileURLWithPath: path)) }
        }
        return result
    }
}

/// A program that was expected to succeed and did not.
public struct ProgramFailure: Error, CustomStringConvertible {
    /// The program, its arguments and what it wrote to standard error.
    public let description: String

    /// A failure described in words.
    public init(description: String) { self.description = description }
}

extension Programs {
    /// A database made by `refd load` in `directory` (the bundled data, with `buildings`
    /// synthetic buildings), as a user makes one; its path.
    /// - Throws: ``ProgramFailure`` when the load fails.
    public static func loadedDatabase(in directory: URL, buildings: Int) throws -> String {
        let database = directory.appendingPathComponent("store.sqlite").path
        let load = try run(
            "refd", ["load", "--database", database, "--buildings", "\(buildings)", "--progress", "none"])
        guard load.status == 0 else { throw ProgramFailure(description: "refd load: \(load.stderr)") }
        return database
    }
}

extension Programs {
    /// Starts `refd serve` with `arguments` (and `--port 0`, errors only in its log) and waits
    /// for the URL it prints; stops it and throws if it prints anything else or ends.
    public static func serving(_ arguments: [String], in directory: URL) async throws -> (
        process: Process, base: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path("refd"))
        process.arguments = ["serve", "--port", "0", "--log-level", "error"] + arguments
        let outputFile = directory.appendingPathComponent("stdout-\(UUID().uuidString).txt")
        try Data().write(to: outputFile)
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        let started = Date().addingTimeInterval(120)
        while !text.contains("\n"), process.isRunning, Date() < started {
            try await Task.sleep(for: .milliseconds(50))
            text = String(decoding: try Data(contentsOf: outputFile), as: UTF8.self)
        }
        guard text.hasPrefix("serving http://127.0.0.1:"), let base = text.split(separator: " ").last else {
            process.terminate()
            throw ProgramFailure(description: "refd serve printed \(text.prefix(200))")
        }
        return (process, String(base.dropLast(2)))
    }
}
