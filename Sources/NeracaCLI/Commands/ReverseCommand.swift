import ArgumentParser
import LedgerCore
import LedgerStore

/// `neraca reverse JE-… --reason TEXT`: corrects an entry by posting its exact opposite.
struct ReverseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reverse", abstract: "Reverse a posted entry with a new, opposite entry (nothing is deleted).")

    @OptionGroup var store: StoreOptions
    @OptionGroup var author: AuthorOptions

    @Argument(help: "The entry to reverse, e.g. JE-2024-000123.")
    var number: String

    @Option(name: .long, help: "Why the entry is reversed (required, recorded on the reversal).")
    var reason: String

    @Option(name: .long, help: "The reversal's date (default: today, UTC); must be in an open period.")
    var date: LedgerDate?

    func run() throws {
        let parsed = try EntryNumber(parsing: number)
        let now = Clock.now()
        guard let day = date ?? now.utcDate else { throw CommandFailure("error: date: the clock is out of range") }
        let result = try store.openExisting().reverse(parsed, reason: reason, date: day, author: author.resolved, now: now)
        Output.line("\(result.number) reverses \(parsed) \(result.hash.hex)")
    }
}
