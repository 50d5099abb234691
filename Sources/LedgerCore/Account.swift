/// The five kinds of account of a not-for-profit chart.
public enum AccountType: String, Sendable, CaseIterable, Codable {
    case asset
    case liability
    /// Equity of a not-for-profit: net assets with and without donor restrictions.
    case netAssets = "net-assets"
    case income
    case expense

    /// True for assets and expenses, whose balance is normally a debit.
    public var isDebitNormal: Bool { self == .asset || self == .expense }

    /// The type implied by a journal's top-level account name (`Assets`, `Liabilities`,
    /// `Equity`, `Income`/`Revenue`, `Expenses`), case-insensitively; nil when none fits.
    public init?(topLevelName: String) {
        switch topLevelName.lowercased() {
        case "assets", "asset": self = .asset
        case "liabilities", "liability": self = .liability
        case "equity", "net assets", "netassets", "net-assets": self = .netAssets
        case "income", "revenue", "revenues": self = .income
        case "expenses", "expense": self = .expense
        default: return nil
        }
    }
}

/// An account of the chart: where postings go.
///
/// Postings go only to leaf accounts that are open on the entry's date; parents exist to
/// group and sum. An account with a currency accepts postings in that currency only.
public struct Account: Hashable, Sendable {
    /// Unique and never changed once postings refer to it, e.g. `5-2100` or `Expenses:SBT:Fees`.
    public var code: String
    public var nameEn: String
    public var nameId: String
    public var type: AccountType
    public var parentCode: String?
    /// The only currency the account accepts; nil accepts any.
    public var currency: Currency?
    /// First date postings are accepted; nil means always.
    public var opensOn: LedgerDate?
    /// Postings dated on or after this date are refused; nil means open.
    public var closesOn: LedgerDate?

    public init(
        code: String, nameEn: String, nameId: String? = nil, type: AccountType, parentCode: String? = nil,
        currency: Currency? = nil, opensOn: LedgerDate? = nil, closesOn: LedgerDate? = nil
    ) {
        self.code = code
        self.nameEn = nameEn
        self.nameId = nameId ?? nameEn
        self.type = type
        self.parentCode = parentCode
        self.currency = currency
        self.opensOn = opensOn
        self.closesOn = closesOn
    }

    /// Checks that `code` can name an account: printable, no tabs, no leading, trailing or
    /// doubled spaces (two spaces end an account name in journal files), no `;`.
    /// - Throws: `LedgerError.accountCodeInvalid` or `textTooLong` naming `field`.
    public static func validateCode(_ code: String, field: String) throws(LedgerError) {
        guard !code.isEmpty else { throw .textEmpty(field: field) }
        guard code.count <= Limits.accountCodeLengthMax else {
            throw .textTooLong(field: field, length: code.count, max: Limits.accountCodeLengthMax)
        }
        var previousWasSpace = true
        for scalar in code.unicodeScalars {
            let isSpace = scalar == " "
            if isSpace && previousWasSpace { throw .accountCodeInvalid(field: field, code: code) }
            if scalar.properties.generalCategory == .control || scalar == ";" || scalar == "\u{a0}" {
                throw .accountCodeInvalid(field: field, code: code)
            }
            previousWasSpace = isSpace
        }
        if previousWasSpace { throw .accountCodeInvalid(field: field, code: code) }
    }
}
