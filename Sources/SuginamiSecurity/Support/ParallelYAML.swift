import Foundation
import SuginamiCore
import Yams

/// Composes a large block-style YAML document on every core: the top-level mapping's sections,
/// and the items of each long block sequence, are composed by Yams in parts side by side and
/// joined in document order. Yams composes about 12 MB a second on one core, and an inventory
/// of 100,000 flows is 12 MB.
///
/// A part is cut only where a line at column 0 begins a top-level key, or a line at an item's
/// indentation begins a sequence item (`- `): in block YAML such a line ends every node before
/// it except a quoted or flow scalar spanning lines, which then leaves a part unterminated.
/// So any part that does not compose (that, an alias to an anchor in another part, a syntax
/// error), a repeated top-level key, or anything but a plain block mapping at the top (a
/// directive, `---`, a complex key) gives nil, and the caller composes the whole document as
/// one, which reports any error with its true line.
enum ParallelYAML {
    /// Below this size one thread is quicker.
    static let minimumSize = 1 << 20

    /// The document, or nil when it must be composed whole.
    static func compose(_ bytes: [UInt8], name: String) -> DocumentValue? {
        guard bytes.count >= minimumSize else { return nil }
        let lines = lineStarts(bytes)
        guard let sections = sections(bytes, lines: lines) else { return nil }
        let target = max(minimumSize / 4, bytes.count / (ProcessInfo.processInfo.activeProcessorCount * 4))
        // Each part: its section, and the text Yams composes.
        var parts: [(section: Int, text: String)] = []
        // Text of the bytes, or nil (not UTF-8: the whole document is composed, and refused).
        func text(_ range: Range<Int>) -> String? { String(validating: bytes[range], as: UTF8.self) }
        for (number, section) in sections.enumerated() {
            let range = lines[section.lines.lowerBound]..<end(of: section.lines, lines: lines, count: bytes.count)
            guard range.count > target, let items = itemLines(bytes, lines: lines, section: section) else {
                guard let part = text(range) else { return nil }
                parts.append((number, part))
                continue
            }
            guard let header = text(lines[section.lines.lowerBound]..<lines[items[0]]) else { return nil }
            var chunkStart = items[0]
            for item in items.dropFirst() where lines[item] - lines[chunkStart] >= target {
                guard let chunk = text(lines[chunkStart]..<lines[item]) else { return nil }
                parts.append((number, header + chunk))
                chunkStart = item
            }
            guard let last = text(lines[chunkStart]..<end(of: section.lines, lines: lines, count: bytes.count)) else {
                return nil
            }
            parts.append((number, header + last))
        }
        let texts = parts.map(\.text)
        let members = concurrentMap(texts.count) { index -> DocumentValue.Member? in
            guard let node = try? Yams.compose(yaml: texts[index], .basic),
                let value = try? DocumentReader.value(of: node, name: name),
                case .object(let members) = value, members.count == 1
            else { return nil }
            return members[0]
        }
        guard !members.contains(where: { $0 == nil }) else { return nil }
        // Join the parts of each section, in order.
        var joined: [DocumentValue.Member] = []
        var keys = Set<String>()
        for (index, part) in parts.enumerated() {
            let member = members[index]!
            if index > 0 && parts[index - 1].section == part.section {
                guard case .array(let earlier) = joined[joined.count - 1].value, case .array(let more) = member.value
                else { return nil }
                joined[joined.count - 1].value = .array(earlier + more)
            } else {
                guard keys.insert(member.key).inserted else { return nil }
                joined.append(member)
            }
        }
        return .object(joined)
    }

    /// A top-level key's lines.
    private struct Section {
        var lines: Range<Int>
    }

    private static func lineStarts(_ bytes: [UInt8]) -> [Int] {
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") && offset + 1 < bytes.count {
            starts.append(offset + 1)
        }
        return starts
    }

    private static func end(of range: Range<Int>, lines: [Int], count: Int) -> Int {
        range.upperBound < lines.count ? lines[range.upperBound] : count
    }

    /// The top-level sections, or nil when the document is not a plain block mapping.
    private static func sections(_ bytes: [UInt8], lines: [Int]) -> [Section]? {
        var starts: [Int] = []
        for (number, start) in lines.enumerated() {
            let first = bytes[start]
            switch first {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "#"):
                continue
            case UInt8(ascii: "-"):
                // An item of a sequence at the key's indentation, never a document marker.
                guard start + 1 < bytes.count, [UInt8(ascii: " "), UInt8(ascii: "\n")].contains(bytes[start + 1]) else {
                    return nil
                }
                if starts.isEmpty { return nil }
            case UInt8(ascii: "."), UInt8(ascii: "%"), UInt8(ascii: "?"), UInt8(ascii: "{"), UInt8(ascii: "["),
                UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"),
                UInt8(ascii: "\""), UInt8(ascii: "'"):
                return nil
            default:
                starts.append(number)
            }
        }
        guard !starts.isEmpty else { return nil }
        starts[0] = 0  // leading comments belong to the first section
        return starts.indices.map { index in
            Section(lines: starts[index]..<(index + 1 < starts.count ? starts[index + 1] : lines.count))
        }
    }

    /// The lines that begin the items of a section whose value is a block sequence (`key:` alone
    /// on its line), or nil.
    private static func itemLines(_ bytes: [UInt8], lines: [Int], section: Section) -> [Int]? {
        let keyLine = lines[section.lines.lowerBound]
        let keyEnd = bytes[keyLine...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        let keyText = String(decoding: bytes[keyLine..<keyEnd], as: UTF8.self)
        guard keyText.hasSuffix(":") else { return nil }
        var indentation: Int?
        var items: [Int] = []
        for number in section.lines.dropFirst() {
            var offset = lines[number]
            while offset < bytes.count, bytes[offset] == UInt8(ascii: " ") { offset += 1 }
            let spaces = offset - lines[number]
            guard offset < bytes.count else { continue }
            let isItem =
                bytes[offset] == UInt8(ascii: "-") && offset + 1 < bytes.count
                && (bytes[offset + 1] == UInt8(ascii: " ") || bytes[offset + 1] == UInt8(ascii: "\n"))
            if indentation == nil {
                // The value must start with an item: anything else is not a block sequence.
                if [UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "#")].contains(bytes[offset]) { continue }
                guard isItem else { return nil }
                indentation = spaces
            }
            if isItem && spaces == indentation { items.append(number) }
        }
        return items.count >= 2 ? items : nil
    }
}
