import Foundation
import LedgerCore
import LedgerStore
@testable import NeracaCLI
import Testing

@Suite("neraca serve and users")
struct ServeCommandTests {
    /// `neraca ARGS --db DB` (after the subcommand, where `--db` belongs).
    static func run(_ ledger: BangkitLedger, _ arguments: String...) -> CLIResult {
        neraca(arguments + ["--db", ledger.db])
    }

    @Test("--demo refuses a ledger it did not build: its people's passwords are never reset")
    func demoOnlyOnDemoDatabases() async throws {
        let ledger = try BangkitLedger()
        #expect(Self.run(ledger, "people", "import", repositoryRoot.appendingPathComponent("Ledgers/bangkit/people.csv").path)
            .status == 0)
        let capture = OutputCapture()
        let status = await Output.$capture.withValue(capture) {
            await NeracaCommand.main(arguments: ["serve", "--demo", "--db", ledger.db, "--port", "0"])
        }
        #expect(status == 1)
        #expect(capture.stderr.contains("is not a demo database"), "\(capture.stderr)")
        #expect(try LedgerDatabase(path: ledger.db).users().isEmpty)
    }

    @Test("users add, list, token and disable")
    func users() throws {
        let ledger = try BangkitLedger()
        #expect(Self.run(ledger, "people", "import", repositoryRoot.appendingPathComponent("Ledgers/bangkit/people.csv").path)
            .status == 0)
        // No password on the command line, ever.
        #expect(Self.run(ledger, "users", "add", "P-SBT-003").status == 2)
        #expect(Self.run(ledger, "users", "token", "P-SBT-003").stderr.contains("has no login"))
        let database = try LedgerDatabase(path: ledger.db)
        try database.addUser(person: "P-SBT-003", passwordHash: "$2b$04$placeholder", by: "test", now: .init(millisecondsSince1970: 0))
        let token = Self.run(ledger, "users", "token", "P-SBT-003")
        #expect(token.status == 0)
        #expect(token.stdout.count == 43)  // 32 random bytes, URL-safe base64
        #expect(Self.run(ledger, "users", "list").stdout.contains("P-SBT-003"))
        #expect(Self.run(ledger, "users", "disable", "P-SBT-003").status == 0)
        #expect(Self.run(ledger, "users", "list").stdout.contains("disabled"))
        #expect(Self.run(ledger, "users", "token", "P-SBT-003").stderr.contains("disabled"))
        #expect(Self.run(ledger, "users", "disable", "P-NOBODY").stderr.contains("has no login"))
    }
}
