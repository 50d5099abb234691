import LedgerCore

/// Decides, before anything is written, whether postings and commitments fit the budget,
/// and keeps the running spent and committed totals of the lines while a write goes on
/// (a batch or an import sees its own earlier entries).
///
/// Rules, for postings dated in a fiscal year that has a budget:
/// - a posting to an expense account needs a district and a budget line of that year,
///   unless the account is marked as not budgeted; reversals and closing entries are
///   exempt (they mirror what was already admitted);
/// - the line's currency is the posting's;
/// - an entry that raises a line's spent + committed above its revised budget is refused
///   under a `block` category and warned about under `warn`; reaching the category's
///   warning level gives a warning. Lowering a line (refunds) is always admitted.
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

    /// Checks `entry` (already validated) and counts it as spent.
    /// - Returns: the warnings the entry gives; empty when the year has no budget.
    /// - Throws: `budgetDimensionRequired`, `budgetLineUnknown`, `budgetCurrencyMismatch`,
    ///   `overBudget`, `amountOverflow`; nothing is counted then.
    public mutating func admit(
        _ entry: EntryDraft, fiscalYear: Int, chart: ChartOfAccounts
    ) throws(LedgerError) -> [BudgetWarning] {
        guard book.years.contains(fiscalYear), entry.source != .reversal, entry.source != .closing else { return [] }
        // The entry's net change per line, with the first posting that touched it.
        var changes: [(key: BudgetLineKey, amount: Int64, index: Int)] = []
        for (index, posting) in entry.postings.enumerated() {
            guard let account = chart.account(code: posting.accountCode), account.type == .expense,
                  !book.isNotBudgeted(posting.accountCode, in: chart)
            else { continue }
            guard let district = posting.dimensions.district else {
                throw .budgetDimensionRequired(field: "postings[\(index)].district", fiscalYear: fiscalYear)
            }
            guard let code = posting.dimensions.budgetLine else {
                throw .budgetDimensionRequired(field: "postings[\(index)].budgetLine", fiscalYear: fiscalYear)
            }
            let key = BudgetLineKey(fiscalYear: fiscalYear, district: district, code: code)
            guard let line = book.lines[key] else {
                throw .budgetLineUnknown(field: "postings[\(index)].budgetLine", line: key.description, fiscalYear: fiscalYear)
            }
            guard posting.amount.currency == line.revised.currency else {
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
        var newSpent: [(BudgetLineKey, Int64)] = []
        for change in changes {
            let field = "postings[\(change.index)].amount"
            let (after, overflow) = spent[change.key, default: 0].addingReportingOverflow(change.amount)
            guard !overflow else { throw .amountOverflow(field: field) }
            if change.amount > 0,
               let warning = try evaluate(change.key, requested: change.amount, countedAs: .spent, field: field) {
                warnings.append(warning)
            }
            newSpent.append((change.key, after))
        }
        // Only once every line has passed: a refused entry counts nowhere.
        for (key, value) in newSpent { spent[key] = value }
        return warnings
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
