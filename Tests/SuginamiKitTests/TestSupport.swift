import Foundation
import Testing

@testable import SuginamiKit
import SuginamiTestSupport

/// Paths and helpers shared by the tests.
enum TestSupport {
    /// The repository root.
    static var repositoryRoot: URL { Programs.repositoryRoot }

    /// The bundled copies of the shared data (byte-identical to ../shared/data).
    static func bundledFile(_ name: String) -> URL {
        repositoryRoot.appendingPathComponent("Sources/SuginamiKit/BundledData/Resources/\(name)")
    }

    static func data(_ name: String) throws -> Data { try Data(contentsOf: bundledFile(name)) }

    /// A fresh directory under the system's temporary directory.
    static func temporaryDirectory() throws -> URL { try Programs.temporaryDirectory() }

    /// A new, empty store in a temporary directory.
    static func makeStore() throws -> SuginamiStore {
        try SuginamiStore(path: temporaryDirectory().appendingPathComponent("store.sqlite").path)
    }

    /// Runs a program (by absolute path) and returns its exit status and output.
    static func run(_ executable: String, _ arguments: [String]) throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        try Programs.run(executable, arguments)
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
