import Foundation
import FraudRules
import NeracaTestSupport
import Testing

@Suite("Benford's law (R13)")
struct BenfordTests {
    @Test func leadingDigitsAreReadInMajorUnits() {
        #expect(BenfordTest.leading(125_000_000, exponent: 2, digits: .first) == 1)  // Rp 1.250.000
        #expect(BenfordTest.leading(125_000_000, exponent: 2, digits: .firstTwo) == 12)
        #expect(BenfordTest.leading(-98_700, exponent: 2, digits: .firstTwo) == 98)
        #expect(BenfordTest.leading(99, exponent: 2, digits: .first) == nil)  // under one rupiah
        #expect(BenfordTest.leading(900, exponent: 2, digits: .firstTwo) == nil)  // Rp 9: one digit only
        #expect(BenfordTest.leading(Int64.min, exponent: 0, digits: .first) == 9)
    }

    /// Amounts drawn as 10^u (u uniform) follow Benford's law: close conformity, no digit flagged.
    @Test func benfordDistributedAmountsConformClosely() {
        var random = SplitMix64(seed: 13)
        var first: [Int: Int] = [:]
        var firstTwo: [Int: Int] = [:]
        for _ in 0..<200_000 {
            let u = Double(random.next() >> 11) / Double(1 << 53)
            let amount = Int64(pow(10, 2 + 5 * u))  // Rp 100 to Rp 10.000.000
            if let digit = BenfordTest.leading(amount, exponent: 0, digits: .first) { first[digit, default: 0] += 1 }
            if let digits = BenfordTest.leading(amount, exponent: 0, digits: .firstTwo) { firstTwo[digits, default: 0] += 1 }
        }
        let one = BenfordTest(digits: .first, counts: first)
        #expect(one.conformity == .close, "MAD \(one.mad)")
        #expect(one.rows.allSatisfy { !$0.flagged }, "\(one.rows.filter(\.flagged).map(\.digits))")
        #expect(BenfordTest(digits: .firstTwo, counts: firstTwo).conformity == .close)
    }

    /// Amounts that all start with 5 (made up just under a threshold): nonconformity, 5 flagged.
    @Test func amountsCrowdingOneDigitAreFlagged() {
        let test = BenfordTest(digits: .first, counts: [5: 900, 1: 100])
        #expect(test.amounts == 1_000)
        #expect(test.conformity == .nonconformity)
        #expect(test.rows.filter(\.flagged).map(\.digits).contains(5))
        let expected = (1...9).map { log10(1 + 1 / Double($0)) }
        let observed = (1...9).map { $0 == 5 ? 0.9 : $0 == 1 ? 0.1 : 0 }
        let mad = zip(expected, observed).reduce(0) { $0 + abs($1.0 - $1.1) } / 9
        #expect(abs(test.mad - mad) < 1e-12)
    }

    @Test func conformityClassesFollowNigrinisLimits() {
        // A set exactly at the expected shares: MAD 0, close.
        var counts: [Int: Int] = [:]
        for digit in 1...9 { counts[digit] = Int((log10(1 + 1 / Double(digit)) * 1_000_000).rounded()) }
        #expect(BenfordTest(digits: .first, counts: counts).conformity == .close)
    }
}
