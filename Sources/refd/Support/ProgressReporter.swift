import ArgumentParser
import Foundation
import SuginamiCore

/// How a long command shows progress.
enum ProgressStyle: String, CaseIterable, ExpressibleByArgument {
    /// A bar on a terminal, nothing otherwise.
    case auto
    /// One line per step on standard error (for logs and supervising programs).
    case lines
    /// Nothing.
    case none
}

/// Writes progress to standard error: a redrawn bar on a terminal, or plain lines.
struct ProgressReporter: Sendable {
    /// What the counts count.
    enum Unit: Sendable {
        case items
        /// Shown in MB.
        case bytes
    }

    let label: String
    let style: ProgressStyle
    var unit: Unit = .items
    let isTerminal = isatty(STDERR_FILENO) == 1

    /// Announces a long phase that has no count (reading, preparing, writing): a line on a
    /// terminal or in `lines` style, so that the display never sits silent for minutes.
    func phase(_ text: String) {
        switch style {
        case .none: return
        case .lines: FileHandle.standardError.write(Data("\(text)\n".utf8))
        case .auto:
            guard isTerminal else { return }
            FileHandle.standardError.write(Data("\(text)…\n".utf8))
        }
    }

    func report(_ done: Int, of total: Int) {
        switch style {
        case .none: return
        case .lines:
            FileHandle.standardError.write(Data("\(label): \(done) of \(total)\n".utf8))
        case .auto:
            guard isTerminal else { return }
            let fraction = total > 0 ? Double(done) / Double(total) : 1
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            let counts =
                unit == .bytes
                ? String(format: "%.1f/%.1f MB", Double(done) / 1e6, Double(total) / 1e6)
                : "\(DigitGrouping.grouped(done))/\(DigitGrouping.grouped(total))"
            let line = "\r\(label) \(bar) \(Int(fraction * 100))% (\(counts))"
            FileHandle.standardError.write(Data((line + (done >= total ? "\n" : "")).utf8))
        }
    }
}
