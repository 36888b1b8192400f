import Foundation

/// Reads the notes Person Finder holds on the ward's people (PFIF 1.4, <http://zesty.ca/pfif/1.4>)
/// back into safety reports: what families and the people themselves told Person Finder.
///
/// Only notes on records this repository exported are taken (their `person_record_id` starts
/// with its domain). A note's `status` becomes a state: `believed_alive` and `is_note_author`
/// 無事（場所不明）, `believed_missing` 行方不明. `information_sought` (someone is looking), a note
/// without a status, and `believed_dead` are not recorded: a death is recorded by headquarters
/// after confirming it, never from an unverified note. Each note left out is listed with why.
public struct PFIFImport: Sendable {
    /// The repository's domain, the first part of its record ids (`city.suginami.tokyo.jp`).
    public var domain: String

    /// An import for a repository.
    public init(domain: String) {
        self.domain = domain
    }

    /// What a document gives: the reports to record, and the notes left out with why.
    public struct Notes: Sendable, Hashable {
        /// One report per note taken, its source naming the note and its author.
        public var checks: [SafetyCheck]
        /// Each note left out, and why.
        public var skipped: [SkippedNote]
    }

    /// A note left out: its `note_record_id` and why.
    public struct SkippedNote: Sendable, Hashable {
        /// The note's `note_record_id`.
        public var note: String
        /// Why it was left out.
        public var reason: String
    }

    /// The notes of a PFIF 1.4 document, as safety reports.
    /// - Throws: `InputFileError` naming `file`, the line and the field: not XML, not PFIF 1.4,
    ///   a note without a required field or with a time that is not PFIF's UTC form.
    public func notes(in data: Data, file: String) throws(InputFileError) -> Notes {
        let root = try XMLElementReader.read(data, file: file)
        guard root.localName == "pfif" else {
            throw InputFileError(
                file: file, location: .line(root.line), reason: "the root is <\(root.name)>, not <pfif:pfif>")
        }
        let namespace = root.attributes.first { $0.key == "xmlns" || $0.key.hasPrefix("xmlns:") }?.value
        guard namespace == PFIFExport.namespace else {
            throw InputFileError(
                file: file, location: .line(root.line),
                reason: "the namespace is \(namespace ?? "missing"), not PFIF 1.4 (\(PFIFExport.namespace))")
        }
        var notes: [XMLElement] = []
        for child in root.children {
            switch child.localName {
            case "note": notes.append(child)
            case "person": notes += child.children.filter { $0.localName == "note" }
            default:
                throw InputFileError(
                    file: file, location: .line(child.line), reason: "<\(child.name)> is neither a person nor a note")
            }
        }
        var result = Notes(checks: [], skipped: [])
        let prefix = domain + "/"
        for note in notes {
            func field(_ name: String) throws(InputFileError) -> String {
                guard let value = note.childText(name), !value.isEmpty else {
                    throw InputFileError(
                        file: file, location: .line(note.line), field: name, reason: "is required in a note")
                }
                return value
            }
            let noteID = try field("note_record_id")
            let personRecord = try field("person_record_id")
            let author = try field("author_name")
            var time = note.childText("source_date") ?? ""
            if time.isEmpty { time = try field("entry_date") }
            guard let observed = Self.time(time) else {
                throw InputFileError(
                    file: file, location: .line(note.line), field: "source_date",
                    reason: "\(time.prefix(40)) is not PFIF's UTC time (2027-04-01T05:00:00Z)")
            }
            guard personRecord.hasPrefix(prefix), personRecord.count > prefix.count else {
                result.skipped.append(SkippedNote(note: noteID, reason: "\(personRecord) is not a record of \(domain)"))
                continue
            }
            let personID = String(personRecord.dropFirst(prefix.count))
            let status = note.childText("status") ?? ""
            let state: SafetyState
            switch status {
            case "believed_alive", "is_note_author": state = .safeElsewhere
            case "believed_missing": state = .missing
            case "believed_dead":
                result.skipped.append(
                    SkippedNote(
                        note: noteID, reason: "a death is recorded by headquarters after confirming it, not from a note"
                    ))
                continue
            case "information_sought", "":
                result.skipped.append(
                    SkippedNote(note: noteID, reason: "no news of the person (someone is looking for them)"))
                continue
            default:
                throw InputFileError(
                    file: file, location: .line(note.line), field: "status",
                    reason: "\(status.prefix(40)) is not a PFIF status")
            }
            result.checks.append(
                SafetyCheck(
                    personID: personID, state: state, observedAt: observed,
                    source: "Person Finder: \(author) (note \(noteID))"))
        }
        return result
    }

    /// PFIF's times: UTC, `YYYY-MM-DDThh:mm:ssZ`.
    static func time(_ text: String) -> Date? {
        guard text.hasSuffix("Z"), text.count == 20 else { return nil }
        return try? Date(text, strategy: .iso8601)
    }
}
