@testable import AuditExport
import LedgerCore
import Testing

/// The bundle's field formats, as writer and verifier share them.
@Suite("Bundle text")
struct BundleTextTests {
    @Test(arguments: ["plain", "with, comma", "with \"quotes\"", "", "trailing,", "Rp 1.250.000"])
    func aCSVFieldReadsBackAsWritten(_ text: String) throws {
        var line: [UInt8] = []
        BundleText.csv(text, into: &line)
        line.append(0x2C)
        BundleText.csv("next", into: &line)
        #expect(CSVLine.fields(line[...]) == [text, "next"])
    }

    @Test func aBrokenQuoteIsNotARow() {
        #expect(CSVLine.fields(Array("\"open,field".utf8)[...]) == nil)
        #expect(CSVLine.fields(Array("\"a\"b,c".utf8)[...]) == nil)
    }

    @Test func timesAreUTCWithMilliseconds() {
        #expect(BundleText.iso(Timestamp(millisecondsSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(BundleText.iso(Timestamp(millisecondsSince1970: 1_718_020_800_123)) == "2024-06-10T12:00:00.123Z")
        #expect(BundleText.iso(Timestamp(millisecondsSince1970: -1)) == "1969-12-31T23:59:59.999Z")
    }

    @Test func amountsAreReadOnlyAsTheyAreWritten() {
        #expect(Money.parsePlain("1250000.00", currency: .idr)?.minorUnits == 125_000_000)
        #expect(Money.parsePlain("1250000.0", currency: .idr) == nil)
        #expect(Money.parsePlain("1,250,000.00", currency: .idr) == nil)
        #expect(Money.parsePlain("+5.00", currency: .idr) == nil)
        for (minorUnits, exponent) in [(-125_000_050, 2), (5, 2), (0, 2), (1200, 0), (-7, 0), (Int64.min, 2), (Int64.max, 2)]
            as [(Int64, Int)] {
            var bytes: [UInt8] = []
            BundleText.decimal(minorUnits, exponent: exponent, into: &bytes)
            let currency = exponent == 0 ? Currency.jpy : Currency.idr
            if minorUnits != Int64.min {
                #expect(String(decoding: bytes, as: UTF8.self) == Money(minorUnits: minorUnits, currency: currency).plainDecimal)
            }
        }
        var comma: [UInt8] = []
        BundleText.decimal(125_000_050, exponent: 2, mark: 0x2C, into: &comma)
        #expect(String(decoding: comma, as: UTF8.self) == "1250000,50")
    }

    @Test func jsonStringsAreEscaped() {
        var out: [UInt8] = []
        BundleText.json("a\"b\\c\u{1}", into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "\"a\\\"b\\\\c\\u0001\"")
    }
}
