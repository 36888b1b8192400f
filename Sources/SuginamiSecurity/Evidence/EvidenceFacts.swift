import Foundation
import SuginamiCore

/// A fact of the inventory that an evidence file states, and where it states it: a backup's
/// last success in the backup system's export, a log source's retention in the SIEM's, an
/// account's authentication methods in the identity provider's MFA enrolment export. The
/// `evidence-facts` rule reads the file and compares; the hash alone only says the file is the
/// one collected, not that the inventory agrees with it.
public struct DeclaredFact: Sendable, Codable, Hashable {
    /// The inventory collection.
    public var collection: InventoryCollection
    /// The subject as the results name it (`backup:SYSTEM`, `log:ASSET`, an account or asset id).
    public var subject: String
    /// The attribute, as rules name it (`lastSuccessAt`, `retentionDays`, `authMethods`).
    public var attribute: String
    /// Where a JSON file states it: a JSON Pointer (RFC 6901), e.g. `/jobs/0/finishedAt`.
    public var pointer: String?
    /// Where a CSV file states it.
    public var cell: CSVCell?

    /// A fact.
    public init(
        collection: InventoryCollection, subject: String, attribute: String, pointer: String? = nil,
        cell: CSVCell? = nil
    ) {
        self.collection = collection
        self.subject = subject
        self.attribute = attribute
        self.pointer = pointer
        self.cell = cell
    }

    /// A cell of a CSV file with a header: the record whose `keyColumn` is `key`, at `column`.
    /// A list (authentication methods) is written in one cell, separated by `;` or spaces.
    public struct CSVCell: Sendable, Codable, Hashable {
        /// The column that identifies the record.
        public var keyColumn: String
        /// Its value in the record.
        public var key: String
        /// The column holding the fact.
        public var column: String

        /// A cell.
        public init(keyColumn: String, key: String, column: String) {
            self.keyColumn = keyColumn
            self.key = key
            self.column = column
        }
    }
}

/// What an evidence file was found to state for a declared fact.
public struct ObservedFact: Sendable, Hashable {
    /// The evidence item.
    public var evidence: String
    /// Its file, relative to the bundle.
    public var path: String
    /// The declared fact.
    public var fact: DeclaredFact
    /// The value found; nil when the file does not state it.
    public var found: DocumentValue?
    /// Why nothing was found (no such pointer, record or column; the file cannot be parsed).
    public var problem: String?

    /// `the location in the file`, for messages.
    public var location: String {
        if let pointer = fact.pointer { return "\(path) at \(pointer)" }
        if let cell = fact.cell { return "\(path), record \(cell.keyColumn)=\(cell.key), column \(cell.column)" }
        return path
    }
}

extension DeclaredFact {
    /// What is wrong with the declaration itself, as (field, reason), for the manifest's errors.
    func problems() -> [(field: String, reason: String)] {
        var problems: [(field: String, reason: String)] = []
        if (pointer == nil) == (cell == nil) {
            problems.append(("pointer", "give either pointer (a JSON file) or cell (a CSV file)"))
        }
        if let pointer, !(pointer.isEmpty || pointer.hasPrefix("/")) {
            problems.append(("pointer", "\"\(pointer)\" is not a JSON Pointer (it starts with /)"))
        }
        if let known = InventoryIndex.attributeNames[collection], !known.contains(attribute) {
            problems.append(
                (
                    "attribute",
                    "\"\(attribute)\" is not an attribute of \(collection.rawValue) (known: \(known.sorted().joined(separator: ", ")))"
                ))
        }
        if subject.isEmpty { problems.append(("subject", "empty subject")) }
        return problems
    }

    /// Reads what `data` (the evidence file at `path`) states for this fact.
    func observe(in data: Data, evidence: String, path: String) -> ObservedFact {
        var observed = ObservedFact(evidence: evidence, path: path, fact: self)
        if let pointer {
            do {
                let document = try StrictJSON.parse(data)
                guard let value = Self.resolve(pointer, in: document) else {
                    observed.problem = "\(path) has nothing at \(pointer)"
                    return observed
                }
                observed.found = value
            } catch {
                observed.problem = "\(path) is not JSON: \(error.description)"
            }
        } else if let cell {
            guard let text = String(validating: data, as: UTF8.self) else {
                observed.problem = "\(path) is not UTF-8 text"
                return observed
            }
            do {
                let table = try CSVTable(parsing: text, file: path)
                guard let keyIndex = table.header.firstIndex(of: cell.keyColumn),
                    let columnIndex = table.header.firstIndex(of: cell.column)
                else {
                    observed.problem = "\(path) has no column \(cell.keyColumn) or \(cell.column)"
                    return observed
                }
                let rows = table.records.filter { $0.count > keyIndex && $0[keyIndex] == cell.key }
                guard rows.count == 1, rows[0].count > columnIndex else {
                    observed.problem =
                        "\(path) has \(rows.count == 0 ? "no" : "\(rows.count)") records with \(cell.keyColumn)=\(cell.key)"
                    return observed
                }
                observed.found = .scalar(rows[0][columnIndex])
            } catch {
                observed.problem = "\(path) is not CSV: \(error)"
            }
        }
        return observed
    }

    /// RFC 6901: `/a/0/b`, with `~1` for `/` and `~0` for `~`.
    static func resolve(_ pointer: String, in document: DocumentValue) -> DocumentValue? {
        guard !pointer.isEmpty else { return document }
        var value = document
        for token in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch value {
            case .object(let members):
                guard let member = members.first(where: { $0.key == key }) else { return nil }
                value = member.value
            case .array(let elements):
                guard let index = Int(key), elements.indices.contains(index), key == String(index) else { return nil }
                value = elements[index]
            default:
                return nil
            }
        }
        return value
    }
}
