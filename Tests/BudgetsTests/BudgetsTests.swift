import Budgets
import LedgerCore
import Testing

// MARK: - Fixtures

/// A small chart, policy and budget book shared by the budget tests.
enum BudgetFixtures {
    static let year = 2024

    static func idr(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: .idr) }
    static func usd(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: .usd) }

    static func key(_ district: String, _ code: String, year: Int = BudgetFixtures.year) -> BudgetLineKey {
        BudgetLineKey(fiscalYear: year, district: district, code: code)
    }

    static func date(_ text: String) -> LedgerDate {
        guard let date = try? LedgerDate(parsing: text) else { preconditionFailure("bad test date \(text)") }
        return date
    }

    static func period(_ text: String) -> Period {
        guard let period = try? Period(parsing: text) else { preconditionFailure("bad test period \(text)") }
        return period
    }

    /// Bank (asset), claims payable (liability), grant income, program costs with two
    /// budgeted leaves, and not-budgeted bank charges (a parent with a child and a
    /// grandchild) and exchange losses (a root).
    static let chart: ChartOfAccounts = {
        var chart = ChartOfAccounts()
        do {
            try chart.add(Account(code: "1-1100", nameEn: "Bank BRI", type: .asset), field: "accounts")
            try chart.add(Account(code: "2-1000", nameEn: "Claims payable", type: .liability), field: "accounts")
            try chart.add(Account(code: "4-1000", nameEn: "Grant income", type: .income), field: "accounts")
            try chart.add(Account(code: "5-1000", nameEn: "Program costs", type: .expense), field: "accounts")
            try chart.add(Account(code: "5-1100", nameEn: "Honoraria", type: .expense, parentCode: "5-1000"), field: "accounts")
            try chart.add(Account(code: "5-1200", nameEn: "Transport", type: .expense, parentCode: "5-1000"), field: "accounts")
            try chart.add(Account(code: "5-9000", nameEn: "Bank charges", type: .expense), field: "accounts")
            try chart.add(Account(code: "5-9100", nameEn: "Transfer fees", type: .expense, parentCode: "5-9000"), field: "accounts")
            try chart.add(Account(code: "5-9110", nameEn: "SWIFT fees", type: .expense, parentCode: "5-9100"), field: "accounts")
            try chart.add(Account(code: "5-9200", nameEn: "Exchange losses", type: .expense), field: "accounts")
        } catch {
            preconditionFailure("fixture chart is invalid: \(error)")
        }
        return chart
    }()

    static let policy = BudgetPolicy(
        categories: [
            "program": CategoryRule(overBudget: .block, warningPercent: 90),
            "operations": CategoryRule(overBudget: .warn, warningPercent: 80),
        ],
        notBudgetedAccounts: ["5-9000", "5-9200"])

    static func current(
        _ key: BudgetLineKey, _ name: String, component: String = "C1 Training", category: String,
        original: Money, revised: Money? = nil
    ) -> CurrentBudgetLine {
        CurrentBudgetLine(
            line: BudgetLine(key: key, nameEn: name, nameId: name + " (id)", component: component, category: category,
                             amount: original),
            revised: revised ?? original)
    }

    /// 2024: SBT/1.2 block 90 % (original 900,000, revised 1,000,000), SBT/1.10 warn 80 %,
    /// MKS/2.1 in USD, SBT/9.9 of a category the policy no longer has, SBT/0.1 with a zero
    /// budget. 2025: SBT/1.2 only. 2026 and later: no budget.
    static let book = BudgetBook(
        lines: [
            current(key("SBT", "1.2"), "Village facilitators", category: "program",
                    original: idr(900_000), revised: idr(1_000_000)),
            current(key("SBT", "1.10"), "Office supplies", category: "operations", original: idr(500_000)),
            current(key("MKS", "2.1"), "Livelihood grants", category: "program", original: usd(10_000)),
            current(key("SBT", "9.9"), "Legacy line", category: "retired", original: idr(10_000)),
            current(key("SBT", "0.1"), "Unfunded", category: "program", original: idr(0)),
            current(key("SBT", "1.2", year: 2025), "Village facilitators", category: "program",
                    original: idr(5_000_000)),
        ],
        policy: policy)

    static func budgetGuard(
        spent: [BudgetLineKey: Int64] = [:], committed: [BudgetLineKey: Int64] = [:]
    ) -> BudgetGuard {
        BudgetGuard(book: book, spent: spent, committed: committed)
    }

    static func expense(
        _ amount: Money, account: String = "5-1100", district: String? = "SBT", line: String? = "1.2"
    ) -> PostingDraft {
        PostingDraft(accountCode: account, amount: amount, dimensions: Dimensions(district: district, budgetLine: line))
    }

    static func posting(_ account: String, _ amount: Money) -> PostingDraft {
        PostingDraft(accountCode: account, amount: amount)
    }

    /// `postings` as given, then one bank posting per currency that balances them.
    static func entry(_ postings: [PostingDraft], source: EntrySource = .manual) -> EntryDraft {
        var all = postings
        var sums: [Currency: Int64] = [:]
        for posting in postings { sums[posting.amount.currency, default: 0] &+= posting.amount.minorUnits }
        for currency in sums.keys.sorted() where sums[currency] != 0 {
            all.append(posting("1-1100", Money(minorUnits: 0 &- (sums[currency] ?? 0), currency: currency)))
        }
        return EntryDraft(date: date("2024-06-15"), description: "Test entry", source: source, author: "finance.sbt",
                          postings: all)
    }
}

/// A warning's fields, comparable as a whole (`BudgetWarning` has no public initialiser).
struct WarningFigures: Equatable, CustomTestStringConvertible {
    let kind: BudgetWarning.Kind
    let line: String
    let lineName: String
    let budget: Money
    let spent: Money
    let committed: Money
    let requested: Money

    init(kind: BudgetWarning.Kind, line: String, lineName: String, budget: Money, spent: Money, committed: Money,
         requested: Money) {
        self.kind = kind
        self.line = line
        self.lineName = lineName
        self.budget = budget
        self.spent = spent
        self.committed = committed
        self.requested = requested
    }

    init(_ warning: BudgetWarning) {
        self.init(kind: warning.kind, line: "\(warning.line.fiscalYear) \(warning.line)", lineName: warning.lineName,
                  budget: warning.budget, spent: warning.spent, committed: warning.committed,
                  requested: warning.requested)
    }

    var testDescription: String {
        "\(kind) \(line) (\(lineName)): budget \(budget.minorUnits) spent \(spent.minorUnits)"
            + " committed \(committed.minorUnits) requested \(requested.minorUnits) \(budget.currency)"
    }
}

// MARK: - BudgetGuard

@Suite("Budget guard")
struct BudgetGuardTests {
    typealias F = BudgetFixtures

    static let facilitators = "Village facilitators"

    static func admit(
        _ budgetGuard: inout BudgetGuard, _ entry: EntryDraft, fiscalYear: Int = F.year
    ) throws(LedgerError) -> [WarningFigures] {
        try budgetGuard.admit(entry, fiscalYear: fiscalYear, chart: F.chart).map(WarningFigures.init)
    }

    static func commit(
        _ budgetGuard: inout BudgetGuard, _ amount: Money, on key: BudgetLineKey = F.key("SBT", "1.2")
    ) throws(LedgerError) -> [WarningFigures] {
        try budgetGuard.admitCommitment(amount, on: key, field: "amount").map(WarningFigures.init)
    }

    static func overBudget(
        field: String = "postings[0].amount", line: String = "SBT/1.2", budget: Int64 = 1_000_000, spent: Int64,
        committed: Int64 = 0, requested: Int64
    ) -> LedgerError {
        .overBudget(field: field, line: line, budget: F.idr(budget), spent: F.idr(spent), committed: F.idr(committed),
                    requested: F.idr(requested))
    }

    static func facilitatorsWarning(
        _ kind: BudgetWarning.Kind, spent: Int64, committed: Int64 = 0, requested: Int64
    ) -> WarningFigures {
        WarningFigures(kind: kind, line: "2024 SBT/1.2", lineName: facilitators, budget: F.idr(1_000_000),
                       spent: F.idr(spent), committed: F.idr(committed), requested: F.idr(requested))
    }

    // MARK: Years and accounts that need nothing

    @Test(arguments: [2023, 2026])
    func aYearWithoutBudgetPostsFreely(year: Int) throws {
        var budgetGuard = F.budgetGuard(spent: [F.key("SBT", "1.2", year: year): 5_000_000])
        let entries = [
            F.entry([F.expense(F.idr(99_000_000), district: nil, line: nil)]),
            F.entry([F.expense(F.usd(1), district: "XXX", line: "0.0")]),
            F.entry([F.expense(F.idr(99_000_000))]),
        ]
        for entry in entries {
            #expect(try Self.admit(&budgetGuard, entry, fiscalYear: year) == [])
        }
        // The same first entry in a budgeted year is refused: the year is what exempted it.
        #expect(throws: LedgerError.budgetDimensionRequired(field: "postings[0].district", fiscalYear: 2025)) {
            try Self.admit(&budgetGuard, entries[0], fiscalYear: 2025)
        }
    }

    @Test func aBudgetedYearIsOneWithAtLeastOneLine() {
        #expect(F.book.years == [2024, 2025])
        #expect(BudgetBook.empty.years.isEmpty)
        #expect(BudgetBook.empty.lines.isEmpty)
    }

    @Test func anExpenseWithoutDistrictIsRefusedNamingThePosting() {
        var budgetGuard = F.budgetGuard()
        let entry = F.entry([F.posting("1-1100", F.idr(-100)), F.expense(F.idr(100), district: nil)])
        #expect(throws: LedgerError.budgetDimensionRequired(field: "postings[1].district", fiscalYear: 2024)) {
            try Self.admit(&budgetGuard, entry)
        }
        // Without either dimension, the district is named first.
        let neither = F.entry([F.expense(F.idr(100), district: nil, line: nil)])
        #expect(throws: LedgerError.budgetDimensionRequired(field: "postings[0].district", fiscalYear: 2024)) {
            try Self.admit(&budgetGuard, neither)
        }
    }

    @Test func anExpenseWithoutBudgetLineIsRefusedNamingThePosting() {
        var budgetGuard = F.budgetGuard()
        let entry = F.entry([
            F.posting("1-1100", F.idr(-300)), F.expense(F.idr(100)), F.expense(F.idr(200), account: "5-1200", line: nil),
        ])
        #expect(throws: LedgerError.budgetDimensionRequired(field: "postings[2].budgetLine", fiscalYear: 2024)) {
            try Self.admit(&budgetGuard, entry)
        }
        let in2025 = F.entry([F.expense(F.idr(100), line: nil)])
        #expect(throws: LedgerError.budgetDimensionRequired(field: "postings[0].budgetLine", fiscalYear: 2025)) {
            try Self.admit(&budgetGuard, in2025, fiscalYear: 2025)
        }
    }

    struct UnknownLine: Sendable, CustomTestStringConvertible {
        let district: String
        let code: String
        let year: Int
        var testDescription: String { "\(year) \(district)/\(code)" }
    }

    @Test(arguments: [
        UnknownLine(district: "SBT", code: "7.7", year: 2024),
        UnknownLine(district: "MKS", code: "1.2", year: 2024),  // the code exists, in another district
        UnknownLine(district: "MKS", code: "2.1", year: 2025),  // the line exists, in another year
        UnknownLine(district: "SBT", code: "1.20", year: 2024),
        UnknownLine(district: "sbt", code: "1.2", year: 2024),
    ])
    func anUnknownLineIsRefusedWithDistrictSlashCode(_ unknown: UnknownLine) {
        var budgetGuard = F.budgetGuard()
        let entry = F.entry([
            F.posting("1-1100", F.idr(-10)), F.expense(F.idr(10), district: unknown.district, line: unknown.code),
        ])
        let expected = LedgerError.budgetLineUnknown(
            field: "postings[1].budgetLine", line: "\(unknown.district)/\(unknown.code)", fiscalYear: unknown.year)
        #expect(throws: expected) { try Self.admit(&budgetGuard, entry, fiscalYear: unknown.year) }
    }

    @Test func aPostingInAnotherCurrencyThanItsLineIsRefused() throws {
        var budgetGuard = F.budgetGuard()
        let usdOnIDRLine = F.entry([F.expense(F.usd(100))])
        #expect(throws: LedgerError.budgetCurrencyMismatch(
            field: "postings[0].amount", line: "SBT/1.2", budgetCurrency: .idr, found: .usd)) {
            try Self.admit(&budgetGuard, usdOnIDRLine)
        }
        let idrOnUSDLine = F.entry([F.posting("1-1100", F.idr(-100)), F.expense(F.idr(100), district: "MKS", line: "2.1")])
        #expect(throws: LedgerError.budgetCurrencyMismatch(
            field: "postings[1].amount", line: "MKS/2.1", budgetCurrency: .usd, found: .idr)) {
            try Self.admit(&budgetGuard, idrOnUSDLine)
        }
        // In its own currency the same posting is admitted.
        #expect(try Self.admit(&budgetGuard, F.entry([F.expense(F.usd(100), district: "MKS", line: "2.1")])) == [])
    }

    @Test func nonExpenseAccountsNeedNoDimensionsAndCountNowhere() throws {
        var budgetGuard = F.budgetGuard()
        let entries = [
            F.entry([F.posting("2-1000", F.idr(50_000_000)), F.posting("1-1100", F.idr(-50_000_000))]),
            F.entry([F.posting("1-1100", F.idr(70_000_000)), F.posting("4-1000", F.idr(-70_000_000))]),
            // Budget dimensions on an asset posting do not make it budgeted.
            F.entry([
                PostingDraft(accountCode: "1-1100", amount: F.idr(2_000_000),
                             dimensions: Dimensions(district: "SBT", budgetLine: "1.2")),
                F.posting("2-1000", F.idr(-2_000_000)),
            ]),
        ]
        for entry in entries {
            #expect(try Self.admit(&budgetGuard, entry) == [])
        }
        // Nothing of it was counted on SBT/1.2: the whole budget is still available.
        #expect(try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(1_000_000))]))
            == [Self.facilitatorsWarning(.warningLevelReached(percent: 90), spent: 1_000_000, requested: 1_000_000)])
    }

    @Test(arguments: ["5-9000", "5-9100", "5-9110", "5-9200"])
    func notBudgetedAccountsAndTheirChildrenNeedNothing(account: String) throws {
        var budgetGuard = F.budgetGuard()
        let entry = F.entry([F.expense(F.idr(99_000_000), account: account, district: nil, line: nil)])
        #expect(try Self.admit(&budgetGuard, entry) == [])
        // A budget line named is checked like any other: what counts in actuals is checked.
        let named = F.entry([F.expense(F.idr(99_000_000), account: account, district: "SBT", line: "7.7")])
        #expect(throws: LedgerError.budgetLineUnknown(field: "postings[0].budgetLine", line: "SBT/7.7", fiscalYear: 2024)) {
            try Self.admit(&budgetGuard, named)
        }
        #expect(F.book.isNotBudgeted(account, in: F.chart))
    }

    @Test(arguments: ["5-1000", "5-1100", "5-1200", "1-1100", "9-9999"])
    func budgetedAccountsAreNotMarkedNotBudgeted(account: String) {
        #expect(!F.book.isNotBudgeted(account, in: F.chart))
    }

    @Test(arguments: ["5-1100", "5-1200"])
    func aBudgetedExpenseStillNeedsItsDimensions(account: String) {
        var budgetGuard = F.budgetGuard()
        let entry = F.entry([F.expense(F.idr(1), account: account, district: nil, line: nil)])
        #expect(throws: LedgerError.budgetDimensionRequired(field: "postings[0].district", fiscalYear: 2024)) {
            try Self.admit(&budgetGuard, entry)
        }
    }

    /// A reversal (known by its link) needs no dimensions and may name lines the year lacks;
    /// what it takes away is counted.
    @Test func reversalsNeedNoDimensionsAndLowerTheLine() throws {
        var budgetGuard = F.budgetGuard(spent: [F.key("SBT", "1.2"): 1_000_000])
        let entries = [
            F.entry([F.expense(F.idr(5_000_000), district: nil, line: nil)], source: .reversal),
            F.entry([F.expense(F.idr(5), district: "SBT", line: "7.7")], source: .reversal),
            F.entry([F.expense(F.usd(5))], source: .reversal),
            F.entry([F.expense(F.idr(-300_000))], source: .reversal),
        ]
        for entry in entries {
            #expect(try budgetGuard.admit(entry, fiscalYear: 2024, chart: F.chart, isReversal: true) == [])
        }
        // The reversed refund freed 300,000 on SBT/1.2.
        #expect(try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(300_000))])).map(\.kind) == [.warningLevelReached(percent: 90)])
    }

    /// Reversing a refund adds to the line: a `block` line still refuses it.
    @Test func aReversalCannotTakeABlockLineOverItsBudget() {
        var budgetGuard = F.budgetGuard(spent: [F.key("SBT", "1.2"): 1_000_000])
        #expect(throws: Self.overBudget(spent: 1_000_000, requested: 1)) {
            try budgetGuard.admit(F.entry([F.expense(F.idr(1))], source: .reversal), fiscalYear: 2024, chart: F.chart,
                                  isReversal: true)
        }
    }

    /// The source label alone waives nothing.
    @Test(arguments: [EntrySource.reversal, .closing])
    func aSourceLabelIsNotAnExemption(source: EntrySource) {
        var budgetGuard = F.budgetGuard(spent: [F.key("SBT", "1.2"): 1_000_000])
        #expect(throws: Self.overBudget(spent: 1_000_000, requested: 1)) {
            try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(1))], source: source))
        }
    }

    @Test(arguments: [EntrySource.manual, .claim, .import])
    func otherSourcesAreChecked(source: EntrySource) {
        var budgetGuard = F.budgetGuard(spent: [F.key("SBT", "1.2"): 1_000_000])
        #expect(throws: Self.overBudget(spent: 1_000_000, requested: 1)) {
            try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(1))], source: source))
        }
    }

    // MARK: Over budget

    @Test func aBlockCategoryRefusesOverBudgetWithTheFiguresBefore() {
        let key = F.key("SBT", "1.2")
        var budgetGuard = F.budgetGuard(spent: [key: 700_000], committed: [key: 250_000])
        let entry = F.entry([F.posting("1-1100", F.idr(-50_001)), F.expense(F.idr(50_001))])
        #expect(throws: Self.overBudget(field: "postings[1].amount", spent: 700_000, committed: 250_000, requested: 50_001)) {
            try Self.admit(&budgetGuard, entry)
        }
    }

    @Test func theRevisedBudgetCountsNotTheOriginal() throws {
        var budgetGuard = F.budgetGuard()
        // 950,000 is over the original 900,000 but within the revised 1,000,000.
        #expect(try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(950_000))]))
            == [Self.facilitatorsWarning(.warningLevelReached(percent: 90), spent: 950_000, requested: 950_000)])
    }

    @Test func exactlyTheBudgetIsAdmittedOneMoreIsNot() throws {
        let key = F.key("SBT", "1.2")
        var budgetGuard = F.budgetGuard(spent: [key: 600_000], committed: [key: 100_000])
        #expect(throws: Self.overBudget(spent: 600_000, committed: 100_000, requested: 300_001)) {
            try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(300_001))]))
        }
        #expect(try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(300_000))]))
            == [Self.facilitatorsWarning(.warningLevelReached(percent: 90), spent: 900_000, committed: 100_000,
                                         requested: 300_000)])
        #expect(throws: Self.overBudget(spent: 900_000, committed: 100_000, requested: 1)) {
            try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(1))]))
        }
    }

    @Test func aWarnCategoryAdmitsOverBudgetWithAWarning() throws {
        let key = F.key("SBT", "1.10")
        var budgetGuard = F.budgetGuard(spent: [key: 450_000], committed: [key: 20_000])
        let warnings = try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(100_000), line: "1.10")]))
        #expect(warnings == [WarningFigures(
            kind: .overBudget, line: "2024 SBT/1.10", lineName: "Office supplies", budget: F.idr(500_000),
            spent: F.idr(550_000), committed: F.idr(20_000), requested: F.idr(100_000))])
        // Counted: the next one starts from 550,000 spent.
        let next = try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(1), line: "1.10")]))
        #expect(next.map(\.spent) == [F.idr(550_001)])
        #expect(next.map(\.kind) == [.overBudget])
    }

    @Test func aWarnCategoryWarnsAtItsOwnLevel() throws {
        var budgetGuard = F.budgetGuard()
        // 80 % of 500,000 is 400,000.
        #expect(try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(399_999), line: "1.10")])) == [])
        let warnings = try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(1), line: "1.10")]))
        #expect(warnings.map(\.kind) == [.warningLevelReached(percent: 80)])
        #expect(warnings.map(\.spent) == [F.idr(400_000)])
    }

    @Test func aCategoryThePolicyNoLongerHasBlocksAtNinetyPercent() throws {
        #expect(F.book.rule(for: "retired") == CategoryRule(overBudget: .block, warningPercent: 90))
        #expect(F.book.rule(for: "operations") == CategoryRule(overBudget: .warn, warningPercent: 80))
        var budgetGuard = F.budgetGuard()
        #expect(try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(8_999), line: "9.9")])) == [])
        #expect(try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(1), line: "9.9")])).map(\.kind)
            == [.warningLevelReached(percent: 90)])
        #expect(throws: Self.overBudget(line: "SBT/9.9", budget: 10_000, spent: 9_000, requested: 1_001)) {
            try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(1_001), line: "9.9")]))
        }
    }

    @Test func aZeroBudgetBlocksAnySpending() {
        var budgetGuard = F.budgetGuard()
        #expect(throws: Self.overBudget(line: "SBT/0.1", budget: 0, spent: 0, requested: 1)) {
            try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(1), line: "0.1")]))
        }
    }

    // MARK: Warning level

    struct Level: Sendable, CustomTestStringConvertible {
        let spent: Int64
        let requested: Int64
        let warns: Bool
        var testDescription: String { "\(spent) + \(requested)" }
    }

    /// The level is 90 % of 1,000,000 = 900,000: reached at exactly 900,000, not at 899,999.
    @Test(arguments: [
        Level(spent: 0, requested: 900_000, warns: true),
        Level(spent: 0, requested: 899_999, warns: false),
        Level(spent: 800_000, requested: 100_000, warns: true),
        Level(spent: 800_000, requested: 99_999, warns: false),
        Level(spent: 899_000, requested: 1_000, warns: true),
        Level(spent: 898_999, requested: 1_000, warns: false),
        Level(spent: 950_000, requested: 1, warns: true),  // already above: warned again
        Level(spent: 0, requested: 1_000_000, warns: true),
    ])
    func theWarningLevelIsReachedAtExactlyItsPercentage(_ level: Level) throws {
        var budgetGuard = F.budgetGuard(spent: [F.key("SBT", "1.2"): level.spent])
        let warnings = try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(level.requested))]))
        let expected = level.warns
            ? [Self.facilitatorsWarning(.warningLevelReached(percent: 90), spent: level.spent + level.requested,
                                        requested: level.requested)]
            : []
        #expect(warnings == expected)
    }

    @Test func theWarningLevelCountsCommitments() throws {
        let key = F.key("SBT", "1.2")
        var budgetGuard = F.budgetGuard(spent: [key: 500_000], committed: [key: 399_999])
        #expect(try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(1))]))
            == [Self.facilitatorsWarning(.warningLevelReached(percent: 90), spent: 500_001, committed: 399_999,
                                         requested: 1)])
    }

    @Test func warningsComeInTheOrderOfTheirLinesFirstPosting() throws {
        var budgetGuard = F.budgetGuard(spent: [F.key("SBT", "1.10"): 500_000])
        let entry = F.entry([
            F.expense(F.idr(950_000)), F.expense(F.idr(10), account: "5-1200", line: "1.10"),
            F.expense(F.idr(1_000), line: "9.9"),
        ])
        let warnings = try Self.admit(&budgetGuard, entry)
        #expect(warnings.map(\.line) == ["2024 SBT/1.2", "2024 SBT/1.10"])
        #expect(warnings.map(\.kind) == [.warningLevelReached(percent: 90), .overBudget])
    }

    @Test func warningsDescribeTheLineAndItsFigures() throws {
        var budgetGuard = F.budgetGuard(spent: [F.key("SBT", "1.10"): 500_000])
        let warnings = try budgetGuard.admit(
            F.entry([F.expense(F.idr(950_000)), F.expense(F.idr(10), line: "1.10")]), fiscalYear: 2024, chart: F.chart)
        #expect(warnings.count == 2)
        let level = try #require(warnings.first).description
        #expect(level.hasPrefix("budget line 'SBT/1.2' (Village facilitators) is at or above 90 % of its budget: budget "))
        let over = try #require(warnings.last).description
        #expect(over.hasPrefix("budget line 'SBT/1.10' (Office supplies) is over budget: budget "))
        #expect(over.contains("committed "))
    }

    // MARK: Refunds and nets

    @Test func aRefundIsAdmittedOnALineThatIsOver() throws {
        let key = F.key("SBT", "1.2")
        var budgetGuard = F.budgetGuard(spent: [key: 1_200_000], committed: [key: 10_000])
        let refund = F.entry([F.posting("1-1100", F.idr(50_000)), F.expense(F.idr(-50_000))])
        #expect(try Self.admit(&budgetGuard, refund) == [])
        // Counted: spent went down to 1,150,000.
        #expect(throws: Self.overBudget(spent: 1_150_000, committed: 10_000, requested: 1)) {
            try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(1))]))
        }
    }

    @Test func aRefundMakesRoomForLaterSpending() throws {
        var budgetGuard = F.budgetGuard(spent: [F.key("SBT", "1.2"): 1_000_000])
        #expect(try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(-100_000))])) == [])
        #expect(try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(100_000))]))
            == [Self.facilitatorsWarning(.warningLevelReached(percent: 90), spent: 1_000_000, requested: 100_000)])
    }

    @Test func twoPostingsOnOneLineAreSummedBeforeTheCheck() throws {
        var budgetGuard = F.budgetGuard()
        // Each fits alone; together they do not. The error names the first posting and the sum.
        let entry = F.entry([
            F.expense(F.idr(600_000)), F.posting("1-1100", F.idr(-1_100_000)), F.expense(F.idr(500_000), account: "5-1200"),
        ])
        #expect(throws: Self.overBudget(field: "postings[0].amount", spent: 0, requested: 1_100_000)) {
            try Self.admit(&budgetGuard, entry)
        }
        // A net of 500,000 (50 %) gives no warning and counts as 500,000.
        let net = F.entry([F.expense(F.idr(600_000)), F.expense(F.idr(-100_000), account: "5-1200")])
        #expect(try Self.admit(&budgetGuard, net) == [])
        #expect(throws: Self.overBudget(spent: 500_000, requested: 500_001)) {
            try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(500_001))]))
        }
    }

    @Test func aNegativeNetIsAdmittedEvenWithAPostingThatWouldNotFit() throws {
        var budgetGuard = F.budgetGuard(spent: [F.key("SBT", "1.2"): 950_000])
        let entry = F.entry([F.expense(F.idr(100_000)), F.expense(F.idr(-150_000), account: "5-1200")])
        #expect(try Self.admit(&budgetGuard, entry) == [])
        #expect(throws: Self.overBudget(spent: 900_000, requested: 100_001)) {
            try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(100_001))]))
        }
    }

    @Test func aZeroNetCountsNothingAndWarnsNothing() throws {
        var budgetGuard = F.budgetGuard(spent: [F.key("SBT", "1.2"): 1_000_000])
        let entry = F.entry([F.expense(F.idr(300_000)), F.expense(F.idr(-300_000), account: "5-1200")])
        #expect(try Self.admit(&budgetGuard, entry) == [])
        #expect(throws: Self.overBudget(spent: 1_000_000, requested: 1)) {
            try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(1))]))
        }
    }

    // MARK: Refusals change nothing

    @Test func aRefusedEntryChangesNothing() throws {
        var budgetGuard = F.budgetGuard(spent: [F.key("SBT", "1.2"): 900_000])
        for _ in 0..<2 {
            #expect(throws: Self.overBudget(spent: 900_000, requested: 200_000)) {
                try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(200_000))]))
            }
        }
        #expect(try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(100_000))]))
            == [Self.facilitatorsWarning(.warningLevelReached(percent: 90), spent: 1_000_000, requested: 100_000)])
    }

    @Test func aRefusedEntryCountsNoneOfItsLines() throws {
        var budgetGuard = F.budgetGuard(spent: [F.key("SBT", "9.9"): 9_500])
        // SBT/1.2 passes, then SBT/9.9 goes over: the entry is refused as a whole.
        let entry = F.entry([
            F.expense(F.idr(400_000)), F.expense(F.idr(100_000), line: "1.10"), F.expense(F.idr(501), line: "9.9"),
        ])
        #expect(throws: Self.overBudget(field: "postings[2].amount", line: "SBT/9.9", budget: 10_000, spent: 9_500,
                                        requested: 501)) {
            try Self.admit(&budgetGuard, entry)
        }
        #expect(throws: Self.overBudget(spent: 0, requested: 1_000_001)) {
            try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(1_000_001))]))
        }
        #expect(try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(1), line: "1.10")])) == [])
    }

    @Test func anEntryRefusedForAMissingDimensionCountsItsEarlierPostingsNowhere() throws {
        var budgetGuard = F.budgetGuard()
        let entry = F.entry([F.expense(F.idr(800_000)), F.expense(F.idr(1), district: "SBT", line: nil)])
        #expect(throws: LedgerError.budgetDimensionRequired(field: "postings[1].budgetLine", fiscalYear: 2024)) {
            try Self.admit(&budgetGuard, entry)
        }
        #expect(try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(899_999))])) == [])
    }

    // MARK: Commitments

    @Test func commitmentsCountAgainstTheBudget() throws {
        let key = F.key("SBT", "1.2")
        var budgetGuard = F.budgetGuard(spent: [key: 800_000])
        #expect(throws: Self.overBudget(field: "amount", spent: 800_000, committed: 0, requested: 200_001)) {
            try Self.commit(&budgetGuard, F.idr(200_001))
        }
        #expect(try Self.commit(&budgetGuard, F.idr(150_000))
            == [Self.facilitatorsWarning(.warningLevelReached(percent: 90), spent: 800_000, committed: 150_000,
                                         requested: 150_000)])
        // A posting now sees the commitment.
        #expect(throws: Self.overBudget(spent: 800_000, committed: 150_000, requested: 50_001)) {
            try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(50_001))]))
        }
        #expect(try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(50_000))]))
            == [Self.facilitatorsWarning(.warningLevelReached(percent: 90), spent: 850_000, committed: 150_000,
                                         requested: 50_000)])
        // And a commitment sees the posting.
        #expect(throws: Self.overBudget(field: "amount", spent: 850_000, committed: 150_000, requested: 1)) {
            try Self.commit(&budgetGuard, F.idr(1))
        }
    }

    @Test func aCommitmentBelowTheWarningLevelGivesNoWarning() throws {
        var budgetGuard = F.budgetGuard()
        #expect(try Self.commit(&budgetGuard, F.idr(899_999)) == [])
        #expect(try Self.commit(&budgetGuard, F.idr(1)).map(\.committed) == [F.idr(900_000)])
    }

    @Test func aWarnCategoryCommitmentOverBudgetIsWarnedAbout() throws {
        let key = F.key("SBT", "1.10")
        var budgetGuard = F.budgetGuard(spent: [key: 300_000], committed: [key: 100_000])
        #expect(try Self.commit(&budgetGuard, F.idr(100_001), on: key) == [WarningFigures(
            kind: .overBudget, line: "2024 SBT/1.10", lineName: "Office supplies", budget: F.idr(500_000),
            spent: F.idr(300_000), committed: F.idr(200_001), requested: F.idr(100_001))])
    }

    @Test func aCommitmentOnAnUnknownLineOrInAnotherCurrencyIsRefused() {
        var budgetGuard = F.budgetGuard()
        #expect(throws: LedgerError.budgetLineUnknown(field: "amount", line: "SBT/7.7", fiscalYear: 2024)) {
            try Self.commit(&budgetGuard, F.idr(1), on: F.key("SBT", "7.7"))
        }
        #expect(throws: LedgerError.budgetLineUnknown(field: "amount", line: "SBT/1.2", fiscalYear: 2026)) {
            try Self.commit(&budgetGuard, F.idr(1), on: F.key("SBT", "1.2", year: 2026))
        }
        #expect(throws: LedgerError.budgetCurrencyMismatch(
            field: "amount", line: "SBT/1.2", budgetCurrency: .idr, found: .usd)) {
            try Self.commit(&budgetGuard, F.usd(1))
        }
        #expect(throws: LedgerError.budgetCurrencyMismatch(
            field: "amount", line: "MKS/2.1", budgetCurrency: .usd, found: .idr)) {
            try Self.commit(&budgetGuard, F.idr(1), on: F.key("MKS", "2.1"))
        }
    }

    @Test func aRefusedCommitmentCountsNothing() throws {
        var budgetGuard = F.budgetGuard()
        #expect(throws: Self.overBudget(field: "amount", spent: 0, committed: 0, requested: 1_000_001)) {
            try Self.commit(&budgetGuard, F.idr(1_000_001))
        }
        #expect(try Self.commit(&budgetGuard, F.idr(1_000_000)).map(\.committed) == [F.idr(1_000_000)])
    }

    // MARK: Overflow

    @Test func spentNearInt64MaxGivesAmountOverflow() throws {
        let key = F.key("SBT", "1.10")  // warn: only overflow can refuse
        var budgetGuard = F.budgetGuard(spent: [key: Int64.max - 10])
        #expect(throws: LedgerError.amountOverflow(field: "postings[0].amount")) {
            try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(11), line: "1.10")]))
        }
        // Up to Int64.max exactly, it is admitted (with a warning).
        let warnings = try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(10), line: "1.10")]))
        #expect(warnings.map(\.spent) == [F.idr(Int64.max)])
        #expect(throws: LedgerError.amountOverflow(field: "postings[0].amount")) {
            try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(1), line: "1.10")]))
        }
    }

    @Test func spentPlusCommittedPastInt64MaxGivesAmountOverflow() {
        let key = F.key("SBT", "1.10")
        var budgetGuard = F.budgetGuard(spent: [key: Int64.max - 5], committed: [key: 10])
        #expect(throws: LedgerError.amountOverflow(field: "postings[1].amount")) {
            try Self.admit(&budgetGuard, F.entry([F.posting("1-1100", F.idr(-1)), F.expense(F.idr(1), line: "1.10")]))
        }
        var fullSpent = F.budgetGuard(spent: [key: Int64.max])
        #expect(throws: LedgerError.amountOverflow(field: "amount")) {
            try Self.commit(&fullSpent, F.idr(1), on: key)
        }
        var fullCommitted = F.budgetGuard(committed: [key: Int64.max])
        #expect(throws: LedgerError.amountOverflow(field: "amount")) {
            try Self.commit(&fullCommitted, F.idr(1), on: key)
        }
        #expect(throws: LedgerError.amountOverflow(field: "postings[0].amount")) {
            try Self.admit(&fullCommitted, F.entry([F.expense(F.idr(1), line: "1.10")]))
        }
    }

    @Test func postingsOnOneLineSummingPastInt64MaxGiveAmountOverflow() {
        var budgetGuard = F.budgetGuard()
        let half = Int64.max / 2 + 1
        let entry = F.entry([F.expense(F.idr(half), line: "1.10"), F.expense(F.idr(half), account: "5-1200", line: "1.10")])
        #expect(throws: LedgerError.amountOverflow(field: "postings[1].amount")) {
            try Self.admit(&budgetGuard, entry)
        }
        let negative = F.entry([F.expense(F.idr(Int64.min), line: "1.10"), F.expense(F.idr(-1), account: "5-1200", line: "1.10")])
        #expect(throws: LedgerError.amountOverflow(field: "postings[1].amount")) {
            try Self.admit(&budgetGuard, negative)
        }
    }

    @Test func aRefundPastInt64MinGivesAmountOverflow() {
        var budgetGuard = F.budgetGuard(spent: [F.key("SBT", "1.2"): Int64.min + 5])
        #expect(throws: LedgerError.amountOverflow(field: "postings[0].amount")) {
            try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(-6))]))
        }
    }

    @Test func aBlockLineWhoseUseReachesInt64MaxGivesAmountOverflow() {
        let key = F.key("SBT", "1.2")
        var budgetGuard = F.budgetGuard(spent: [key: 1_000_000], committed: [key: Int64.max - 1_000_000])
        #expect(throws: LedgerError.amountOverflow(field: "postings[0].amount")) {
            try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(1))]))
        }
        #expect(throws: LedgerError.amountOverflow(field: "amount")) {
            try Self.commit(&budgetGuard, F.idr(1))
        }
        // A refund is not judged, so it cannot overflow the sum with commitments.
        #expect(throws: Never.self) { try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(-1))])) }
    }

    @Test func anOverflowRefusalCountsNothing() throws {
        let key = F.key("SBT", "1.10")
        var budgetGuard = F.budgetGuard(spent: [key: Int64.max - 100])
        let entry = F.entry([F.expense(F.idr(50), line: "1.10"), F.expense(F.idr(1), line: "9.9"),
                             F.expense(F.idr(Int64.max), account: "5-1200", line: "1.10")])
        #expect(throws: LedgerError.amountOverflow(field: "postings[2].amount")) {
            try Self.admit(&budgetGuard, entry)
        }
        #expect(try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(100), line: "1.10")])).map(\.spent)
            == [F.idr(Int64.max)])
        #expect(try Self.admit(&budgetGuard, F.entry([F.expense(F.idr(8_999), line: "9.9")])) == [])
    }
}

// MARK: - BudgetFigures

@Suite("Budget figures")
struct BudgetFiguresTests {
    typealias F = BudgetFixtures

    static func figures(
        original: Int64 = 0, revised: Int64, actual: Int64 = 0, committed: Int64 = 0
    ) throws(LedgerError) -> BudgetFigures {
        try BudgetFigures(original: F.idr(original), revised: F.idr(revised), actual: F.idr(actual),
                          committed: F.idr(committed))
    }

    @Test func availableAndVariance() throws {
        let figures = try Self.figures(original: 900_000, revised: 1_000_000, actual: 300_000, committed: 200_000)
        #expect(figures.original == F.idr(900_000))
        #expect(figures.revised == F.idr(1_000_000))
        #expect(figures.actual == F.idr(300_000))
        #expect(figures.committed == F.idr(200_000))
        #expect(figures.available == F.idr(500_000))
        #expect(figures.variance == F.idr(700_000))
        #expect(figures.currency == .idr)
    }

    @Test func overspentLinesHaveNegativeAvailableAndVariance() throws {
        let figures = try Self.figures(original: 100, revised: 100, actual: 130, committed: 20)
        #expect(figures.available == F.idr(-50))
        #expect(figures.variance == F.idr(-30))
        let refunds = try Self.figures(revised: 100, actual: -40)
        #expect(refunds.available == F.idr(140))
        #expect(refunds.variance == F.idr(140))
    }

    @Test func zeroIsAllZeroInItsCurrency() {
        let zero = BudgetFigures.zero(.usd)
        for money in [zero.original, zero.revised, zero.actual, zero.committed, zero.available, zero.variance] {
            #expect(money == F.usd(0))
        }
        #expect(zero.currency == .usd)
        #expect(zero.usedPerMille == nil)
    }

    struct Share: Sendable, CustomTestStringConvertible {
        let actual: Int64
        let committed: Int64
        let revised: Int64
        let perMille: Int64?
        var testDescription: String { "(\(actual) + \(committed)) / \(revised)" }
    }

    @Test(arguments: [
        Share(actual: 1, committed: 0, revised: 3, perMille: 333),        // 333.33…
        Share(actual: 1, committed: 1, revised: 3, perMille: 667),        // 666.66…
        Share(actual: 2, committed: 0, revised: 3, perMille: 667),
        Share(actual: 1, committed: 0, revised: 8, perMille: 125),        // exact
        Share(actual: 1, committed: 0, revised: 1_600, perMille: 1),      // 0.625 → 1
        Share(actual: 5, committed: 0, revised: 2_000, perMille: 2),      // 2.5 → 2 (even)
        Share(actual: 15, committed: 0, revised: 2_000, perMille: 8),     // 7.5 → 8 (even)
        Share(actual: 25, committed: 0, revised: 2_000, perMille: 12),    // 12.5 → 12
        Share(actual: 20, committed: 15, revised: 2_000, perMille: 18),   // 17.5 → 18
        Share(actual: 1, committed: 0, revised: 2_000, perMille: 0),      // 0.5 → 0
        Share(actual: 3, committed: 0, revised: 2_000, perMille: 2),      // 1.5 → 2
        Share(actual: 1, committed: 0, revised: 2_001, perMille: 0),      // 0.4997…
        Share(actual: 935, committed: 0, revised: 1_000, perMille: 935),
        Share(actual: 0, committed: 0, revised: 1_000, perMille: 0),
        Share(actual: 1_000, committed: 0, revised: 1_000, perMille: 1_000),
        Share(actual: 3, committed: 0, revised: 2, perMille: 1_500),      // over budget
        Share(actual: -15, committed: 0, revised: 2_000, perMille: -8),   // refunds: symmetric
        Share(actual: -5, committed: 0, revised: 2_000, perMille: -2),
        Share(actual: -1, committed: 0, revised: 3, perMille: -333),
        Share(actual: Int64.max, committed: 0, revised: Int64.max, perMille: 1_000),
        Share(actual: Int64.max / 2, committed: 0, revised: Int64.max, perMille: 500),
        Share(actual: 1, committed: 0, revised: 0, perMille: nil),        // zero budget
        Share(actual: 0, committed: 0, revised: 0, perMille: nil),
        Share(actual: 1, committed: 0, revised: -5, perMille: nil),
        Share(actual: Int64.max, committed: 0, revised: 1, perMille: nil),          // does not fit
        Share(actual: Int64.max / 1_000 + 1, committed: 0, revised: 1, perMille: nil),
        Share(actual: Int64.max, committed: 1, revised: Int64.max, perMille: nil),  // sum overflows
    ])
    func usedPerMilleRoundsHalfEven(_ share: Share) throws {
        let figures = try Self.figures(revised: share.revised, actual: share.actual, committed: share.committed)
        #expect(figures.usedPerMille == share.perMille)
    }

    @Test func usedPerMilleAtTheLargestQuotientThatFits() throws {
        // Int64.max / 1000 × 1000 / 1 fits; the result is that exact product.
        let part = Int64.max / 1_000
        #expect(try Self.figures(revised: 1, actual: part).usedPerMille == part * 1_000)
    }

    /// `Int64.max × 1000 / 1000` is exactly `Int64.max`, which fits an `Int64`.
    @Test func usedPerMilleOfExactlyInt64Max() throws {
        let figures = try Self.figures(revised: 1_000, actual: Int64.max)
        #expect(figures.usedPerMille == Int64.max)
        // One below still comes back.
        #expect(try Self.figures(revised: 1_000, actual: Int64.max - 1).usedPerMille == Int64.max - 1)
    }

    @Test func currenciesMustAgree() {
        #expect(throws: LedgerError.currencyMismatch(field: "budget", expected: .idr, found: .usd)) {
            try BudgetFigures(original: F.idr(1), revised: F.usd(1), actual: F.idr(1), committed: F.idr(1))
        }
        #expect(throws: LedgerError.currencyMismatch(field: "budget", expected: .idr, found: .eur)) {
            try BudgetFigures(original: F.idr(1), revised: F.idr(1), actual: Money(minorUnits: 1, currency: .eur),
                              committed: F.idr(1))
        }
        #expect(throws: LedgerError.currencyMismatch(field: "budget", expected: .usd, found: .idr)) {
            try BudgetFigures(original: F.usd(1), revised: F.usd(1), actual: F.usd(1), committed: F.idr(1))
        }
    }

    @Test func availablePastInt64GivesAmountOverflow() {
        #expect(throws: LedgerError.amountOverflow(field: "available")) {
            try Self.figures(revised: Int64.max, actual: -1)
        }
        #expect(throws: LedgerError.amountOverflow(field: "available")) {
            try Self.figures(revised: Int64.min + 10, actual: 5, committed: 6)
        }
    }

    @Test func addingSumsEveryFigure() throws {
        let first = try Self.figures(original: 100, revised: 120, actual: 30, committed: 5)
        let second = try Self.figures(original: 7, revised: 9, actual: 11, committed: 13)
        let sum = try first.adding(second)
        #expect(sum.original == F.idr(107))
        #expect(sum.revised == F.idr(129))
        #expect(sum.actual == F.idr(41))
        #expect(sum.committed == F.idr(18))
        #expect(sum.available == F.idr(129 - 41 - 18))
        #expect(sum.variance == F.idr(129 - 41))
        #expect(try BudgetFigures.zero(.idr).adding(first) == first)
    }

    @Test func addingAnotherCurrencyIsRefused() throws {
        let idr = try Self.figures(revised: 1)
        let usd = try BudgetFigures(original: F.usd(0), revised: F.usd(1), actual: F.usd(0), committed: F.usd(0))
        #expect(throws: LedgerError.currencyMismatch(field: "original", expected: .idr, found: .usd)) {
            try idr.adding(usd)
        }
    }

    @Test func addingPastInt64GivesAmountOverflow() throws {
        let big = try Self.figures(original: Int64.max, revised: Int64.max)
        #expect(throws: LedgerError.amountOverflow(field: "original")) { try big.adding(Self.figures(original: 1, revised: 0)) }
        let bigRevised = try Self.figures(revised: Int64.max)
        #expect(throws: LedgerError.amountOverflow(field: "revised")) { try bigRevised.adding(Self.figures(revised: 1)) }
        let bigActual = try Self.figures(revised: 0, actual: Int64.max / 2, committed: Int64.max / 2)
        #expect(throws: LedgerError.amountOverflow(field: "actual")) {
            try bigActual.adding(Self.figures(revised: 0, actual: Int64.max / 2 + 2))
        }
        #expect(throws: LedgerError.amountOverflow(field: "committed")) {
            try bigActual.adding(Self.figures(revised: 0, committed: Int64.max / 2 + 2))
        }
        // The sums fit, but available (revised − actual − committed) would not.
        let owing = try Self.figures(revised: 0, actual: Int64.max / 2, committed: Int64.max / 2)
        #expect(throws: LedgerError.amountOverflow(field: "available")) {
            try owing.adding(Self.figures(revised: 0, actual: 2, committed: 2))
        }
    }
}

// MARK: - Reports

/// One line of a report fixture, with its figures in minor units.
struct LineSpec: Sendable {
    let district: String
    let code: String
    let name: String
    let component: String
    let currency: Currency
    let original: Int64
    let revised: Int64
    let actual: Int64
    let committed: Int64

    var key: BudgetLineKey { BudgetFixtures.key(district, code) }

    func lineFigures() throws -> BudgetLineFigures {
        func money(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: currency) }
        let line = BudgetLine(key: key, nameEn: name, nameId: name, component: component, category: "program",
                              amount: money(original))
        return BudgetLineFigures(
            line: CurrentBudgetLine(line: line, revised: money(revised)),
            figures: try BudgetFigures(original: money(original), revised: money(revised), actual: money(actual),
                                       committed: money(committed)))
    }
}

/// A report row as plain values, computed independently of `BudgetFigures`.
struct RowValues: Equatable, CustomTestStringConvertible {
    let kind: BudgetReport.Row.Kind
    let district: String?
    let code: String?
    let name: String?
    let currency: String
    let original: Int64
    let revised: Int64
    let actual: Int64
    let committed: Int64
    let available: Int64
    let variance: Int64

    init(_ row: BudgetReport.Row) {
        kind = row.kind
        district = row.district
        code = row.code
        name = row.name
        currency = row.figures.currency.code
        original = row.figures.original.minorUnits
        revised = row.figures.revised.minorUnits
        actual = row.figures.actual.minorUnits
        committed = row.figures.committed.minorUnits
        available = row.figures.available.minorUnits
        variance = row.figures.variance.minorUnits
    }

    /// The plain sum of `specs` (one currency).
    init(_ kind: BudgetReport.Row.Kind, district: String?, code: String? = nil, name: String? = nil, summing specs: [LineSpec]) {
        self.kind = kind
        self.district = district
        self.code = code
        self.name = name
        currency = specs.first?.currency.code ?? "?"
        original = specs.reduce(0) { $0 + $1.original }
        revised = specs.reduce(0) { $0 + $1.revised }
        actual = specs.reduce(0) { $0 + $1.actual }
        committed = specs.reduce(0) { $0 + $1.committed }
        available = specs.reduce(0) { $0 + ($1.revised - $1.actual - $1.committed) }
        variance = specs.reduce(0) { $0 + ($1.revised - $1.actual) }
    }

    var testDescription: String {
        "\(kind.rawValue) \(district ?? "-") \(code ?? "-") \(name ?? "-") \(currency)"
            + " o=\(original) r=\(revised) a=\(actual) c=\(committed) av=\(available) v=\(variance)"
    }
}

@Suite("Budget reports")
struct BudgetReportTests {
    typealias F = BudgetFixtures

    static func spec(
        _ district: String, _ code: String, _ name: String, _ component: String, _ currency: Currency = .idr,
        original: Int64, revised: Int64, actual: Int64, committed: Int64
    ) -> LineSpec {
        LineSpec(district: district, code: code, name: name, component: component, currency: currency,
                 original: original, revised: revised, actual: actual, committed: committed)
    }

    static let sbt12 = spec("SBT", "1.2", "Village facilitators", "C1 Training",
                            original: 1_000_000, revised: 1_100_000, actual: 400_000, committed: 100_000)
    static let sbt110 = spec("SBT", "1.10", "Seed kits", "C2 Livelihood",
                             original: 500_000, revised: 450_000, actual: 200_000, committed: 50_000)
    static let sbt21 = spec("SBT", "2.1", "Trainers", "C1 Training",
                            original: 700_000, revised: 700_000, actual: 710_000, committed: 0)
    static let sbt19 = spec("SBT", "1.9", "Boats", "C2 Livelihood",
                            original: 60_000, revised: 65_000, actual: 1_000, committed: 2_000)
    static let mks11 = spec("MKS", "1.1", "Goats", "C2 Livelihood",
                            original: 300_000, revised: 320_000, actual: 100_000, committed: 20_000)
    static let mks31 = spec("MKS", "3.1", "Audit fee", "C3 Admin", .usd,
                            original: 10_000, revised: 12_000, actual: 3_000, committed: 1_000)
    static let mks32 = spec("MKS", "3.2", "Office rent", "C3 Admin",
                            original: 80_000, revised: 80_000, actual: 10_000, committed: 0)
    static let bma11 = spec("BMA", "1.1", "Radio spots", "C4 Outreach", .usd,
                            original: 5_000, revised: 4_000, actual: -500, committed: 0)

    /// Deliberately out of order.
    static let specs = [sbt110, mks31, sbt21, bma11, mks11, sbt12, mks32, sbt19]

    static func lines(_ specs: [LineSpec] = specs) throws -> [BudgetLineFigures] {
        try specs.map { try $0.lineFigures() }
    }

    static func lineRow(_ spec: LineSpec) -> RowValues {
        RowValues(.line, district: spec.district, code: spec.code, name: spec.name, summing: [spec])
    }

    @Test func byLineOrdersDistrictsThenCodesWithTotals() throws {
        let report = try BudgetReport.byLine(Self.lines(), fiscalYear: 2024)
        #expect(report.fiscalYear == 2024)
        let expected: [RowValues] = [
            Self.lineRow(Self.bma11),
            RowValues(.districtTotal, district: "BMA", summing: [Self.bma11]),
            Self.lineRow(Self.mks11), Self.lineRow(Self.mks31), Self.lineRow(Self.mks32),
            RowValues(.districtTotal, district: "MKS", summing: [Self.mks11, Self.mks32]),
            RowValues(.districtTotal, district: "MKS", summing: [Self.mks31]),
            Self.lineRow(Self.sbt12), Self.lineRow(Self.sbt19), Self.lineRow(Self.sbt110), Self.lineRow(Self.sbt21),
            RowValues(.districtTotal, district: "SBT", summing: [Self.sbt12, Self.sbt19, Self.sbt110, Self.sbt21]),
            RowValues(.programTotal, district: nil,
                      summing: [Self.mks11, Self.mks32, Self.sbt12, Self.sbt19, Self.sbt110, Self.sbt21]),
            RowValues(.programTotal, district: nil, summing: [Self.mks31, Self.bma11]),
        ]
        #expect(report.rows.map(RowValues.init) == expected)
    }

    @Test func totalsMatchHandComputedFigures() throws {
        let rows = try BudgetReport.byLine(Self.lines(), fiscalYear: 2024).rows
        let sbt = try #require(rows.first { $0.kind == .districtTotal && $0.district == "SBT" })
        #expect(sbt.figures.original == F.idr(2_260_000))
        #expect(sbt.figures.revised == F.idr(2_315_000))
        #expect(sbt.figures.actual == F.idr(1_311_000))
        #expect(sbt.figures.committed == F.idr(152_000))
        #expect(sbt.figures.available == F.idr(852_000))
        #expect(sbt.figures.variance == F.idr(1_004_000))
        let programs = rows.filter { $0.kind == .programTotal }
        #expect(programs.map(\.figures.currency) == [.idr, .usd])
        #expect(programs.map(\.figures.revised) == [F.idr(2_715_000), F.usd(16_000)])
        #expect(programs.map(\.figures.actual) == [F.idr(1_421_000), F.usd(2_500)])
        #expect(programs.map(\.figures.available) == [F.idr(1_122_000), F.usd(12_500)])
        #expect(programs.allSatisfy { $0.district == nil && $0.code == nil && $0.name == nil })
    }

    @Test func theOrderDoesNotDependOnTheInputOrder() throws {
        let forward = try BudgetReport.byLine(Self.lines(), fiscalYear: 2024)
        let backward = try BudgetReport.byLine(Self.lines(Self.specs.reversed()), fiscalYear: 2024)
        #expect(forward == backward)
        let components = try BudgetReport.byComponent(Self.lines(), fiscalYear: 2024)
        #expect(components == (try BudgetReport.byComponent(Self.lines(Self.specs.reversed()), fiscalYear: 2024)))
    }

    /// Numeric parts by value, before text parts ("02a"); equal numbers by their text.
    @Test func codesSortNumericallyPartByPart() throws {
        let codes = ["1.10", "10", "1.2", "2", "1.2.1", "1", "1.9", "A.1", "1.02a", "1.02"]
        let specs = codes.map {
            Self.spec("SBT", $0, "Line \($0)", "C1", original: 1, revised: 1, actual: 0, committed: 0)
        }
        let rows = try BudgetReport.byLine(Self.lines(specs), fiscalYear: 2024).rows
        #expect(rows.compactMap(\.code) == ["1", "1.02", "1.2", "1.2.1", "1.9", "1.10", "1.02a", "2", "10", "A.1"])
    }

    /// Codes mixing digits and letters in one part ("1a") against plain numbers: the order
    /// should not depend on the order lines come in.
    @Test func mixedCodesSortTheSameWhateverTheInputOrder() throws {
        let codes = ["2", "10", "1a"]
        var orders: Set<[String]> = []
        for permutation in [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]] {
            let specs = permutation.map {
                Self.spec("SBT", codes[$0], "Line", "C1", original: 1, revised: 1, actual: 0, committed: 0)
            }
            orders.insert(try BudgetReport.byLine(Self.lines(specs), fiscalYear: 2024).rows.compactMap(\.code))
        }
        #expect(orders.count == 1, "orders seen: \(orders.sorted { $0.joined() < $1.joined() })")
    }

    @Test func keysCompareByYearDistrictThenCode() {
        #expect(F.key("SBT", "1.2") < F.key("SBT", "1.10"))
        #expect(F.key("SBT", "1.9") < F.key("SBT", "1.10"))
        #expect(F.key("SBT", "1") < F.key("SBT", "1.1"))
        #expect(F.key("SBT", "2") < F.key("SBT", "10"))
        #expect(!(F.key("SBT", "1.10") < F.key("SBT", "1.2")))
        #expect(!(F.key("SBT", "1.2") < F.key("SBT", "1.2")))
        #expect(F.key("MKS", "9.9") < F.key("SBT", "1.1"))
        #expect(F.key("SBT", "9.9", year: 2024) < F.key("MKS", "1.1", year: 2025))
        #expect(F.key("SBT", "1.2").description == "SBT/1.2")
    }

    @Test func byComponentSumsPerComponentWithinEachDistrict() throws {
        let report = try BudgetReport.byComponent(Self.lines(), fiscalYear: 2025)
        #expect(report.fiscalYear == 2025)
        let expected: [RowValues] = [
            RowValues(.component, district: "BMA", name: "C4 Outreach", summing: [Self.bma11]),
            RowValues(.districtTotal, district: "BMA", summing: [Self.bma11]),
            RowValues(.component, district: "MKS", name: "C2 Livelihood", summing: [Self.mks11]),
            RowValues(.component, district: "MKS", name: "C3 Admin", summing: [Self.mks32]),
            RowValues(.component, district: "MKS", name: "C3 Admin", summing: [Self.mks31]),
            RowValues(.districtTotal, district: "MKS", summing: [Self.mks11, Self.mks32]),
            RowValues(.districtTotal, district: "MKS", summing: [Self.mks31]),
            RowValues(.component, district: "SBT", name: "C1 Training", summing: [Self.sbt12, Self.sbt21]),
            RowValues(.component, district: "SBT", name: "C2 Livelihood", summing: [Self.sbt110, Self.sbt19]),
            RowValues(.districtTotal, district: "SBT", summing: [Self.sbt12, Self.sbt19, Self.sbt110, Self.sbt21]),
            RowValues(.programTotal, district: nil,
                      summing: [Self.mks11, Self.mks32, Self.sbt12, Self.sbt19, Self.sbt110, Self.sbt21]),
            RowValues(.programTotal, district: nil, summing: [Self.mks31, Self.bma11]),
        ]
        #expect(report.rows.map(RowValues.init) == expected)
        let training = try #require(report.rows.first { $0.name == "C1 Training" })
        #expect(training.figures.revised == F.idr(1_800_000))
        #expect(training.figures.available == F.idr(590_000))
    }

    @Test func totalsOfComponentsAndLinesAgree() throws {
        let byLine = try BudgetReport.byLine(Self.lines(), fiscalYear: 2024).rows.filter { $0.kind != .line }
        let byComponent = try BudgetReport.byComponent(Self.lines(), fiscalYear: 2024).rows.filter { $0.kind != .component }
        #expect(byLine == byComponent)
        #expect(byLine.count == 6)
    }

    @Test func oneLineGivesItsRowADistrictTotalAndAProgramTotal() throws {
        let rows = try BudgetReport.byLine(Self.lines([Self.sbt12]), fiscalYear: 2024).rows.map(RowValues.init)
        #expect(rows == [
            Self.lineRow(Self.sbt12),
            RowValues(.districtTotal, district: "SBT", summing: [Self.sbt12]),
            RowValues(.programTotal, district: nil, summing: [Self.sbt12]),
        ])
        #expect(rows[2].available == 600_000)
    }

    @Test func noLinesGiveNoRows() throws {
        #expect(try BudgetReport.byLine([], fiscalYear: 2024).rows.isEmpty)
        #expect(try BudgetReport.byComponent([], fiscalYear: 2024).rows.isEmpty)
    }

    @Test func totalsPastInt64GiveAmountOverflow() throws {
        let half = Int64.max / 2 + 1
        let specs = [
            Self.spec("SBT", "1.1", "A", "C1", original: 0, revised: half, actual: 0, committed: 0),
            Self.spec("MKS", "1.1", "B", "C1", original: 0, revised: half, actual: 0, committed: 0),
        ]
        // Each district total fits; the program total does not.
        #expect(throws: LedgerError.amountOverflow(field: "revised")) {
            try BudgetReport.byLine(Self.lines(specs), fiscalYear: 2024)
        }
        #expect(throws: LedgerError.amountOverflow(field: "revised")) {
            try BudgetReport.byComponent(Self.lines(specs), fiscalYear: 2024)
        }
        // The same amounts in two currencies are summed apart and fit.
        let apart = [specs[0], Self.spec("MKS", "1.1", "B", "C1", .usd, original: 0, revised: half, actual: 0, committed: 0)]
        #expect(try BudgetReport.byLine(Self.lines(apart), fiscalYear: 2024).rows.count == 6)
    }
}

// MARK: - Monthly burn

@Suite("Budget month rows")
struct BudgetMonthRowTests {
    typealias F = BudgetFixtures

    static func line(_ district: String, _ code: String, revised: Money, year: Int = 2024) throws -> BudgetLineFigures {
        let zero = Money.zero(revised.currency)
        return BudgetLineFigures(
            line: F.current(F.key(district, code, year: year), "Line \(code)", category: "program", original: revised),
            figures: try BudgetFigures(original: revised, revised: revised, actual: zero, committed: zero))
    }

    static func text(_ row: BudgetMonthRow) -> String {
        "\(row.district ?? "*") \(row.month) \(row.actual.minorUnits) \(row.cumulative.minorUnits)"
            + " \(row.revised.minorUnits) \(row.actual.currency.code)"
    }

    static func lines() throws -> [BudgetLineFigures] {
        [
            try line("SBT", "1.2", revised: F.idr(1_000)),
            try line("SBT", "1.10", revised: F.idr(500)),
            try line("MKS", "2.1", revised: F.idr(2_000)),
            try line("MKS", "3.1", revised: F.usd(400)),
        ]
    }

    @Test func cumulativeSumsPerDistrictAndProgram() throws {
        let monthly: [(line: BudgetLineKey, month: Period, actual: Money)] = [
            (F.key("SBT", "1.2"), F.period("2024-03"), F.idr(100)),
            (F.key("SBT", "1.10"), F.period("2024-01"), F.idr(50)),
            (F.key("SBT", "1.2"), F.period("2024-01"), F.idr(25)),
            (F.key("MKS", "2.1"), F.period("2024-02"), F.idr(300)),
            (F.key("SBT", "1.10"), F.period("2024-12"), F.idr(-20)),
            (F.key("MKS", "3.1"), F.period("2024-05"), F.usd(40)),
            (F.key("MKS", "3.1"), F.period("2024-04"), F.usd(60)),
            // Not in the budget: a line the book does not have, the same line in another year.
            (F.key("SBT", "9.9"), F.period("2024-02"), F.idr(999)),
            (F.key("SBT", "1.2", year: 2023), F.period("2024-02"), F.idr(777)),
        ]
        let rows = try BudgetMonthRow.rows(lines: Self.lines(), monthly: monthly)
        #expect(rows.map(Self.text) == [
            "MKS 2024-02 300 300 2000 IDR",
            "MKS 2024-04 60 60 400 USD",
            "MKS 2024-05 40 100 400 USD",
            "SBT 2024-01 75 75 1500 IDR",
            "SBT 2024-03 100 175 1500 IDR",
            "SBT 2024-12 -20 155 1500 IDR",
            "* 2024-01 75 75 3500 IDR",
            "* 2024-02 300 375 3500 IDR",
            "* 2024-03 100 475 3500 IDR",
            "* 2024-12 -20 455 3500 IDR",
            "* 2024-04 60 60 400 USD",
            "* 2024-05 40 100 400 USD",
        ])
        #expect(rows.map(\.cumulativePerMille) == [150, 150, 250, 50, 117, 103, 21, 107, 136, 130, 150, 250])
    }

    @Test func monthsAreSortedAcrossYears() throws {
        let monthly: [(line: BudgetLineKey, month: Period, actual: Money)] = [
            (F.key("SBT", "1.2"), F.period("2025-01"), F.idr(1)),
            (F.key("SBT", "1.2"), F.period("2024-12"), F.idr(2)),
            (F.key("SBT", "1.2"), F.period("2024-02"), F.idr(4)),
        ]
        let rows = try BudgetMonthRow.rows(lines: Self.lines(), monthly: monthly)
        #expect(rows.filter { $0.district == "SBT" }.map(\.month) == [F.period("2024-02"), F.period("2024-12"), F.period("2025-01")])
        #expect(rows.filter { $0.district == "SBT" }.map(\.cumulative) == [F.idr(4), F.idr(6), F.idr(7)])
    }

    @Test func noSpendingGivesNoRows() throws {
        #expect(try BudgetMonthRow.rows(lines: Self.lines(), monthly: []).isEmpty)
        let onlyUnbudgeted: [(line: BudgetLineKey, month: Period, actual: Money)] = [
            (F.key("XXX", "1.2"), F.period("2024-02"), F.idr(5)),
        ]
        #expect(try BudgetMonthRow.rows(lines: Self.lines(), monthly: onlyUnbudgeted).isEmpty)
        #expect(try BudgetMonthRow.rows(lines: [], monthly: onlyUnbudgeted).isEmpty)
    }

    @Test func aZeroBudgetHasNoPerMille() throws {
        let rows = try BudgetMonthRow.rows(
            lines: [Self.line("SBT", "0.1", revised: F.idr(0))],
            monthly: [(F.key("SBT", "0.1"), F.period("2024-02"), F.idr(5))])
        // One district: no program rows repeating it.
        #expect(rows.map(Self.text) == ["SBT 2024-02 5 5 0 IDR"])
        #expect(rows.map(\.cumulativePerMille) == [nil])
    }

    @Test func overflowingSumsGiveAmountOverflow() throws {
        let big: [(line: BudgetLineKey, month: Period, actual: Money)] = [
            (F.key("SBT", "1.2"), F.period("2024-01"), F.idr(Int64.max)),
            (F.key("SBT", "1.10"), F.period("2024-02"), F.idr(1)),
        ]
        #expect(throws: LedgerError.amountOverflow(field: "amount")) {
            try BudgetMonthRow.rows(lines: Self.lines(), monthly: big)
        }
        let sameMonth: [(line: BudgetLineKey, month: Period, actual: Money)] = [
            (F.key("SBT", "1.2"), F.period("2024-01"), F.idr(Int64.max)),
            (F.key("MKS", "2.1"), F.period("2024-01"), F.idr(1)),
        ]
        #expect(throws: LedgerError.amountOverflow(field: "amount")) {
            try BudgetMonthRow.rows(lines: Self.lines(), monthly: sameMonth)
        }
        let budgets = [try Self.line("SBT", "1.2", revised: F.idr(Int64.max)), try Self.line("MKS", "2.1", revised: F.idr(1))]
        #expect(throws: LedgerError.amountOverflow(field: "amount")) {
            try BudgetMonthRow.rows(lines: budgets, monthly: [])
        }
    }
}

// MARK: - Line references and approvals

@Suite("Budget line references and approvals")
struct BudgetLineKeyAndApprovalTests {
    typealias F = BudgetFixtures

    @Test(arguments: [
        ("SBT/1.2", "SBT", "1.2"),
        ("  SBT / 1.2  ", "SBT", "1.2"),
        ("\tMKS/\t2.1.3 ", "MKS", "2.1.3"),
        ("S B T/1 2", "S B T", "1 2"),
    ])
    func parsesDistrictSlashCode(text: String, district: String, code: String) throws {
        let key = try BudgetLineKey(parsing: text, fiscalYear: 2025, field: "line")
        #expect(key == BudgetLineKey(fiscalYear: 2025, district: district, code: code))
        #expect(key.description == "\(district)/\(code)")
    }

    @Test(arguments: ["SBT", "/1.2", "SBT/", "", "/", " / ", "SBT 1.2", "  /1.2", "SBT/   "])
    func refusesAnythingElse(text: String) {
        #expect(throws: BudgetError.lineReferenceInvalid(field: "from", value: text)) {
            try BudgetLineKey(parsing: text, fiscalYear: 2024, field: "from")
        }
    }

    @Test func anInvalidReferenceNamesItsFieldAndValue() {
        let error = BudgetError.lineReferenceInvalid(field: "to", value: "SBT")
        #expect(error.field == "to")
        #expect(error.message.contains("'SBT'"))
    }

    static let approvedOn = BudgetFixtures.date("2024-07-01")

    static func approval(_ reason: String, _ approvedBy: String) -> BudgetApproval {
        BudgetApproval(reason: reason, approvedBy: approvedBy, approvedOn: approvedOn)
    }

    @Test func aValidApprovalComesBackTrimmed() throws {
        let clean = try Self.approval("  Mid-year review, steering committee  ", "\tIbu Maria ").validated()
        #expect(clean == Self.approval("Mid-year review, steering committee", "Ibu Maria"))
        let already = Self.approval("Donor letter 2024-07", "Pak Budi")
        #expect(try already.validated() == already)
    }

    @Test func atTheLengthLimitsAnApprovalIsValid() throws {
        let longest = Self.approval(String(repeating: "r", count: Limits.descriptionLengthMax),
                                    String(repeating: "a", count: Limits.nameLengthMax))
        #expect(try longest.validated() == longest)
    }

    struct BadApproval: Sendable, CustomTestStringConvertible {
        let label: String
        let reason: String
        let approvedBy: String
        let error: LedgerError
        var testDescription: String { label }
    }

    @Test(arguments: [
        BadApproval(label: "empty reason", reason: "", approvedBy: "Ibu Maria", error: .textEmpty(field: "reason")),
        BadApproval(label: "blank reason", reason: "   ", approvedBy: "Ibu Maria", error: .textEmpty(field: "reason")),
        BadApproval(label: "empty approver", reason: "Review", approvedBy: "", error: .textEmpty(field: "approvedBy")),
        BadApproval(label: "blank approver", reason: "Review", approvedBy: " \t ", error: .textEmpty(field: "approvedBy")),
        BadApproval(label: "both empty: reason first", reason: "", approvedBy: "", error: .textEmpty(field: "reason")),
        BadApproval(label: "reason too long", reason: String(repeating: "r", count: 501), approvedBy: "Ibu Maria",
                    error: .textTooLong(field: "reason", length: 501, max: 500)),
        BadApproval(label: "approver too long", reason: "Review", approvedBy: String(repeating: "a", count: 101),
                    error: .textTooLong(field: "approvedBy", length: 101, max: 100)),
        BadApproval(label: "tab in reason", reason: "Mid\tyear", approvedBy: "Ibu Maria",
                    error: .textHasControlCharacters(field: "reason")),
        BadApproval(label: "line break in approver", reason: "Review", approvedBy: "Ibu\nMaria",
                    error: .textHasControlCharacters(field: "approvedBy")),
    ])
    func anInvalidApprovalIsRefusedNamingTheField(_ bad: BadApproval) {
        #expect(throws: BudgetError.invalid(bad.error)) {
            try Self.approval(bad.reason, bad.approvedBy).validated()
        }
    }
}
