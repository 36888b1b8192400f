import ArgumentParser
import Foundation
import SuginamiCore
import SuginamiKit

/// `refd recovery`: the victims' register (被災者台帳) from the command line: households and
/// damage surveys imported in bulk, the ward's figures, and deletion when retention ends.
/// Certificates are issued at the counter, through `refd serve` (`/households/{id}/certificate`).
struct RecoveryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recovery",
        abstract: "Keep the victims' register (被災者台帳): households, damage surveys, the ward's figures.",
        subcommands: [Households.self, Surveys.self, Report.self, Expire.self])

    /// Runs a store write for the rows of file `name`, saying which file a refusal is about
    /// (a form number already filed, a dwelling the store lacks).
    static func naming<Value>(_ name: String, _ write: () async throws -> Value) async throws -> Value {
        do {
            return try await write()
        } catch let error as RecoveryStoreError {
            throw InputError("\(name): \(error)")
        }
    }

    struct Households: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read households (住民基本台帳の抜粋) from CSV and keep them sealed (all or nothing).",
            discussion: "Columns: \(HouseholdReader.columns.joined(separator: ", ")).")

        @OptionGroup var store: StoreOptions
        @OptionGroup var keyOptions: PeopleCommand.KeyOptions
        @Argument(help: "The households CSV (UTF-8 or Shift_JIS).")
        var file: String
        @Option(help: "Text encoding: automatic, utf8 or shift_jis.")
        var encoding: TextEncoding = .automatic
        @Option(help: "Days to keep the households before `refd recovery expire` deletes them (1 to 3,650).")
        var retainDays: Int

        func validate() throws {
            guard (1...3_650).contains(retainDays) else { throw ValidationError("--retain-days: 1 to 3,650") }
        }

        func run() async throws {
            let key = try keyOptions.load()
            let name = URL(fileURLWithPath: file).lastPathComponent
            let households = try HouseholdReader.read(
                try InputFile.data(URL(fileURLWithPath: file), limit: 1 << 30), file: name,
                options: ImportOptions(encoding: encoding))
            let database = try await store.openExisting()
            let count = try await RecoveryCommand.naming(name) {
                try await database.saveHouseholds(
                    households.records, key: key, retainUntil: Date(timeIntervalSinceNow: Double(retainDays) * 86_400),
                    by: .localTool("refd recovery households"))
            }
            print("kept \(count) households from \(name), sealed with key \(key.id), for \(retainDays) days")
            try await database.close()
        }
    }

    struct Surveys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read damage surveys (住家被害認定調査) from CSV, judge each, and file them (all or nothing).",
            discussion: """
                Columns: \(DamageSurveyReader.columns.joined(separator: ", ")). Judged by the \
                \(DamageAssessmentStandard.reiwa3.edition) edition of the Cabinet Office's rules.
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: "The surveys CSV (UTF-8 or Shift_JIS).")
        var file: String
        @Option(help: "Text encoding: automatic, utf8 or shift_jis.")
        var encoding: TextEncoding = .automatic

        func run() async throws {
            let name = URL(fileURLWithPath: file).lastPathComponent
            let surveys = try DamageSurveyReader.read(
                try InputFile.data(URL(fileURLWithPath: file), limit: 1 << 30), file: name, standard: .reiwa3,
                options: ImportOptions(encoding: encoding))
            let database = try await store.openExisting()
            let count = try await RecoveryCommand.naming(name) {
                try await database.saveSurveys(surveys.records, by: .localTool("refd recovery surveys"))
            }
            let grades = Dictionary(grouping: surveys.records, by: \.judgement.grade)
            print(
                "filed \(count) surveys from \(name): "
                    + HouseDamageGrade.allCases.sorted(by: >).map { "\($0.japaneseName) \(grades[$0]?.count ?? 0)" }
                    .joined(separator: ", "))
            try await database.close()
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the ward's recovery figures (no household's details) as JSON.")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let database = try await store.openExisting()
            let report = try await database.recoveryReport()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            try await database.close()
        }
    }

    struct Expire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete the households whose retention has ended, with their certificates and applications.")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let database = try await store.openExisting()
            let deleted = try await database.deleteExpiredHouseholds(
                now: Date(), by: .localTool("refd recovery expire"))
            print("deleted \(deleted.count) households whose retention had ended")
            try await database.close()
        }
    }
}
