import LedgerCore
import NeracaTestSupport
import Testing

@Suite("Money arithmetic")
struct MoneyTests {
    static func idr(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: .idr) }
    static func usd(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: .usd) }

    // MARK: - Add, subtract, negate, multiply

    @Test func addingAndSubtractingInTheSameCurrency() throws {
        #expect(try Self.idr(125_000_000).adding(Self.idr(50)) == Self.idr(125_000_050))
        #expect(try Self.idr(100).subtracting(Self.idr(250)) == Self.idr(-150))
        #expect(try Self.usd(-5).adding(Self.usd(5)).isZero)
        #expect(try Self.usd(Int64.max - 1).adding(Self.usd(1)) == Self.usd(Int64.max))
        #expect(try Self.usd(Int64.min + 1).subtracting(Self.usd(1)) == Self.usd(Int64.min))
    }

    @Test func addingPastInt64ThrowsAmountOverflow() {
        #expect(throws: LedgerError.amountOverflow(field: "amount")) {
            try Self.idr(Int64.max).adding(Self.idr(1))
        }
        #expect(throws: LedgerError.amountOverflow(field: "amount")) {
            try Self.idr(Int64.min).adding(Self.idr(-1))
        }
        #expect(throws: LedgerError.amountOverflow(field: "lines[3].amount")) {
            try Self.idr(Int64.max / 2 + 1).adding(Self.idr(Int64.max / 2 + 1), field: "lines[3].amount")
        }
    }

    @Test func subtractingPastInt64ThrowsAmountOverflow() {
        #expect(throws: LedgerError.amountOverflow(field: "amount")) {
            try Self.usd(Int64.min).subtracting(Self.usd(1))
        }
        #expect(throws: LedgerError.amountOverflow(field: "total")) {
            try Self.usd(Int64.max).subtracting(Self.usd(-1), field: "total")
        }
        #expect(throws: LedgerError.amountOverflow(field: "amount")) {
            try Self.usd(0).subtracting(Self.usd(Int64.min))
        }
    }

    @Test func negating() throws {
        #expect(try Self.idr(250).negated() == Self.idr(-250))
        #expect(try Self.idr(-250).negated() == Self.idr(250))
        #expect(try Self.idr(0).negated() == Self.idr(0))
        #expect(try Self.idr(Int64.max).negated() == Self.idr(-Int64.max))
        #expect(throws: LedgerError.amountOverflow(field: "amount")) { try Self.idr(Int64.min).negated() }
        #expect(throws: LedgerError.amountOverflow(field: "postings[1].amount")) {
            try Self.idr(Int64.min).negated(field: "postings[1].amount")
        }
    }

    @Test func multiplying() throws {
        #expect(try Self.idr(15_000_000).multiplied(by: 3) == Self.idr(45_000_000))
        #expect(try Self.idr(-5).multiplied(by: -3) == Self.idr(15))
        #expect(try Self.idr(7).multiplied(by: 0) == Self.idr(0))
        #expect(try Self.idr(Int64.max).multiplied(by: 1) == Self.idr(Int64.max))
        #expect(try Self.idr(Int64.max).multiplied(by: -1) == Self.idr(-Int64.max))
        #expect(throws: LedgerError.amountOverflow(field: "amount")) { try Self.idr(Int64.max).multiplied(by: 2) }
        #expect(throws: LedgerError.amountOverflow(field: "amount")) { try Self.idr(Int64.min).multiplied(by: -1) }
        #expect(throws: LedgerError.amountOverflow(field: "lines[0].amount")) {
            try Self.idr(4_294_967_296).multiplied(by: 4_294_967_296, field: "lines[0].amount")
        }
    }

    @Test func differentCurrenciesAreNeverCombined() {
        #expect(throws: LedgerError.currencyMismatch(field: "amount", expected: .idr, found: .usd)) {
            try Self.idr(100).adding(Self.usd(100))
        }
        #expect(throws: LedgerError.currencyMismatch(field: "amount", expected: .usd, found: .idr)) {
            try Self.usd(100).subtracting(Self.idr(100))
        }
        // The mismatch is found before any overflow.
        #expect(throws: LedgerError.currencyMismatch(field: "x", expected: .jpy, found: .eur)) {
            try Money(minorUnits: Int64.max, currency: .jpy).adding(Money(minorUnits: 1, currency: .eur), field: "x")
        }
    }

    @Test func zeroAndSign() {
        #expect(Money.zero(.jpy) == Money(minorUnits: 0, currency: .jpy))
        #expect(Money.zero(.usd).isZero)
        #expect(!Self.usd(1).isZero)
        #expect(Self.usd(-1).isNegative)
        #expect(!Self.usd(0).isNegative)
        #expect(Self.idr(1) != Money(minorUnits: 1, currency: .usd))
    }

    // MARK: - Division

    struct DivisionCase: Sendable, CustomTestStringConvertible {
        let dividend: Int64
        let divisor: Int64
        let halfEven: Int64
        let halfUp: Int64
        let towardZero: Int64
        var testDescription: String { "\(dividend) ÷ \(divisor)" }
    }

    static let divisionCases: [DivisionCase] = [
        .init(dividend: 6, divisor: 3, halfEven: 2, halfUp: 2, towardZero: 2),
        .init(dividend: 5, divisor: 2, halfEven: 2, halfUp: 3, towardZero: 2),  // 2.5: tie to even 2
        .init(dividend: 7, divisor: 2, halfEven: 4, halfUp: 4, towardZero: 3),  // 3.5: tie to even 4
        .init(dividend: -5, divisor: 2, halfEven: -2, halfUp: -3, towardZero: -2),
        .init(dividend: -7, divisor: 2, halfEven: -4, halfUp: -4, towardZero: -3),
        .init(dividend: 10, divisor: 4, halfEven: 2, halfUp: 3, towardZero: 2),
        .init(dividend: 11, divisor: 4, halfEven: 3, halfUp: 3, towardZero: 2),  // 2.75
        .init(dividend: 9, divisor: 4, halfEven: 2, halfUp: 2, towardZero: 2),  // 2.25
        .init(dividend: -11, divisor: 4, halfEven: -3, halfUp: -3, towardZero: -2),
        .init(dividend: -9, divisor: 4, halfEven: -2, halfUp: -2, towardZero: -2),
        .init(dividend: 1, divisor: 3, halfEven: 0, halfUp: 0, towardZero: 0),
        .init(dividend: 2, divisor: 3, halfEven: 1, halfUp: 1, towardZero: 0),
        .init(dividend: -2, divisor: 3, halfEven: -1, halfUp: -1, towardZero: 0),
        .init(dividend: 15, divisor: 10, halfEven: 2, halfUp: 2, towardZero: 1),
        .init(dividend: 25, divisor: 10, halfEven: 2, halfUp: 3, towardZero: 2),
        .init(dividend: -25, divisor: 10, halfEven: -2, halfUp: -3, towardZero: -2),
        .init(dividend: -35, divisor: 10, halfEven: -4, halfUp: -4, towardZero: -3),
        .init(dividend: 0, divisor: 7, halfEven: 0, halfUp: 0, towardZero: 0),
        .init(dividend: 1_000_000, divisor: 3, halfEven: 333_333, halfUp: 333_333, towardZero: 333_333),
        .init(dividend: Int64.max, divisor: 2,
              halfEven: 4_611_686_018_427_387_904, halfUp: 4_611_686_018_427_387_904, towardZero: 4_611_686_018_427_387_903),
        .init(dividend: Int64.min + 1, divisor: 2,
              halfEven: -4_611_686_018_427_387_904, halfUp: -4_611_686_018_427_387_904, towardZero: -4_611_686_018_427_387_903),
        .init(dividend: Int64.min, divisor: 2,
              halfEven: -4_611_686_018_427_387_904, halfUp: -4_611_686_018_427_387_904, towardZero: -4_611_686_018_427_387_904),
        .init(dividend: Int64.max, divisor: Int64.max, halfEven: 1, halfUp: 1, towardZero: 1),
        .init(dividend: Int64.max - 1, divisor: Int64.max, halfEven: 1, halfUp: 1, towardZero: 0),
        .init(dividend: Int64.min, divisor: Int64.max, halfEven: -1, halfUp: -1, towardZero: -1),
    ]

    @Test(arguments: divisionCases)
    func dividedRoundsAsNamed(_ example: DivisionCase) {
        let money = Self.usd(example.dividend)
        #expect(money.divided(by: example.divisor, rounding: .halfEven) == Self.usd(example.halfEven))
        #expect(money.divided(by: example.divisor, rounding: .halfUp) == Self.usd(example.halfUp))
        #expect(money.divided(by: example.divisor, rounding: .towardZero) == Self.usd(example.towardZero))
        #expect(money.divided(by: example.divisor) == Self.usd(example.halfEven), "half-even is the default")
        #expect(money.divided(by: example.divisor).currency == .usd)
    }

    // MARK: - Allocation

    struct AllocationCase: Sendable, CustomTestStringConvertible {
        let total: Int64
        let weights: [Int64]
        let parts: [Int64]
        var testDescription: String { "\(total) by \(weights)" }
    }

    static let allocationCases: [AllocationCase] = [
        .init(total: 100, weights: [1, 1, 1], parts: [34, 33, 33]),
        .init(total: -100, weights: [1, 1, 1], parts: [-34, -33, -33]),
        .init(total: 100, weights: [1, 2], parts: [33, 67]),  // remainders 1 and 2: the larger gets the unit
        .init(total: -100, weights: [1, 2], parts: [-33, -67]),
        .init(total: 5, weights: [1, 1, 1, 1, 1, 1], parts: [1, 1, 1, 1, 1, 0]),
        .init(total: -5, weights: [1, 1, 1, 1, 1, 1], parts: [-1, -1, -1, -1, -1, 0]),
        .init(total: 1, weights: [0, 1], parts: [0, 1]),
        .init(total: 7, weights: [0, 0, 3], parts: [0, 0, 7]),
        .init(total: 10, weights: [0, 1, 0, 1], parts: [0, 5, 0, 5]),
        .init(total: 11, weights: [0, 1, 0, 1], parts: [0, 6, 0, 5]),
        .init(total: 0, weights: [2, 3], parts: [0, 0]),
        .init(total: 1_000, weights: [50, 30, 20], parts: [500, 300, 200]),
        .init(total: 1_001, weights: [50, 30, 20], parts: [501, 300, 200]),  // remainders 50, 30, 20
        .init(total: 999, weights: [50, 30, 20], parts: [499, 300, 200]),  // remainders 50, 70, 80
        .init(total: 125_000_000, weights: [3], parts: [125_000_000]),
        .init(total: Int64.max, weights: [1, 1], parts: [4_611_686_018_427_387_904, 4_611_686_018_427_387_903]),
        .init(total: Int64.min, weights: [1, 1], parts: [-4_611_686_018_427_387_904, -4_611_686_018_427_387_904]),
        .init(total: Int64.min, weights: [1, 2], parts: [-3_074_457_345_618_258_603, -6_148_914_691_236_517_205]),
        .init(total: Int64.max, weights: [Int64.max - 1, 1], parts: [Int64.max - 1, 1]),
    ]

    @Test(arguments: allocationCases)
    func allocatedHandsOutTheRemainderToTheLargestRemainders(_ example: AllocationCase) throws {
        let parts = try Self.idr(example.total).allocated(proportionally: example.weights)
        #expect(parts.map(\.minorUnits) == example.parts)
        #expect(parts.allSatisfy { $0.currency == .idr })
        var sum: Int64 = 0
        for part in parts { sum += part.minorUnits }
        #expect(sum == example.total)
    }

    @Test func allocatedWithOverflowingWeightsThrows() {
        #expect(throws: LedgerError.amountOverflow(field: "weights")) {
            try Self.idr(100).allocated(proportionally: [Int64.max, 1])
        }
    }

    @Test(arguments: [1 as UInt64, 2, 3, 42, 2024])
    func allocatedAlwaysSumsToTheTotal(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for _ in 0..<400 {
            let total = Int64.random(in: -1_000_000_000...1_000_000_000, using: &random)
            let count = Int.random(in: 1...7, using: &random)
            var weights = (0..<count).map { _ in Int64.random(in: 0...1_000_000, using: &random) }
            if weights.allSatisfy({ $0 == 0 }) { weights[0] = 1 }
            let weightTotal = weights.reduce(0, +)
            let parts = try Self.usd(total).allocated(proportionally: weights).map(\.minorUnits)
            #expect(parts.count == count)
            #expect(parts.reduce(0, +) == total, "total \(total), weights \(weights)")
            for (part, weight) in zip(parts, weights) {
                // Each part is within one minor unit of the exact share, on the side of the total's sign.
                let exactTimesWeightTotal = total * weight
                #expect(abs(part * weightTotal - exactTimesWeightTotal) < weightTotal,
                        "part \(part) of \(total) by \(weights)")
                if weight == 0 { #expect(part == 0) }
                if total >= 0 { #expect(part >= 0) } else { #expect(part <= 0) }
            }
        }
    }
}
