import LedgerCore

/// One posting line of a journal transaction, with the line it came from so that later
/// errors (unknown account, closed account…) can point at it.
public struct JournalPosting: Hashable, Sendable {
    /// The account name exactly as written (`Expenses:SBT:Travel`).
    public var account: String
    /// Positive for a debit, negative for a credit; filled in when it was left out.
    public var amount: Money
    /// True when the journal left the amount out and the reader computed it.
    public var amountWasElided: Bool
    /// The transaction's tags overridden by this posting's own.
    public var dimensions: Dimensions
    /// 1-based line of the posting in the file.
    public var line: Int

    public init(account: String, amount: Money, amountWasElided: Bool = false, dimensions: Dimensions = .none, line: Int) {
        self.account = account
        self.amount = amount
        self.amountWasElided = amountWasElided
        self.dimensions = dimensions
        self.line = line
    }
}
