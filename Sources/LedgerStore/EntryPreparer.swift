import Budgets
import Foundation
import GRDB
import LedgerCore

/// The in-memory half of posting: validates an entry, checks it against the budget,
/// numbers it, links it into the hash chain and accumulates its balance changes —
/// everything except the SQL.
///
/// It reads the database only when created (chain head, closed periods, last numbers,
/// accounts with postings), so an import can run it on a second thread while the write
/// transaction's thread inserts what it prepared (see `ImportPipeline`).
struct EntryPreparer {
    private(set) var catalog: LedgerCatalog
    private let now: Timestamp
    private var chainHead: EntryHash
    private var lastSequenceByYear: [Int: Int]
    private let closedPeriods: Set<Period>
    private var accountsWithPostings: Set<Int64>
    /// Spent and committed per budget line, including what this preparer admitted.
    private var budgetGuard: BudgetGuard
    private var nextAccountID: Int64
    /// Row ids are given here, inside the write transaction, so that postings can be
    /// encoded with their entry's id before the entry is inserted.
    private var nextEntryID: Int64
    private var canonical: [UInt8] = []
    /// Per-entry scratch space for balance updates, reused from entry to entry.
    private var dailyUpdates: [(DailyBalanceKey, Totals)] = []
    private var budgetUpdates: [(BudgetActualKey, Totals)] = []
    /// Turnover added per (account, currency, district, day); the per-account totals are
    /// folded from it once, when the writer finishes.
    private(set) var balanceChanges = BalanceChanges()
    private(set) var entriesPrepared = 0
    private(set) var postingsPrepared = 0
    private(set) var accountsPrepared = 0

    init(_ db: Database, catalog: LedgerCatalog, now: Timestamp) throws {
        self.catalog = catalog
        self.now = now
        if let head = try db.cachedValue(Data.self, sql: "SELECT hash FROM entries ORDER BY id DESC LIMIT 1") {
            chainHead = try EntryHash.stored(head, "the last entry")
        } else {
            chainHead = .genesis
        }
        var closed: Set<Period> = []
        for text in try db.cachedValues(String.self, sql: "SELECT period FROM closed_periods") {
            closed.insert(try Period(parsing: text))
        }
        closedPeriods = closed
        // The last number of every fiscal year, by index seeks only (a skip-scan over
        // the (fiscal_year, sequence) index), whatever the journal's size.
        var sequences: [Int: Int] = [:]
        for row in try db.cachedRows(sql: """
            WITH RECURSIVE years(year) AS (
                SELECT MIN(fiscal_year) FROM entries
                UNION ALL
                SELECT (SELECT MIN(fiscal_year) FROM entries WHERE fiscal_year > year) FROM years WHERE year IS NOT NULL)
            SELECT year, (SELECT MAX(sequence) FROM entries WHERE fiscal_year = year) AS last FROM years
            WHERE year IS NOT NULL
            """) {
            sequences[row["year"]] = row["last"]
        }
        lastSequenceByYear = sequences
        accountsWithPostings = try Set(db.cachedValues(Int64.self, sql: "SELECT DISTINCT account_id FROM balances"))
        nextAccountID = (try db.cachedValue(Int64.self, sql: "SELECT MAX(id) FROM accounts") ?? 0) + 1
        nextEntryID = (try db.cachedValue(Int64.self, sql: "SELECT MAX(id) FROM entries") ?? 0) + 1
        canonical.reserveCapacity(1024)
        let book = catalog.budgets
        budgetGuard = BudgetGuard(
            book: book, spent: try BudgetRecords.spent(db, book: book),
            committed: book.years.isEmpty ? [:] : try BudgetRecords.committed(db))
    }

    /// Validates, numbers and hashes `draft`, and records its balance changes.
    /// - Throws: `LedgerError` for an invalid draft or a date in a closed period.
    /// Its rows are appended to `rows` (only once every check has passed), for the writer.
    mutating func prepare(
        _ draft: EntryDraft, reverses: (id: Int64, number: EntryNumber)? = nil, into rows: inout EncodedRows
    ) throws(LedgerError) -> PreparedEntry {
        let entry = try EntryValidator.validated(draft, in: catalog.context)
        // Only `reverse` writes reversals: the label alone would waive budget rules.
        guard (entry.source == .reversal) == (reverses != nil), entry.source != .closing else {
            throw .sourceNotAllowed(field: "source", source: entry.source)
        }
        guard !closedPeriods.contains(entry.date.period) else {
            throw .periodClosed(field: "date", period: entry.date.period)
        }
        var accountIDs: [Int64] = []
        accountIDs.reserveCapacity(entry.postings.count)
        for (line, posting) in entry.postings.enumerated() {
            guard let accountID = catalog.accountIDs[posting.accountCode] else {
                throw .accountUnknown(field: "postings[\(line)].account", code: posting.accountCode)
            }
            accountIDs.append(accountID)
        }
        let year = catalog.fiscalCalendar.fiscalYear(of: entry.date)
        // Every check that can refuse the entry comes before any total is changed.
        let admission = try budgetGuard.check(
            entry, fiscalYear: year, chart: catalog.context.chart, isReversal: reverses != nil)
        try accumulateBalances(of: entry, fiscalYear: year, accountIDs: accountIDs)
        budgetGuard.record(admission)
        let warnings = admission.warnings

        let sequence = (lastSequenceByYear[year] ?? 0) + 1
        lastSequenceByYear[year] = sequence
        let number = EntryNumber(fiscalYear: year, sequence: sequence)
        canonical.removeAll(keepingCapacity: true)
        CanonicalEncoding.appendEntry(entry, number: number, postedAt: now, reverses: reverses?.number, to: &canonical)
        let hash = EntryHash.chained(previous: chainHead, canonical: canonical)
        chainHead = hash
        accountsWithPostings.formUnion(accountIDs)
        entriesPrepared += 1
        postingsPrepared += entry.postings.count
        let entryID = nextEntryID
        nextEntryID += 1
        encodeRows(
            of: entry, id: entryID, number: number, accountIDs: accountIDs, reversesID: reverses?.id, hash: hash,
            into: &rows)
        return PreparedEntry(number: number, hash: hash, budgetWarnings: warnings)
    }

    /// The entry row and its posting rows, in the column order of `EntryWriter`'s statements.
    private func encodeRows(
        of entry: EntryDraft, id: Int64, number: EntryNumber, accountIDs: [Int64], reversesID: Int64?, hash: EntryHash,
        into rows: inout EncodedRows
    ) {
        rows.beginEntry(id: id)
        rows.append(Int64(number.fiscalYear), to: .entries)
        rows.append(Int64(number.sequence), to: .entries)
        rows.append(text: entry.date.description, to: .entries)
        rows.append(now.millisecondsSince1970, to: .entries)
        rows.append(text: entry.description, to: .entries)
        rows.append(text: entry.reference, to: .entries)
        rows.append(text: entry.source.rawValue, to: .entries)
        rows.append(text: entry.author, to: .entries)
        rows.append(text: entry.idempotencyKey, to: .entries)
        rows.append(blob: entry.idempotencyKey == nil ? nil : CanonicalEncoding.bodyDigest(entry).bytes, to: .entries)
        rows.append(text: entry.exchangeRate?.description, to: .entries)
        rows.append(reversesID, to: .entries)
        rows.append(blob: hash.bytes, to: .entries)
        for (line, posting) in entry.postings.enumerated() {
            let dimensions = posting.dimensions
            rows.append(id, to: .postings)
            rows.append(Int64(line), to: .postings)
            rows.append(accountIDs[line], to: .postings)
            rows.append(posting.amount.minorUnits, to: .postings)
            rows.append(text: posting.amount.currency.code, to: .postings)
            rows.append(text: dimensions.district, to: .postings)
            rows.append(text: dimensions.budgetLine, to: .postings)
            rows.append(text: dimensions.activity, to: .postings)
            rows.append(text: dimensions.fundingSource, to: .postings)
            rows.append(text: dimensions.party, to: .postings)
            rows.append(text: posting.memo, to: .postings)
        }
    }

    /// Adds the entry's postings to the balance changes, and its expense postings that carry
    /// a district and a budget line to the budget actuals. Every sum is computed (and checked
    /// for overflow) before any is stored, so a refused entry leaves the totals untouched.
    private mutating func accumulateBalances(
        of entry: EntryDraft, fiscalYear: Int, accountIDs: [Int64]
    ) throws(LedgerError) {
        let day = Int32(entry.date.dayNumber)
        dailyUpdates.removeAll(keepingCapacity: true)
        budgetUpdates.removeAll(keepingCapacity: true)
        for (line, posting) in entry.postings.enumerated() {
            let key = DailyBalanceKey(
                accountID: accountIDs[line], currency: posting.amount.currency.code,
                district: posting.dimensions.district ?? "", day: day)
            var totals = dailyUpdates.last(where: { $0.0 == key })?.1 ?? balanceChanges.daily[key] ?? Totals()
            do {
                try totals.add(posting.amount.minorUnits)
            } catch {
                throw .amountOverflow(field: "postings[\(line)].amount")
            }
            dailyUpdates.append((key, totals))

            if let district = posting.dimensions.district, let budgetLine = posting.dimensions.budgetLine,
               catalog.context.chart.account(code: posting.accountCode)?.type == .expense {
                let key = BudgetActualKey(
                    fiscalYear: fiscalYear, district: district, budgetLine: budgetLine, month: entry.date.period,
                    currency: posting.amount.currency.code)
                var totals = budgetUpdates.last(where: { $0.0 == key })?.1 ?? balanceChanges.budget[key] ?? Totals()
                do {
                    try totals.add(posting.amount.minorUnits)
                } catch {
                    throw .amountOverflow(field: "postings[\(line)].amount")
                }
                budgetUpdates.append((key, totals))
            }
        }
        for (key, totals) in dailyUpdates { balanceChanges.daily[key] = totals }
        for (key, totals) in budgetUpdates { balanceChanges.budget[key] = totals }
    }

    /// Checks a new account against the chart and gives it its row id.
    /// - Throws: the chart's `LedgerError`s, or `accountHasPostings` when the new account
    ///   would turn an account that already has postings into a parent.
    mutating func prepare(_ account: Account, field: String) throws(LedgerError) -> PreparedAccount {
        try catalog.context.chart.validate(account, field: field)
        var parentID: Int64?
        if let parentCode = account.parentCode, let id = catalog.accountIDs[parentCode] {
            guard !accountsWithPostings.contains(id) else {
                throw .accountHasPostings(field: field + ".parent", code: parentCode)
            }
            parentID = id
        }
        let id = nextAccountID
        nextAccountID += 1
        catalog = try catalog.adding(account, id: id, field: field)
        accountsPrepared += 1
        return PreparedAccount(id: id, account: account, parentID: parentID, createdAt: now)
    }
}

/// What preparing an entry gave it: its number, its link in the hash chain, and the
/// budget warnings it raised.
struct PreparedEntry: Sendable {
    let number: EntryNumber
    let hash: EntryHash
    let budgetWarnings: [BudgetWarning]
}

/// An account ready to insert, with the row id the preparer gave it.
struct PreparedAccount: Sendable {
    let id: Int64
    let account: Account
    let parentID: Int64?
    let createdAt: Timestamp
}

/// The balance changes of a write, per (account, currency, district, day), and the
/// budget actuals per (year, district, budget line, month, currency).
struct BalanceChanges: Sendable {
    var daily: [DailyBalanceKey: Totals] = [:]
    var budget: [BudgetActualKey: Totals] = [:]

    /// The same changes per (account, currency), for the `balances` table.
    /// - Throws: `amountOverflow` when a total passes `Int64.max`.
    func perAccount() throws(LedgerError) -> [BalanceKey: Totals] {
        var totals: [BalanceKey: Totals] = [:]
        for (key, day) in daily {
            var sum = totals[BalanceKey(accountID: key.accountID, currency: key.currency), default: Totals()]
            do {
                try sum.add(day.debit)
                try sum.add(-day.credit)
            } catch {
                throw .amountOverflow(field: "balance")
            }
            totals[BalanceKey(accountID: key.accountID, currency: key.currency)] = sum
        }
        return totals
    }
}

struct BalanceKey: Hashable, Sendable {
    let accountID: Int64
    let currency: String
}

struct BudgetActualKey: Hashable, Sendable {
    let fiscalYear: Int
    let district: String
    let budgetLine: String
    let month: Period
    let currency: String
}

struct DailyBalanceKey: Hashable, Sendable {
    let accountID: Int64
    let currency: String
    let district: String
    /// Days since 1970-01-01.
    let day: Int32
}

/// Debit and credit turnover, both non-negative, overflow-checked.
struct Totals: Sendable {
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
struct TotalsOverflow: Error {}
