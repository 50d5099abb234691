import AdminHTTP
import ArgumentParser
import FeeClaims
import Foundation
import LedgerCore
import LedgerStore

/// `neraca users`: logins to the admin server, for people on the people list.
struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Logins to the admin server: add, list, disable, API tokens.",
        subcommands: [UsersAddCommand.self, UsersListCommand.self, UsersDisableCommand.self, UsersTokenCommand.self])
}

struct UsersAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Give a person a login; the password is read from standard input.")

    @OptionGroup var store: StoreOptions

    @Argument(help: "The person, an id from the people list (P-SBT-003).")
    var person: String

    @Flag(name: .customLong("password-stdin"), help: "Read the password (at least 12 characters) from standard input.")
    var passwordStdin = false

    @Option(name: .long, help: "Who adds the login (default: $NERACA_USER, else $USER).")
    var by: String?

    @Option(name: .customLong("bcrypt-cost"), help: "bcrypt's cost (4…31; default 12). Lower only for test and benchmark logins.")
    var bcryptCost: UInt8 = PasswordHasher.productionCost

    func validate() throws {
        guard passwordStdin else {
            throw ValidationError("--password-stdin is required: a password never goes on the command line")
        }
        guard (4...31).contains(bcryptCost) else { throw ValidationError("--bcrypt-cost must be from 4 to 31") }
    }

    func run() throws {
        guard let line = readLine(strippingNewline: true) else {
            throw CommandFailure("error: password: nothing on standard input")
        }
        let database = try store.openExisting()
        let hash = try PasswordHasher(cost: bcryptCost).hashBlocking(line)
        try database.addUser(person: person, passwordHash: hash, by: by ?? AuthorOptions.currentUser, now: Clock.now())
        Output.line("login added for \(person)")
    }
}

struct UsersListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List logins, their roles and state.")

    @OptionGroup var store: StoreOptions

    func run() throws {
        let users = try store.openExisting().users()
        var table = TextTable(headers: ["person", "name", "district", "roles", "state", "tokens", "added", "by"])
        for user in users {
            table.append([
                user.person.id, user.person.name, user.person.district ?? "",
                user.person.roles.sorted().map(\.rawValue).joined(separator: ";"),
                user.disabledAt == nil ? "active" : "disabled", String(user.activeTokens), user.createdAt.description,
                user.createdBy,
            ])
        }
        Output.line(table.render())
    }
}

struct UsersDisableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable",
        abstract: "Disable a login: its sessions end at once; its tokens stop working within five seconds.")

    @OptionGroup var store: StoreOptions

    @Argument(help: "The person whose login to disable.")
    var person: String

    @Option(name: .long, help: "Who disables it (default: $NERACA_USER, else $USER).")
    var by: String?

    func run() throws {
        try store.openExisting().disableUser(person: person, by: by ?? AuthorOptions.currentUser, now: Clock.now())
        Output.line("login of \(person) disabled")
    }
}

struct UsersTokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create an API token for a login; it is printed once and stored only as a hash.")

    @OptionGroup var store: StoreOptions

    @Argument(help: "The person the token acts as.")
    var person: String

    @Option(name: .long, help: "Who creates it (default: $NERACA_USER, else $USER).")
    var by: String?

    func run() throws {
        let token = SecretToken.generate()
        try store.openExisting().addToken(
            person: person, tokenHash: token.hash, by: by ?? AuthorOptions.currentUser, now: Clock.now())
        Output.line(token.text)
    }
}
