import Foundation
import Testing

@testable import SuginamiKit

/// Paths and helpers shared by the tests.
enum TestSupport {
    /// The repository root, found from this file's path.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The bundled copies of the shared data (byte-identical to ../shared/data).
    static func bundledFile(_ name: String) -> URL {
        repositoryRoot.appendingPathComponent("Sources/SuginamiKit/BundledData/Resources/\(name)")
    }

    static func data(_ name: String) throws -> Data { try Data(contentsOf: bundledFile(name)) }

    /// A fresh directory under the system's temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "suginamikit-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A new, empty store in a temporary directory.
    static func makeStore() throws -> SuginamiStore {
        try SuginamiStore(path: temporaryDirectory().appendingPathComponent("store.sqlite").path)
    }

    /// Runs a program and returns its exit status and output.
    static func run(_ executable: String, _ arguments: [String]) throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self)
        )
    }

    /// Imports from bytes, expecting failure, and returns the error.
    static func importError(
        _ data: Data, file: String, format: FacilityFormat, layout: FacilityLayout? = nil,
        encoding: TextEncoding = .automatic
    ) -> InputFileError? {
        do {
            _ = try FacilityImporter.read(
                data, file: file, format: format, layout: layout, options: ImportOptions(encoding: encoding))
            return nil
        } catch { return error }
    }
}
