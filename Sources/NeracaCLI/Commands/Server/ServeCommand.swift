import AdminHTTP
import ArgumentParser
import FeeClaims
import Foundation
import LedgerCore
import LedgerStore

/// `neraca serve`: the admin server (JSON API under /api/v1) on Hummingbird.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the admin server: the JSON API under /api/v1, /health and /ready.",
        discussion: """
            Stops on SIGINT or SIGTERM after finishing the requests in flight. With --demo, creates \
            (or reuses) a demo database from Ledgers/bangkit and prints one login per role.
            """)

    @Option(name: .long, help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "The port to listen on (0: any free port, printed at start).")
    var port = 8080

    @Option(name: .long, help: "The ledger's SQLite file (default: $NERACA_DB, else ./neraca.sqlite; neraca-demo.sqlite with --demo).")
    var db: String?

    @Flag(name: .long, help: "Serve a demo database filled from Ledgers/bangkit, with one login per role.")
    var demo = false

    @Flag(name: .customLong("secure-cookies"), help: "Mark session cookies Secure (behind a TLS proxy).")
    var secureCookies = false

    @Option(name: .customLong("bcrypt-cost"), help: "bcrypt's cost (4…31): passwords stored at another cost are hashed again at this one on login; the demo's passwords use it. Keep the default (12) outside tests.")
    var bcryptCost: UInt8 = PasswordHasher.productionCost

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port \(port) is not a port (0…65535)") }
        guard (4...31).contains(bcryptCost) else { throw ValidationError("--bcrypt-cost must be from 4 to 31") }
    }

    func run() async throws {
        let path = db ?? (demo ? "neraca-demo.sqlite" : StoreOptions().path)
        var options = AdminServerOptions()
        options.host = host
        options.port = port
        options.sessions.secureCookies = secureCookies
        options.passwords = PasswordHasher(cost: bcryptCost)
        options.toolVersion = ExportCommand.toolVersion
        if demo { try prepareDemo(path: path, passwords: options.passwords) }
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure("error: db: no ledger at '\(path)': run `neraca init --ledger DIR` first, or pass --db or --demo")
        }
        let ledger = try LedgerDatabase(path: path)
        try await runAdminServer(ledger: ledger, options: options) { [host] port in
            Output.line("neraca serve: listening on http://\(host):\(port) (ledger \(path))")
        }
    }

    /// Creates the demo database if `path` holds none, then gives each demo login a fresh
    /// random password (printed: the demo's users read them here).
    private func prepareDemo(path: String, passwords: PasswordHasher) throws {
        if !FileManager.default.fileExists(atPath: path) {
            Output.line("neraca serve --demo: creating \(path) from Ledgers/bangkit")
            try DemoLedger.build(path: path, root: FileManager.default.currentDirectoryPath)
        }
        let ledger = try LedgerDatabase(path: path)
        // The demo prints fresh passwords of real people ids: never on a ledger it did not build.
        guard try ledger.isDemo() else {
            throw CommandFailure("error: demo: \(path) is not a demo database (`serve --demo` did not build it): "
                + "its logins are left alone; pass another --db, or serve it without --demo")
        }
        let existing = Set(try ledger.users().map(\.person.id))
        Output.line("Demo logins (new passwords on every start):")
        for (role, person) in DemoLedger.logins {
            let password = SecretToken.generate().text.prefix(16)
            let hash = try passwords.hashBlocking(String(password))
            if existing.contains(person) {
                try ledger.setPassword(person: person, passwordHash: hash, by: "demo", now: Clock.now())
            } else {
                try ledger.addUser(person: person, passwordHash: hash, by: "demo", now: Clock.now())
            }
            Output.line("  \(role.rawValue.padding(toLength: 19, withPad: " ", startingAt: 0)) \(person)  \(password)")
        }
    }
}
