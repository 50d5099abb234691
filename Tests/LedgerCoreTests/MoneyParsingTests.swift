import LedgerCore
import NeracaTestSupport
import Testing

@Suite("Money parsing")
struct MoneyParsingTests {
    struct Accepted: Sendable, CustomTestStringConvertible {
        let text: String
        let currency: Currency?
        let locale: AmountLocale?
        let minorUnits: Int64
        let parsedCurrency: Currency
        var testDescription: String { "'\(text)' \(currency?.code ?? "-") \(locale?.rawValue ?? "-")" }
    }

    static let accepted: [Accepted] = [
        .init(text: "1250000", currency: .idr, locale: nil, minorUnits: 125_000_000, parsedCurrency: .idr),
        .init(text: "1,250,000.50", currency: .idr, locale: nil, minorUnits: 125_000_050, parsedCurrency: .idr),
        .init(text: "1.250.000,50", currency: .idr, locale: nil, minorUnits: 125_000_050, parsedCurrency: .idr),
        .init(text: "Rp 1.250.000", currency: nil, locale: nil, minorUnits: 125_000_000, parsedCurrency: .idr),
        .init(text: "Rp1.250.000", currency: nil, locale: nil, minorUnits: 125_000_000, parsedCurrency: .idr),
        .init(text: "Rp. 1.250.000", currency: .idr, locale: nil, minorUnits: 125_000_000, parsedCurrency: .idr),
        .init(text: "-Rp 1.250.000,50", currency: nil, locale: nil, minorUnits: -125_000_050, parsedCurrency: .idr),
        .init(text: "IDR 1,250,000", currency: nil, locale: nil, minorUnits: 125_000_000, parsedCurrency: .idr),
        .init(text: "IDR -1,000", currency: nil, locale: .en, minorUnits: -100_000, parsedCurrency: .idr),
        .init(text: "-25.5 USD", currency: nil, locale: nil, minorUnits: -2_550, parsedCurrency: .usd),
        .init(text: "25.5 USD", currency: .usd, locale: nil, minorUnits: 2_550, parsedCurrency: .usd),
        .init(text: "USD-5", currency: nil, locale: nil, minorUnits: -500, parsedCurrency: .usd),
        .init(text: "- 5 USD", currency: nil, locale: nil, minorUnits: -500, parsedCurrency: .usd),
        .init(text: "1250.5", currency: .idr, locale: nil, minorUnits: 125_050, parsedCurrency: .idr),
        .init(text: "1250,5", currency: .idr, locale: nil, minorUnits: 125_050, parsedCurrency: .idr),
        .init(text: "  42  ", currency: .usd, locale: nil, minorUnits: 4_200, parsedCurrency: .usd),
        .init(text: "-0.01", currency: .usd, locale: nil, minorUnits: -1, parsedCurrency: .usd),
        .init(text: "0", currency: .usd, locale: nil, minorUnits: 0, parsedCurrency: .usd),
        .init(text: "1,000", currency: .jpy, locale: nil, minorUnits: 1_000, parsedCurrency: .jpy),
        .init(text: "1.000.000", currency: .jpy, locale: nil, minorUnits: 1_000_000, parsedCurrency: .jpy),
        .init(text: "1.250", currency: .idr, locale: .id, minorUnits: 125_000, parsedCurrency: .idr),
        .init(text: "1,250", currency: .idr, locale: .en, minorUnits: 125_000, parsedCurrency: .idr),
        .init(text: "1,5", currency: .usd, locale: .id, minorUnits: 150, parsedCurrency: .usd),
        .init(text: "1.5", currency: .usd, locale: .en, minorUnits: 150, parsedCurrency: .usd),
        .init(text: "1.250.000,50", currency: .idr, locale: .id, minorUnits: 125_000_050, parsedCurrency: .idr),
        .init(text: "1,250,000.50", currency: .idr, locale: .en, minorUnits: 125_000_050, parsedCurrency: .idr),
        .init(text: "Rp 5.000", currency: .idr, locale: .id, minorUnits: 500_000, parsedCurrency: .idr),
        .init(text: "92233720368547758.07", currency: .usd, locale: nil, minorUnits: Int64.max, parsedCurrency: .usd),
        .init(text: "-92233720368547758.07", currency: .usd, locale: nil, minorUnits: -Int64.max, parsedCurrency: .usd),
    ]

    @Test(arguments: accepted)
    func accepts(_ example: Accepted) throws {
        let money = try Money.parse(example.text, currency: example.currency, locale: example.locale)
        #expect(money == Money(minorUnits: example.minorUnits, currency: example.parsedCurrency))
    }

    /// The examples of the doc comment of `Money.parse`, without a locale.
    @Test func acceptsTheDocumentedExamples() throws {
        #expect(try Money.parse("1250000", currency: .idr) == Money(minorUnits: 125_000_000, currency: .idr))
        #expect(try Money.parse("1,250,000.50", currency: .idr) == Money(minorUnits: 125_000_050, currency: .idr))
        #expect(try Money.parse("1.250.000,50", currency: .idr) == Money(minorUnits: 125_000_050, currency: .idr))
        #expect(try Money.parse("Rp 1.250.000") == Money(minorUnits: 125_000_000, currency: .idr))
        #expect(try Money.parse("IDR -1,000.00") == Money(minorUnits: -100_000, currency: .idr))
        #expect(try Money.parse("-25.5 USD") == Money(minorUnits: -2_550, currency: .usd))
    }

    struct Refused: Sendable, CustomTestStringConvertible {
        let text: String
        let currency: Currency?
        let locale: AmountLocale?
        let reason: AmountParseError
        var testDescription: String { "'\(text)' \(currency?.code ?? "-") \(locale?.rawValue ?? "-")" }
    }

    static let refused: [Refused] = [
        .init(text: "", currency: .idr, locale: nil, reason: .empty),
        .init(text: "   ", currency: .idr, locale: nil, reason: .empty),
        .init(text: "NaN", currency: .usd, locale: nil, reason: .unexpectedCharacter("N")),
        .init(text: "nan", currency: .usd, locale: nil, reason: .unexpectedCharacter("n")),
        .init(text: "inf", currency: .usd, locale: nil, reason: .unexpectedCharacter("i")),
        .init(text: "-inf", currency: .usd, locale: nil, reason: .unexpectedCharacter("i")),
        .init(text: "Infinity", currency: .usd, locale: nil, reason: .unexpectedCharacter("I")),
        .init(text: "abc", currency: .idr, locale: nil, reason: .unexpectedCharacter("a")),
        .init(text: "1e6", currency: .idr, locale: nil, reason: .unexpectedCharacter("e")),
        .init(text: "+5", currency: .idr, locale: nil, reason: .unexpectedCharacter("+")),
        .init(text: "1 000", currency: .idr, locale: nil, reason: .unexpectedCharacter(" ")),
        .init(text: "--5", currency: .idr, locale: nil, reason: .unexpectedCharacter("-")),
        .init(text: "1.250", currency: .idr, locale: nil, reason: .ambiguousSeparator(separator: ".")),
        .init(text: "Rp 1.250", currency: nil, locale: nil, reason: .ambiguousSeparator(separator: ".")),
        .init(text: "1,250", currency: .usd, locale: nil, reason: .ambiguousSeparator(separator: ",")),
        // Like `1.250`: one separator followed by three digits, in a currency with decimals.
        .init(text: "IDR -1,000", currency: nil, locale: nil, reason: .ambiguousSeparator(separator: ",")),
        .init(text: "1.2345", currency: .usd, locale: nil, reason: .tooManyDecimals(currency: .usd, found: 4)),
        .init(text: "1250.5050", currency: .idr, locale: nil, reason: .tooManyDecimals(currency: .idr, found: 4)),
        .init(text: "1,250,000.505", currency: .idr, locale: nil, reason: .tooManyDecimals(currency: .idr, found: 3)),
        .init(text: "1.5", currency: .jpy, locale: nil, reason: .tooManyDecimals(currency: .jpy, found: 1)),
        .init(text: "1.250", currency: .usd, locale: .en, reason: .tooManyDecimals(currency: .usd, found: 3)),
        .init(text: "1.000", currency: .jpy, locale: .en, reason: .tooManyDecimals(currency: .jpy, found: 3)),
        .init(text: "1,25,000", currency: .idr, locale: nil, reason: .badGrouping),
        .init(text: "1234,567.00", currency: .usd, locale: nil, reason: .badGrouping),
        .init(text: "1,000.000.00", currency: .usd, locale: nil, reason: .badGrouping),
        .init(text: "1.2.3", currency: .usd, locale: nil, reason: .badGrouping),
        .init(text: "1,5", currency: .usd, locale: .en, reason: .badGrouping),
        .init(text: "12.50", currency: .usd, locale: .id, reason: .badGrouping),
        .init(text: ",5", currency: .usd, locale: nil, reason: .noDigits),
        .init(text: "5.", currency: .usd, locale: nil, reason: .noDigits),
        .init(text: ".", currency: .usd, locale: nil, reason: .noDigits),
        .init(text: "-", currency: .usd, locale: nil, reason: .noDigits),
        .init(text: "Rp", currency: nil, locale: nil, reason: .noDigits),
        .init(text: "USD", currency: nil, locale: nil, reason: .noDigits),
        .init(text: "-", currency: nil, locale: nil, reason: .currencyMissing),
        .init(text: "1000", currency: nil, locale: nil, reason: .currencyMissing),
        .init(text: "Rp 1.000.000", currency: .usd, locale: nil, reason: .currencyConflict(written: .idr, expected: .usd)),
        .init(text: "100 USD", currency: .idr, locale: nil, reason: .currencyConflict(written: .usd, expected: .idr)),
        .init(text: "EUR 5", currency: .usd, locale: nil, reason: .currencyConflict(written: .eur, expected: .usd)),
        .init(text: "92233720368547758.08", currency: .usd, locale: nil, reason: .overflow),
        .init(text: "99999999999999999999", currency: .jpy, locale: nil, reason: .overflow),
        .init(text: "100000000000000000", currency: .idr, locale: nil, reason: .overflow),
        .init(text: "1.250.000,50", currency: .idr, locale: .en, reason: .separatorDoesNotFitLocale(separator: ".", locale: .en)),
        .init(text: "1,250,000.50", currency: .idr, locale: .id, reason: .separatorDoesNotFitLocale(separator: ",", locale: .id)),
        .init(text: "1.250.000", currency: .idr, locale: .en, reason: .separatorDoesNotFitLocale(separator: ".", locale: .en)),
        .init(text: "1,250,000", currency: .idr, locale: .id, reason: .separatorDoesNotFitLocale(separator: ",", locale: .id)),
        .init(text: "Rp 1.250.000", currency: nil, locale: .en, reason: .separatorDoesNotFitLocale(separator: ".", locale: .en)),
        .init(text: "IDR 1,250,000", currency: nil, locale: .id, reason: .separatorDoesNotFitLocale(separator: ",", locale: .id)),
    ]

    @Test(arguments: refused)
    func refuses(_ example: Refused) {
        #expect(throws: LedgerError.amountInvalid(field: "amount", text: example.text, reason: example.reason)) {
            try Money.parse(example.text, currency: example.currency, locale: example.locale)
        }
    }

    @Test func theErrorNamesTheFieldAndExplains() throws {
        let error = #expect(throws: LedgerError.self) {
            try Money.parse("1,25,000", currency: .idr, field: "postings[2].amount")
        }
        let thrown = try #require(error)
        #expect(thrown == .amountInvalid(field: "postings[2].amount", text: "1,25,000", reason: .badGrouping))
        #expect(thrown.field == "postings[2].amount")
        #expect(thrown.message == "'1,25,000' is not a valid amount: thousands groups must have three digits")
    }

    /// A non-ASCII character must be named as itself, not as the first byte of its UTF-8 encoding.
    @Test(arguments: [("12€", Character("€")), ("١٢٣", Character("١")), ("5 ¥", Character(" "))])
    func unexpectedNonASCIICharacterIsNamedAsWritten(text: String, character: Character) {
        #expect(throws: LedgerError.amountInvalid(field: "amount", text: text, reason: .unexpectedCharacter(character))) {
            try Money.parse(text, currency: .eur)
        }
    }

    @Test func unknownCurrencyCodes() throws {
        #expect(throws: LedgerError.currencyUnknown(field: "currency", code: "XYZ")) { try Currency(isoCode: "XYZ") }
        #expect(throws: LedgerError.currencyUnknown(field: "currency", code: "idr")) { try Currency(isoCode: "idr") }
        #expect(try Currency(isoCode: "IDR") == .idr)
        #expect(try Currency(isoCode: "JPY").exponent == 0)
        #expect(Currency.jpy.minorUnitsPerMajor == 1)
        #expect(Currency.usd.minorUnitsPerMajor == 100)
    }

    /// Plain machine amounts (`-1250000.5`) take a byte-level fast path; written with a
    /// currency code they go through the general parser. Both must always agree, including
    /// on refusals.
    @Test(arguments: [Currency.idr, .jpy, .usd])
    func theFastPathAgreesWithTheGeneralParser(currency: Currency) throws {
        var random = SplitMix64(seed: 4_242)
        var texts = ["0", "-0", "7", "-7", "1.", ".5", "1.2", "1.25", "1.250", "-", "12.345", "9223372036854775807",
                     "-92233720368547758.08", "92233720368547758.08", "00012", "1.0.0"]
        for _ in 0..<500 {
            let whole = String(Int64.random(in: -9_999_999_999...9_999_999_999, using: &random))
            let decimals = Int.random(in: 0...3, using: &random)
            let fraction = String((0..<decimals).map { _ in Character(String(Int.random(in: 0...9, using: &random))) })
            texts.append(decimals == 0 ? whole : whole + "." + fraction)
        }
        for text in texts {
            let fast = Result { () throws(LedgerError) -> Money in try Money.parse(text, currency: currency) }
            let general = Result { () throws(LedgerError) -> Money in try Money.parse(currency.code + " " + text) }
            switch (fast, general) {
            case (.success(let a), .success(let b)):
                #expect(a == b, "\(text) in \(currency.code)")
            case (.failure, .failure):
                break
            default:
                Issue.record("'\(text)' in \(currency.code): fast path \(fast), general parser \(general)")
            }
        }
    }
}
