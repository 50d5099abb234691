/// An ISO 4217 currency with its minor-unit exponent.
///
/// Money is stored as integer minor units, so the exponent decides how many decimals a
/// typed amount may have (IDR 2, USD 2, JPY 0). Only currencies in `Currency.known` exist:
/// an unknown code is an input error, never a silently assumed exponent.
public struct Currency: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Three upper-case letters, e.g. `IDR`.
    public let code: String
    /// Number of decimals of the minor unit (2 for IDR and USD, 0 for JPY).
    public let exponent: Int

    private init(code: String, exponent: Int) {
        self.code = code
        self.exponent = exponent
    }

    public static let idr = Currency(code: "IDR", exponent: 2)
    public static let usd = Currency(code: "USD", exponent: 2)
    public static let eur = Currency(code: "EUR", exponent: 2)
    public static let jpy = Currency(code: "JPY", exponent: 0)
    public static let aud = Currency(code: "AUD", exponent: 2)
    public static let sgd = Currency(code: "SGD", exponent: 2)
    public static let gbp = Currency(code: "GBP", exponent: 2)

    /// The currencies Neraca knows, by code.
    public static let known: [String: Currency] = Dictionary(
        uniqueKeysWithValues: [idr, usd, eur, jpy, aud, sgd, gbp].map { ($0.code, $0) })

    /// Looks a currency up by its ISO code (case-sensitive, as ISO writes them).
    /// - Throws: `LedgerError.currencyUnknown` when the code is not in `known`.
    public init(isoCode: String) throws(LedgerError) {
        guard let found = Currency.known[isoCode] else {
            throw .currencyUnknown(field: "currency", code: isoCode)
        }
        self = found
    }

    /// 10^exponent, the number of minor units in one major unit.
    public var minorUnitsPerMajor: Int64 {
        var result: Int64 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    public var description: String { code }

    public static func < (lhs: Currency, rhs: Currency) -> Bool { lhs.code < rhs.code }
}
