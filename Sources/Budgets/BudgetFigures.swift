import LedgerCore

/// Budget against spending for one line, or a sum of lines: the figures every budget
/// report shows. All in one currency; every sum is overflow-checked.
public struct BudgetFigures: Hashable, Sendable {
    /// The amount first budgeted.
    public let original: Money
    /// The amount after every revision and reallocation.
    public let revised: Money
    /// Net expense postings on the line (debits less credits).
    public let actual: Money
    /// Held by approved claims not yet posted.
    public let committed: Money
    /// `revised − actual − committed`; negative once a `warn` line is overspent.
    public let available: Money
    /// Revised budget less actual spending (commitments not counted).
    public let variance: Money

    /// - Throws: `currencyMismatch` when the amounts differ in currency, `amountOverflow`.
    public init(original: Money, revised: Money, actual: Money, committed: Money) throws(LedgerError) {
        for money in [revised, actual, committed] where money.currency != original.currency {
            throw .currencyMismatch(field: "budget", expected: original.currency, found: money.currency)
        }
        self.original = original
        self.revised = revised
        self.actual = actual
        self.committed = committed
        available = try revised.subtracting(actual, field: "available").subtracting(committed, field: "available")
        variance = try revised.subtracting(actual, field: "variance")
    }

    /// All zero: the start of a sum.
    public static func zero(_ currency: Currency) -> BudgetFigures {
        BudgetFigures(allZero: .zero(currency))
    }

    private init(allZero zero: Money) {
        original = zero
        revised = zero
        actual = zero
        committed = zero
        available = zero
        variance = zero
    }

    public var currency: Currency { original.currency }

    /// Spent and committed as a share of the revised budget, in tenths of a percent
    /// (935 = 93.5 %), rounded half-even; nil for a zero budget.
    public var usedPerMille: Int64? {
        let used = actual.minorUnits.addingReportingOverflow(committed.minorUnits)
        guard !used.overflow else { return nil }
        return Self.perMille(used.partialValue, of: revised.minorUnits)
    }

    /// `part / whole` in tenths of a percent, rounded half-even, computed in 128 bits;
    /// nil for a zero or negative whole, or a result beyond Int64.
    static func perMille(_ part: Int64, of whole: Int64) -> Int64? {
        guard whole > 0 else { return nil }
        let product = part.magnitude.multipliedFullWidth(by: 1_000)
        let divisor = UInt64(whole)
        guard product.high < divisor else { return nil }  // the quotient would not fit in 64 bits
        let (quotient, remainder) = divisor.dividingFullWidth(product)
        let twice = remainder.multipliedReportingOverflow(by: 2)
        let roundsUp = twice.overflow || twice.partialValue > divisor
            || (twice.partialValue == divisor && quotient % 2 == 1)
        let rounded = quotient.addingReportingOverflow(roundsUp ? 1 : 0)
        guard !rounded.overflow else { return nil }
        if part < 0 {
            // -(2^63) is the most negative result Int64 holds.
            guard rounded.partialValue <= Int64.min.magnitude else { return nil }
            return rounded.partialValue == Int64.min.magnitude ? Int64.min : -Int64(rounded.partialValue)
        }
        guard rounded.partialValue <= UInt64(Int64.max) else { return nil }
        return Int64(rounded.partialValue)
    }

    /// These figures plus `other`'s (same currency).
    /// - Throws: `currencyMismatch`, `amountOverflow`.
    public func adding(_ other: BudgetFigures) throws(LedgerError) -> BudgetFigures {
        try BudgetFigures(
            original: original.adding(other.original, field: "original"),
            revised: revised.adding(other.revised, field: "revised"),
            actual: actual.adding(other.actual, field: "actual"),
            committed: committed.adding(other.committed, field: "committed"))
    }
}
