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
