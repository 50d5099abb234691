import ArgumentParser
import LedgerCore
import LedgerStore
import Setup

/// `neraca import --format ledger FILE`: imports a ledger/hledger journal in one transaction.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a ledger/hledger journal, all or nothing.",
        discussion: """
            The file is read as a stream and written in one transaction: an error (reported with
            file, line and column) or an interrupted import leaves the ledger as it was.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case ledger
    }

    @OptionGroup var store: StoreOptions
    @OptionGroup var author: AuthorOptions

    @Option(name: .long, help: "Input format: ledger (the common ledger/hledger journal subset).")
    var format: Format = .ledger

    @Flag(name: .customLong("create-accounts"),
          help: "Create unknown accounts, typed by their top-level name (Assets, Liabilities, Equity, Income, Expenses).")
    var createAccounts = false

    @Option(name: .long, help: "Print a progress line on stderr every N entries read.")
    var progress: Int?

    @Argument(help: "The journal file.")
    var file: String

    func validate() throws {
        if let progress, progress <= 0 { throw ValidationError("--progress must be a positive number of entries") }
    }

    func run() throws {
        let database = try store.openExisting()
        let baseCurrency = try database.baseCurrency()
        let importer = JournalImporter(file: file, author: author.resolved, createAccounts: createAccounts)
        let defaultCurrency = baseCurrency
        // The reader runs on the import's producer thread, beside the inserting one.
        let summary = try database.importEntries(now: Clock.now()) { [file, progress] session in
            let reader = try JournalReader(path: file, defaultCurrency: defaultCurrency)
            var transactions = 0
            while let item = try reader.next() {
                try importer.apply(item, to: session)
                if case .transaction = item {
                    transactions += 1
                    if let progress, transactions % progress == 0 {
                        Output.error("import: \(transactions) entries read (line \(reader.lineNumber)), not yet committed")
                    }
                }
            }
        }
        Output.line("imported \(summary.entries) entries, \(summary.postings) postings from \(file)"
            + (summary.accountsCreated > 0 ? "; created \(summary.accountsCreated) accounts" : ""))
        for warning in summary.budgetWarnings { Output.error("warning: \(warning)") }
        if summary.budgetWarningCount > summary.budgetWarnings.count {
            Output.error("warning: \(summary.budgetWarningCount - summary.budgetWarnings.count) more budget warnings")
        }
    }
}

/// Turns journal items into accounts and entries of an import session, reporting every
/// refusal with the journal's file, line and column.
struct JournalImporter {
    let file: String
    let author: String
    let createAccounts: Bool

    func apply(_ item: JournalItem, to session: ImportSession) throws {
        switch item {
        case .accountDeclaration(let name, let line):
            if createAccounts { try ensureAccount(name, line: line, in: session) }
        case .commodityDeclaration:
            break
        case .transaction(let transaction):
            let draft = try transaction.entryDraft(author: author)
            do {
                try session.post(draft)
            } catch LedgerError.accountUnknown where createAccounts {
                // A refused entry leaves the session unchanged: create what is missing, post again.
                for posting in transaction.postings {
                    try ensureAccount(posting.account, line: posting.line, in: session)
                }
                try post(draft, of: transaction, to: session)
            } catch let error as LedgerError {
                throw failure(error, in: transaction)
            }
        }
    }

    private func post(_ draft: EntryDraft, of transaction: JournalTransaction, to session: ImportSession) throws {
        do {
            try session.post(draft)
        } catch let error as LedgerError {
            throw failure(error, in: transaction)
        }
    }

    private func failure(_ error: LedgerError, in transaction: JournalTransaction) -> CommandFailure {
        CommandFailure("error: \(file):\(line(of: error, in: transaction)): \(error.field): \(error.message)")
    }

    /// The journal line an entry error points at: the posting's line for posting fields.
    private func line(of error: LedgerError, in transaction: JournalTransaction) -> Int {
        let field = error.field
        guard field.hasPrefix("postings["), let close = field.firstIndex(of: "]"),
              let index = Int(field[field.index(field.startIndex, offsetBy: 9)..<close]),
              transaction.postings.indices.contains(index) else { return transaction.location.line }
        return transaction.postings[index].line
    }

    /// Creates `name` and its missing parents, typed by the top-level name.
    private func ensureAccount(_ name: String, line: Int, in session: ImportSession) throws {
        guard !session.hasAccount(name) else { return }
        let components = name.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard let top = components.first, let type = AccountType(topLevelName: top) else {
            throw CommandFailure(
                "error: \(file):\(line): account: cannot tell the type of '\(name)': its top-level name must be "
                    + "Assets, Liabilities, Equity, Income, Revenue or Expenses")
        }
        var parent: String?
        for depth in 1...components.count {
            let code = components[0..<depth].joined(separator: ":")
            if !session.hasAccount(code) {
                do {
                    try session.addAccount(
                        Account(code: code, nameEn: components[depth - 1], type: type, parentCode: parent))
                } catch let error as LedgerError {
                    throw CommandFailure("error: \(file):\(line): account: \(error.message)")
                }
            } else if let existing = session.account(code), existing.type != type {
                throw CommandFailure(
                    "error: \(file):\(line): account: '\(code)' is of type \(existing.type.rawValue), not \(type.rawValue)")
            }
            parent = code
        }
    }
}
