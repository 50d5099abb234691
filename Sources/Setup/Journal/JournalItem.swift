import LedgerCore

/// One thing a journal file declares, as `JournalReader.next()` yields them in file order.
///
/// Comments and blank lines yield nothing; only what an import acts on is an item.
public enum JournalItem: Hashable, Sendable {
    /// `account NAME`: the journal declares an account (its 1-based line).
    case accountDeclaration(name: String, line: Int)
    /// `commodity IDR` (or `commodity 1,000.00 USD`): the journal declares a currency.
    case commodityDeclaration(currency: Currency, line: Int)
    /// A dated transaction with its postings, balanced per currency.
    case transaction(JournalTransaction)
}
