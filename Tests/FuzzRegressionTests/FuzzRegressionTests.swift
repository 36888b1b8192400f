import Foundation
import SuginamiTestSupport
import SuginamiFuzzing
import Testing

/// Every crash the fuzzer found stays fixed: its input, kept under `Fuzz/Regressions/KIND/`,
/// is refused with a message. And every kind's seeds are read without complaint, so the fuzzer
/// starts from inputs that reach deep into the reader.
@Suite("Fuzzing: seeds and regressions")
struct FuzzRegressionTests {
    static let root = Programs.repositoryRoot
    static let fuzz = root.appendingPathComponent("Fuzz")

    static func files(in directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { directory.appendingPathComponent($0) }
    }

    /// The seeds of a kind: its folder and the repository files listed for it.
    static func seeds(_ target: FuzzTarget) throws -> [URL] {
        let listed = try String(
            contentsOf: fuzz.appendingPathComponent("Seeds/repository-files.txt"), encoding: .utf8
        ).split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line -> URL? in
            let parts = line.split(separator: " ", maxSplits: 1)
            return parts.count == 2 && parts[0] == target.rawValue ? root.appendingPathComponent(String(parts[1])) : nil
        }
        return files(in: fuzz.appendingPathComponent("Seeds/\(target.rawValue)")) + listed
    }

    @Test(arguments: FuzzTarget.allCases)
    func seedsAreReadWithoutComplaint(_ target: FuzzTarget) throws {
        // The ISMS readers resolve the example evidence from the working directory.
        #expect(FileManager.default.changeCurrentDirectoryPath(Self.root.path))
        let seeds = try Self.seeds(target)
        #expect(!seeds.isEmpty, "\(target.rawValue) has no seed")
        for seed in seeds {
            let outcome = target.consume(try Data(contentsOf: seed))
            #expect(outcome == .accepted, "\(seed.lastPathComponent): \(outcome)")
        }
    }

    @Test(arguments: FuzzTarget.allCases)
    func inputsThatOnceCrashedAreAnsweredNow(_ target: FuzzTarget) throws {
        #expect(FileManager.default.changeCurrentDirectoryPath(Self.root.path))
        for input in Self.files(in: Self.fuzz.appendingPathComponent("Regressions/\(target.rawValue)")) {
            switch target.consume(try Data(contentsOf: input)) {
            case .accepted: break  // some crashed on an input that is fine; not crashing is the point
            case .refused(let reason): #expect(!reason.isEmpty, "\(input.lastPathComponent)")
            }
        }
    }
}
