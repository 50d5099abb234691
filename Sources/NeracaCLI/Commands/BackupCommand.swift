import ArgumentParser
import LedgerCore
import LedgerStore

/// `neraca backup OUT.sqlite`: a consistent copy taken while the ledger stays in use.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Copy the ledger to a new SQLite file (online backup).")

    @OptionGroup var store: StoreOptions

    @Argument(help: "The new file to write; it must not exist.")
    var destination: String

    func run() throws {
        try store.openExisting().backup(to: destination)
        Output.line("backup written to \(destination)")
    }
}
