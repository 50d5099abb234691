import LedgerCore

/// The budgets in force: every line with its current amount, the policy, and the years
/// that have a budget. Budget rules apply to postings dated in those years only, so a
/// ledger (or a year) without a budget posts as before.
public struct BudgetBook: Sendable {
    public let lines: [BudgetLineKey: CurrentBudgetLine]
    public let policy: BudgetPolicy
    /// Fiscal years with at least one budget line.
    public let years: Set<Int>

    public init(lines: [CurrentBudgetLine], policy: BudgetPolicy) {
        var byKey: [BudgetLineKey: CurrentBudgetLine] = [:]
        for line in lines { byKey[line.line.key] = line }
        self.lines = byKey
        self.policy = policy
        years = Set(lines.map(\.line.key.fiscalYear))
    }

    public static let empty = BudgetBook(lines: [], policy: .empty)

    /// The rule of `category`. A category the policy no longer has (the store refuses to
    /// drop used ones, so only an edited file gets here) is treated strictly: block at
    /// 90 %.
    public func rule(for category: String) -> CategoryRule {
        policy.categories[category] ?? CategoryRule(overBudget: .block, warningPercent: 90)
    }

    /// True when `accountCode`, or one of its parents, is marked as not budgeted.
    public func isNotBudgeted(_ accountCode: String, in chart: ChartOfAccounts) -> Bool {
        var code: String? = accountCode
        var depth = 0
        while let current = code, depth <= Limits.accountDepthMax {
            if policy.notBudgetedAccounts.contains(current) { return true }
            code = chart.account(code: current)?.parentCode
            depth += 1
        }
        return false
    }
}
