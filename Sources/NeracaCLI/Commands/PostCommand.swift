import ArgumentParser
import Foundation
import LedgerCore
import LedgerStore
import Setup

/// `neraca post --file F.json`: posts one entry or an all-or-nothing batch.
struct PostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post",
        abstract: "Post one journal entry or a batch from JSON (a batch is all-or-nothing).",
        discussion: "The JSON format is described in README.md. Use --file - to read standard input.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var author: AuthorOptions

    @Option(name: .long, help: "JSON file with one entry, an array, or {\"entries\": [...]}; - for stdin.")
    var file: String

    func run() throws {
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw CommandFailure("error: file: cannot read '\(file)'")
            }
            data = contents
        }
        let database = try store.openExisting()
        let drafts = try EntryInput.drafts(
            from: data, defaultAuthor: author.resolved, defaultCurrency: try database.baseCurrency())
        let results: [PostResult]
        if drafts.count == 1 {
            results = [try database.post(drafts[0], now: Clock.now())]
        } else {
            results = try database.post(batch: drafts, now: Clock.now())
        }
        for result in results {
            Output.line("\(result.number) \(result.replayed ? "already posted" : "posted") \(result.hash.hex)")
            for warning in result.budgetWarnings { Output.error("warning: \(result.number): \(warning)") }
        }
    }
}
