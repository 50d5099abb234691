import Budgets
import LedgerCore
import LedgerStore
import NeracaTestSupport
import Testing

/// A test ledger with a budget policy and a 2024 budget:
/// SBT/2.1.3 staff-fees 1,000,000 · SBD/2.1.3 staff-fees 500,000 · SBT/3.1 travel 200,000 ·
/// MKS/4.1 staff-fees 300,000 (minor units, IDR). Transport (5-1200) is not budgeted.
struct BudgetedLedger {
    typealias T = TestLedger
    let ledger: TestLedger
    var db: LedgerDatabase { ledger.db }

    static let policy = BudgetPolicy(
        categories: [
            "staff-fees": CategoryRule(overBudget: .block, warningPercent: 90),
            "travel": CategoryRule(overBudget: .warn, warningPercent: 80),
        ],
        notBudgetedAccounts: ["5-1200"])

    static func key(_ text: String, _ year: Int = 2024) -> BudgetLineKey {
        guard let key = try? BudgetLineKey(parsing: text, fiscalYear: year, field: "line") else {
            preconditionFailure("bad test line \(text)")
        }
        return key
    }

    static func line(
        _ text: String, _ minorUnits: Int64, category: String = "staff-fees", component: String = "C2 Grants",
        year: Int = 2024, currency: Currency = .idr
    ) -> BudgetLine {
        BudgetLine(key: key(text, year), nameEn: "Line \(text)", nameId: "Mata anggaran \(text)", component: component,
                   category: category, amount: Money(minorUnits: minorUnits, currency: currency))
    }

    static let approval = BudgetApproval(reason: "Budget as approved", approvedBy: "Program Director",
                                         approvedOn: T.date("2024-01-05"))

    static let lines2024 = [
        line("SBT/2.1.3", 1_000_000), line("SBD/2.1.3", 500_000),
        line("SBT/3.1", 200_000, category: "travel", component: "C4 Management"),
        line("MKS/4.1", 300_000, component: "C4 Management"),
    ]

    init() throws {
        ledger = try TestLedger()
        try ledger.db.setBudgetPolicy(Self.policy, changedBy: "finance.manager", now: T.now)
        try ledger.db.loadBudget(Self.lines2024, approval: Self.approval, now: T.now)
    }

    /// An expense on `line` (`DISTRICT/CODE`) paid from the IDR bank.
    static func spend(
        _ minorUnits: Int64, on line: String, date: String = "2024-06-15", account: String = "5-1100"
    ) -> EntryDraft {
        let key = key(line)
        return EntryDraft(
            date: T.date(date), description: "Spend on \(line)", author: "finance.mks",
            postings: [
                PostingDraft(accountCode: account, amount: T.idr(minorUnits),
                             dimensions: Dimensions(district: key.district, budgetLine: key.code)),
                PostingDraft(accountCode: "1-1100", amount: T.idr(-minorUnits)),
            ])
    }

    /// Actual and committed per line, from the store.
    func figures(_ year: Int = 2024) throws -> [BudgetLineKey: BudgetFigures] {
        Dictionary(uniqueKeysWithValues: try db.budgetFigures(fiscalYear: year).map { ($0.line.line.key, $0.figures) })
    }
}

@Suite("Budgets in the store")
struct BudgetStoreTests {
    typealias T = TestLedger
    typealias B = BudgetedLedger

    // MARK: - Loading lines

    @Test func aBudgetLoadsAsTheOriginalRevisionAndAdditionsFollow() throws {
        let budget = try BudgetedLedger()
        let lines = try budget.db.budgetLines(fiscalYear: 2024)
        #expect(lines.map(\.line.key.description) == ["MKS/4.1", "SBD/2.1.3", "SBT/2.1.3", "SBT/3.1"])
        #expect(lines.allSatisfy { $0.revised == $0.line.amount })
        let added = try budget.db.loadBudget([B.line("SBD/3.1", 70_000, category: "travel")], approval: B.approval, now: T.now)
        #expect(added.kind == .addition && added.number == 2)
        let revisions = try budget.db.budgetRevisions(fiscalYear: 2024)
        #expect(revisions.map(\.kind) == [.original, .addition])
        #expect(revisions[0].changes.count == 4 && revisions[0].changes.allSatisfy { $0.before == nil })
        #expect(try budget.db.budgetLines(fiscalYear: 2024, district: "SBD").count == 2)
        #expect(try budget.db.budgetLines(fiscalYear: 2025).isEmpty)
    }

    struct BadLoad: CustomTestStringConvertible, Sendable {
        let name: String
        let lines: [BudgetLine]
        let error: BudgetError
        var testDescription: String { name }
    }

    static let badLoads: [BadLoad] = [
        BadLoad(name: "no lines", lines: [], error: .noLines),
        BadLoad(name: "a line already budgeted", lines: [B.line("SBD/9.9", 1), B.line("SBT/2.1.3", 5)],
                error: .lineDuplicate(field: "lines[1]", line: B.key("SBT/2.1.3"))),
        BadLoad(name: "the same line twice", lines: [B.line("SBD/9.9", 1), B.line("SBD/9.9", 2)],
                error: .lineDuplicate(field: "lines[1]", line: B.key("SBD/9.9"))),
        BadLoad(name: "an unknown district", lines: [B.line("KPG/1.1", 1)],
                error: .districtUnknown(field: "lines[0].district", code: "KPG")),
        BadLoad(name: "an unknown category", lines: [B.line("SBD/9.9", 1, category: "snacks")],
                error: .categoryUnknown(field: "lines[0].category", category: "snacks", known: ["staff-fees", "travel"])),
        BadLoad(name: "a negative amount", lines: [B.line("SBD/9.9", -1)],
                error: .amountNegative(field: "lines[0].amount", amount: T.idr(-1))),
        BadLoad(name: "a code with a space", lines: [B.line("SBD/9 9", 1)],
                error: .lineReferenceInvalid(field: "lines[0].code", value: "9 9")),
        BadLoad(name: "lines of two years", lines: [B.line("SBD/9.9", 1), B.line("SBD/9.8", 1, year: 2025)],
                error: .fiscalYearMismatch(field: "lines[1].year", expected: 2024, found: 2025)),
        BadLoad(name: "a year of two digits", lines: [B.line("SBD/9.9", 1, year: 24)],
                error: .fiscalYearInvalid(field: "year", value: 24)),
    ]

    @Test(arguments: badLoads)
    func aRefusedBudgetLoadWritesNothing(_ bad: BadLoad) throws {
        let budget = try BudgetedLedger()
        #expect(throws: bad.error) { try budget.db.loadBudget(bad.lines, approval: B.approval, now: T.now) }
        #expect(try budget.db.budgetLines(fiscalYear: 2024).count == 4)
        #expect(try budget.db.budgetRevisions(fiscalYear: 2024).count == 1)
    }

    @Test func emptyNamesAndApprovalsAreRefused() throws {
        let budget = try BudgetedLedger()
        var unnamed = B.line("SBD/9.9", 1)
        unnamed.nameEn = "  "
        #expect(throws: BudgetError.invalid(.textEmpty(field: "lines[0].nameEn"))) {
            try budget.db.loadBudget([unnamed], approval: B.approval, now: T.now)
        }
        var approval = B.approval
        approval.approvedBy = ""
        #expect(throws: BudgetError.invalid(.textEmpty(field: "approvedBy"))) {
            try budget.db.reviseBudget(B.key("SBT/3.1"), to: T.idr(1), approval: approval, now: T.now)
        }
    }

    // MARK: - Postings against the budget

    @Test func postingsInABudgetedYearNeedAnExistingLine() throws {
        let budget = try BudgetedLedger()
        var noDistrict = B.spend(1_000, on: "SBT/2.1.3")
        noDistrict.postings[0].dimensions.district = nil
        var noLine = B.spend(1_000, on: "SBT/2.1.3")
        noLine.postings[0].dimensions.budgetLine = nil
        let before = try Snapshot(budget.db)
        #expect(throws: LedgerError.budgetDimensionRequired(field: "postings[0].district", fiscalYear: 2024)) {
            try budget.db.post(noDistrict, now: T.now)
        }
        #expect(throws: LedgerError.budgetDimensionRequired(field: "postings[0].budgetLine", fiscalYear: 2024)) {
            try budget.db.post(noLine, now: T.now)
        }
        #expect(throws: LedgerError.budgetLineUnknown(field: "postings[0].budgetLine", line: "SBD/3.1", fiscalYear: 2024)) {
            try budget.db.post(B.spend(1_000, on: "SBD/3.1"), now: T.now)
        }
        #expect(try Snapshot(budget.db) == before)
        // Not budgeted: transport; other years: no budget, no rule.
        var transport = B.spend(1_000, on: "SBT/2.1.3", account: "5-1200")
        transport.postings[0].dimensions = Dimensions()
        try budget.db.post(transport, now: T.now)
        var lastYear = B.spend(1_000, on: "SBT/2.1.3", date: "2023-12-20")
        lastYear.postings[0].dimensions = Dimensions()
        try budget.db.post(lastYear, now: T.now)
    }

    /// "Wrong year": the line exists in 2024 but not in the 2025 budget.
    @Test func aLineOfAnotherYearIsUnknown() throws {
        let budget = try BudgetedLedger()
        try budget.db.loadBudget([B.line("SBD/2.1.3", 500_000, year: 2025)], approval: B.approval, now: T.now)
        #expect(throws: LedgerError.budgetLineUnknown(field: "postings[0].budgetLine", line: "SBT/2.1.3", fiscalYear: 2025)) {
            try budget.db.post(B.spend(1_000, on: "SBT/2.1.3", date: "2025-02-01"), now: T.now)
        }
    }

    @Test func overBudgetUnderBlockIsRefusedAndChangesNothing() throws {
        let budget = try BudgetedLedger()
        try budget.db.post(B.spend(600_000, on: "SBT/2.1.3"), now: T.now)
        try budget.db.commitBudget(T.idr(300_000), on: B.key("SBT/2.1.3"), reference: "FC-SBT-2024-0001", now: T.now)
        let before = try Snapshot(budget.db)
        let figuresBefore = try budget.figures()
        #expect(throws: LedgerError.overBudget(
            field: "postings[0].amount", line: "SBT/2.1.3", budget: T.idr(1_000_000), spent: T.idr(600_000),
            committed: T.idr(300_000), requested: T.idr(100_001))) {
            try budget.db.post(B.spend(100_001, on: "SBT/2.1.3"), now: T.now)
        }
        #expect(try Snapshot(budget.db) == before)
        #expect(try budget.figures() == figuresBefore)
        #expect(try budget.db.verify().passed)
        // Exactly up to the budget is allowed, with a warning (past 90 %).
        let result = try budget.db.post(B.spend(100_000, on: "SBT/2.1.3"), now: T.now)
        #expect(result.budgetWarnings.map(\.kind) == [.warningLevelReached(percent: 90)])
        #expect(try budget.figures()[B.key("SBT/2.1.3")]?.available == T.idr(0))
    }

    @Test func overBudgetUnderWarnIsPostedWithAWarning() throws {
        let budget = try BudgetedLedger()
        let near = try budget.db.post(B.spend(160_000, on: "SBT/3.1", account: "5-1100"), now: T.now)
        #expect(near.budgetWarnings.map(\.kind) == [.warningLevelReached(percent: 80)])
        let over = try budget.db.post(B.spend(50_000, on: "SBT/3.1"), now: T.now)
        let warning = try #require(over.budgetWarnings.first)
        #expect(warning.kind == .overBudget && warning.spent == T.idr(210_000) && warning.budget == T.idr(200_000))
        #expect(try budget.figures()[B.key("SBT/3.1")]?.available == T.idr(-10_000))
    }

    /// A batch sees its own earlier entries: each fits alone, together they do not.
    @Test func aBatchIsCheckedCumulatively() throws {
        let budget = try BudgetedLedger()
        let before = try Snapshot(budget.db)
        #expect(throws: LedgerError.batchEntryRefused(index: 1, reason: .overBudget(
            field: "postings[0].amount", line: "SBD/2.1.3", budget: T.idr(500_000), spent: T.idr(400_000),
            committed: T.idr(0), requested: T.idr(200_000)))) {
            try budget.db.post(batch: [B.spend(400_000, on: "SBD/2.1.3"), B.spend(200_000, on: "SBD/2.1.3")], now: T.now)
        }
        #expect(try Snapshot(budget.db) == before)
        #expect(throws: LedgerError.overBudget(
            field: "postings[0].amount", line: "SBD/2.1.3", budget: T.idr(500_000), spent: T.idr(400_000),
            committed: T.idr(0), requested: T.idr(200_000))) {
            try budget.db.importEntries(now: T.now) { session in
                try session.post(B.spend(400_000, on: "SBD/2.1.3"))
                try session.post(B.spend(200_000, on: "SBD/2.1.3"))
            }
        }
        #expect(try Snapshot(budget.db) == before)
    }

    @Test func importsCollectTheirBudgetWarnings() throws {
        let budget = try BudgetedLedger()
        let summary = try budget.db.importEntries(now: T.now) { session in
            try session.post(B.spend(170_000, on: "SBT/3.1"))
            try session.post(B.spend(40_000, on: "SBT/3.1"))
        }
        #expect(summary.budgetWarningCount == 2)
        #expect(summary.budgetWarnings.map(\.kind) == [.warningLevelReached(percent: 80), .overBudget])
    }

    @Test func refundsAndReversalsLowerTheActual() throws {
        let budget = try BudgetedLedger()
        let posted = try budget.db.post(B.spend(300_000, on: "MKS/4.1"), now: T.now)
        // A refund credits the expense: always admitted.
        try budget.db.post(B.spend(-50_000, on: "MKS/4.1"), now: T.now)
        #expect(try budget.figures()[B.key("MKS/4.1")]?.actual == T.idr(250_000))
        try budget.db.reverse(posted.number, reason: "wrong line", date: T.date("2024-06-20"), author: "finance.mks", now: T.now)
        #expect(try budget.figures()[B.key("MKS/4.1")]?.actual == T.idr(-50_000))
        #expect(try budget.db.verify().passed)
    }

    /// Reversing a refund adds spending back: a `block` line refuses it like any posting.
    @Test func reversingARefundIsCheckedAgainstTheBudget() throws {
        let budget = try BudgetedLedger()
        let refund = try budget.db.post(B.spend(-300_000, on: "MKS/4.1"), now: T.now)
        try budget.db.post(B.spend(600_000, on: "MKS/4.1"), now: T.now)  // 300,000 net: the whole budget
        let before = try Snapshot(budget.db)
        #expect(throws: LedgerError.overBudget(
            field: "postings[0].amount", line: "MKS/4.1", budget: T.idr(300_000), spent: T.idr(300_000),
            committed: T.idr(0), requested: T.idr(300_000))) {
            try budget.db.reverse(refund.number, reason: "refund was wrong", date: T.date("2024-06-20"),
                                  author: "finance.mks", now: T.now)
        }
        #expect(try Snapshot(budget.db) == before)
    }

    /// A reversal or closing label on an ordinary post would waive budget rules: refused.
    @Test(arguments: [EntrySource.reversal, .closing])
    func onlyReverseWritesReversals(source: EntrySource) throws {
        let budget = try BudgetedLedger()
        var draft = B.spend(2_000_000, on: "SBT/2.1.3")
        draft.source = source
        #expect(throws: LedgerError.sourceNotAllowed(field: "source", source: source)) {
            try budget.db.post(draft, now: T.now)
        }
    }

    // MARK: - Revisions and reallocations

    @Test func revisionsKeepOldVersionsReadable() throws {
        let budget = try BudgetedLedger()
        let up = try budget.db.reviseBudget(B.key("SBT/3.1"), to: T.idr(260_000), approval: B.approval, now: T.now)
        #expect(up.kind == .increase && up.changes == [.init(line: B.key("SBT/3.1"), before: T.idr(200_000), after: T.idr(260_000))])
        let down = try budget.db.reviseBudget(B.key("SBT/3.1"), to: T.idr(150_000), approval: B.approval, now: T.now)
        #expect(down.kind == .decrease)
        func amount(asOf revision: Int64?) throws -> Money? {
            try budget.db.budgetLines(fiscalYear: 2024, district: "SBT", asOfRevision: revision)
                .first { $0.line.key == B.key("SBT/3.1") }?.revised
        }
        #expect(try amount(asOf: 1) == T.idr(200_000))
        #expect(try amount(asOf: up.number) == T.idr(260_000))
        #expect(try amount(asOf: nil) == T.idr(150_000))
        let line = try #require(try budget.db.budgetLines(fiscalYear: 2024).first { $0.line.key == B.key("SBT/3.1") })
        #expect(line.line.amount == T.idr(200_000))  // the original stays the original
        #expect(try budget.db.budgetRevisions(fiscalYear: 2024, line: B.key("SBT/3.1")).map(\.number) == [1, 2, 3])
    }

    @Test func revisionsAreRefusedWithPreciseReasons() throws {
        let budget = try BudgetedLedger()
        try budget.db.post(B.spend(100_000, on: "SBT/2.1.3"), now: T.now)
        try budget.db.commitBudget(T.idr(50_000), on: B.key("SBT/2.1.3"), reference: "FC-1", now: T.now)
        let key = B.key("SBT/2.1.3")
        #expect(throws: BudgetError.revisedBelowUsed(
            field: "amount", line: key, revised: T.idr(149_999), actual: T.idr(100_000), committed: T.idr(50_000))) {
            try budget.db.reviseBudget(key, to: T.idr(149_999), approval: B.approval, now: T.now)
        }
        #expect(throws: BudgetError.amountNegative(field: "amount", amount: T.idr(-1))) {
            try budget.db.reviseBudget(key, to: T.idr(-1), approval: B.approval, now: T.now)
        }
        #expect(throws: BudgetError.amountUnchanged(field: "amount", line: key)) {
            try budget.db.reviseBudget(key, to: T.idr(1_000_000), approval: B.approval, now: T.now)
        }
        #expect(throws: BudgetError.lineUnknown(field: "line", line: B.key("SBT/2.1.3", 2025))) {
            try budget.db.reviseBudget(B.key("SBT/2.1.3", 2025), to: T.idr(1), approval: B.approval, now: T.now)
        }
        #expect(throws: BudgetError.invalid(.currencyMismatch(field: "amount", expected: .idr, found: .usd))) {
            try budget.db.reviseBudget(key, to: T.usd(1), approval: B.approval, now: T.now)
        }
        #expect(try budget.db.budgetRevisions(fiscalYear: 2024).count == 1)
        try budget.db.reviseBudget(key, to: T.idr(150_000), approval: B.approval, now: T.now)  // exactly the used amount
    }

    @Test func aReallocationKeepsTheYearsTotal() throws {
        let budget = try BudgetedLedger()
        func total() throws -> Int64 { try budget.db.budgetLines(fiscalYear: 2024).reduce(0) { $0 + $1.revised.minorUnits } }
        let before = try total()
        let move = try budget.db.moveBudget(
            T.idr(120_000), from: B.key("SBT/2.1.3"), to: B.key("SBT/3.1"), approval: B.approval, now: T.now)
        #expect(move.kind == .reallocation)
        #expect(move.changes == [
            .init(line: B.key("SBT/2.1.3"), before: T.idr(1_000_000), after: T.idr(880_000)),
            .init(line: B.key("SBT/3.1"), before: T.idr(200_000), after: T.idr(320_000)),
        ])
        #expect(try total() == before)
        #expect(try budget.figures()[B.key("SBT/3.1")]?.revised == T.idr(320_000))
    }

    @Test func reallocationsAreRefusedWithPreciseReasons() throws {
        let budget = try BudgetedLedger()
        try budget.db.loadBudget([B.line("SBD/9.1", 10_000, currency: .usd), B.line("SBD/9.2", 10_000, year: 2024)],
                                 approval: B.approval, now: T.now)
        try budget.db.post(B.spend(450_000, on: "SBD/2.1.3"), now: T.now)
        let sbd = B.key("SBD/2.1.3")
        let cases: [(Money, BudgetLineKey, BudgetLineKey, BudgetError)] = [
            (T.idr(1), sbd, sbd, .reallocationToSameLine(line: sbd)),
            (T.idr(1), sbd, B.key("SBD/9.2", 2025), .reallocationAcrossYears(from: sbd, to: B.key("SBD/9.2", 2025))),
            (T.idr(1), sbd, B.key("SBD/9.1"),
             .reallocationChangesTotal(from: sbd, to: B.key("SBD/9.1"), fromCurrency: .idr, toCurrency: .usd)),
            (T.idr(1), B.key("SBD/7.7"), sbd, .lineUnknown(field: "from", line: B.key("SBD/7.7"))),
            (T.idr(0), sbd, B.key("SBD/9.2"), .reallocationAmountNotPositive(field: "amount")),
            (T.idr(-5), sbd, B.key("SBD/9.2"), .reallocationAmountNotPositive(field: "amount")),
            (T.idr(20_000), B.key("SBD/9.2"), sbd, .amountNegative(field: "amount", amount: T.idr(-10_000))),
            (T.idr(50_001), sbd, B.key("SBD/9.2"), .revisedBelowUsed(
                field: "amount", line: sbd, revised: T.idr(449_999), actual: T.idr(450_000), committed: T.idr(0))),
        ]
        let revisions = try budget.db.budgetRevisions(fiscalYear: 2024).count
        for (amount, from, to, error) in cases {
            #expect(throws: error) { try budget.db.moveBudget(amount, from: from, to: to, approval: B.approval, now: T.now) }
        }
        #expect(try budget.db.budgetRevisions(fiscalYear: 2024).count == revisions)
    }

    // MARK: - Commitments

    @Test func commitmentsHoldBudgetUntilReleased() throws {
        let budget = try BudgetedLedger()
        let key = B.key("MKS/4.1")
        try budget.db.commitBudget(T.idr(200_000), on: key, reference: "FC-MKS-2024-0001", now: T.now)
        #expect(try budget.figures()[key]?.committed == T.idr(200_000))
        #expect(try budget.figures()[key]?.available == T.idr(100_000))
        #expect(throws: LedgerError.overBudget(
            field: "amount", line: "MKS/4.1", budget: T.idr(300_000), spent: T.idr(0), committed: T.idr(200_000),
            requested: T.idr(100_001))) {
            try budget.db.commitBudget(T.idr(100_001), on: key, reference: "FC-MKS-2024-0002", now: T.now)
        }
        #expect(throws: BudgetError.commitmentDuplicate(reference: "FC-MKS-2024-0001")) {
            try budget.db.commitBudget(T.idr(1), on: key, reference: "FC-MKS-2024-0001", now: T.now)
        }
        #expect(throws: BudgetError.invalid(.amountIsZero(field: "amount"))) {
            try budget.db.commitBudget(T.idr(0), on: key, reference: "FC-MKS-2024-0003", now: T.now)
        }
        #expect(throws: LedgerError.budgetLineUnknown(field: "amount", line: "MKS/9.9", fiscalYear: 2024)) {
            try budget.db.commitBudget(T.idr(1), on: B.key("MKS/9.9"), reference: "FC-MKS-2024-0004", now: T.now)
        }
        try budget.db.releaseBudgetCommitment(reference: " FC-MKS-2024-0001 ", now: T.now)
        #expect(try budget.figures()[key]?.committed == T.idr(0))
        #expect(throws: BudgetError.commitmentUnknown(reference: "FC-MKS-2024-0001")) {
            try budget.db.releaseBudgetCommitment(reference: "FC-MKS-2024-0001", now: T.now)
        }
        // Approved again after a return: the same reference commits again.
        try budget.db.commitBudget(T.idr(250_000), on: key, reference: "FC-MKS-2024-0001", now: T.now)
        #expect(try budget.figures()[key]?.committed == T.idr(250_000))
    }

    // MARK: - Policy

    @Test func thePolicyCanChangeButNotDropUsedCategories() throws {
        let budget = try BudgetedLedger()
        #expect(throws: BudgetError.categoryInUse(field: "categories", category: "travel")) {
            try budget.db.setBudgetPolicy(
                BudgetPolicy(categories: ["staff-fees": CategoryRule(overBudget: .warn, warningPercent: 90)],
                             notBudgetedAccounts: []), changedBy: "finance.manager", now: T.now)
        }
        #expect(throws: BudgetError.invalid(.accountUnknown(field: "not-budgeted-accounts", code: "9-9999"))) {
            try budget.db.setBudgetPolicy(
                BudgetPolicy(categories: B.policy.categories, notBudgetedAccounts: ["9-9999"]),
                changedBy: "finance.manager", now: T.now)
        }
        #expect(throws: BudgetError.warningPercentInvalid(field: "categories.travel.warning-level", value: 0)) {
            var categories = B.policy.categories
            categories["travel"] = CategoryRule(overBudget: .warn, warningPercent: 0)
            try budget.db.setBudgetPolicy(BudgetPolicy(categories: categories, notBudgetedAccounts: []),
                                          changedBy: "finance.manager", now: T.now)
        }
        #expect(try budget.db.budgetPolicy() == B.policy)
        // Staff fees turned to `warn`: the same overrun is now posted, with a warning.
        var categories = B.policy.categories
        categories["staff-fees"] = CategoryRule(overBudget: .warn, warningPercent: 90)
        try budget.db.setBudgetPolicy(BudgetPolicy(categories: categories, notBudgetedAccounts: []),
                                      changedBy: "finance.manager", now: T.now)
        let result = try budget.db.post(B.spend(600_000, on: "SBD/2.1.3"), now: T.now)
        #expect(result.budgetWarnings.map(\.kind) == [.overBudget])
    }

    // MARK: - Figures against the postings

    /// Random expenses and refunds across districts, lines, months and years: the report's
    /// actuals equal sums computed here from the drafts themselves.
    @Test(arguments: [UInt64(7), 2024, 99_991])
    func actualsEqualTheSumsOfThePostings(seed: UInt64) throws {
        let budget = try BudgetedLedger()
        for key in ["SBT/2.1.3", "SBD/2.1.3", "MKS/4.1"] {
            try budget.db.reviseBudget(B.key(key), to: T.idr(10_000_000_000), approval: B.approval, now: T.now)
        }
        var random = SplitMix64(seed: seed)
        let lines = ["SBT/2.1.3", "SBD/2.1.3", "SBT/3.1", "MKS/4.1"]
        var expected: [String: Int64] = [:]
        var expectedMonthly: [String: Int64] = [:]
        var drafts: [EntryDraft] = []
        for _ in 0..<150 {
            let line = lines[Int(random.next() % UInt64(lines.count))]
            let month = 1 + Int(random.next() % 12)
            let refund = random.next() % 5 == 0
            let amount = Int64(1 + random.next() % 50_000) * (refund ? -1 : 1)
            let date = "2024-" + (month < 10 ? "0\(month)" : "\(month)") + "-10"
            drafts.append(B.spend(amount, on: line, date: date, account: random.next() % 2 == 0 ? "5-1100" : "5-1300"))
            // 5-1300 is open from March to August only; outside it, use 5-1100.
            if !(3...8).contains(month) { drafts[drafts.count - 1].postings[0].accountCode = "5-1100" }
            expected[line, default: 0] += amount
            expectedMonthly["\(B.key(line).district)|2024-\(month < 10 ? "0" : "")\(month)", default: 0] += amount
        }
        // Unbudgeted years and accounts do not count.
        var transport = B.spend(77, on: "SBT/2.1.3", account: "5-1200")
        transport.postings[0].dimensions = Dimensions()
        drafts.append(transport)
        for chunk in stride(from: 0, to: drafts.count, by: 40) {
            try budget.db.post(batch: Array(drafts[chunk..<min(chunk + 40, drafts.count)]), now: T.now)
        }
        let figures = try budget.figures()
        for line in lines {
            #expect(figures[B.key(line)]?.actual == T.idr(expected[line] ?? 0), "\(line)")
        }
        var monthly: [String: Int64] = [:]
        for item in try budget.db.budgetMonthlySpending(fiscalYear: 2024) {
            monthly["\(item.line.district)|\(item.month)", default: 0] += item.actual.minorUnits
        }
        #expect(monthly == expectedMonthly.filter { $0.value != 0 || monthly[$0.key] != nil })
        let report = try BudgetReport.byLine(try budget.db.budgetFigures(fiscalYear: 2024), fiscalYear: 2024)
        let program = try #require(report.rows.last)
        #expect(program.kind == .programTotal && program.figures.actual == T.idr(expected.values.reduce(0, +)))
        #expect(try budget.db.verify().passed)
    }

    @Test func verifyFindsAlteredSpending() throws {
        let budget = try BudgetedLedger()
        try budget.db.post(B.spend(10_000, on: "SBT/2.1.3", date: "2024-03-04"), now: T.now)
        let shell = try SQLiteShell.run(budget.ledger.path, "UPDATE budget_actuals SET debit = debit - 1")
        try #require(shell.status == 0, "\(shell.errorOutput)")
        let problems = try budget.db.verify().problems
        #expect(problems.contains(.budgetActualMismatch(fiscalYear: 2024, district: "SBT", budgetLine: "2.1.3", month: "2024-03")))
    }

    @Test func budgetRowsCannotBeEditedBehindTheStore() throws {
        let budget = try BudgetedLedger()
        for sql in ["UPDATE budget_amounts SET amount = 1", "DELETE FROM budget_lines", "UPDATE budget_revisions SET reason = 'x'",
                    "DELETE FROM budget_amounts"] {
            let shell = try SQLiteShell.run(budget.ledger.path, sql)
            #expect(shell.status != 0, "\(sql) was allowed")
        }
        #expect(try budget.db.budgetLines(fiscalYear: 2024) .map(\.revised) == B.lines2024.sorted { $0.key < $1.key }.map(\.amount))
    }
}
