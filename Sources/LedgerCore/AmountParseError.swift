/// Why a typed amount was refused. Wrapped in `LedgerError.amountInvalid`, which adds the
/// field and the text.
public enum AmountParseError: Error, Equatable, Sendable {
    case empty
    case unexpectedCharacter(Character)
    case noDigits
    case tooManyDecimals(currency: Currency, found: Int)
    /// `1.250` in a currency with decimals: a thousands separator or a decimal mark?
    case ambiguousSeparator(separator: Character)
    /// Digit groups after a thousands separator must have exactly three digits.
    case badGrouping
    case separatorDoesNotFitLocale(separator: Character, locale: AmountLocale)
    case currencyMissing
    case currencyConflict(written: Currency, expected: Currency)
    case overflow

    /// A short English explanation, completing "'TEXT' is not a valid amount: …".
    public var explanation: String {
        switch self {
        case .empty: return "it is empty"
        case .unexpectedCharacter(let character): return "'\(character)' is not allowed in an amount"
        case .noDigits: return "it has no digits"
        case .tooManyDecimals(let currency, let found):
            return "\(currency.code) has \(currency.exponent) decimals, found \(found)"
        case .ambiguousSeparator(let separator):
            return "'\(separator)' could be a thousands separator or a decimal mark; give the locale or write the amount without it"
        case .badGrouping: return "thousands groups must have three digits"
        case .separatorDoesNotFitLocale(let separator, let locale):
            return "'\(separator)' is not used that way in the '\(locale.rawValue)' locale"
        case .currencyMissing: return "no currency was given"
        case .currencyConflict(let written, let expected):
            return "it is written in \(written.code) where \(expected.code) is expected"
        case .overflow: return "it is too large"
        }
    }
}

/// The two ways amounts are written and printed: `en` (`IDR 1,250,000.50`) and
/// `id` (`Rp 1.250.000,50`).
public enum AmountLocale: String, Sendable, CaseIterable, Codable {
    case en
    case id

    var decimalMark: Character { self == .en ? "." : "," }
    var groupSeparator: Character { self == .en ? "," : "." }
}
