import Foundation
import LedgerCore
import LedgerStore
import NeracaTestSupport
import Testing

/// A fresh ledger in its own temporary SQLite file, removed when the value goes away.
final class TestLedger {
    let directory: URL
    let path: String
    let db: LedgerDatabase

    /// Creates the file; with `initialize`, creates the test ledger in it.
    init(fiscalStartMonth: Int = 1, initialize: Bool = true) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("neraca-store-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("ledger.sqlite").path
        db = try LedgerDatabase(path: path)
        if initialize {
            try db.initialize(Self.profile(fiscalStartMonth: fiscalStartMonth), now: Self.at("2024-01-01"))
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A path in this ledger's directory that does not exist yet.
    func siblingPath(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    // MARK: - Reference data

    static func date(_ text: String) -> LedgerDate {
        guard let date = try? LedgerDate(parsing: text) else { preconditionFailure("bad test date \(text)") }
        return date
    }

    static func period(_ text: String) -> Period {
        guard let period = try? Period(parsing: text) else { preconditionFailure("bad test period \(text)") }
        return period
    }

    /// `date` at `hour`:00 UTC.
    static func at(_ date: String, hour: Int64 = 12) -> Timestamp {
        Timestamp(millisecondsSince1970: Int64(Self.date(date).dayNumber) * 86_400_000 + hour * 3_600_000)
    }

    /// The usual "now" of a test: well after the 2024 entries.
    static let now = at("2025-01-10")

    static func idr(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: .idr) }
    static func usd(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: .usd) }

    static let accounts: [Account] = [
        Account(code: "1-1000", nameEn: "Cash and bank", nameId: "Kas dan bank", type: .asset),
        Account(code: "1-1100", nameEn: "Bank BRI (IDR)", type: .asset, parentCode: "1-1000", currency: .idr),
        Account(code: "1-1200", nameEn: "Bank BNI (USD)", type: .asset, parentCode: "1-1000", currency: .usd),
        Account(code: "1-1300", nameEn: "Petty cash", nameId: "Kas kecil", type: .asset, parentCode: "1-1000"),
        Account(code: "1-9000", nameEn: "Currency exchange", type: .asset),
        Account(code: "2-1000", nameEn: "Claims payable", nameId: "Utang klaim", type: .liability),
        Account(code: "3-1000", nameEn: "Net assets", type: .netAssets),
        Account(code: "4-1000", nameEn: "Grant income", nameId: "Pendapatan hibah", type: .income),
        Account(code: "5-1000", nameEn: "Program costs", type: .expense),
        Account(code: "5-1100", nameEn: "Honoraria", nameId: "Honorarium", type: .expense, parentCode: "5-1000"),
        Account(code: "5-1200", nameEn: "Transport", type: .expense, parentCode: "5-1000"),
        Account(code: "5-1300", nameEn: "Pilot project", type: .expense, parentCode: "5-1000",
                opensOn: date("2024-03-01"), closesOn: date("2024-09-01")),
    ]

    static let districts = [
        District(code: "SBT", nameEn: "Seram Bagian Timur", province: "Maluku"),
        District(code: "SBD", nameEn: "Sumba Barat Daya", province: "NTT"),
        District(code: "MKS", nameEn: "Makassar head office", nameId: "Kantor pusat Makassar", province: "Sulawesi Selatan"),
    ]

    static func profile(fiscalStartMonth: Int = 1) -> LedgerProfile {
        guard let chart = try? ChartOfAccounts(accounts) else { preconditionFailure("test chart is invalid") }
        return LedgerProfile(
            name: "test", organisation: "Yayasan Uji", baseCurrency: .idr,
            fiscalCalendar: FiscalCalendar(startMonth: fiscalStartMonth), districts: districts,
            fundingSources: [FundingSource(code: "DTF", name: "Donor trust fund", currency: .usd,
                                           startsOn: date("2023-01-01"), endsOn: date("2026-12-31"))],
            chart: chart)
    }

    /// The context the store validates with, built from the same profile.
    static let context = ValidationContext(
        chart: profile().chart, districts: Set(districts.map(\.code)), fundingSources: ["DTF"])

    // MARK: - Drafts

    /// Dr `account` (with `district`) / Cr the IDR bank.
    static func expense(
        _ minorUnits: Int64, on date: String = "2024-06-15", account: String = "5-1100", district: String? = "SBT",
        description: String = "Honorarium", key: String? = nil
    ) -> EntryDraft {
        EntryDraft(
            date: Self.date(date), description: description, reference: "KW-\(minorUnits)", author: "finance.mks",
            idempotencyKey: key,
            postings: [
                PostingDraft(accountCode: account, amount: idr(minorUnits),
                             dimensions: Dimensions(district: district, budgetLine: "2.1.3", fundingSource: "DTF")),
                PostingDraft(accountCode: "1-1100", amount: idr(-minorUnits)),
            ])
    }

    /// USD 1,000 converted to IDR at 15,650.25 through the exchange account.
    static func conversion(on date: String = "2024-06-03") -> EntryDraft {
        EntryDraft(
            date: Self.date(date), description: "Convert USD 1,000", author: "finance.mks",
            exchangeRate: try? ExchangeRate(parsing: "USD/IDR 15650.25"),
            postings: [
                PostingDraft(accountCode: "1-9000", amount: usd(100_000)),
                PostingDraft(accountCode: "1-1200", amount: usd(-100_000)),
                PostingDraft(accountCode: "1-1100", amount: idr(1_565_025_000)),
                PostingDraft(accountCode: "1-9000", amount: idr(-1_565_025_000)),
            ])
    }

    /// Grant received in USD.
    static func grant(_ minorUnits: Int64, on date: String = "2024-02-01") -> EntryDraft {
        EntryDraft(
            date: Self.date(date), description: "Grant tranche", author: "finance.mks",
            postings: [
                PostingDraft(accountCode: "1-1200", amount: usd(minorUnits), dimensions: Dimensions(fundingSource: "DTF")),
                PostingDraft(accountCode: "4-1000", amount: usd(-minorUnits), dimensions: Dimensions(fundingSource: "DTF")),
            ])
    }

    static func number(_ year: Int, _ sequence: Int) -> EntryNumber { EntryNumber(fiscalYear: year, sequence: sequence) }
}

/// What a refused write must leave exactly as it was.
struct Snapshot: Equatable, CustomStringConvertible {
    let entries: Int
    let postings: Int
    let accounts: Int
    let chainHead: EntryHash
    let lines: [TrialBalance.Line]
    let totals: [TrialBalance.Total]
    let closedPeriods: [Period]

    init(_ db: LedgerDatabase) throws {
        let summary = try db.summary()
        entries = summary.entries
        postings = summary.postings
        accounts = summary.accounts
        chainHead = summary.chainHead
        let balance = try db.trialBalance()
        lines = balance.lines
        totals = balance.totals
        closedPeriods = try db.closedPeriods().map(\.period)
    }

    var description: String { "\(entries) entries, \(postings) postings, head \(chainHead.hex.prefix(12))" }
}

/// Net balances of a trial balance keyed "account|currency" (zero lines never appear).
func nets(_ balance: TrialBalance) -> [String: Int64] {
    var result: [String: Int64] = [:]
    for line in balance.lines {
        #expect(line.debit.minorUnits >= 0 && line.credit.minorUnits >= 0)
        #expect(line.debit.minorUnits == 0 || line.credit.minorUnits == 0, "one column per line")
        #expect(line.debit.currency == line.credit.currency)
        result["\(line.accountCode)|\(line.debit.currency.code)"] = line.net.minorUnits
    }
    return result
}

/// The nets the postings of `drafts` should produce, filtered like the store filters.
func expectedNets(_ drafts: [EntryDraft], asOf: LedgerDate? = nil, district: String? = nil) -> [String: Int64] {
    var result: [String: Int64] = [:]
    for draft in drafts where asOf.map({ draft.date <= $0 }) ?? true {
        for posting in draft.postings where district.map({ posting.dimensions.district == $0 }) ?? true {
            result["\(posting.accountCode)|\(posting.amount.currency.code)", default: 0] += posting.amount.minorUnits
        }
    }
    return result.filter { $0.value != 0 }
}

/// Debit and credit totals per currency of `nets`, as a trial balance would show them.
func expectedTotals(_ nets: [String: Int64]) -> [String: (debit: Int64, credit: Int64)] {
    var result: [String: (debit: Int64, credit: Int64)] = [:]
    for (key, net) in nets {
        let currency = String(key.split(separator: "|")[1])
        var total = result[currency, default: (0, 0)]
        if net > 0 { total.debit += net } else { total.credit -= net }
        result[currency] = total
    }
    return result
}

/// Runs the system `sqlite3` command-line shell on `path`, behind the store's back.
enum SQLiteShell {
    static func run(_ path: String, _ sql: String) throws -> ExternalProgram.Outcome {
        try ExternalProgram(path: "/usr/bin/sqlite3").run([path, sql])
    }
}
