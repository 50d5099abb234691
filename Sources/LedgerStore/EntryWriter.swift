import Foundation
import GRDB
import LedgerCore

/// Appends validated entries inside one write transaction: numbers them without gaps,
/// links them into the hash chain, inserts entry and postings, and accumulates the balance
/// changes that `finish()` writes before the transaction commits.
///
/// Used by every write path (single post, batch, import, reversal), so there is exactly
/// one place where rows enter the journal.
final class EntryWriter {
    private let db: Database
    private(set) var catalog: LedgerCatalog
    private let now: Timestamp
    private var chainHead: EntryHash
    private var nextSequenceByYear: [Int: Int] = [:]
    private let closedPeriods: Set<Period>
    private let insertEntry: RawStatement
    private let insertPosting: RawStatement
    private var balanceDeltas: [BalanceKey: Totals] = [:]
    private var dailyDeltas: [DailyBalanceKey: Totals] = [:]
    private var canonical: [UInt8] = []
    private var firstEntryID: Int64?
    private(set) var entriesWritten = 0
    private(set) var postingsWritten = 0

    init(_ db: Database, catalog: LedgerCatalog, now: Timestamp) throws {
        self.db = db
        self.catalog = catalog
        self.now = now
        if let head = try Data.fetchOne(db, sql: "SELECT hash FROM entries ORDER BY id DESC LIMIT 1") {
            chainHead = EntryHash(bytes: Array(head))
        } else {
            chainHead = .genesis
        }
        var closed: Set<Period> = []
        for text in try String.fetchAll(db, sql: "SELECT period FROM closed_periods") {
            closed.insert(try Period(parsing: text))
        }
        closedPeriods = closed
        insertEntry = try RawStatement(db, sql: """
            INSERT INTO entries (fiscal_year, sequence, entry_date, posted_at, description, reference, source,
                                 author, idempotency_key, body_digest, exchange_rate, reverses_id, hash)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
            """)
        insertPosting = try RawStatement(db, sql: """
            INSERT INTO postings (entry_id, line, account_id, entry_date, amount, currency, district, budget_line,
                                  activity, funding_source, party, memo)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
            """)
        canonical.reserveCapacity(1024)
    }

    /// Validates, numbers, hashes and inserts `draft`.
    /// - Parameter reverses: the entry this one reverses, for reversals.
    /// - Throws: `LedgerError` for an invalid draft or a closed period; `DatabaseError`.
    func append(_ draft: EntryDraft, reverses: (id: Int64, number: EntryNumber)? = nil) throws -> PostResult {
        let entry = try EntryValidator.validated(draft, in: catalog.context)
        guard !closedPeriods.contains(entry.date.period) else {
            throw LedgerError.periodClosed(field: "date", period: entry.date.period)
        }
        let year = catalog.fiscalCalendar.fiscalYear(of: entry.date)
        let sequence = try nextSequence(in: year)
        let number = EntryNumber(fiscalYear: year, sequence: sequence)

        canonical.removeAll(keepingCapacity: true)
        CanonicalEncoding.appendEntry(entry, number: number, postedAt: now, reverses: reverses?.number, to: &canonical)
        let hash = EntryHash.chained(previous: chainHead, canonical: canonical)
        let dateText = entry.date.description
        let dayNumber = Int32(entry.date.dayNumber)

        insertEntry.bind(1, Int64(year))
        insertEntry.bind(2, Int64(sequence))
        insertEntry.bind(3, dateText)
        insertEntry.bind(4, now.millisecondsSince1970)
        insertEntry.bind(5, entry.description)
        insertEntry.bind(6, entry.reference)
        insertEntry.bind(7, entry.source.rawValue)
        insertEntry.bind(8, entry.author)
        insertEntry.bind(9, entry.idempotencyKey)
        insertEntry.bind(10, bytes: entry.idempotencyKey == nil ? nil : CanonicalEncoding.bodyDigest(entry).bytes)
        insertEntry.bind(11, entry.exchangeRate?.description)
        if let reverses { insertEntry.bind(12, reverses.id) } else { insertEntry.bind(12, nil as String?) }
        insertEntry.bind(13, bytes: hash.bytes)
        try insertEntry.execute()
        let entryID = db.lastInsertedRowID
        if firstEntryID == nil { firstEntryID = entryID }

        for (line, posting) in entry.postings.enumerated() {
            guard let accountID = catalog.accountIDs[posting.accountCode] else {
                throw LedgerError.accountUnknown(field: "postings[\(line)].account", code: posting.accountCode)
            }
            let dimensions = posting.dimensions
            insertPosting.bind(1, entryID)
            insertPosting.bind(2, Int64(line))
            insertPosting.bind(3, accountID)
            insertPosting.bind(4, dateText)
            insertPosting.bind(5, posting.amount.minorUnits)
            insertPosting.bind(6, posting.amount.currency.code)
            insertPosting.bind(7, dimensions.district)
            insertPosting.bind(8, dimensions.budgetLine)
            insertPosting.bind(9, dimensions.activity)
            insertPosting.bind(10, dimensions.fundingSource)
            insertPosting.bind(11, dimensions.party)
            insertPosting.bind(12, posting.memo)
            try insertPosting.execute()
            try accumulate(posting, accountID: accountID, day: dayNumber, line: line)
        }
        chainHead = hash
        entriesWritten += 1
        postingsWritten += entry.postings.count
        return PostResult(number: number, hash: hash, replayed: false)
    }

    /// Adds an account to the chart inside this transaction (imports that create accounts).
    /// - Throws: the chart's `LedgerError`s, or `accountHasPostings` when the new account
    ///   would turn an account that already has postings into a parent.
    func addAccount(_ account: Account, field: String) throws {
        try catalog.context.chart.validate(account, field: field)
        var parentID: Int64?
        if let parentCode = account.parentCode, let id = catalog.accountIDs[parentCode] {
            parentID = id
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM postings WHERE account_id = ? LIMIT 1", arguments: [id]) == true {
                throw LedgerError.accountHasPostings(field: field + ".parent", code: parentCode)
            }
        }
        try AccountInsert.insert(account, parentID: parentID, now: now, in: db)
        catalog = try catalog.adding(account, id: db.lastInsertedRowID, field: field)
    }

    /// Writes the accumulated balance changes and checks, in SQL, that everything this
    /// writer inserted balances per entry and currency. Call once, before commit.
    /// - Throws: `StoreError.corrupt` if the stored postings do not balance.
    func finish() throws {
        let upsertBalance = try RawStatement(db, sql: """
            INSERT INTO balances (account_id, currency, debit, credit) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (account_id, currency) DO UPDATE SET debit = debit + excluded.debit, credit = credit + excluded.credit
            """)
        for (key, totals) in balanceDeltas {
            upsertBalance.bind(1, key.accountID)
            upsertBalance.bind(2, key.currency)
            upsertBalance.bind(3, totals.debit)
            upsertBalance.bind(4, totals.credit)
            try upsertBalance.execute()
        }
        let upsertDaily = try RawStatement(db, sql: """
            INSERT INTO daily_balances (account_id, currency, district, day, debit, credit) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (account_id, currency, district, day)
            DO UPDATE SET debit = debit + excluded.debit, credit = credit + excluded.credit
            """)
        for (key, totals) in dailyDeltas {
            upsertDaily.bind(1, key.accountID)
            upsertDaily.bind(2, key.currency)
            upsertDaily.bind(3, key.district)
            upsertDaily.bind(4, LedgerDate(dayNumber: Int(key.day))?.description)
            upsertDaily.bind(5, totals.debit)
            upsertDaily.bind(6, totals.credit)
            try upsertDaily.execute()
        }
        balanceDeltas.removeAll()
        dailyDeltas.removeAll()
        if let firstEntryID {
            // Read-back check: what was stored must balance, whatever the code above did.
            if let row = try Row.fetchOne(db, sql: """
                SELECT entry_id, currency, SUM(amount) AS total FROM postings WHERE entry_id >= ?
                GROUP BY entry_id, currency HAVING SUM(amount) <> 0 LIMIT 1
                """, arguments: [firstEntryID]) {
                let entryID: Int64 = row["entry_id"]
                throw StoreError.corrupt("entry id \(entryID) does not balance after writing")
            }
        }
    }

    private func nextSequence(in year: Int) throws -> Int {
        let sequence: Int
        if let cached = nextSequenceByYear[year] {
            sequence = cached
        } else {
            let last = try Int.fetchOne(db, sql: "SELECT MAX(sequence) FROM entries WHERE fiscal_year = ?", arguments: [year])
            sequence = (last ?? 0) + 1
        }
        nextSequenceByYear[year] = sequence + 1
        return sequence
    }

    private func accumulate(_ posting: PostingDraft, accountID: Int64, day: Int32, line: Int) throws {
        let amount = posting.amount.minorUnits
        let currency = posting.amount.currency.code
        do {
            try balanceDeltas[BalanceKey(accountID: accountID, currency: currency), default: Totals()].add(amount)
            try dailyDeltas[DailyBalanceKey(
                accountID: accountID, currency: currency, district: posting.dimensions.district ?? "", day: day),
                default: Totals()].add(amount)
        } catch {
            throw LedgerError.amountOverflow(field: "postings[\(line)].amount")
        }
    }
}

/// The result of posting one entry.
public struct PostResult: Hashable, Sendable {
    public let number: EntryNumber
    public let hash: EntryHash
    /// True when an idempotency key matched an earlier identical entry, which is returned.
    public let replayed: Bool
}

struct BalanceKey: Hashable {
    let accountID: Int64
    let currency: String
}

struct DailyBalanceKey: Hashable {
    let accountID: Int64
    let currency: String
    let district: String
    /// Days since 1970-01-01.
    let day: Int32
}

/// Debit and credit turnover, both non-negative, overflow-checked.
struct Totals {
    var debit: Int64 = 0
    var credit: Int64 = 0

    /// - Throws: `TotalsOverflow` when a column would pass `Int64.max`.
    mutating func add(_ amount: Int64) throws(TotalsOverflow) {
        if amount >= 0 {
            let (sum, overflow) = debit.addingReportingOverflow(amount)
            guard !overflow else { throw TotalsOverflow() }
            debit = sum
        } else {
            let (sum, overflow) = credit.addingReportingOverflow(Int64(clamping: amount.magnitude))
            guard !overflow else { throw TotalsOverflow() }
            credit = sum
        }
    }
}

/// A debit or credit column passed `Int64.max`; callers say which field it concerns.
struct TotalsOverflow: Error {
}
