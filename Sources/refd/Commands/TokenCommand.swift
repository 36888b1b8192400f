import ArgumentParser
import Foundation
import SuginamiKit

extension AccessRole: ExpressibleByArgument {}

/// `refd token`: issue, list and revoke the bearer tokens of `refd serve`'s operations API.
///
/// Run on the machine that holds the store, by whoever may administer it: the first admin
/// token has to come from here; after that an admin token can do the same over HTTP.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Issue, list and revoke access tokens for the operations API.",
        subcommands: [Issue.self, List.self, Revoke.self])

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a token and print its secret (shown this once; only its SHA-256 is stored).")

        @OptionGroup var store: StoreOptions

        @Option(help: "What it may do: public, staff, headquarters or admin.")
        var role: AccessRole

        @Option(help: "For a staff token: the id of the relief centre or facility it is bound to.")
        var facility: String?

        @Option(help: "Whom it is for, in words (\"Momoi 3rd primary school, desk 1\").")
        var label: String

        func run() async throws {
            let database = try await store.openExisting()
            let issued = try await database.issueToken(
                role: role, facilityID: facility, label: label, by: .localTool("refd token issue"))
            // The secret alone on standard output, so that scripts can capture it.
            print(issued.secret)
            FileHandle.standardError.write(
                Data(
                    "issued \(issued.token.id) (\(role)\(facility.map { " for \($0)" } ?? "")); keep the secret: it cannot be shown again\n"
                        .utf8))
            try await database.close()
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tokens (never their secrets).")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let database = try await store.openExisting()
            for token in try await database.tokens() {
                let state = token.revokedAt.map { "revoked \($0.formatted(.iso8601))" } ?? "live"
                print(
                    "\(token.id)  \(token.role)\(token.facilityID.map { " (\($0))" } ?? "")  \(token.label)  "
                        + "issued \(token.issuedAt.formatted(.iso8601))  \(state)")
            }
            try await database.close()
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token: it stops working at once.")

        @OptionGroup var store: StoreOptions

        @Argument(help: "The token's id (tok_…), as `refd token list` shows it.")
        var id: String

        func run() async throws {
            let database = try await store.openExisting()
            let token = try await database.revokeToken(id: id, by: .localTool("refd token revoke"))
            print("revoked \(token.id) (\(token.role): \(token.label))")
            try await database.close()
        }
    }
}

/// `refd audit`: check the audit log's hash chain, or print its head to keep elsewhere.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the audit log, or print its head.",
        discussion: """
            Every change made through the operations API or `refd token` is appended to the \
            store's audit log, each entry carrying the SHA-256 of the one before. `verify` \
            recomputes the chain and names the first entry that was edited, removed or \
            inserted; given a head printed earlier by `head` (and kept off this machine), it \
            also finds a log cut short or rewritten from some point on. Exit status: 0 intact, \
            1 broken.
            """,
        subcommands: [Verify.self, Head.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Recompute the chain; exit 1 if it is broken.")

        @OptionGroup var store: StoreOptions

        @Option(help: "A head printed earlier by `refd audit head` (sequence:hash) that the log must still hold.")
        var expect: String?

        func run() async throws {
            var head: AuditHead?
            if let expect {
                guard let parsed = AuditHead(expect) else {
                    throw ValidationError("--expect \(expect.prefix(80)): not sequence:hash (12:3f5a…, 64 hex digits)")
                }
                head = parsed
            }
            let database = try await store.openExisting()
            let verification = try await database.verifyAuditLog(expectedHead: head)
            try await database.close()
            if let problem = verification.problem {
                FileHandle.standardError.write(Data("audit log BROKEN at \(problem)\n".utf8))
                throw ExitCode(1)
            }
            print("audit log intact: \(verification.entries) entries, head \(verification.head?.description ?? "none")")
        }
    }

    struct Head: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the last entry's sequence:hash.")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let database = try await store.openExisting()
            let verification = try await database.verifyAuditLog()
            try await database.close()
            guard let head = verification.head else {
                FileHandle.standardError.write(Data("the audit log is empty\n".utf8))
                return
            }
            print(head)
        }
    }
}
