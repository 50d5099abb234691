import LedgerCore

/// An accepted posting or commitment that the budget officer should know about: it took
/// a line past its warning level, or past its budget under a `warn` policy.
public struct BudgetWarning: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// Spent + committed reached the category's warning level (percent).
        case warningLevelReached(percent: Int)
        /// Spent + committed is above the budget; the policy says `warn`.
        case overBudget
    }

    public let kind: Kind
    public let line: BudgetLineKey
    public let lineName: String
    /// The figures after the posting or commitment.
    public let budget: Money
    public let spent: Money
    public let committed: Money
    public let requested: Money

    public var description: String {
        let used = "budget \(budget.formatted(.en)), spent \(spent.formatted(.en)), committed \(committed.formatted(.en))"
        switch kind {
        case .warningLevelReached(let percent):
            return "budget line '\(line)' (\(lineName)) is at or above \(percent) % of its budget: \(used)"
        case .overBudget:
            return "budget line '\(line)' (\(lineName)) is over budget: \(used)"
        }
    }
}
