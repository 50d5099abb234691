import LedgerCore

/// Decides, before anything is written, whether postings and commitments fit the budget,
/// and keeps the running spent and committed totals of the lines while a write goes on
/// (a batch or an import sees its own earlier entries).
///
/// Rules, for postings dated in a fiscal year that has a budget:
/// - a posting to an expense account that names a district and a budget line is checked
///   against that line (it must exist in the year's budget, in the posting's currency);
/// - a posting to an expense account that names none is refused, unless the account is
///   marked as not budgeted;
/// - an entry that raises a line's spent + committed above its revised budget is refused
///   under a `block` category and warned about under `warn`; reaching the category's
///   warning level gives a warning. Lowering a line (refunds) is always admitted.
///
/// A reversal (an entry that reverses another, known from its link, not from its source
/// label) needs no dimensions and may name lines the year does not have: it mirrors an
/// entry posted before. Whatever it adds to an existing line is still checked, so reversing
/// a refund cannot take a `block` line over its budget.
public struct BudgetGuard: Sendable {
    public let book: BudgetBook
    /// Net spent per line (minor units), as stored plus what this guard admitted.
    private var spent: [BudgetLineKey: Int64]
    /// Open commitments per line (minor units).
    private var committed: [BudgetLineKey: Int64]

    public init(book: BudgetBook, spent: [BudgetLineKey: Int64], committed: [BudgetLineKey: Int64]) {
        self.book = book
        self.spent = spent
        self.committed = committed
    }

    /// What admitting an entry would change: counted only by `record`, once every other
    /// check of the entry has passed too.
    public struct Admission: Sendable {
        public let warnings: [BudgetWarning]
        fileprivate let spentAfter: [(BudgetLineKey, Int64)]

        public static let none = Admission(warnings: [], spentAfter: [])
    }

    /// Checks `entry` (already validated) against the budget; nothing is counted yet.
    /// - Parameter isReversal: the entry reverses a posted entry (the store knows the link).
    /// - Throws: `budgetDimensionRequired`, `budgetLineUnknown`, `budgetCurrencyMismatch`,
    ///   `overBudget`, `amountOverflow`.
    public func check(
        _ entry: EntryDraft, fiscalYear: Int, chart: ChartOfAccounts, isReversal: Bool = false
    ) throws(LedgerError) -> Admission {
        guard book.years.contains(fiscalYear) else { return .none }
        // The entry's net change per line, with the first posting that touched it.
        var changes: [(key: BudgetLineKey, amount: Int64, index: Int)] = []
        for (index, posting) in entry.postings.enumerated() {
            guard let account = chart.account(code: posting.accountCode), account.type == .expense else { continue }
            guard let district = posting.dimensions.district, let code = posting.dimensions.budgetLine else {
                if isReversal || book.isNotBudgeted(posting.accountCode, in: chart) { continue }
                let missing = posting.dimensions.district == nil ? "district" : "budgetLine"
                throw .budgetDimensionRequired(field: "postings[\(index)].\(missing)", fiscalYear: fiscalYear)
            }
            let key = BudgetLineKey(fiscalYear: fiscalYear, district: district, code: code)
            guard let line = book.lines[key], posting.amount.currency == line.revised.currency else {
                if isReversal { continue }
                guard let line = book.lines[key] else {
                    throw .budgetLineUnknown(field: "postings[\(index)].budgetLine", line: key.description, fiscalYear: fiscalYear)
                }
                throw .budgetCurrencyMismatch(
                    field: "postings[\(index)].amount", line: key.description,
                    budgetCurrency: line.revised.currency, found: posting.amount.currency)
            }
            if let slot = changes.firstIndex(where: { $0.key == key }) {
                let (sum, overflow) = changes[slot].amount.addingReportingOverflow(posting.amount.minorUnits)
                guard !overflow else { throw .amountOverflow(field: "postings[\(index)].amount") }
                changes[slot].amount = sum
            } else {
                changes.append((key, posting.amount.minorUnits, index))
            }
        }
        var warnings: [BudgetWarning] = []
        var spentAfter: [(BudgetLineKey, Int64)] = []
        for change in changes {
            let field = "postings[\(change.index)].amount"
            let (after, overflow) = spent[change.key, default: 0].addingReportingOverflow(change.amount)
            guard !overflow else { throw .amountOverflow(field: field) }
            if change.amount > 0,
               let warning = try evaluate(change.key, requested: change.amount, countedAs: .spent, field: field) {
                warnings.append(warning)
            }
            spentAfter.append((change.key, after))
        }
        return Admission(warnings: warnings, spentAfter: spentAfter)
    }

    /// Counts a checked entry as spent.
    public mutating func record(_ admission: Admission) {
        for (key, value) in admission.spentAfter { spent[key] = value }
    }

    /// `check` then `record`, for callers with no other check after the budget's.
    public mutating func admit(
        _ entry: EntryDraft, fiscalYear: Int, chart: ChartOfAccounts, isReversal: Bool = false
    ) throws(LedgerError) -> [BudgetWarning] {
        let admission = try check(entry, fiscalYear: fiscalYear, chart: chart, isReversal: isReversal)
        record(admission)
        return admission.warnings
    }

    /// Checks a commitment of `amount` against `line` and counts it as committed.
    /// - Throws: `budgetLineUnknown`, `budgetCurrencyMismatch`, `overBudget`, `amountOverflow`.
    public mutating func admitCommitment(
        _ amount: Money, on key: BudgetLineKey, field: String
    ) throws(LedgerError) -> [BudgetWarning] {
        guard let line = book.lines[key] else {
            throw .budgetLineUnknown(field: field, line: key.description, fiscalYear: key.fiscalYear)
        }
        guard amount.currency == line.revised.currency else {
            throw .budgetCurrencyMismatch(
                field: field, line: key.description, budgetCurrency: line.revised.currency, found: amount.currency)
        }
        let (after, overflow) = committed[key, default: 0].addingReportingOverflow(amount.minorUnits)
        guard !overflow else { throw .amountOverflow(field: field) }
        let warning = try evaluate(key, requested: amount.minorUnits, countedAs: .committed, field: field)
        committed[key] = after
        return warning.map { [$0] } ?? []
    }

    /// Where a request is counted.
    private enum Counted { case spent, committed }

    /// Judges `requested` on top of the line's spent and committed so far.
    /// - Returns: a warning, if the line reaches its warning level or goes over a `warn` budget.
    /// - Throws: `overBudget` (with the figures before the request) under `block`.
    private func evaluate(
        _ key: BudgetLineKey, requested: Int64, countedAs counted: Counted, field: String
    ) throws(LedgerError) -> BudgetWarning? {
        guard let current = book.lines[key] else { return nil }
        let currency = current.revised.currency
        let budget = current.revised.minorUnits
        let spentBefore = spent[key, default: 0]
        let committedBefore = committed[key, default: 0]
        let usedBefore = spentBefore.addingReportingOverflow(committedBefore)
        let used = usedBefore.partialValue.addingReportingOverflow(requested)
        guard !usedBefore.overflow, !used.overflow else { throw .amountOverflow(field: field) }
        func money(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: currency) }
        let rule = book.rule(for: current.line.category)
        if used.partialValue > budget, rule.overBudget == .block {
            throw .overBudget(
                field: field, line: key.description, budget: money(budget), spent: money(spentBefore),
                committed: money(committedBefore), requested: money(requested))
        }
        let kind: BudgetWarning.Kind
        if used.partialValue > budget {
            kind = .overBudget
        } else if Self.reaches(used.partialValue, percent: rule.warningPercent, of: budget) {
            kind = .warningLevelReached(percent: rule.warningPercent)
        } else {
            return nil
        }
        // Cannot overflow: each sum is at most `used`, checked above.
        let spentAfter = counted == .spent ? spentBefore + requested : spentBefore
        let committedAfter = counted == .committed ? committedBefore + requested : committedBefore
        return BudgetWarning(
            kind: kind, line: key, lineName: current.line.nameEn, budget: money(budget),
            spent: money(spentAfter), committed: money(committedAfter), requested: money(requested))
    }

    /// `used ≥ percent % of budget`, compared in 128 bits.
    static func reaches(_ used: Int64, percent: Int, of budget: Int64) -> Bool {
        guard budget > 0 else { return used > 0 }
        guard used > 0 else { return false }
        let left = UInt64(used).multipliedFullWidth(by: 100)
        let right = UInt64(budget).multipliedFullWidth(by: UInt64(max(percent, 0)))
        return (left.high, left.low) >= (right.high, right.low)
    }
}
