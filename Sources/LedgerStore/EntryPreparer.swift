import Foundation
import GRDB
import LedgerCore

/// The in-memory half of posting: validates an entry, numbers it, links it into the hash
/// chain and accumulates its balance changes — everything except the SQL.
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
    private var nextAccountID: Int64
    /// Row ids are given here, inside the write transaction, so that postings can be
    /// encoded with their entry's id before the entry is inserted.
    private var nextEntryID: Int64
    private var canonical: [UInt8] = []
    private(set) var balanceDeltas: [BalanceKey: Totals] = [:]
    private(set) var dailyDeltas: [DailyBalanceKey: Totals] = [:]
    private(set) var entriesPrepared = 0
    private(set) var postingsPrepared = 0
    private(set) var accountsPrepared = 0

    init(_ db: Database, catalog: LedgerCatalog, now: Timestamp) throws {
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
        // The last number of every fiscal year, by index seeks only (a skip-scan over
        // the (fiscal_year, sequence) index), whatever the journal's size.
        var sequences: [Int: Int] = [:]
        for row in try Row.fetchAll(db, sql: """
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
        accountsWithPostings = try Set(Int64.fetchAll(db, sql: "SELECT DISTINCT account_id FROM balances"))
        nextAccountID = (try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM accounts") ?? 0) + 1
        nextEntryID = (try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM entries") ?? 0) + 1
        canonical.reserveCapacity(1024)
    }

    /// Validates, numbers and hashes `draft`, and records its balance changes.
    /// - Throws: `LedgerError` for an invalid draft or a date in a closed period.
    mutating func prepare(_ draft: EntryDraft, reverses: (id: Int64, number: EntryNumber)? = nil) throws(LedgerError) -> PreparedEntry {
        let entry = try EntryValidator.validated(draft, in: catalog.context)
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
        try accumulateBalances(of: entry, accountIDs: accountIDs)

        let year = catalog.fiscalCalendar.fiscalYear(of: entry.date)
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
        return PreparedEntry(
            entryID: entryID, number: number, hash: hash, postingCount: entry.postings.count,
            rows: encodeRows(
                of: entry, id: entryID, number: number, accountIDs: accountIDs, reversesID: reverses?.id, hash: hash))
    }

    /// The entry row then its posting rows, in the column order of `EntryWriter`'s statements.
    private func encodeRows(
        of entry: EntryDraft, id: Int64, number: EntryNumber, accountIDs: [Int64], reversesID: Int64?, hash: EntryHash
    ) -> EncodedRows {
        var rows = EncodedRows(
            valueCapacity: EntryWriter.entryColumnCount + EntryWriter.postingColumnCount * entry.postings.count,
            byteCapacity: 256 + 48 * entry.postings.count)
        rows.append(id)
        rows.append(Int64(number.fiscalYear))
        rows.append(Int64(number.sequence))
        rows.append(text: entry.date.description)
        rows.append(now.millisecondsSince1970)
        rows.append(text: entry.description)
        rows.append(text: entry.reference)
        rows.append(text: entry.source.rawValue)
        rows.append(text: entry.author)
        rows.append(text: entry.idempotencyKey)
        rows.append(blob: entry.idempotencyKey == nil ? nil : CanonicalEncoding.bodyDigest(entry).bytes)
        rows.append(text: entry.exchangeRate?.description)
        rows.append(reversesID)
        rows.append(blob: hash.bytes)
        for (line, posting) in entry.postings.enumerated() {
            let dimensions = posting.dimensions
            rows.append(id)
            rows.append(Int64(line))
            rows.append(accountIDs[line])
            rows.append(posting.amount.minorUnits)
            rows.append(text: posting.amount.currency.code)
            rows.append(text: dimensions.district)
            rows.append(text: dimensions.budgetLine)
            rows.append(text: dimensions.activity)
            rows.append(text: dimensions.fundingSource)
            rows.append(text: dimensions.party)
            rows.append(text: posting.memo)
        }
        return rows
    }

    /// Adds the entry's postings to the balance changes. Every sum is computed (and checked
    /// for overflow) before any is stored, so a refused entry leaves the totals untouched.
    private mutating func accumulateBalances(of entry: EntryDraft, accountIDs: [Int64]) throws(LedgerError) {
        let day = Int32(entry.date.dayNumber)
        var balanceUpdates: [(BalanceKey, Totals)] = []
        var dailyUpdates: [(DailyBalanceKey, Totals)] = []
        for (line, posting) in entry.postings.enumerated() {
            let amount = posting.amount.minorUnits
            let currency = posting.amount.currency.code
            let key = BalanceKey(accountID: accountIDs[line], currency: currency)
            let dailyKey = DailyBalanceKey(
                accountID: accountIDs[line], currency: currency, district: posting.dimensions.district ?? "", day: day)
            var totals = balanceUpdates.last(where: { $0.0 == key })?.1 ?? balanceDeltas[key] ?? Totals()
            var dailyTotals = dailyUpdates.last(where: { $0.0 == dailyKey })?.1 ?? dailyDeltas[dailyKey] ?? Totals()
            do {
                try totals.add(amount)
                try dailyTotals.add(amount)
            } catch {
                throw .amountOverflow(field: "postings[\(line)].amount")
            }
            balanceUpdates.append((key, totals))
            dailyUpdates.append((dailyKey, dailyTotals))
        }
        for (key, totals) in balanceUpdates { balanceDeltas[key] = totals }
        for (key, totals) in dailyUpdates { dailyDeltas[key] = totals }
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

/// An entry ready to insert: validated, numbered, hashed and encoded as rows.
struct PreparedEntry: Sendable {
    let entryID: Int64
    let number: EntryNumber
    let hash: EntryHash
    let postingCount: Int
    let rows: EncodedRows
}

/// An account ready to insert, with the row id the preparer gave it.
struct PreparedAccount: Sendable {
    let id: Int64
    let account: Account
    let parentID: Int64?
    let createdAt: Timestamp
}

struct BalanceKey: Hashable, Sendable {
    let accountID: Int64
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
