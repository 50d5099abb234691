import LedgerCore

/// One line of a district's budget for a fiscal year, as planned: what it is for, how
/// it is grouped (component, category) and its amount in the line's currency.
public struct BudgetLine: Hashable, Sendable {
    public var key: BudgetLineKey
    public var nameEn: String
    public var nameId: String
    /// The project component, e.g. `C2 Livelihood grants`.
    public var component: String
    /// The policy category (`Policies/budget.yaml`) that decides what over-spending does.
    public var category: String
    public var amount: Money

    public init(key: BudgetLineKey, nameEn: String, nameId: String, component: String, category: String, amount: Money) {
        self.key = key
        self.nameEn = nameEn
        self.nameId = nameId
        self.component = component
        self.category = category
        self.amount = amount
    }
}

extension BudgetLine {
    /// A line or category code: 1…`Limits.dimensionLengthMax` characters, no white space,
    /// control characters, `/` (it separates district and code), `,` or `;` (journal tags).
    public static func isValidCode(_ code: String) -> Bool {
        !code.isEmpty && code.count <= Limits.dimensionLengthMax && code.unicodeScalars.allSatisfy { scalar in
            scalar.properties.generalCategory != .control && !scalar.properties.isWhitespace
                && !["/", ",", ";"].contains(scalar)
        }
    }

    /// The fiscal years a budget may be for.
    public static let fiscalYears = 1900...9999
}

/// A budget line as it stands: its description and its current (revised) amount.
public struct CurrentBudgetLine: Hashable, Sendable {
    public let line: BudgetLine
    /// The amount after the latest revision; `line.amount` is the original.
    public let revised: Money

    public init(line: BudgetLine, revised: Money) {
        self.line = line
        self.revised = revised
    }
}
