/// What a posting or a claim that would take a line over its budget does.
public enum OverBudgetAction: String, Hashable, Sendable, CaseIterable {
    /// Refused, with an error naming line, budget, spent, committed and requested.
    case block
    /// Accepted, with a warning.
    case warn
}

/// The rule of one budget category.
public struct CategoryRule: Hashable, Sendable {
    public var overBudget: OverBudgetAction
    /// A warning is given when spent + committed reaches this share of the budget (1…100).
    public var warningPercent: Int

    public init(overBudget: OverBudgetAction, warningPercent: Int) {
        self.overBudget = overBudget
        self.warningPercent = warningPercent
    }
}

/// The budget policy (`Policies/budget.yaml`): a rule per category, and the expense
/// accounts that carry no budget line (bank charges, exchange differences).
public struct BudgetPolicy: Hashable, Sendable {
    /// Every category a budget line may name, with its rule.
    public var categories: [String: CategoryRule]
    /// Expense account codes that need no budget line; a parent code covers its sub-accounts.
    public var notBudgetedAccounts: Set<String>

    public init(categories: [String: CategoryRule], notBudgetedAccounts: Set<String>) {
        self.categories = categories
        self.notBudgetedAccounts = notBudgetedAccounts
    }

    /// No categories: no budget line can be loaded until a policy is set.
    public static let empty = BudgetPolicy(categories: [:], notBudgetedAccounts: [])

    /// The percentage bounds of `warningPercent`.
    public static let warningPercentRange = 1...100
}
