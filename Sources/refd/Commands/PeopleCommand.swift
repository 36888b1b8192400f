import ArgumentParser
import Foundation
import SuginamiCore
import SuginamiKit

/// `refd people`: the roster of people who need help to evacuate (避難行動要支援者名簿), sealed in
/// the store with a key kept apart from it.
struct PeopleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "people",
        abstract: "Keep the roster of people who need help to evacuate (避難行動要支援者名簿), sealed.",
        subcommands: [
            Key.self, Import.self, List.self, Check.self, PersonFinder.self, PersonFinderNotes.self, Expire.self,
        ])

    /// Whose `--token` this is: the reads and records are that holder's.
    static func holder(of token: String, in database: any SuginamiDatabase) async throws -> Principal {
        guard let principal = try await database.principal(forSecret: token) else {
            throw InputError("--token: not a live token")
        }
        return principal
    }

    /// The key file option every subcommand that opens the roster takes.
    struct KeyOptions: ParsableArguments {
        @Option(help: "The personal-data key file (made by `refd people key`; owner-only).")
        var key: String

        func load() throws -> PersonalDataKey { try PersonalDataKey.load(from: URL(fileURLWithPath: key)) }
    }

    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a new personal-data key file (never over an existing file).",
            discussion: "Keep it apart from the store and its backups: whoever has both can read the roster.")

        @Option(help: "Where to write the key.")
        var out: String

        func run() async throws {
            let key = try PersonalDataKey.generate(at: URL(fileURLWithPath: out))
            print("wrote key \(key.id) to \(out) (mode 600)")
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read a roster CSV and keep it sealed in the store (all or nothing).",
            discussion: "Columns: \(SupportRosterReader.columns.joined(separator: ", ")).")

        @OptionGroup var store: StoreOptions
        @OptionGroup var keyOptions: KeyOptions

        @Argument(help: "The roster CSV (UTF-8 or Shift_JIS).")
        var file: String

        @Option(help: "Text encoding: automatic, utf8 or shift_jis.")
        var encoding: TextEncoding = .automatic

        @Option(help: "Days to keep the roster before it is deleted by `refd people expire` (1 to 3,650).")
        var retainDays: Int

        func validate() throws {
            guard (1...3_650).contains(retainDays) else { throw ValidationError("--retain-days: 1 to 3,650") }
        }

        func run() async throws {
            let key = try keyOptions.load()
            let data = try InputFile.data(URL(fileURLWithPath: file))
            let name = URL(fileURLWithPath: file).lastPathComponent
            let roster = try SupportRosterReader.read(data, file: name, options: ImportOptions(encoding: encoding))
            let database = try await store.openExisting()
            let count = try await database.saveRoster(
                roster.records, key: key, retainUntil: Date(timeIntervalSinceNow: Double(retainDays) * 86_400),
                by: .localTool("refd people import"))
            print("kept \(count) people from \(name), sealed with key \(key.id), for \(retainDays) days")
            try await database.close()
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the people a token may see, each read audited.",
            discussion: "The token decides what is shown: headquarters everyone; relief-centre staff their own area.")

        @OptionGroup var store: StoreOptions
        @OptionGroup var keyOptions: KeyOptions

        @Option(help: "The token's secret (from `refd token issue`): the read is the token holder's.")
        var token: String

        @Option(help: "Why the roster is read, for the audit log (e.g. 安否確認).")
        var purpose: String

        @Flag(help: "A disaster is declared: staff see their area's people without consent (第49条の11第3項).")
        var disasterDeclared = false

        func run() async throws {
            let key = try keyOptions.load()
            let database = try await store.openExisting()
            let principal = try await PeopleCommand.holder(of: token, in: database)
            let people = try await database.people(
                visibleTo: principal, from: "local: refd people list",
                policy: PersonalDataPolicy(disasterDeclared: disasterDeclared), key: key, purpose: purpose)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            for person in people { print(String(decoding: try encoder.encode(person), as: UTF8.self)) }
            FileHandle.standardError.write(Data("\(people.count) people shown to \(principal.label)\n".utf8))
            try await database.close()
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a person's safety (安否確認) as a token's holder: staff for their area, headquarters anyone.",
            discussion: "States: \(SafetyState.allCases.map(\.rawValue).joined(separator: ", ")).")

        @OptionGroup var store: StoreOptions
        @OptionGroup var keyOptions: KeyOptions
        @Option(help: "The token's secret (from `refd token issue`): the record is the token holder's.")
        var token: String
        @Option(help: "The person's roster id.")
        var person: String
        @Option(help: "The state found.")
        var state: String
        @Option(help: "Who saw or heard it (e.g. 救援所職員（訪問）).")
        var source: String
        @Option(help: "For safe_at_centre: the relief centre's id.")
        var centre: String?
        @Option(help: "When it was observed, ISO 8601 (default now).")
        var observedAt: String?

        func run() async throws {
            guard let found = SafetyState(rawValue: state) else {
                throw ValidationError(
                    "--state: \(state) is not one of \(SafetyState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var observed = Date()
            if let observedAt {
                guard let date = try? Date(observedAt, strategy: .iso8601) else {
                    throw ValidationError(
                        "--observed-at: \(observedAt) is not an ISO 8601 time (2027-04-01T09:30:00+09:00)")
                }
                observed = date
            }
            let key = try keyOptions.load()
            let database = try await store.openExisting()
            let principal = try await PeopleCommand.holder(of: token, in: database)
            if let centre, try await database.facility(id: centre) == nil {
                throw InputError("--centre: there is no facility \(centre)")
            }
            try await database.recordSafetyCheck(
                SafetyCheck(personID: person, state: found, observedAt: observed, source: source, centreID: centre),
                by: principal, from: "local: refd people check", key: key)
            print("recorded \(person): \(found.rawValue)")
            try await database.close()
        }
    }

    struct PersonFinder: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pfif",
            abstract: "Write the people who consented as PFIF 1.4 for Person Finder (headquarters token).",
            discussion: "Name, reading, city, prefecture and country only, with the latest state; never a death.")

        @OptionGroup var store: StoreOptions
        @OptionGroup var keyOptions: KeyOptions

        @Option(help: "A headquarters token's secret: each person exported is an audited read.")
        var token: String

        @Option(help: "The PFIF file to write (a new file: an existing one is never replaced).")
        var out: String

        @Option(help: "The repository's domain, the first part of every record id.")
        var domain = "city.suginami.tokyo.jp"

        @Option(help: "source_name, in ASCII.")
        var sourceName = "Suginami City"

        @Option(help: "home_city.")
        var city = "杉並区"

        @Option(help: "home_state, ISO 3166-2.")
        var state = "JP-13"

        @Option(help: "Days until the records expire in Person Finder (1 to 360).")
        var expiryDays = 40

        func validate() throws {
            guard (1...360).contains(expiryDays) else { throw ValidationError("--expiry-days: 1 to 360") }
        }

        func run() async throws {
            let key = try keyOptions.load()
            let url = URL(fileURLWithPath: out)
            guard !FileManager.default.fileExists(atPath: url.path) else {
                throw InputError("--out \(out): already exists; it is not replaced (give a new name)")
            }
            var isFolder: ObjCBool = false
            let folder = url.deletingLastPathComponent()
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
                throw InputError("--out \(out): the folder \(folder.path) does not exist")
            }
            let database = try await store.openExisting()
            let principal = try await PeopleCommand.holder(of: token, in: database)
            let (people, board) = try await database.peopleForPersonFinder(
                by: principal, from: "local: refd people pfif", key: key)
            let now = Date()
            let text = try PFIFExport(domain: domain, sourceName: sourceName, city: city, state: state).document(
                people: people, board: board, now: now, expiry: now.addingTimeInterval(Double(expiryDays) * 86_400))
            // All or nothing, never over a file that appeared meanwhile, and readable by its
            // owner only: it names people.
            do {
                try Staging.writeFile(Data(text.utf8), to: url, replacing: false, permissions: 0o600)
            } catch {
                throw InputError("--out \(out): cannot be written (\(error.reason))")
            }
            print("wrote \(people.count) people who consented to \(out) (PFIF 1.4)")
            try await database.close()
        }
    }

    struct PersonFinderNotes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pfif-notes",
            abstract: "Record what Person Finder's notes say of the roster's people (PFIF 1.4; headquarters token).",
            discussion: """
                believed_alive and is_note_author become safe_elsewhere, believed_missing missing; \
                information_sought and believed_dead are not recorded (a death is confirmed by headquarters).
                """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var keyOptions: KeyOptions
        @Option(help: "A headquarters token's secret.")
        var token: String
        @Option(help: "The repository's domain, the first part of the record ids it exported.")
        var domain = "city.suginami.tokyo.jp"
        @Argument(help: "The PFIF 1.4 file from Person Finder.")
        var file: String

        func run() async throws {
            let key = try keyOptions.load()
            let url = URL(fileURLWithPath: file)
            let notes = try PFIFImport(domain: domain).notes(in: try InputFile.data(url), file: url.lastPathComponent)
            let database = try await store.openExisting()
            let principal = try await PeopleCommand.holder(of: token, in: database)
            let (recorded, skipped) = try await database.importPersonFinderNotes(
                notes.checks, by: principal, from: "local: refd people pfif-notes", key: key)
            for note in notes.skipped { print("left out note \(note.note): \(note.reason)") }
            for line in skipped { print("left out \(line)") }
            print("recorded \(recorded) reports from \(url.lastPathComponent)")
            try await database.close()
        }
    }

    struct Expire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete the people whose retention has ended.")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let database = try await store.openExisting()
            let deleted = try await database.deleteExpiredPeople(now: Date(), by: .localTool("refd people expire"))
            print("deleted \(deleted.count) people whose retention had ended")
            try await database.close()
        }
    }
}
