import Foundation

/// PROJ's own command-line programs (Debian proj-bin), as independent references: the tests
/// compare the library bindings with them, so no expected number is copied into a test.
enum PROJPrograms {
    /// Runs `/usr/bin/NAME ARGUMENTS` with one line of input and returns the numbers it prints.
    static func numbers(_ name: String, _ arguments: [String], input line: String) throws -> [Double] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/\(name)")
        process.arguments = arguments
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data((line + "\n").utf8))
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).compactMap { Double($0) }
    }
}
