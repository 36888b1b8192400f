/// Bad input found while a command runs (a file's content, not its arguments): printed as
/// `Error: …` without the usage text, which would not help.
struct InputError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
