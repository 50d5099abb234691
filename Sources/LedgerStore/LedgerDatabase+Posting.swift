import Foundation
import GRDB
import LedgerCore

extension LedgerDatabase {
    /// Posts one entry in its own transaction.
    ///
    /// With an idempotency key already used for the same content, returns the first entry
    /// (`replayed == true`) and writes nothing.
    /// - Throws: `LedgerError` for any invariant the entry breaks (nothing is written).
    @discardableResult
    public func post(_ draft: EntryDraft, now: Timestamp) throws -> PostResult {
        try pool.write { db in
            let writer = try EntryWriter(db, catalog: catalog(db), now: now)
            let result = try postOne(draft, with: writer, in: db)
            try writer.finish()
            return result
        }
    }

    /// Posts a batch all-or-nothing: either every entry is posted or none is.
    /// - Throws: `LedgerError.batchEntryRefused(index:reason:)` naming the first refused
    ///   entry, or `batchTooLarge`.
    public func post(batch drafts: [EntryDraft], now: Timestamp) throws -> [PostResult] {
        guard drafts.count <= Limits.entriesPerBatchMax else {
            throw LedgerError.batchTooLarge(count: drafts.count, max: Limits.entriesPerBatchMax)
        }
        return try pool.write { db in
            let writer = try EntryWriter(db, catalog: catalog(db), now: now)
            var results: [PostResult] = []
            results.reserveCapacity(drafts.count)
            for (index, draft) in drafts.enumerated() {
                do {
                    results.append(try postOne(draft, with: writer, in: db))
                } catch let error as LedgerError {
                    throw LedgerError.batchEntryRefused(index: index, reason: error)
                }
            }
            try writer.finish()
            return results
        }
    }

    /// Runs a streaming import in one transaction: `body` creates accounts and posts
    /// entries through the session as it reads its input, so memory does not grow with the
    /// input, and a failure (or a killed process) leaves none of it in the ledger.
    /// - Throws: whatever `body` throws, after rolling everything back.
    public func importEntries(now: Timestamp, _ body: (ImportSession) throws -> Void) throws -> ImportSummary {
        try pool.write { db in
            let writer = try EntryWriter(db, catalog: catalog(db), now: now)
            let session = ImportSession(writer: writer, database: self, db: db)
            try body(session)
            try writer.finish()
            return ImportSummary(
                entries: writer.entriesWritten, postings: writer.postingsWritten, accountsCreated: session.accountsCreated)
        }
    }

    /// Reverses a posted entry with a new entry whose postings are the originals negated.
    /// The original stays as it was; the reversal points at it and can never be reversed.
    /// - Parameters:
    ///   - date: the reversal's date (in an open period); the caller usually passes today.
    /// - Throws: `entryNotFound`, `entryAlreadyReversed`, `reversalOfReversalForbidden`,
    ///   `periodClosed`, and any validation error of the reversing entry.
    @discardableResult
    public func reverse(
        _ number: EntryNumber, reason: String, date: LedgerDate, author: String, now: Timestamp
    ) throws -> PostResult {
        try pool.write { db in
            guard let original = try EntryReader.entry(number: number, in: db) else {
                throw LedgerError.entryNotFound(number: number.description)
            }
            if let reversal = original.reversedBy {
                throw LedgerError.entryAlreadyReversed(number: number, reversal: reversal)
            }
            if original.reverses != nil { throw LedgerError.reversalOfReversalForbidden(number: number) }
            let cleanReason = TextRules.cleaned(reason)
            try TextRules.check(cleanReason, field: "reason", max: Limits.descriptionLengthMax - 40)
            var postings: [PostingDraft] = []
            for posting in original.draft.postings {
                var reversed = posting
                reversed.amount = try posting.amount.negated()
                postings.append(reversed)
            }
            let draft = EntryDraft(
                date: date, description: "Reversal of \(number): \(cleanReason)", reference: number.description,
                source: .reversal, author: author, exchangeRate: original.draft.exchangeRate, postings: postings)
            let writer = try EntryWriter(db, catalog: catalog(db), now: now)
            let result = try writer.append(draft, reverses: (original.id.rawValue, number))
            try writer.finish()
            return result
        }
    }

    /// Idempotency first, then the writer.
    private func postOne(_ draft: EntryDraft, with writer: EntryWriter, in db: Database) throws -> PostResult {
        if let key = draft.idempotencyKey {
            try EntryValidator.checkIdempotencyKey(key)
            if let row = try Row.fetchOne(
                db, sql: "SELECT fiscal_year, sequence, body_digest, hash FROM entries WHERE idempotency_key = ?",
                arguments: [key]) {
                let number = EntryNumber(fiscalYear: row["fiscal_year"], sequence: row["sequence"])
                let validated = try EntryValidator.validated(draft, in: writer.catalog.context)
                let storedDigest: Data = row["body_digest"]
                guard Array(storedDigest) == CanonicalEncoding.bodyDigest(validated).bytes else {
                    throw LedgerError.idempotencyKeyReused(key: key, existingEntry: number)
                }
                let hash: Data = row["hash"]
                return PostResult(number: number, hash: EntryHash(bytes: Array(hash)), replayed: true)
            }
        }
        return try writer.append(draft)
    }
}

/// The handle an import's body uses to create accounts and post entries, all inside the
/// import's single transaction.
public final class ImportSession {
    private let writer: EntryWriter
    private let db: Database
    private(set) var accountsCreated = 0

    fileprivate init(writer: EntryWriter, database: LedgerDatabase, db: Database) {
        self.writer = writer
        self.db = db
    }

    /// True when the chart (including accounts created by this import) has `code`.
    public func hasAccount(_ code: String) -> Bool {
        writer.catalog.context.chart.account(code: code) != nil
    }

    /// The account with `code`, if the chart has it.
    public func account(_ code: String) -> Account? {
        writer.catalog.context.chart.account(code: code)
    }

    /// Adds an account to the chart.
    /// - Throws: the chart's `LedgerError`s, `accountHasPostings`.
    public func addAccount(_ account: Account, field: String = "account") throws {
        try writer.addAccount(account, field: field)
        accountsCreated += 1
    }

    /// Posts one entry (validated like any other).
    @discardableResult
    public func post(_ draft: EntryDraft) throws -> PostResult {
        try writer.append(draft)
    }
}

/// What an import wrote.
public struct ImportSummary: Hashable, Sendable {
    public let entries: Int
    public let postings: Int
    public let accountsCreated: Int
}
