import FeeClaims
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
            var preparer = try EntryPreparer(db, catalog: catalog(db), now: now)
            let writer = EntryWriter(db)
            var keys = IdempotencyKeys()
            var rows = EncodedRows()
            let result = try postOne(draft, preparer: &preparer, keys: &keys, into: &rows, in: db)
            try writer.insert(rows)
            try writer.finish(preparer.balanceChanges)
            return result
        }
    }

    /// Posts a batch all-or-nothing: either every entry is posted or none is.
    /// - Throws: `LedgerError.batchEntryRefused(index:reason:)` naming the first refused
    ///   entry, or `batchTooLarge`.
    @discardableResult
    public func post(batch drafts: [EntryDraft], now: Timestamp) throws -> [PostResult] {
        guard drafts.count <= Limits.entriesPerBatchMax else {
            throw LedgerError.batchTooLarge(count: drafts.count, max: Limits.entriesPerBatchMax)
        }
        return try pool.write { db in
            var preparer = try EntryPreparer(db, catalog: catalog(db), now: now)
            let writer = EntryWriter(db)
            var keys = IdempotencyKeys()
            var rows = EncodedRows()
            var results: [PostResult] = []
            results.reserveCapacity(drafts.count)
            for (index, draft) in drafts.enumerated() {
                do {
                    results.append(try postOne(draft, preparer: &preparer, keys: &keys, into: &rows, in: db))
                } catch let error as LedgerError {
                    throw LedgerError.batchEntryRefused(index: index, reason: error)
                }
            }
            // All rows at once: many per INSERT statement.
            try writer.insert(rows)
            try writer.finish(preparer.balanceChanges)
            return results
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
            // A claim's entries are reversed with the claim, so that the claim's state and
            // what it owes follow; never on their own.
            if let claim = try db.cachedRow(sql: """
                SELECT c.district, c.fiscal_year, c.sequence FROM claim_entries ce
                JOIN claims c ON c.id = ce.claim_id JOIN entries e ON e.id = ce.entry_id
                WHERE e.fiscal_year = ? AND e.sequence = ?
                """, arguments: [number.fiscalYear, number.sequence]) {
                let claimNumber = ClaimNumber(district: claim["district"], fiscalYear: claim["fiscal_year"],
                                              sequence: claim["sequence"])
                throw ClaimError.entryBelongsToClaim(entry: number.description, claim: claimNumber.description)
            }
            return try reverse(number, reason: reason, date: date, author: author, now: now, in: db)
        }
    }

    /// `reverse` inside a caller's transaction (a claim's reversal).
    func reverse(
        _ number: EntryNumber, reason: String, date: LedgerDate, author: String, now: Timestamp, in db: Database
    ) throws -> PostResult {
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
        var preparer = try EntryPreparer(db, catalog: catalog(db), now: now)
        let writer = EntryWriter(db)
        var rows = EncodedRows()
        let prepared = try preparer.prepare(draft, reverses: (original.id.rawValue, number), into: &rows)
        try writer.insert(rows)
        try writer.finish(preparer.balanceChanges)
        return PostResult(prepared)
    }

    /// Posts one entry inside a caller's transaction (a claim's posting or payment).
    func post(_ draft: EntryDraft, now: Timestamp, in db: Database) throws -> PostResult {
        var preparer = try EntryPreparer(db, catalog: catalog(db), now: now)
        let writer = EntryWriter(db)
        var rows = EncodedRows()
        let prepared = try preparer.prepare(draft, into: &rows)
        try writer.insert(rows)
        try writer.finish(preparer.balanceChanges)
        return PostResult(prepared)
    }

    /// Idempotency first, then the preparer; the entry's rows are appended to `rows`.
    private func postOne(
        _ draft: EntryDraft, preparer: inout EntryPreparer, keys: inout IdempotencyKeys, into rows: inout EncodedRows,
        in db: Database
    ) throws -> PostResult {
        guard let key = draft.idempotencyKey else {
            let prepared = try preparer.prepare(draft, into: &rows)
            return PostResult(prepared)
        }
        try EntryValidator.checkIdempotencyKey(key)
        // The fingerprint is taken of the cleaned entry (so spelling variants of the same
        // text match); the preparer validates it again below, a cost only keyed entries pay.
        let digest = CanonicalEncoding.bodyDigest(try EntryValidator.validated(draft, in: preparer.catalog.context))
        if let earlier = try keys.entry(for: key, in: db) {
            guard earlier.bodyDigest == digest else {
                throw LedgerError.idempotencyKeyReused(key: key, existingEntry: earlier.number)
            }
            return PostResult(number: earlier.number, hash: earlier.hash, replayed: true)
        }
        let prepared = try preparer.prepare(draft, into: &rows)
        keys.record(key, number: prepared.number, bodyDigest: digest, hash: prepared.hash)
        return PostResult(prepared)
    }
}

/// Idempotency keys already used: in the database, or earlier in the batch being written
/// (whose rows are inserted only at its end).
struct IdempotencyKeys {
    struct Entry {
        let number: EntryNumber
        let bodyDigest: EntryHash
        let hash: EntryHash
    }

    private var inBatch: [String: Entry] = [:]

    /// The entry that used `key`, if any.
    func entry(for key: String, in db: Database) throws -> Entry? {
        if let entry = inBatch[key] { return entry }
        guard let row = try db.cachedRow(sql: "SELECT fiscal_year, sequence, body_digest, hash FROM entries WHERE idempotency_key = ?",
            arguments: [key]) else { return nil }
        return Entry(
            number: EntryNumber(fiscalYear: row["fiscal_year"], sequence: row["sequence"]),
            bodyDigest: try EntryHash.stored(row["body_digest"], "the entry with key \(key)"),
            hash: try EntryHash.stored(row["hash"], "the entry with key \(key)"))
    }

    mutating func record(_ key: String, number: EntryNumber, bodyDigest: EntryHash, hash: EntryHash) {
        inBatch[key] = Entry(number: number, bodyDigest: bodyDigest, hash: hash)
    }
}
