import Foundation
import GRDB
import LedgerCore

extension LedgerDatabase {
    /// The trial balance now, or as of the end of `asOf`, optionally for one district.
    ///
    /// Without filters it reads the maintained `balances` (a few hundred rows, whatever the
    /// journal's size); with filters it sums `daily_balances`, never the postings.
    /// - Throws: `districtUnknown` for a district the ledger does not have.
    public func trialBalance(asOf: LedgerDate? = nil, district: String? = nil) throws -> TrialBalance {
        try pool.read { db in
            let catalog = try catalog(db)
            if let district, !catalog.context.districts.contains(district) {
                throw LedgerError.districtUnknown(field: "district", code: district)
            }
            let rows: [Row]
            if asOf == nil && district == nil {
                rows = try Row.fetchAll(db, sql: "SELECT account_id, currency, debit, credit FROM balances")
            } else {
                rows = try Row.fetchAll(db, sql: """
                    SELECT account_id, currency, SUM(debit) AS debit, SUM(credit) AS credit FROM daily_balances
                    WHERE (?1 IS NULL OR day <= ?1) AND (?2 IS NULL OR district = ?2)
                    GROUP BY account_id, currency
                    """, arguments: [asOf?.description, district])
            }
            return try TrialBalanceBuilder.build(rows: rows, catalog: catalog, asOf: asOf, district: district)
        }
    }

    /// A version of what reports show: it changes whenever an entry is posted (entries are
    /// never deleted, so the last entry's id only grows) or the chart of accounts changes.
    /// Readers cache a report under it; an equal version means the same report.
    public func dataVersion() throws -> LedgerDataVersion {
        try pool.read { db in
            LedgerDataVersion(
                catalog: try LedgerCatalog.currentVersion(db),
                lastEntry: try db.cachedValue(Int64.self, sql: "SELECT MAX(id) FROM entries") ?? 0)
        }
    }

    /// An account's postings between `from` and `to` (inclusive), oldest first, with the
    /// balance brought forward from before `from` and a running balance.
    /// - Throws: `accountUnknown` for an account not in the chart.
    public func register(account code: String, from: LedgerDate? = nil, to: LedgerDate? = nil) throws -> AccountRegister {
        try pool.read { db in
            let catalog = try catalog(db)
            guard let account = catalog.context.chart.account(code: code), let accountID = catalog.accountIDs[code] else {
                throw LedgerError.accountUnknown(field: "account", code: code)
            }
            var running: [Currency: Int64] = [:]
            if let from {
                for row in try Row.fetchAll(db, sql: """
                    SELECT currency, SUM(debit) - SUM(credit) AS net FROM daily_balances
                    WHERE account_id = ? AND day < ? GROUP BY currency
                    """, arguments: [accountID, from.description]) {
                    let currency = try Self.currency(row["currency"])
                    running[currency] = row["net"]
                }
            }
            let opening = running.filter { $0.value != 0 }.sorted { $0.key < $1.key }
                .map { Money(minorUnits: $0.value, currency: $0.key) }
            var lines: [RegisterLine] = []
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT p.amount, p.currency, p.district, p.budget_line, p.activity, p.funding_source, p.party,
                       e.entry_date, e.fiscal_year, e.sequence, e.description, e.reference
                FROM postings p JOIN entries e ON e.id = p.entry_id
                WHERE p.account_id = ?1 AND (?2 IS NULL OR e.entry_date >= ?2) AND (?3 IS NULL OR e.entry_date <= ?3)
                ORDER BY e.entry_date, p.entry_id, p.line
                """, arguments: [accountID, from?.description, to?.description])
            while let row = try cursor.next() {
                let currency = try Self.currency(row["currency"])
                let amount: Int64 = row["amount"]
                let (balance, overflow) = running[currency, default: 0].addingReportingOverflow(amount)
                guard !overflow else { throw LedgerError.amountOverflow(field: "runningBalance") }
                running[currency] = balance
                lines.append(RegisterLine(
                    date: try LedgerDate(parsing: row["entry_date"]),
                    number: EntryNumber(fiscalYear: row["fiscal_year"], sequence: row["sequence"]),
                    description: row["description"], reference: row["reference"],
                    amount: Money(minorUnits: amount, currency: currency),
                    dimensions: Dimensions(
                        district: row["district"], budgetLine: row["budget_line"], activity: row["activity"],
                        fundingSource: row["funding_source"], party: row["party"]),
                    runningBalance: Money(minorUnits: balance, currency: currency)))
            }
            return AccountRegister(account: account, from: from, to: to, openingBalances: opening, lines: lines)
        }
    }

    /// The entry with `number`, with its postings, or nil.
    public func entry(_ number: EntryNumber) throws -> PostedEntry? {
        try pool.read { db in try EntryReader.entry(number: number, in: db) }
    }

    /// Every account of the chart, parents before children.
    public func accounts() throws -> [Account] {
        try pool.read { db in try catalog(db).context.chart.accounts }
    }

    /// Districts of the ledger, by code.
    public func districts() throws -> [District] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM districts ORDER BY code").map {
                District(code: $0["code"], nameEn: $0["name_en"], nameId: $0["name_id"], province: $0["province"])
            }
        }
    }

    /// The currency the books are kept in (amounts without a currency are in it).
    public func baseCurrency() throws -> Currency {
        try pool.read { db in try catalog(db).baseCurrency }
    }

    /// Name, currency, counts and chain head. Counts the rows: not for hot paths.
    /// - Throws: `StoreError.notInitialized` for an empty database.
    public func summary() throws -> LedgerSummary {
        try pool.read { db in
            let catalog = try catalog(db)
            guard let meta = try Row.fetchOne(db, sql: "SELECT name, organisation FROM ledger_meta WHERE id = 1") else {
                throw StoreError.notInitialized
            }
            let head = try Data.fetchOne(db, sql: "SELECT hash FROM entries ORDER BY id DESC LIMIT 1")
            return LedgerSummary(
                name: meta["name"], organisation: meta["organisation"], baseCurrency: catalog.baseCurrency,
                fiscalCalendar: catalog.fiscalCalendar, accounts: catalog.context.chart.count,
                entries: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entries") ?? 0,
                postings: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM postings") ?? 0,
                chainHead: try head.map { try EntryHash.stored($0, "the last entry") } ?? .genesis)
        }
    }

    static func currency(_ code: String) throws -> Currency {
        guard let currency = Currency.known[code] else { throw StoreError.corrupt("unknown currency \(code)") }
        return currency
    }
}

/// Turns (account, currency, debit, credit) rows into an ordered trial balance.
enum TrialBalanceBuilder {
    static func build(rows: [Row], catalog: LedgerCatalog, asOf: LedgerDate?, district: String?) throws -> TrialBalance {
        var lines: [TrialBalance.Line] = []
        var totals: [Currency: (debit: Int64, credit: Int64)] = [:]
        for row in rows {
            let accountID: Int64 = row["account_id"]
            guard let code = catalog.accountCodes[accountID], let account = catalog.context.chart.account(code: code) else {
                throw StoreError.corrupt("balance for unknown account id \(accountID)")
            }
            let currency = try LedgerDatabase.currency(row["currency"])
            let debit: Int64 = row["debit"]
            let credit: Int64 = row["credit"]
            let (net, overflow) = debit.subtractingReportingOverflow(credit)
            guard !overflow else { throw LedgerError.amountOverflow(field: "balance") }
            guard net != 0 else { continue }
            let line = TrialBalance.Line(
                accountCode: code, accountNameEn: account.nameEn, accountNameId: account.nameId, accountType: account.type,
                debit: Money(minorUnits: net > 0 ? net : 0, currency: currency),
                credit: Money(minorUnits: net < 0 ? -net : 0, currency: currency))
            lines.append(line)
            var total = totals[currency, default: (0, 0)]
            let (newDebit, overflowDebit) = total.debit.addingReportingOverflow(line.debit.minorUnits)
            let (newCredit, overflowCredit) = total.credit.addingReportingOverflow(line.credit.minorUnits)
            guard !overflowDebit, !overflowCredit else { throw LedgerError.amountOverflow(field: "total") }
            total = (newDebit, newCredit)
            totals[currency] = total
        }
        lines.sort { ($0.accountCode, $0.debit.currency.code) < ($1.accountCode, $1.debit.currency.code) }
        let totalList = totals.sorted { $0.key < $1.key }.map {
            TrialBalance.Total(
                currency: $0.key, debit: Money(minorUnits: $0.value.debit, currency: $0.key),
                credit: Money(minorUnits: $0.value.credit, currency: $0.key))
        }
        return TrialBalance(asOf: asOf, district: district, lines: lines, totals: totalList)
    }
}

/// Which entries a listing returns.
public struct EntryFilter: Sendable, Equatable {
    public var from: LedgerDate?
    public var to: LedgerDate?
    /// Entries with a posting to this account (code).
    public var account: String?
    /// Entries with a posting in this district.
    public var district: String?

    public init(from: LedgerDate? = nil, to: LedgerDate? = nil, account: String? = nil, district: String? = nil) {
        self.from = from
        self.to = to
        self.account = account
        self.district = district
    }
}

/// One page of entries, in posting order, and where the next page starts.
public struct EntryPage: Sendable {
    public let entries: [PostedEntry]
    /// Pass as `after` for the next page; nil on the last page.
    public let next: Int64?
}

extension LedgerDatabase {
    /// Entries matching `filter`, in posting order, `limit` at a time after the entry with
    /// storage id `after` (keyset pagination: pages stay stable while entries are added).
    /// - Throws: `LedgerError.accountUnknown` for an unknown account code.
    public func entries(_ filter: EntryFilter, after: Int64? = nil, limit: Int) throws -> EntryPage {
        let limit = max(1, min(limit, 1_000))
        return try pool.read { db in
            var sql = EntryReader.selectEntries + " WHERE e.id > ?"
            var arguments: StatementArguments = [after ?? 0]
            if let from = filter.from { sql += " AND e.entry_date >= ?"; arguments += [from.description] }
            if let to = filter.to { sql += " AND e.entry_date <= ?"; arguments += [to.description] }
            if let code = filter.account {
                guard let accountID = try catalog(db).accountIDs[code] else {
                    throw LedgerError.accountUnknown(field: "account", code: code)
                }
                sql += " AND EXISTS (SELECT 1 FROM postings p WHERE p.entry_id = e.id AND p.account_id = ?)"
                arguments += [accountID]
            }
            if let district = filter.district {
                sql += " AND EXISTS (SELECT 1 FROM postings p WHERE p.entry_id = e.id AND p.district = ?)"
                arguments += [district]
            }
            sql += " ORDER BY e.id LIMIT ?"
            arguments += [limit + 1]
            var rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let more = rows.count > limit
            if more { rows.removeLast() }
            // The page's postings in a query per 500 entries (below any SQLite's limit of bound
            // values), not one per entry.
            let ids = rows.map { $0["id"] as Int64 }
            var postings: [Int64: [PostingDraft]] = [:]
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = Array(ids[start..<min(start + 500, ids.count)])
                let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                for row in try Row.fetchAll(db, sql: """
                    SELECT p.*, a.code AS account_code FROM postings p JOIN accounts a ON a.id = p.account_id
                    WHERE p.entry_id IN (\(placeholders)) ORDER BY p.entry_id, p.line
                    """, arguments: StatementArguments(chunk)) {
                    postings[row["entry_id"], default: []].append(try EntryReader.decodePosting(row))
                }
            }
            let entries = try rows.map { row in
                try EntryReader.decode(entry: row, postings: postings[row["id"] as Int64] ?? [])
            }
            return EntryPage(entries: entries, next: more ? entries.last?.id.rawValue : nil)
        }
    }
}

/// See `LedgerDatabase.dataVersion()`.
public struct LedgerDataVersion: Hashable, Sendable {
    public let catalog: Int64
    public let lastEntry: Int64
}
