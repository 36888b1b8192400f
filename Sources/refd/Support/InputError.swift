import Foundation
import SuginamiCore

/// Bad input found while a command runs (a file's content, not its arguments): printed as
/// `Error: …` without the usage text, which would not help.
struct InputError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}

/// Refuses, before any work, an output directory that may not be replaced.
func checkOutput(_ directory: OutputDirectory, _ option: String) throws {
    do {
        try directory.check()
    } catch {
        throw InputError("\(option) \(directory.url.path): \(error.reason)")
    }
}

/// Refuses, before any work, an output file that is there already unless `replace` (its flag)
/// was given: a command never overwrites a file it was not told it may.
func checkOutputFile(_ path: String, replace: Bool, option: String? = nil) throws {
    var status = stat()
    guard !replace, lstat(path, &status) == 0 else { return }
    let name = option.map { "\($0) \(path)" } ?? path
    throw InputError("\(name) already exists; pass --replace to replace it")
}
