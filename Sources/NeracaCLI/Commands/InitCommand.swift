import ArgumentParser
import Foundation
import LedgerCore
import LedgerStore
import Setup

/// `neraca init --ledger Ledgers/bangkit`: creates the database from a ledger setup.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a ledger database from a ledger setup directory.")

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "The ledger setup directory (ledger.yaml, accounts.yaml), e.g. Ledgers/bangkit.")
    var ledger: String

    func run() throws {
        let profile = try LedgerSetupLoader.load(directory: ledger)
        if FileManager.default.fileExists(atPath: store.path) {
            // An existing file must not be reused silently: init refuses one that holds a ledger.
            let existing = try LedgerDatabase(path: store.path)
            if let summary = try? existing.summary() {
                throw StoreError.alreadyInitialized(name: summary.name)
            }
        }
        let database = try LedgerDatabase(path: store.path)
        try database.initialize(profile, now: Clock.now())
        Output.line("ledger '\(profile.name)' created in \(store.path): \(profile.chart.count) accounts, "
            + "\(profile.districts.count) districts, \(profile.fundingSources.count) funding source(s)")
    }
}
