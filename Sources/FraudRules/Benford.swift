import Foundation

/// Benford's law on the leading digits of amounts (Nigrini, "Benford's Law", 2012): the
/// share of each first digit (1–9) or first two digits (10–99) against log10(1 + 1/d), the
/// mean absolute deviation (MAD) with Nigrini's conformity classes, and the digits whose
/// z-statistic exceeds 1.96. Shares and statistics are ratios of counts, never money.
public struct BenfordTest: Sendable {
    public enum Digits: String, Sendable {
        case first = "first digit"
        case firstTwo = "first two digits"

        var range: ClosedRange<Int> { self == .first ? 1...9 : 10...99 }
        /// Nigrini's MAD limits: close, acceptable, marginal; above: nonconformity.
        var limits: (close: Double, acceptable: Double, marginal: Double) {
            self == .first ? (0.006, 0.012, 0.015) : (0.0012, 0.0018, 0.0022)
        }
    }

    public enum Conformity: String, Sendable {
        case close = "close conformity"
        case acceptable = "acceptable conformity"
        case marginal = "marginally acceptable conformity"
        case nonconformity = "nonconformity"
    }

    public struct Row: Sendable {
        public let digits: Int
        public let count: Int
        public let expected: Double
        public let observed: Double
        public let z: Double
        public var flagged: Bool { z > 1.96 }
    }

    public let digits: Digits
    public let amounts: Int
    public let rows: [Row]
    public let mad: Double

    public var conformity: Conformity {
        let limits = digits.limits
        if mad <= limits.close { return .close }
        if mad <= limits.acceptable { return .acceptable }
        if mad <= limits.marginal { return .marginal }
        return .nonconformity
    }

    /// The test over leading-digit counts (`counts[d]` = how many amounts start with d).
    public init(digits: Digits, counts: [Int: Int]) {
        self.digits = digits
        let total = digits.range.reduce(0) { $0 + (counts[$1] ?? 0) }
        amounts = total
        let n = Double(max(total, 1))  // allowed: a count of amounts (statistics), not money
        rows = digits.range.map { digit in
            let expected = log10(1 + 1 / Double(digit))
            let count = counts[digit] ?? 0
            let observed = Double(count) / n
            let difference = abs(observed - expected)
            // Nigrini's z with the continuity correction, applied only when smaller.
            let correction = 1 / (2 * n)
            let numerator = difference - (correction < difference ? correction : 0)
            let z = numerator / (expected * (1 - expected) / n).squareRoot()
            return Row(digits: digit, count: count, expected: expected, observed: observed, z: z)
        }
        mad = rows.reduce(0) { $0 + abs($1.observed - $1.expected) } / Double(rows.count)
    }

    /// The leading digit (or two) of a positive whole number of minor units in major units:
    /// amounts are tested as people write them (Rp 1.250.000 starts with 1, 12).
    public static func leading(_ minorUnits: Int64, exponent: Int, digits: Digits) -> Int? {
        var value = minorUnits.magnitude
        for _ in 0..<exponent { value /= 10 }  // whole major units
        let needed: UInt64 = digits == .first ? 1 : 10
        guard value >= needed else { return nil }
        let limit: UInt64 = digits == .first ? 10 : 100
        while value >= limit { value /= 10 }
        return Int(value)
    }
}
