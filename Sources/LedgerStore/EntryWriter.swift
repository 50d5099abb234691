import Budgets
import Foundation
import GRDB
import LedgerCore

/// The SQL half of posting: inserts what an `EntryPreparer` prepared, writes the balance
/// changes, and checks in SQL that what it stored balances. Every write path (single post,
/// batch, import, reversal) goes through it, so there is one place where rows enter the
/// journal.
final class EntryWriter {
    private let db: Database
    /// Multi-row inserts by row count, prepared when first needed.
    private var entryStatements: [Int: RawStatement] = [:]
    private var postingStatements: [Int: RawStatement] = [:]
    /// The first inserted entry not yet read back by `checkInsertedEntries`, and what was
    /// inserted since.
    private var firstUncheckedEntryID: Int64?
    private var entriesSinceCheck = 0
    private var postingsSinceCheck = 0

    /// Entry rows inserted by one statement, at most.
    static let entryRowsPerStatementMax = 16
    /// Posting rows inserted by one statement, at most.
    static let postingRowsPerStatementMax = 64
    /// Values of an entry row and of a posting row, in `EncodedRows` order.
    static let entryColumnCount = 14
    static let postingColumnCount = 11

    static let entryColumns = """
        id, fiscal_year, sequence, entry_date, posted_at, description, reference, source,
        author, idempotency_key, body_digest, exchange_rate, reverses_id, hash
        """
    static let postingColumns = """
        entry_id, line, account_id, amount, currency, district, budget_line, activity, funding_source, party, memo
        """

    init(_ db: Database) {
        self.db = db
    }

    /// Inserts encoded entries, then their postings, a few dozen rows per statement.
    /// - Throws: `DatabaseError` (a constraint or trigger refusing a row).
    func insert(_ rows: EncodedRows) throws {
        guard !rows.isEmpty else { return }
        if firstUncheckedEntryID == nil { firstUncheckedEntryID = rows.firstEntryID }
        entriesSinceCheck += rows.entryCount
        postingsSinceCheck += rows.postingCount
        try rows.bytes.withUnsafeBufferPointer { bytes in
            try insert(rows.entryValues, rowCount: rows.entryCount, columns: Self.entryColumnCount,
                       rowsPerStatement: Self.entryRowsPerStatementMax, bytes: bytes) { try entryStatement(rows: $0) }
            try insert(rows.postingValues, rowCount: rows.postingCount, columns: Self.postingColumnCount,
                       rowsPerStatement: Self.postingRowsPerStatementMax, bytes: bytes) { try postingStatement(rows: $0) }
        }
    }

    private func insert(
        _ values: [EncodedRows.Value], rowCount: Int, columns: Int, rowsPerStatement: Int,
        bytes: UnsafeBufferPointer<UInt8>, statement: (Int) throws -> RawStatement
    ) throws {
        var row = 0
        while row < rowCount {
            let count = min(rowsPerStatement, rowCount - row)
            let insert = try statement(count)
            insert.bind(values[(row * columns)..<((row + count) * columns)], bytes: bytes)
            try insert.execute()
            row += count
        }
    }

    /// Inserts an account with the id its preparer gave it.
    func insert(_ prepared: PreparedAccount) throws {
        try AccountInsert.insert(prepared.account, id: prepared.id, parentID: prepared.parentID, now: prepared.createdAt, in: db)
    }

    /// Writes the accumulated balance changes and reads back, in SQL, what this writer
    /// inserted (`checkInsertedEntries`). Call once, before commit.
    /// - Throws: `StoreError.corrupt` if the stored rows do not hold together.
    func finish(_ changes: BalanceChanges) throws {
        let balances = try changes.perAccount()
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
        for (key, totals) in changes.daily {
            upsertDaily.bind(1, key.accountID)
            upsertDaily.bind(2, key.currency)
            upsertDaily.bind(3, key.district)
            upsertDaily.bind(4, LedgerDate(dayNumber: Int(key.day))?.description)
            upsertDaily.bind(5, totals.debit)
            upsertDaily.bind(6, totals.credit)
            try upsertDaily.execute()
            guard upsertDaily.changes == 1 else { throw LedgerError.amountOverflow(field: "balance") }
        }
        let upsertBudget = try RawStatement(db, sql: """
            INSERT INTO budget_actuals (fiscal_year, district, budget_line, month, currency, debit, credit)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT (fiscal_year, district, budget_line, month, currency)
            DO UPDATE SET debit = debit + excluded.debit, credit = credit + excluded.credit
            WHERE debit <= 9223372036854775807 - excluded.debit AND credit <= 9223372036854775807 - excluded.credit
            """)
        for (key, totals) in changes.budget {
            upsertBudget.bind(1, Int64(key.fiscalYear))
            upsertBudget.bind(2, key.district)
            upsertBudget.bind(3, key.budgetLine)
            upsertBudget.bind(4, key.month.description)
            upsertBudget.bind(5, key.currency)
            upsertBudget.bind(6, totals.debit)
            upsertBudget.bind(7, totals.credit)
            try upsertBudget.execute()
            guard upsertBudget.changes == 1 else { throw LedgerError.amountOverflow(field: "budget.actual") }
        }
        try checkInsertedEntries()
    }

    /// Read-back check of everything inserted since the last check, whatever the code
    /// above did: every entry balances per currency, and every posting belongs to one of the
    /// entries just written and to an existing account. Imports call it after every chunk
    /// they insert (while the rows are in SQLite's page cache); `finish` calls it for the rest.
    ///
    /// It proves what the postings' foreign keys would, by counting instead of one lookup
    /// per row, so that imports may run with foreign-key enforcement off (see
    /// `withBulkWriteConnection`): the entry ids written are contiguous, the postings in
    /// that id range are all the postings written, none points past the last entry, and
    /// their account ids lie within the accounts' ids, which are contiguous.
    /// - Throws: `StoreError.corrupt` naming what does not hold.
    func checkInsertedEntries() throws {
        guard let first = firstUncheckedEntryID else { return }
        let lastEntryID = first + Int64(entriesSinceCheck) - 1
        // Optional reads throughout: aggregates over no rows are NULL.
        let entries = try db.cachedRow(sql: """
            SELECT COUNT(*) AS count, MAX(id) AS last,
                   SUM(reverses_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM entries r WHERE r.id = e.reverses_id))
                       AS dangling_reversals
            FROM entries e WHERE e.id >= ?
            """, arguments: [first])
        let entryCount: Int? = entries?["count"], lastStoredEntryID: Int64? = entries?["last"]
        guard entryCount == entriesSinceCheck, lastStoredEntryID == lastEntryID else {
            throw StoreError.corrupt("entry ids from \(first) are not the \(entriesSinceCheck) entries just written")
        }
        guard (entries?["dangling_reversals"] as Int?) ?? 0 == 0 else {
            throw StoreError.corrupt("an entry written from id \(first) reverses an entry that does not exist")
        }

        let postings = try db.cachedRow(sql: """
            SELECT COUNT(*) AS count, MAX(entry_id) AS last_entry,
                   MIN(account_id) AS first_account, MAX(account_id) AS last_account
            FROM postings WHERE entry_id >= ?
            """, arguments: [first])
        let postingCount: Int? = postings?["count"], lastReferencedEntryID: Int64? = postings?["last_entry"]
        guard postingCount == postingsSinceCheck, lastReferencedEntryID == lastEntryID else {
            throw StoreError.corrupt("the postings written from entry id \(first) do not match their entries")
        }
        let accountIDs: ClosedRange<Int64>? = {
            guard let low: Int64 = postings?["first_account"], let high: Int64 = postings?["last_account"] else { return nil }
            return low...high
        }()
        if let accountIDs, try !Self.accountsExist(accountIDs, postingsFrom: first, in: db) {
            throw StoreError.corrupt("a posting written from entry id \(first) names an account that does not exist")
        }

        if let entryID = try db.cachedValue(Int64.self, sql: """
            SELECT p.entry_id FROM postings p WHERE p.entry_id >= ? GROUP BY p.entry_id
            HAVING SUM(p.amount) <> 0
                OR (MIN(p.currency) <> MAX(p.currency) AND EXISTS (
                    SELECT 1 FROM postings q WHERE q.entry_id = p.entry_id GROUP BY q.currency HAVING SUM(q.amount) <> 0))
            LIMIT 1
            """, arguments: [first]) {
            throw StoreError.corrupt("entry id \(entryID) does not balance after writing")
        }
        firstUncheckedEntryID = nil
        entriesSinceCheck = 0
        postingsSinceCheck = 0
    }

    /// True when every posting from entry `first` on names an existing account. Account ids
    /// are given in sequence and accounts are never deleted, so the ids form one run and a
    /// range test suffices; should they not, each posting is checked.
    private static func accountsExist(
        _ referenced: ClosedRange<Int64>, postingsFrom first: Int64, in db: Database
    ) throws -> Bool {
        let accounts = try db.cachedRow(sql: "SELECT COUNT(*) AS count, MIN(id) AS low, MAX(id) AS high FROM accounts")
        if let count: Int64 = accounts?["count"], let low: Int64 = accounts?["low"], let high: Int64 = accounts?["high"],
           high - low + 1 == count {
            return (low...high).contains(referenced.lowerBound) && (low...high).contains(referenced.upperBound)
        }
        let anyMissing = try db.cachedValue(Bool.self, sql: """
            SELECT EXISTS (SELECT 1 FROM postings WHERE entry_id >= ? AND account_id NOT IN (SELECT id FROM accounts))
            """, arguments: [first])
        return anyMissing == false
    }

    private func entryStatement(rows: Int) throws -> RawStatement {
        try statement(rows: rows, in: &entryStatements, table: "entries", columns: Self.entryColumns,
                      columnCount: Self.entryColumnCount)
    }

    private func postingStatement(rows: Int) throws -> RawStatement {
        try statement(rows: rows, in: &postingStatements, table: "postings", columns: Self.postingColumns,
                      columnCount: Self.postingColumnCount)
    }

    private func statement(
        rows: Int, in cache: inout [Int: RawStatement], table: String, columns: String, columnCount: Int
    ) throws -> RawStatement {
        if let cached = cache[rows] { return cached }
        let values = (0..<rows).map { row in
            "(" + (1...columnCount).map { "?\(row * columnCount + $0)" }.joined(separator: ", ") + ")"
        }.joined(separator: ", ")
        let statement = try RawStatement(db, sql: "INSERT INTO \(table) (\(columns)) VALUES \(values)")
        cache[rows] = statement
        return statement
    }
}

/// The result of posting one entry.
public struct PostResult: Hashable, Sendable {
    public let number: EntryNumber
    public let hash: EntryHash
    /// True when an idempotency key matched an earlier identical entry, which is returned.
    public let replayed: Bool
    /// Lines the entry took to their warning level or over a `warn` budget (never on a replay).
    public let budgetWarnings: [BudgetWarning]

    init(number: EntryNumber, hash: EntryHash, replayed: Bool, budgetWarnings: [BudgetWarning] = []) {
        self.number = number
        self.hash = hash
        self.replayed = replayed
        self.budgetWarnings = budgetWarnings
    }

    init(_ prepared: PreparedEntry) {
        self.init(number: prepared.number, hash: prepared.hash, replayed: false, budgetWarnings: prepared.budgetWarnings)
    }
}
