import Foundation
import GRDB
import LedgerCore

/// The SQL half of posting: inserts what an `EntryPreparer` prepared, writes the balance
/// changes, and checks in SQL that what it stored balances. Every write path (single post,
/// batch, import, reversal) goes through it, so there is one place where rows enter the
/// journal.
final class EntryWriter {
    private let db: Database
    private let insertEntry: RawStatement
    /// Multi-row posting inserts, by row count (index 0 inserts one row): one statement
    /// per entry instead of one per posting.
    private var insertPostings: [RawStatement] = []
    /// The first inserted entry not yet read back by `checkInsertedEntriesBalance()`.
    private var firstUncheckedEntryID: Int64?

    /// Postings inserted with a single statement, at most.
    static let postingsPerStatementMax = 8
    /// Values of an entry row and of a posting row, in `EncodedRows` order.
    static let entryColumnCount = 14
    static let postingColumnCount = 11

    init(_ db: Database) throws {
        self.db = db
        insertEntry = try RawStatement(db, sql: """
            INSERT INTO entries (id, fiscal_year, sequence, entry_date, posted_at, description, reference, source,
                                 author, idempotency_key, body_digest, exchange_rate, reverses_id, hash)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
            """)
    }

    /// Inserts a prepared entry and its postings.
    /// - Throws: `DatabaseError` (a constraint or trigger refusing the row).
    func insert(_ prepared: PreparedEntry) throws {
        if firstUncheckedEntryID == nil { firstUncheckedEntryID = prepared.entryID }
        let values = prepared.rows.values
        try prepared.rows.bytes.withUnsafeBufferPointer { bytes in
            insertEntry.bind(values[0..<Self.entryColumnCount], bytes: bytes)
            try insertEntry.execute()
            var offset = Self.entryColumnCount
            var remaining = prepared.postingCount
            while remaining > 0 {
                let count = min(Self.postingsPerStatementMax, remaining)
                let statement = try postingStatement(rows: count)
                let end = offset + count * Self.postingColumnCount
                statement.bind(values[offset..<end], bytes: bytes)
                try statement.execute()
                offset = end
                remaining -= count
            }
        }
    }

    /// Inserts an account with the id its preparer gave it.
    func insert(_ prepared: PreparedAccount) throws {
        try AccountInsert.insert(prepared.account, id: prepared.id, parentID: prepared.parentID, now: prepared.createdAt, in: db)
    }

    /// Writes the accumulated balance changes and checks, in SQL, that everything this
    /// writer inserted balances per entry and currency. Call once, before commit.
    /// - Throws: `StoreError.corrupt` if the stored postings do not balance.
    func finish(balances: [BalanceKey: Totals], daily: [DailyBalanceKey: Totals]) throws {
        // SQLite would turn an overflowing sum into a float: the WHERE refuses the update
        // instead, and no changed row means the stored total would pass Int64.max.
        let upsertBalance = try RawStatement(db, sql: """
            INSERT INTO balances (account_id, currency, debit, credit) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (account_id, currency) DO UPDATE SET debit = debit + excluded.debit, credit = credit + excluded.credit
            WHERE debit <= 9223372036854775807 - excluded.debit AND credit <= 9223372036854775807 - excluded.credit
            """)
        for (key, totals) in balances {
            upsertBalance.bind(1, key.accountID)
            upsertBalance.bind(2, key.currency)
            upsertBalance.bind(3, totals.debit)
            upsertBalance.bind(4, totals.credit)
            try upsertBalance.execute()
            guard upsertBalance.changes == 1 else { throw LedgerError.amountOverflow(field: "balance") }
        }
        let upsertDaily = try RawStatement(db, sql: """
            INSERT INTO daily_balances (account_id, currency, district, day, debit, credit) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (account_id, currency, district, day)
            DO UPDATE SET debit = debit + excluded.debit, credit = credit + excluded.credit
            WHERE debit <= 9223372036854775807 - excluded.debit AND credit <= 9223372036854775807 - excluded.credit
            """)
        for (key, totals) in daily {
            upsertDaily.bind(1, key.accountID)
            upsertDaily.bind(2, key.currency)
            upsertDaily.bind(3, key.district)
            upsertDaily.bind(4, LedgerDate(dayNumber: Int(key.day))?.description)
            upsertDaily.bind(5, totals.debit)
            upsertDaily.bind(6, totals.credit)
            try upsertDaily.execute()
            guard upsertDaily.changes == 1 else { throw LedgerError.amountOverflow(field: "balance") }
        }
        try checkInsertedEntriesBalance()
    }

    /// Read-back check: what was stored since the last check must balance per entry and
    /// currency, whatever the code above did. One grouped scan of the new postings.
    /// - Throws: `StoreError.corrupt` naming the first entry that does not balance.
    private func checkInsertedEntriesBalance() throws {
        guard let first = firstUncheckedEntryID else { return }
        if let entryID = try Int64.fetchOne(db, sql: """
            SELECT entry_id FROM postings WHERE entry_id >= ?
            GROUP BY entry_id, currency HAVING SUM(amount) <> 0 LIMIT 1
            """, arguments: [first]) {
            throw StoreError.corrupt("entry id \(entryID) does not balance after writing")
        }
        firstUncheckedEntryID = nil
    }

    private func postingStatement(rows: Int) throws -> RawStatement {
        while insertPostings.count < rows {
            let count = insertPostings.count + 1
            let values = (0..<count).map { row in
                "(" + (1...Self.postingColumnCount).map { "?\(row * Self.postingColumnCount + $0)" }
                    .joined(separator: ", ") + ")"
            }.joined(separator: ", ")
            insertPostings.append(try RawStatement(db, sql: """
                INSERT INTO postings (entry_id, line, account_id, amount, currency, district, budget_line,
                                      activity, funding_source, party, memo)
                VALUES \(values)
                """))
        }
        return insertPostings[rows - 1]
    }
}

/// The result of posting one entry.
public struct PostResult: Hashable, Sendable {
    public let number: EntryNumber
    public let hash: EntryHash
    /// True when an idempotency key matched an earlier identical entry, which is returned.
    public let replayed: Bool
}
