import LedgerCore

/// Reads posting amounts: `-117772 IDR`, `IDR 1000`, `1,250.50 USD`, `Rp 1.000`, `500`.
///
/// Nearly every amount of a real journal is a plain decimal number followed by a currency
/// code, so those are converted to minor units directly from the bytes (overflow-checked,
/// the currency's exponent respected); anything else goes to LedgerCore's `Money.parse`,
/// which also gives the precise reason when an amount is wrong. Journal numbers use `.` as
/// decimal mark and `,` for thousands (locale `.en`), except amounts written with `Rp`,
/// which use the Indonesian convention (`.id`).
struct AmountScanner {
    let defaultCurrency: Currency
    /// Recently seen three-letter codes (as `A << 16 | B << 8 | C`) and their currencies;
    /// at most `cachedCodesMax`, so a journal mixing IDR and USD needs no dictionary lookups.
    private var cachedCodes: [UInt32] = []
    private var cachedCurrencies: [Currency] = []
    private static let cachedCodesMax = 8

    init(defaultCurrency: Currency) {
        self.defaultCurrency = defaultCurrency
    }

    /// The amount in `line[start..<end]` (no surrounding blanks).
    /// - Throws: `amountInvalid`, `commodityUnknown`, `unsupportedSyntax` for prices,
    ///   balance assertions and lot prices.
    mutating func amount(
        _ line: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, file: String, lineNumber: Int
    ) throws(JournalError) -> Money {
        if let money = plain(line, from: start, to: end) { return money }
        return try general(line, from: start, to: end, file: file, lineNumber: lineNumber)
    }

    /// The fast path: `[-]DIGITS[.DIGITS][ CODE]` read by `Money.plainDecimal`; nil for
    /// anything else.
    mutating func plain(_ line: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Money? {
        var numberEnd = end
        var currency = defaultCurrency
        if end - start > 4, line[end - 4] == JournalBytes.space,
           let found = code(line[end - 3], line[end - 2], line[end - 1]) {
            numberEnd = end - 4
            currency = found
        }
        return Money.plainDecimal(UnsafeBufferPointer(rebasing: line[start..<numberEnd]), currency: currency)
    }

    /// The currency of a three-letter upper-case code, remembering the codes seen.
    private mutating func code(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Currency? {
        let key = UInt32(a) << 16 | UInt32(b) << 8 | UInt32(c)
        for index in cachedCodes.indices where cachedCodes[index] == key { return cachedCurrencies[index] }
        let upper = UInt8(ascii: "A")...UInt8(ascii: "Z")
        guard upper.contains(a), upper.contains(b), upper.contains(c),
              let found = Currency.known[String(decoding: [a, b, c], as: UTF8.self)] else { return nil }
        if cachedCodes.count < AmountScanner.cachedCodesMax {
            cachedCodes.append(key)
            cachedCurrencies.append(found)
        }
        return found
    }

    /// The general path through `Money.parse`, with precise errors.
    func general(
        _ line: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, file: String, lineNumber: Int
    ) throws(JournalError) -> Money {
        func location(_ offset: Int) -> InputLocation {
            InputLocation(file: file, line: lineNumber, column: JournalBytes.column(of: offset, in: line))
        }
        var symbol: [UInt8] = []
        for index in start..<end {
            switch line[index] {
            case UInt8(ascii: "@"): throw .unsupportedSyntax(location(index), .price)
            case UInt8(ascii: "="): throw .unsupportedSyntax(location(index), .balanceAssertion)
            case UInt8(ascii: "{"): throw .unsupportedSyntax(location(index), .lotPrice)
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: "-"),
                 UInt8(ascii: "+"), JournalBytes.space, JournalBytes.tab:
                continue
            default:
                symbol.append(line[index])
            }
        }
        guard let text = JournalBytes.string(line, from: start, to: end) else { throw .invalidUTF8(location(start)) }
        let currency: Currency?
        let locale: AmountLocale
        if symbol.isEmpty {
            currency = defaultCurrency
            locale = .en
        } else if symbol == Array("Rp".utf8) || symbol == Array("Rp.".utf8) {
            currency = nil
            locale = .id
        } else if Currency.known[String(decoding: symbol, as: UTF8.self)] != nil {
            currency = nil
            locale = .en
        } else {
            throw .commodityUnknown(location(start), symbol: String(decoding: symbol, as: UTF8.self))
        }
        do throws(LedgerError) {
            return try Money.parse(text, currency: currency, locale: locale)
        } catch {
            throw .amountInvalid(location(start), text: text, reason: error)
        }
    }
}
