import LedgerCore
import LedgerStore
import Testing

@Suite("Trial balance, register and summary")
struct ReadTests {
    typealias T = TestLedger

    /// A small year: a grant, a conversion, expenses in three districts and without one.
    static let drafts: [EntryDraft] = [
        T.grant(2_000_000, on: "2024-02-01"),
        T.conversion(on: "2024-02-05"),
        T.expense(150_000_000, on: "2024-03-10", district: "SBT"),
        T.expense(75_000_000, on: "2024-03-10", account: "5-1200", district: "SBD"),
        T.expense(20_000_000, on: "2024-04-30", account: "5-1300", district: "MKS"),
        T.expense(5_000_000, on: "2024-05-01", district: nil),
        T.expense(1_000_000, on: "2024-06-15", district: "SBT"),
        EntryDraft(
            date: T.date("2024-06-20"), description: "Advance to field team", author: "finance.mks",
            postings: [
                PostingDraft(accountCode: "1-1300", amount: T.idr(10_000_000), dimensions: Dimensions(district: "SBD")),
                PostingDraft(accountCode: "1-1100", amount: T.idr(-10_000_000)),
            ]),
        T.expense(2_500_000, on: "2024-12-31", account: "5-1200", district: "SBD"),
    ]

    static func posted() throws -> TestLedger {
        let ledger = try TestLedger()
        // Posted out of date order, in two batches and singly.
        try ledger.db.post(batch: Array(drafts[0..<4]), now: T.now)
        for draft in drafts[4...].reversed() { try ledger.db.post(draft, now: T.now) }
        return ledger
    }

    @Test func theTrialBalanceBalancesPerCurrency() throws {
        let ledger = try Self.posted()
        let balance = try ledger.db.trialBalance()
        #expect(balance.asOf == nil && balance.district == nil)
        #expect(nets(balance) == expectedNets(Self.drafts))
        #expect(balance.totals.map(\.currency) == [.idr, .usd])
        for total in balance.totals {
            #expect(total.debit.minorUnits == total.credit.minorUnits, "\(total.currency)")
            #expect(total.debit.currency == total.currency && total.credit.currency == total.currency)
        }
        let expected = expectedTotals(expectedNets(Self.drafts))
        #expect(balance.totals.first { $0.currency == .idr }?.debit.minorUnits == expected["IDR"]?.debit)
        #expect(balance.totals.first { $0.currency == .usd }?.debit.minorUnits == expected["USD"]?.debit)
        // Ordered by account code, then currency, with names and types from the chart.
        let keys = balance.lines.map { "\($0.accountCode)|\($0.debit.currency.code)" }
        #expect(keys == keys.sorted())
        #expect(keys.contains("1-9000|IDR") && keys.contains("1-9000|USD"))
        let income = try #require(balance.lines.first { $0.accountCode == "4-1000" })
        #expect(income.accountNameEn == "Grant income" && income.accountNameId == "Pendapatan hibah")
        #expect(income.accountType == .income)
        #expect(income.credit == T.usd(2_000_000) && income.debit == T.usd(0))
        let honoraria = try #require(balance.lines.first { $0.accountCode == "5-1100" })
        #expect(honoraria.debit == T.idr(156_000_000) && honoraria.credit == T.idr(0) && honoraria.net == T.idr(156_000_000))
    }

    @Test(arguments: ["2024-01-31", "2024-02-01", "2024-03-09", "2024-03-10", "2024-05-01", "2024-06-19", "2024-12-30", "2025-01-01"])
    func asOfCountsEntriesUpToAndIncludingTheDate(date: String) throws {
        let ledger = try Self.posted()
        let balance = try ledger.db.trialBalance(asOf: T.date(date))
        #expect(balance.asOf == T.date(date))
        let expected = expectedNets(Self.drafts, asOf: T.date(date))
        #expect(nets(balance) == expected)
        for total in balance.totals {
            #expect(total.debit == total.credit, "unfiltered by district, every date balances")
        }
        #expect(balance.totals.count == Set(expected.keys.map { $0.split(separator: "|")[1] }).count)
    }

    @Test(arguments: ["SBT", "SBD", "MKS"])
    func districtCountsOnlyItsPostings(district: String) throws {
        let ledger = try Self.posted()
        let balance = try ledger.db.trialBalance(district: district)
        #expect(balance.district == district)
        let expected = expectedNets(Self.drafts, district: district)
        #expect(!expected.isEmpty)
        #expect(nets(balance) == expected)
        let totals = expectedTotals(expected)
        for total in balance.totals {
            #expect(total.debit.minorUnits == totals[total.currency.code]?.debit)
            #expect(total.credit.minorUnits == totals[total.currency.code]?.credit)
        }
        let asOf = T.date("2024-06-15")
        #expect(try nets(ledger.db.trialBalance(asOf: asOf, district: district))
                == expectedNets(Self.drafts, asOf: asOf, district: district))
    }

    @Test func anUnknownDistrictIsRefused() throws {
        let ledger = try Self.posted()
        #expect(throws: LedgerError.districtUnknown(field: "district", code: "KPG")) { try ledger.db.trialBalance(district: "KPG") }
        #expect(throws: LedgerError.districtUnknown(field: "district", code: "")) { try ledger.db.trialBalance(district: "") }
        #expect(throws: LedgerError.districtUnknown(field: "district", code: "sbt")) {
            try ledger.db.trialBalance(asOf: T.date("2024-06-30"), district: "sbt")
        }
    }

    @Test func anEmptyLedgerHasAnEmptyTrialBalance() throws {
        let ledger = try TestLedger()
        #expect(try ledger.db.trialBalance().lines.isEmpty)
        #expect(try ledger.db.trialBalance().totals.isEmpty)
        #expect(try ledger.db.trialBalance(asOf: T.date("2024-12-31"), district: "SBT").lines.isEmpty)
    }

    // MARK: - Register

    @Test func registerWithOpeningAndRunningBalance() throws {
        let ledger = try TestLedger()
        let first = try ledger.db.post(T.expense(100_000, on: "2024-03-10", description: "March"), now: T.now)
        let late = try ledger.db.post(T.expense(40_000, on: "2024-06-15", district: "SBD", description: "June B"), now: T.now)
        let early = try ledger.db.post(T.expense(30_000, on: "2024-06-01", description: "June A"), now: T.now)
        let sameDay = try ledger.db.post(T.expense(-5_000, on: "2024-06-15", description: "June refund"), now: T.now)
        try ledger.db.post(T.expense(7_000, on: "2024-07-01", description: "July"), now: T.now)
        try ledger.db.post(T.expense(9_999, on: "2024-06-20", account: "5-1200"), now: T.now)  // another account

        let register = try ledger.db.register(account: "5-1100", from: T.date("2024-06-01"), to: T.date("2024-06-30"))
        #expect(register.account.code == "5-1100" && register.account.nameEn == "Honoraria")
        #expect(register.from == T.date("2024-06-01") && register.to == T.date("2024-06-30"))
        #expect(register.openingBalances == [T.idr(100_000)])
        #expect(register.lines.map(\.number) == [early.number, late.number, sameDay.number])
        #expect(register.lines.map(\.amount) == [T.idr(30_000), T.idr(40_000), T.idr(-5_000)])
        #expect(register.lines.map(\.runningBalance) == [T.idr(130_000), T.idr(170_000), T.idr(165_000)])
        #expect(register.lines.map(\.description) == ["June A", "June B", "June refund"])
        #expect(register.lines[1].date == T.date("2024-06-15"))
        #expect(register.lines[1].reference == "KW-40000")
        #expect(register.lines[1].dimensions == Dimensions(district: "SBD", budgetLine: "2.1.3", fundingSource: "DTF"))

        let all = try ledger.db.register(account: "5-1100")
        #expect(all.openingBalances.isEmpty)
        #expect(all.lines.map(\.number) == [first.number, early.number, late.number, sameDay.number, T.number(2024, 5)])
        #expect(all.lines.last?.runningBalance == T.idr(172_000))

        let untilMay = try ledger.db.register(account: "5-1100", to: T.date("2024-05-31"))
        #expect(untilMay.lines.map(\.runningBalance) == [T.idr(100_000)])

        let fromAugust = try ledger.db.register(account: "5-1100", from: T.date("2024-08-01"))
        #expect(fromAugust.openingBalances == [T.idr(172_000)])
        #expect(fromAugust.lines.isEmpty)

        let bank = try ledger.db.register(account: "1-1100", from: T.date("2024-06-16"))
        #expect(bank.openingBalances == [T.idr(-165_000)])
        #expect(bank.lines.map(\.runningBalance) == [T.idr(-174_999), T.idr(-181_999)])
    }

    @Test func registerOfAnAccountInTwoCurrencies() throws {
        let ledger = try TestLedger()
        try ledger.db.post(T.grant(500_000), now: T.now)
        try ledger.db.post(T.conversion(on: "2024-06-03"), now: T.now)
        try ledger.db.post(T.conversion(on: "2024-06-04"), now: T.now)
        let register = try ledger.db.register(account: "1-9000", from: T.date("2024-06-04"))
        #expect(register.openingBalances == [T.idr(-1_565_025_000), T.usd(100_000)])
        #expect(register.lines.map(\.runningBalance) == [T.usd(200_000), T.idr(-3_130_050_000)])
        // An account without postings has neither an opening balance nor lines.
        let empty = try ledger.db.register(account: "1-1300", from: T.date("2024-06-04"))
        #expect(empty.openingBalances.isEmpty && empty.lines.isEmpty)
    }

    @Test func registerOfAnUnknownAccountIsRefused() throws {
        let ledger = try TestLedger()
        #expect(throws: LedgerError.accountUnknown(field: "account", code: "9-9999")) {
            try ledger.db.register(account: "9-9999")
        }
    }

    @Test func summaryCountsEverything() throws {
        let ledger = try Self.posted()
        let summary = try ledger.db.summary()
        #expect(summary.name == "test" && summary.organisation == "Yayasan Uji")
        #expect(summary.baseCurrency == .idr && summary.fiscalCalendar == .calendarYear)
        #expect(summary.accounts == 12)
        #expect(summary.entries == Self.drafts.count)
        #expect(summary.postings == Self.drafts.reduce(0) { $0 + $1.postings.count })
        #expect(summary.chainHead == (try ledger.db.verify().chainHead))
    }
}
