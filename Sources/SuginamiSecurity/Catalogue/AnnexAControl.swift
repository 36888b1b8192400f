import Foundation
import SuginamiCore

/// One control of ISO/IEC 27001:2022 Annex A (附属書A 管理策), by identifier and short title.
///
/// Only identifiers and short titles ship with the SDK; the control text is ISO's and must be
/// read in the standard itself.
public struct AnnexAControl: Sendable, Hashable, Codable, Identifiable {
    /// The four themes of the 2022 edition.
    public enum Theme: String, Sendable, Hashable, Codable, CaseIterable {
        /// 5.x 組織的管理策.
        case organizational = "Organizational"
        /// 6.x 人的管理策.
        case people = "People"
        /// 7.x 物理的管理策.
        case physical = "Physical"
        /// 8.x 技術的管理策.
        case technological = "Technological"

        /// The clause number whose controls belong to the theme.
        public var clause: Int {
            switch self {
            case .organizational: 5
            case .people: 6
            case .physical: 7
            case .technological: 8
            }
        }
    }

    /// The identifier, e.g. `8.22`.
    public var id: String
    /// The theme, which must match the identifier's clause.
    public var theme: Theme
    /// The short title, e.g. `Segregation of networks`.
    public var title: String

    /// A form usable as an OSCAL control id, which must start with a letter (`a.8.22`).
    public var oscalID: String { "a.\(id)" }
}

/// The 93 controls of ISO/IEC 27001:2022 Annex A.
public struct AnnexACatalogue: Sendable {
    /// The controls, in clause order.
    public let controls: [AnnexAControl]

    /// The number of controls in the 2022 edition.
    public static let controlCount = 93

    /// The catalogue that ships with the SDK.
    public static func bundled() throws -> AnnexACatalogue {
        guard
            let url = Bundle.suginamiSecurity?.url(
                forResource: "annex-a-2022", withExtension: "csv", subdirectory: "Resources")
        else { throw CatalogueError(file: "annex-a-2022.csv", line: 0, reason: "bundled resource is missing") }
        return try AnnexACatalogue(
            csv: String(decoding: try Data(contentsOf: url), as: UTF8.self), file: "annex-a-2022.csv")
    }

    /// Parses `id,theme,title` lines and checks them: ids unique and of the form `clause.n`,
    /// theme matching the clause, numbering without gaps, 93 controls in all.
    public init(csv: String, file: String) throws(CatalogueError) {
        // RFC 4180: six titles hold commas and are quoted ("Legal, statutory, …").
        let table: CSVTable
        do {
            table = try CSVTable(parsing: csv, file: file)
        } catch {
            throw CatalogueError(file: file, line: 0, reason: error.reason)
        }
        guard table.header == ["id", "theme", "title"] else {
            throw CatalogueError(file: file, line: 1, reason: "header is not id,theme,title")
        }
        var controls: [AnnexAControl] = []
        var seen = Set<String>()
        for (parts, lineNumber) in zip(table.records, table.lines) {
            guard parts.count == 3 else {
                throw CatalogueError(file: file, line: lineNumber, reason: "expected 3 fields")
            }
            let numbers = parts[0].split(separator: ".").compactMap { Int($0) }
            guard numbers.count == 2, parts[0] == "\(numbers[0]).\(numbers[1])" else {
                throw CatalogueError(file: file, line: lineNumber, reason: "id \"\(parts[0])\" is not of the form 5.1")
            }
            guard let theme = AnnexAControl.Theme(rawValue: parts[1]) else {
                throw CatalogueError(file: file, line: lineNumber, reason: "unknown theme \"\(parts[1])\"")
            }
            guard theme.clause == numbers[0] else {
                throw CatalogueError(
                    file: file, line: lineNumber,
                    reason: "control \(parts[0]) is not in clause \(theme.clause) (\(theme.rawValue))")
            }
            guard seen.insert(parts[0]).inserted else {
                throw CatalogueError(file: file, line: lineNumber, reason: "duplicate id \(parts[0])")
            }
            let expectedNumber =
                controls.last.map { $0.theme == theme ? Int($0.id.split(separator: ".")[1])! + 1 : 1 } ?? 1
            guard numbers[1] == expectedNumber else {
                throw CatalogueError(
                    file: file, line: lineNumber,
                    reason: "control \(parts[0]) breaks the numbering (expected \(numbers[0]).\(expectedNumber))")
            }
            controls.append(AnnexAControl(id: parts[0], theme: theme, title: parts[2]))
        }
        guard controls.count == Self.controlCount else {
            throw CatalogueError(
                file: file, line: (table.lines.last ?? 1) + 1,
                reason: "\(controls.count) controls; the 2022 edition has 93")
        }
        self.controls = controls
    }

    /// The control with this id, if it is one of the 93.
    public func control(id: String) -> AnnexAControl? { controls.first { $0.id == id } }
}

/// A problem in a control catalogue file.
public struct CatalogueError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file.
    public var file: String
    /// The 1-based line.
    public var line: Int
    /// What is wrong.
    public var reason: String

    /// `file:line: reason`.
    public var description: String { "\(file):\(line): \(reason)" }
}
