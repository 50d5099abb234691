import LedgerCore

/// The balance of every account with a non-zero balance, in debit and credit columns.
///
/// With no district filter the columns total the same per currency — the books balance.
/// Filtered to one district they need not, since bank and payable postings usually carry
/// no district.
public struct TrialBalance: Sendable {
    public struct Line: Hashable, Sendable {
        public let accountCode: String
        public let accountNameEn: String
        public let accountNameId: String
        public let accountType: AccountType
        /// The net balance when it is a debit, else zero.
        public let debit: Money
        /// The net balance, as a positive amount, when it is a credit, else zero.
        public let credit: Money

        /// Debit minus credit.
        public var net: Money { Money(minorUnits: debit.minorUnits - credit.minorUnits, currency: debit.currency) }
    }

    public struct Total: Hashable, Sendable {
        public let currency: Currency
        public let debit: Money
        public let credit: Money
    }

    public let asOf: LedgerDate?
    public let district: String?
    /// Ordered by account code, then currency.
    public let lines: [Line]
    /// One per currency, ordered by currency code.
    public let totals: [Total]
}

/// One line of an account's register, with the running balance after it.
public struct RegisterLine: Hashable, Sendable {
    public let date: LedgerDate
    public let number: EntryNumber
    public let description: String
    public let reference: String?
    public let amount: Money
    public let dimensions: Dimensions
    public let runningBalance: Money
}

/// An account's postings in a date range, with the balance brought forward.
public struct AccountRegister: Sendable {
    public let account: Account
    public let from: LedgerDate?
    public let to: LedgerDate?
    /// Balance before `from`, per currency (empty when there was none).
    public let openingBalances: [Money]
    public let lines: [RegisterLine]
}

/// Facts about the ledger as a whole.
public struct LedgerSummary: Sendable {
    public let name: String
    public let organisation: String
    public let baseCurrency: Currency
    public let fiscalCalendar: FiscalCalendar
    public let accounts: Int
    public let entries: Int
    public let postings: Int
    public let chainHead: EntryHash
}
