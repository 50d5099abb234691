import ArgumentParser
import FeeClaims
import LedgerCore
import LedgerStore
import Setup

/// `neraca people import|list`: the people list, with their roles.
struct PeopleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "people", abstract: "The program's people and their roles.",
        subcommands: [PeopleImportCommand.self, PeopleListCommand.self, PeopleHistoryCommand.self])
}

struct PeopleImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Add or update people from a CSV file (Ledgers/<name>/people.csv).")

    @OptionGroup var store: StoreOptions

    @Argument(help: "The people CSV file.")
    var file: String

    @Option(name: .customLong("changed-by"), help: "Who changes the people list (default: $NERACA_USER, else $USER).")
    var changedBy: String?

    func run() throws {
        let database = try store.openExisting()
        let districts = Set(try database.districts().map(\.code))
        let people = try PeopleFileLoader.load(path: file, districts: districts)
        let count = try database.importPeople(
            people.map(\.person), changedBy: changedBy ?? AuthorOptions.currentUser, now: Clock.now())
        Output.line("people: \(people.count) read from \(file), \(count) new or changed")
    }
}

struct PeopleListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List people and their roles.")

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "Only people of this district.")
    var district: String?

    @Option(name: .long, help: "Only people with this role.")
    var role: String?

    @Option(name: .long, help: "table or csv.")
    var format: OutputFormat = .table

    func run() throws {
        var people = try store.openExisting().people()
        if let district { people = people.filter { $0.district == district } }
        if let role {
            guard let wanted = Role(rawValue: role) else {
                throw CommandFailure("error: role: '\(role)' is not a role (\(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            people = people.filter { $0.roles.contains(wanted) }
        }
        let rows = people.map { person in
            [person.id, person.name, person.district ?? "", person.roles.sorted().map(\.rawValue).joined(separator: ";"),
             person.supervisor ?? "", person.activeFrom.description, person.activeTo?.description ?? ""]
        }
        let headers = ["id", "name", "district", "roles", "supervisor", "active_from", "active_to"]
        switch format {
        case .csv, .json:
            Output.line(([headers] + rows).map(CSV.row).joined(separator: "\n"))
        case .table:
            var table = TextTable(headers: headers)
            rows.forEach { table.append($0) }
            Output.line(table.render())
        }
    }
}

/// `neraca people history ID`: every change to a person, with who made it.
struct PeopleHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "A person's changes: roles, district, dates.")

    @OptionGroup var store: StoreOptions

    @Argument(help: "The person's id.")
    var id: String

    func run() throws {
        var table = TextTable(headers: ["Changed at (UTC ms)", "By", "Roles", "District", "Active from", "Active to"])
        for change in try store.openExisting().personHistory(id) {
            let person = change.person
            table.append([String(change.changedAt.millisecondsSince1970), change.changedBy,
                          person.roles.sorted().map(\.rawValue).joined(separator: ";"), person.district ?? "",
                          person.activeFrom.description, person.activeTo?.description ?? ""])
        }
        Output.line(table.render())
    }
}

