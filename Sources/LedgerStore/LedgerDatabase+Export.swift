import Budgets
import FeeClaims
import Foundation
import FraudRules
import GRDB
import LedgerCore

/// Where a fiscal year's entries sit in the ledger's hash chain, which runs over all years
/// in posting order.
public struct ChainSegment: Hashable, Sendable {
    /// An entry of another year posted between two of this year's (a late entry of the year
    /// before, say): the chain passes through it, so the bundle lists it by number and hash.
    public struct Link: Hashable, Sendable {
        /// The year's entry it follows in the chain; nil before the year's first entry.
        public let after: EntryNumber?
        /// The other year's entry.
        public let number: EntryNumber
        /// Its canonical bytes, so that a verifier recomputes its hash instead of taking it.
        public let canonical: [UInt8]
        /// Its stored hash: SHA-256 of the previous hash and `canonical`.
        public let hash: EntryHash

        public init(after: EntryNumber?, number: EntryNumber, canonical: [UInt8], hash: EntryHash) {
            self.after = after
            self.number = number
            self.canonical = canonical
            self.hash = hash
        }
    }

    /// The hash before the year's first entry (the genesis hash when it is the ledger's first).
    public let startHead: EntryHash
    /// The hash of the year's last entry (the start head for a year without entries).
    public let endHead: EntryHash
    public let links: [Link]
}

/// A finding with its triage, as the audit export lists it.
public struct FindingRecord: Sendable {
    public struct Decision: Hashable, Sendable {
        public let decision: String
        public let actor: String
        public let reason: String
        public let at: Timestamp
    }

    public let finding: StoredFinding
    public let decisions: [Decision]
    /// Approvers who acknowledged it while approving, with when.
    public let acknowledgements: [(actor: String, at: Timestamp)]
}

/// Reads for the audit export, all inside one read transaction: the bundle is one
/// consistent snapshot even while others post.
public struct ExportReader {
    let database: LedgerDatabase
    let db: Database
    let catalog: LedgerCatalog

    /// The ledger's name, organisation, base currency and fiscal calendar.
    public func ledger() throws -> (name: String, organisation: String, baseCurrency: Currency, calendar: FiscalCalendar) {
        guard let meta = try Row.fetchOne(db, sql: "SELECT name, organisation FROM ledger_meta WHERE id = 1") else {
            throw StoreError.notInitialized
        }
        return (meta["name"], meta["organisation"], catalog.baseCurrency, catalog.fiscalCalendar)
    }

    /// The currency the books are kept in.
    public var baseCurrency: Currency { catalog.baseCurrency }

    /// Every account of the chart, in code order.
    public func accounts() -> [Account] {
        catalog.context.chart.accounts.sorted { $0.code < $1.code }
    }

    /// Balances as of the end of `day` (every entry dated on or before it).
    public func trialBalance(asOf day: LedgerDate) throws -> TrialBalance {
        let rows = try Row.fetchAll(db, sql: """
            SELECT account_id, currency, SUM(debit) AS debit, SUM(credit) AS credit FROM daily_balances
            WHERE day <= ? GROUP BY account_id, currency
            """, arguments: [day.description])
        return try TrialBalanceBuilder.build(rows: rows, catalog: catalog, asOf: day, district: nil)
    }

    /// The year's entries in number order, one at a time with their postings: memory does
    /// not grow with the year. Columns are read by position: the export reads millions.
    public func forEachEntry(fiscalYear: Int, _ body: (PostedEntry) throws -> Void) throws {
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT e.id, e.sequence, e.entry_date, e.posted_at, e.description, e.reference, e.source, e.author,
                   e.idempotency_key, e.exchange_rate, e.hash, r.fiscal_year, r.sequence,
                   p.amount, p.currency, p.district, p.budget_line, p.activity, p.funding_source, p.party, p.memo,
                   a.code
            FROM entries e
            LEFT JOIN entries r ON r.id = e.reverses_id
            JOIN postings p ON p.entry_id = e.id JOIN accounts a ON a.id = p.account_id
            WHERE e.fiscal_year = ? ORDER BY e.sequence, p.line
            """, arguments: [fiscalYear])
        var current: (id: Int64, entry: PostedEntry)?
        var postings: [PostingDraft] = []
        func emit() throws {
            guard let (_, entry) = current else { return }
            var draft = entry.draft
            draft.postings = postings
            try body(PostedEntry(id: entry.id, number: entry.number, draft: draft, postedAt: entry.postedAt,
                                 reverses: entry.reverses, reversedBy: nil, hash: entry.hash))
            postings.removeAll(keepingCapacity: true)
        }
        var currencies: [String: Currency] = [:]
        while let row = try cursor.next() {
            let id: Int64 = row[0]
            if current?.id != id {
                try emit()
                current = (id, try Self.entry(row, id: id, fiscalYear: fiscalYear))
            }
            let code: String = row[14]
            guard let currency = currencies[code] ?? Currency.known[code] else {
                throw StoreError.corrupt("a posting has unknown currency \(code)")
            }
            currencies[code] = currency
            postings.append(PostingDraft(
                accountCode: row[21], amount: Money(minorUnits: row[13], currency: currency),
                dimensions: Dimensions(district: row[15], budgetLine: row[16], activity: row[17], fundingSource: row[18],
                                       party: row[19]),
                memo: row[20]))
        }
        try emit()
    }

    /// An entry, without its postings, from the first row of `forEachEntry`'s query.
    private static func entry(_ row: Row, id: Int64, fiscalYear: Int) throws -> PostedEntry {
        let dateText: String = row[2]
        let sourceText: String = row[6]
        guard let date = try? LedgerDate(parsing: dateText), let source = EntrySource(rawValue: sourceText) else {
            throw StoreError.corrupt("entry id \(id) has an invalid date or source")
        }
        var exchangeRate: ExchangeRate?
        if let rateText: String = row[9] {
            exchangeRate = try? ExchangeRate(parsing: rateText)
            if exchangeRate == nil { throw StoreError.corrupt("entry id \(id) has an invalid exchange rate") }
        }
        let reversesYear: Int? = row[11]
        let reversesSequence: Int? = row[12]
        let draft = EntryDraft(date: date, description: row[4], reference: row[5], source: source, author: row[7],
                               idempotencyKey: row[8], exchangeRate: exchangeRate, postings: [])
        return PostedEntry(
            id: ID(rawValue: id), number: EntryNumber(fiscalYear: fiscalYear, sequence: row[1]), draft: draft,
            postedAt: Timestamp(millisecondsSince1970: row[3]),
            reverses: reversesYear.flatMap { year in reversesSequence.map { EntryNumber(fiscalYear: year, sequence: $0) } },
            reversedBy: nil, hash: try EntryHash.stored(row[10], "entry id \(id)"))
    }

    /// The year's place in the hash chain.
    public func chain(fiscalYear: Int) throws -> ChainSegment {
        guard let bounds = try Row.fetchOne(db, sql: """
            SELECT MIN(id) AS first, MAX(id) AS last FROM entries WHERE fiscal_year = ?
            """, arguments: [fiscalYear]), let first: Int64 = bounds["first"], let last: Int64 = bounds["last"] else {
            // No entries this year: the chain as the earlier years left it.
            let head = try Data.fetchOne(db, sql: "SELECT hash FROM entries WHERE fiscal_year < ? ORDER BY id DESC LIMIT 1",
                                         arguments: [fiscalYear])
            let start = try head.map { try EntryHash.stored($0, "the chain head") } ?? .genesis
            return ChainSegment(startHead: start, endHead: start, links: [])
        }
        let before = try Data.fetchOne(db, sql: "SELECT hash FROM entries WHERE id < ? ORDER BY id DESC LIMIT 1",
                                       arguments: [first])
        let startHead = try before.map { try EntryHash.stored($0, "the entry before the year") } ?? .genesis
        guard let lastHash = try Data.fetchOne(db, sql: "SELECT hash FROM entries WHERE id = ?", arguments: [last]) else {
            throw StoreError.corrupt("the year's last entry disappeared")
        }
        var links: [ChainSegment.Link] = []
        for row in try Row.fetchAll(db, sql: """
            SELECT o.fiscal_year, o.sequence, o.hash,
                   (SELECT y.sequence FROM entries y WHERE y.fiscal_year = ?1 AND y.id < o.id ORDER BY y.id DESC LIMIT 1) AS after
            FROM entries o WHERE o.id > ?2 AND o.id < ?3 AND o.fiscal_year <> ?1 ORDER BY o.id
            """, arguments: [fiscalYear, first, last]) {
            let after: Int? = row["after"]
            let number = EntryNumber(fiscalYear: row["fiscal_year"], sequence: row["sequence"])
            guard let entry = try EntryReader.entry(number: number, in: db) else {
                throw StoreError.corrupt("chain link \(number) disappeared")
            }
            var canonical: [UInt8] = []
            CanonicalEncoding.appendEntry(entry.draft, number: number, postedAt: entry.postedAt, reverses: entry.reverses,
                                          to: &canonical)
            links.append(ChainSegment.Link(
                after: after.map { EntryNumber(fiscalYear: fiscalYear, sequence: $0) }, number: number, canonical: canonical,
                hash: try EntryHash.stored(row["hash"], "a chain link")))
        }
        return ChainSegment(startHead: startHead, endHead: try EntryHash.stored(lastHash, "the year's last entry"),
                            links: links)
    }

    /// Budget figures per line of the year, every district.
    public func budgetFigures(fiscalYear: Int) throws -> [BudgetLineFigures] {
        try database.budgetFigures(fiscalYear: fiscalYear, district: nil, in: db)
    }

    /// The year's claims in number order, each with its lines, receipts and events.
    public func forEachClaim(fiscalYear: Int, _ body: (ClaimDetail) throws -> Void) throws {
        let numbers = try Row.fetchAll(db, sql: """
            SELECT district, sequence FROM claims WHERE fiscal_year = ? ORDER BY district, sequence
            """, arguments: [fiscalYear]).map { ClaimNumber(district: $0["district"], fiscalYear: fiscalYear, sequence: $0["sequence"]) }
        for number in numbers { try body(try database.claimDetail(number, in: db)) }
    }

    /// A stored receipt file's bytes.
    public func receiptContent(_ sha256: EntryHash) throws -> [UInt8]? {
        try Data.fetchOne(db, sql: "SELECT content FROM receipts WHERE sha256 = ?", arguments: [Data(sha256.bytes)])
            .map { Array($0) }
    }

    /// Every finding with its triage and acknowledgements, in finding order.
    public func findings() throws -> [FindingRecord] {
        var decisions: [Int64: [FindingRecord.Decision]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM finding_decisions ORDER BY id") {
            decisions[row["finding_id"], default: []].append(FindingRecord.Decision(
                decision: row["decision"], actor: row["actor"], reason: row["reason"],
                at: Timestamp(millisecondsSince1970: row["at"])))
        }
        var acknowledgements: [Int64: [(actor: String, at: Timestamp)]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM finding_acknowledgements ORDER BY at, actor") {
            acknowledgements[row["finding_id"], default: []].append((row["actor"], Timestamp(millisecondsSince1970: row["at"])))
        }
        return try Row.fetchAll(db, sql: "SELECT * FROM findings ORDER BY id").map { row in
            let id: Int64 = row["id"]
            return FindingRecord(finding: try FindingID.stored(row), decisions: decisions[id] ?? [],
                                 acknowledgements: acknowledgements[id] ?? [])
        }
    }
}

extension LedgerDatabase {
    /// Runs `body` with the export reads, in one read transaction (a consistent snapshot).
    public func withExportReader<T>(_ body: (ExportReader) throws -> T) throws -> T {
        try pool.read { db in try body(ExportReader(database: self, db: db, catalog: try catalog(db))) }
    }
}
