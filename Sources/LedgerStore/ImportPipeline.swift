import Budgets
import Foundation
import GRDB
import LedgerCore

/// The handle an import's producer uses to create accounts and post entries. It runs on
/// the producer thread, preparing entries (validation, numbers, hashes, balance changes)
/// and handing them in chunks to the write transaction's thread, which only inserts.
///
/// Owned by exactly one thread at a time: created by the writer, used by the producer
/// until it ends, then read by the writer again after the hand-back — hence
/// `@unchecked Sendable`.
public final class ImportSession: @unchecked Sendable {
    fileprivate var preparer: EntryPreparer
    private let queue: HandoffQueue<ImportOperation>
    /// Operations waiting to be handed over; entries are merged into one set of rows.
    private var pending: [ImportOperation] = []
    private var pendingRows = EncodedRows()
    /// Budget warnings raised so far: the first `budgetWarningsKept`, and how many in all.
    fileprivate private(set) var budgetWarnings: [BudgetWarning] = []
    fileprivate private(set) var budgetWarningCount = 0
    static let budgetWarningsKept = 100

    /// Entries handed over at once: large enough to amortise locking and statements,
    /// small enough that memory stays flat.
    static let chunkEntries = 2048

    fileprivate init(preparer: EntryPreparer, queue: HandoffQueue<ImportOperation>) {
        self.preparer = preparer
        self.queue = queue
    }

    /// True when the chart (including accounts created by this import) has `code`.
    public func hasAccount(_ code: String) -> Bool {
        preparer.catalog.accountIDs[code] != nil
    }

    /// The account with `code`, if the chart has it.
    public func account(_ code: String) -> Account? {
        preparer.catalog.context.chart.account(code: code)
    }

    /// Adds an account to the chart.
    /// - Throws: the chart's `LedgerError`s, `accountHasPostings`.
    public func addAccount(_ account: Account, field: String = "account") throws {
        let prepared = try preparer.prepare(account, field: field)
        closePendingRows()  // entries before the account keep their place in the order
        pending.append(.account(prepared))
    }

    /// Posts one entry, validated like any other.
    /// - Throws: `LedgerError` naming the refused field; nothing of the import is kept.
    @discardableResult
    public func post(_ draft: EntryDraft) throws -> PostResult {
        let prepared = try preparer.prepare(draft, into: &pendingRows)
        budgetWarningCount += prepared.budgetWarnings.count
        budgetWarnings += prepared.budgetWarnings.prefix(Self.budgetWarningsKept - budgetWarnings.count)
        if pendingRows.entryCount >= Self.chunkEntries { try flush() }
        return PostResult(prepared)
    }

    private func closePendingRows() {
        guard !pendingRows.isEmpty else { return }
        pending.append(.entries(pendingRows))
        pendingRows = EncodedRows()
    }

    fileprivate func flush() throws {
        closePendingRows()
        guard !pending.isEmpty else { return }
        try queue.send(pending)
        pending.removeAll(keepingCapacity: true)
    }
}

/// What the producer hands to the writer, in order.
enum ImportOperation: Sendable {
    case account(PreparedAccount)
    case entries(EncodedRows)
}

/// What an import wrote.
public struct ImportSummary: Hashable, Sendable {
    public let entries: Int
    public let postings: Int
    public let accountsCreated: Int
    /// The first budget warnings of the import (at most `ImportSession.budgetWarningsKept`).
    public let budgetWarnings: [BudgetWarning]
    /// How many budget warnings the import raised in all.
    public let budgetWarningCount: Int
}

extension LedgerDatabase {
    /// Runs a streaming import in one transaction, on both cores: `produce` runs on its
    /// own thread, reading its input and calling the session to create accounts and post
    /// entries (validated, numbered and hashed there), while this thread inserts them.
    /// Memory does not grow with the input, and a failure anywhere — or a killed
    /// process — leaves none of the import in the ledger. The connection is set up for
    /// bulk writing (`withBulkWriteConnection`).
    /// - Throws: whatever `produce` throws, or the store's errors, after rolling back.
    public func importEntries(
        now: Timestamp, _ produce: @escaping @Sendable (ImportSession) throws -> Void
    ) throws -> ImportSummary {
        try withBulkWriteConnection { db in
            var summary: ImportSummary?
            try db.inTransaction(.immediate) {
                summary = try importTransaction(db, now: now, produce)
                return .commit
            }
            guard let summary else { throw StoreError.corrupt("the import transaction ended without a summary") }
            return summary
        }
    }

    private func importTransaction(
        _ db: Database, now: Timestamp, _ produce: @escaping @Sendable (ImportSession) throws -> Void
    ) throws -> ImportSummary {
        let queue = HandoffQueue<ImportOperation>(capacity: 8)
        let session = ImportSession(preparer: try EntryPreparer(db, catalog: catalog(db), now: now), queue: queue)
        let writer = EntryWriter(db)
        let producer = Thread {
            do {
                try produce(session)
                try session.flush()
                queue.endProduction(failure: nil)
            } catch {
                queue.endProduction(failure: error)
            }
        }
        producer.name = "import-producer"
        producer.stackSize = 8 << 20
        producer.start()
        do {
            while let chunk = try queue.receive() {
                for operation in chunk {
                    switch operation {
                    case .account(let account): try writer.insert(account)
                    case .entries(let rows): try writer.insert(rows)
                    }
                }
                try writer.checkInsertedEntries()
            }
        } catch {
            queue.cancelAndWaitForProducer()
            throw error
        }
        queue.waitForProducer()
        let preparer = session.preparer
        try writer.finish(preparer.balanceChanges)
        try Self.checkForeignKeys(ofCatalogTables: db)
        return ImportSummary(
            entries: preparer.entriesPrepared, postings: preparer.postingsPrepared,
            accountsCreated: preparer.accountsPrepared, budgetWarnings: session.budgetWarnings,
            budgetWarningCount: session.budgetWarningCount)
    }
}
