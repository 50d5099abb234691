import LedgerCore
import NeracaTestSupport
import Testing

@Suite("Money formatting")
struct MoneyFormattingTests {
    struct Example: Sendable, CustomTestStringConvertible {
        let minorUnits: Int64
        let currency: Currency
        let id: String
        let en: String
        let plain: String
        var testDescription: String { "\(minorUnits) \(currency.code)" }
    }

    static let examples: [Example] = [
        .init(minorUnits: 125_000_000, currency: .idr, id: "Rp 1.250.000", en: "IDR 1,250,000", plain: "1250000.00"),
        .init(minorUnits: 125_000_050, currency: .idr, id: "Rp 1.250.000,50", en: "IDR 1,250,000.50", plain: "1250000.50"),
        .init(minorUnits: -500_000, currency: .idr, id: "-Rp 5.000", en: "-IDR 5,000", plain: "-5000.00"),
        .init(minorUnits: -125_000_005, currency: .idr, id: "-Rp 1.250.000,05", en: "-IDR 1,250,000.05", plain: "-1250000.05"),
        .init(minorUnits: 0, currency: .idr, id: "Rp 0", en: "IDR 0", plain: "0.00"),
        .init(minorUnits: 5, currency: .idr, id: "Rp 0,05", en: "IDR 0.05", plain: "0.05"),
        .init(minorUnits: 99_900, currency: .idr, id: "Rp 999", en: "IDR 999", plain: "999.00"),
        .init(minorUnits: 100_000, currency: .idr, id: "Rp 1.000", en: "IDR 1,000", plain: "1000.00"),
        .init(minorUnits: 100_000_000_000, currency: .idr, id: "Rp 1.000.000.000", en: "IDR 1,000,000,000", plain: "1000000000.00"),
        .init(minorUnits: 1_250, currency: .usd, id: "USD 12,50", en: "USD 12.50", plain: "12.50"),
        .init(minorUnits: 1_200, currency: .usd, id: "USD 12,00", en: "USD 12.00", plain: "12.00"),
        .init(minorUnits: 0, currency: .usd, id: "USD 0,00", en: "USD 0.00", plain: "0.00"),
        .init(minorUnits: 5, currency: .usd, id: "USD 0,05", en: "USD 0.05", plain: "0.05"),
        .init(minorUnits: -5, currency: .usd, id: "-USD 0,05", en: "-USD 0.05", plain: "-0.05"),
        .init(minorUnits: -350, currency: .usd, id: "-USD 3,50", en: "-USD 3.50", plain: "-3.50"),
        .init(minorUnits: 123_456_789, currency: .usd, id: "USD 1.234.567,89", en: "USD 1,234,567.89", plain: "1234567.89"),
        .init(minorUnits: 1_200, currency: .jpy, id: "JPY 1.200", en: "JPY 1,200", plain: "1200"),
        .init(minorUnits: -7, currency: .jpy, id: "-JPY 7", en: "-JPY 7", plain: "-7"),
        .init(minorUnits: 1_000_000, currency: .jpy, id: "JPY 1.000.000", en: "JPY 1,000,000", plain: "1000000"),
        .init(minorUnits: 99_999, currency: .eur, id: "EUR 999,99", en: "EUR 999.99", plain: "999.99"),
        .init(minorUnits: Int64.max, currency: .usd,
              id: "USD 92.233.720.368.547.758,07", en: "USD 92,233,720,368,547,758.07", plain: "92233720368547758.07"),
        .init(minorUnits: -Int64.max, currency: .usd,
              id: "-USD 92.233.720.368.547.758,07", en: "-USD 92,233,720,368,547,758.07", plain: "-92233720368547758.07"),
    ]

    @Test(arguments: examples)
    func formats(_ example: Example) {
        let money = Money(minorUnits: example.minorUnits, currency: example.currency)
        #expect(money.formatted(.id) == example.id)
        #expect(money.formatted(.en) == example.en)
        #expect(money.plainDecimal == example.plain)
        #expect(money.description == example.en)
    }

    @Test func formattedNumberHasNoSymbolAndKeepsTheSign() {
        #expect(Money(minorUnits: -125_000_050, currency: .idr).formattedNumber(.en) == "-1,250,000.50")
        #expect(Money(minorUnits: -125_000_050, currency: .idr).formattedNumber(.id) == "-1.250.000,50")
        #expect(Money(minorUnits: 125_000_000, currency: .idr).formattedNumber(.id) == "1.250.000")
        #expect(Money(minorUnits: 100, currency: .usd).formattedNumber(.en) == "1.00")
        #expect(Money(minorUnits: Int64.min, currency: .usd).formattedNumber(.en) == "-92,233,720,368,547,758.08")
    }

    /// `Int64.min` has no positive counterpart; its magnitude must not be clamped to `Int64.max`.
    @Test func formattingTheSmallestAmountIsExact() {
        let money = Money(minorUnits: Int64.min, currency: .usd)
        #expect(money.formatted(.en) == "-USD 92,233,720,368,547,758.08")
        #expect(money.formatted(.id) == "-USD 92.233.720.368.547.758,08")
        #expect(money.plainDecimal == "-92233720368547758.08")
    }

    /// `plainDecimal` is documented to parse back to the same value with locale `.en`.
    @Test func plainDecimalOfTheSmallestAmountParsesBack() throws {
        let money = Money(minorUnits: Int64.min, currency: .usd)
        #expect(try Money.parse(money.plainDecimal, currency: .usd, locale: .en) == money)
    }

    static let roundTripCurrencies: [Currency] = [.idr, .usd, .jpy, .eur, .gbp]

    @Test(arguments: [7 as UInt64, 99, 12_345])
    func plainDecimalRoundTripsThroughParse(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let edges: [Int64] = [0, 1, -1, 9, -9, 10, 99, 100, 101, 999, 1_000, Int64.max, Int64.min + 1,
                              Limits.amountMinorUnitsMax, -Limits.amountMinorUnitsMax]
        for index in 0..<1_500 {
            let currency = Self.roundTripCurrencies[index % Self.roundTripCurrencies.count]
            let minorUnits: Int64
            if index < edges.count {
                minorUnits = edges[index]
            } else {
                // Mix small, medium and full-range values.
                switch index % 3 {
                case 0: minorUnits = Int64.random(in: -10_000...10_000, using: &random)
                case 1: minorUnits = Int64.random(in: -Limits.amountMinorUnitsMax...Limits.amountMinorUnitsMax, using: &random)
                default: minorUnits = Int64.random(in: (Int64.min + 1)...Int64.max, using: &random)
                }
            }
            let money = Money(minorUnits: minorUnits, currency: currency)
            let text = money.plainDecimal
            #expect(try Money.parse(text, currency: currency, locale: .en) == money, "\(text)")
            #expect(try Money.parse(text, currency: currency) == money, "\(text) without a locale")
            #expect(!text.contains(","))
        }
    }

    @Test(arguments: [5 as UInt64, 77])
    func formattedRoundTripsThroughParseWithItsLocale(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for index in 0..<800 {
            let currency = Self.roundTripCurrencies[index % Self.roundTripCurrencies.count]
            let money = Money(
                minorUnits: Int64.random(in: -Limits.amountMinorUnitsMax...Limits.amountMinorUnitsMax, using: &random),
                currency: currency)
            for locale in AmountLocale.allCases {
                let text = money.formatted(locale)
                #expect(try Money.parse(text, locale: locale) == money, "\(text)")
            }
        }
    }
}
