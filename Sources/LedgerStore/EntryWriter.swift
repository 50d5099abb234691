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
    private var firstEntryID: Int64?

    /// Postings inserted with a single statement, at most.
    static let postingsPerStatementMax = 8

    init(_ db: Database) throws {
        self.db = db
        insertEntry = try RawStatement(db, sql: """
            INSERT INTO entries (fiscal_year, sequence, entry_date, posted_at, description, reference, source,
                                 author, idempotency_key, body_digest, exchange_rate, reverses_id, hash)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
            """)
    }

    /// Inserts a prepared entry and its postings.
    /// - Returns: the entry's row id.
    /// - Throws: `DatabaseError` (a constraint or trigger refusing the row).
    @discardableResult
    func insert(_ prepared: PreparedEntry) throws -> Int64 {
        let entry = prepared.entry
        insertEntry.bind(1, Int64(prepared.number.fiscalYear))
        insertEntry.bind(2, Int64(prepared.number.sequence))
        insertEntry.bind(3, prepared.dateText)
        insertEntry.bind(4, prepared.postedAt.millisecondsSince1970)
        insertEntry.bind(5, entry.description)
        insertEntry.bind(6, entry.reference)
        insertEntry.bind(7, entry.source.rawValue)
        insertEntry.bind(8, entry.author)
        insertEntry.bind(9, entry.idempotencyKey)
        insertEntry.bind(10, bytes: prepared.bodyDigest?.bytes)
        insertEntry.bind(11, entry.exchangeRate?.description)
        insertEntry.bind(12, prepared.reversesID)
        insertEntry.bind(13, bytes: prepared.hash.bytes)
        try insertEntry.execute()
        let entryID = db.lastInsertedRowID
        if firstEntryID == nil { firstEntryID = entryID }

        var line = 0
        while line < entry.postings.count {
            let count = min(Self.postingsPerStatementMax, entry.postings.count - line)
            let statement = try postingStatement(rows: count)
            for row in 0..<count {
                let posting = entry.postings[line + row]
                let dimensions = posting.dimensions
                let base = Int32(row * 12)
                statement.bind(base + 1, entryID)
                statement.bind(base + 2, Int64(line + row))
                statement.bind(base + 3, prepared.accountIDs[line + row])
                statement.bind(base + 4, prepared.dateText)
                statement.bind(base + 5, posting.amount.minorUnits)
                statement.bind(base + 6, posting.amount.currency.code)
                statement.bind(base + 7, dimensions.district)
                statement.bind(base + 8, dimensions.budgetLine)
                statement.bind(base + 9, dimensions.activity)
                statement.bind(base + 10, dimensions.fundingSource)
                statement.bind(base + 11, dimensions.party)
                statement.bind(base + 12, posting.memo)
            }
            try statement.execute()
            line += count
        }
        return entryID
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
        if let firstEntryID {
            // Read-back check: what was stored must balance, whatever the code above did.
            if let row = try Row.fetchOne(db, sql: """
                SELECT entry_id FROM postings WHERE entry_id >= ?
                GROUP BY entry_id, currency HAVING SUM(amount) <> 0 LIMIT 1
                """, arguments: [firstEntryID]) {
                let entryID: Int64 = row["entry_id"]
                throw StoreError.corrupt("entry id \(entryID) does not balance after writing")
            }
        }
    }

    private func postingStatement(rows: Int) throws -> RawStatement {
        while insertPostings.count < rows {
            let count = insertPostings.count + 1
            let values = (0..<count).map { row in
                "(" + (1...12).map { "?\(row * 12 + $0)" }.joined(separator: ", ") + ")"
            }.joined(separator: ", ")
            insertPostings.append(try RawStatement(db, sql: """
                INSERT INTO postings (entry_id, line, account_id, entry_date, amount, currency, district, budget_line,
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
