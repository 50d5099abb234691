import LedgerCore

/// A recorded change to a year's budget. Revisions are never edited: the budget as it
/// stood after any revision can be read again.
public struct BudgetRevision: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// The year's first lines.
        case original
        /// Lines added to a year that had a budget.
        case addition
        /// One line raised or lowered.
        case increase, decrease
        /// An amount moved between two lines of the year; the total stays the same.
        case reallocation
    }

    /// One line's amount before and after (nil before: the line is new).
    public struct Change: Hashable, Sendable {
        public let line: BudgetLineKey
        public let before: Money?
        public let after: Money

        public init(line: BudgetLineKey, before: Money?, after: Money) {
            self.line = line
            self.before = before
            self.after = after
        }
    }

    /// Increasing with every revision of the ledger.
    public let number: Int64
    public let fiscalYear: Int
    public let kind: Kind
    public let reason: String
    public let approvedBy: String
    public let approvedOn: LedgerDate
    public let recordedAt: Timestamp
    public let changes: [Change]

    public init(
        number: Int64, fiscalYear: Int, kind: Kind, reason: String, approvedBy: String, approvedOn: LedgerDate,
        recordedAt: Timestamp, changes: [Change]
    ) {
        self.number = number
        self.fiscalYear = fiscalYear
        self.kind = kind
        self.reason = reason
        self.approvedBy = approvedBy
        self.approvedOn = approvedOn
        self.recordedAt = recordedAt
        self.changes = changes
    }
}

/// Who approved a budget change, when and why: required on every revision.
public struct BudgetApproval: Hashable, Sendable {
    public var reason: String
    public var approvedBy: String
    public var approvedOn: LedgerDate

    public init(reason: String, approvedBy: String, approvedOn: LedgerDate) {
        self.reason = reason
        self.approvedBy = approvedBy
        self.approvedOn = approvedOn
    }

    /// The approval with its text trimmed and checked.
    /// - Throws: `BudgetError.invalid` with `textEmpty`, `textTooLong`… naming `reason` or `approvedBy`.
    public func validated() throws(BudgetError) -> BudgetApproval {
        var clean = self
        clean.reason = TextRules.cleaned(reason)
        clean.approvedBy = TextRules.cleaned(approvedBy)
        do {
            try TextRules.check(clean.reason, field: "reason", max: Limits.descriptionLengthMax)
            try TextRules.check(clean.approvedBy, field: "approvedBy", max: Limits.nameLengthMax)
        } catch {
            throw .invalid(error)
        }
        return clean
    }
}
