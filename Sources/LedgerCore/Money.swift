/// An amount of money: integer minor units of one currency.
///
/// Never a floating-point number: Rp 1.250.000,50 is `125_000_050` minor units of IDR.
/// All arithmetic is overflow-checked and throws instead of wrapping or trapping, and two
/// currencies are never added together.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    public let minorUnits: Int64
    public let currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Zero in `currency`.
    public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }

    public var isZero: Bool { minorUnits == 0 }
    public var isNegative: Bool { minorUnits < 0 }

    public var description: String { formatted(.en) }
}

// MARK: - Arithmetic

/// How a division rounds. Every division in Neraca names one.
public enum RoundingRule: Sendable {
    /// To the nearest, ties to the even neighbour (banker's rounding); the default.
    case halfEven
    /// To the nearest, ties away from zero.
    case halfUp
    /// Towards zero.
    case towardZero
}

extension Money {
    /// `self + other`.
    /// - Throws: `currencyMismatch` for different currencies, `amountOverflow` past `Int64`.
    public func adding(_ other: Money, field: String = "amount") throws(LedgerError) -> Money {
        guard other.currency == currency else {
            throw .currencyMismatch(field: field, expected: currency, found: other.currency)
        }
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        guard !overflow else { throw .amountOverflow(field: field) }
        return Money(minorUnits: sum, currency: currency)
    }

    /// `self - other`.
    /// - Throws: `currencyMismatch` for different currencies, `amountOverflow` past `Int64`.
    public func subtracting(_ other: Money, field: String = "amount") throws(LedgerError) -> Money {
        guard other.currency == currency else {
            throw .currencyMismatch(field: field, expected: currency, found: other.currency)
        }
        let (difference, overflow) = minorUnits.subtractingReportingOverflow(other.minorUnits)
        guard !overflow else { throw .amountOverflow(field: field) }
        return Money(minorUnits: difference, currency: currency)
    }

    /// `-self`. - Throws: `amountOverflow` for `Int64.min`.
    public func negated(field: String = "amount") throws(LedgerError) -> Money {
        let (result, overflow) = Int64(0).subtractingReportingOverflow(minorUnits)
        guard !overflow else { throw .amountOverflow(field: field) }
        return Money(minorUnits: result, currency: currency)
    }

    /// `self × factor` (a quantity: nights, days, sessions).
    /// - Throws: `amountOverflow` past `Int64`.
    public func multiplied(by factor: Int64, field: String = "amount") throws(LedgerError) -> Money {
        let (product, overflow) = minorUnits.multipliedReportingOverflow(by: factor)
        guard !overflow else { throw .amountOverflow(field: field) }
        return Money(minorUnits: product, currency: currency)
    }

    /// `self ÷ divisor`, rounded to a whole minor unit by `rule`.
    /// - Precondition: `divisor > 0` (a programmer error otherwise).
    public func divided(by divisor: Int64, rounding rule: RoundingRule = .halfEven) -> Money {
        precondition(divisor > 0, "division by a non-positive divisor")
        let quotient = minorUnits / divisor
        let remainder = minorUnits % divisor
        guard remainder != 0 else { return Money(minorUnits: quotient, currency: currency) }
        let awayFromZero: Int64 = minorUnits < 0 ? -1 : 1
        let twiceRemainder = remainder.magnitude * 2
        let roundsAway: Bool
        switch rule {
        case .towardZero:
            roundsAway = false
        case .halfUp:
            roundsAway = twiceRemainder >= divisor.magnitude
        case .halfEven:
            if twiceRemainder == divisor.magnitude {
                roundsAway = quotient % 2 != 0
            } else {
                roundsAway = twiceRemainder > divisor.magnitude
            }
        }
        return Money(minorUnits: roundsAway ? quotient + awayFromZero : quotient, currency: currency)
    }

    /// Splits `self` in proportion to `weights` so that the parts always add up to `self`:
    /// each part is rounded toward zero, then the remaining minor units go one each to the
    /// parts with the largest remainders (ties to the earlier part).
    /// - Precondition: at least one weight, none negative, and a positive total.
    public func allocated(proportionally weights: [Int64]) throws(LedgerError) -> [Money] {
        precondition(!weights.isEmpty && weights.allSatisfy { $0 >= 0 }, "weights must be non-negative")
        var total: Int64 = 0
        for weight in weights {
            let (sum, overflow) = total.addingReportingOverflow(weight)
            guard !overflow else { throw .amountOverflow(field: "weights") }
            total = sum
        }
        precondition(total > 0, "weights must not all be zero")
        var parts: [Int64] = []
        var remainders: [(index: Int, remainder: Int64)] = []
        var allocatedSum: Int64 = 0
        for (index, weight) in weights.enumerated() {
            // minorUnits × weight / total without overflow, using 128-bit intermediate.
            let product = minorUnits.multipliedFullWidth(by: weight)
            let (quotient, remainder) = total.dividingFullWidth(product)
            parts.append(quotient)
            remainders.append((index, remainder.magnitude > 0 ? Int64(remainder.magnitude) : 0))
            allocatedSum += quotient
        }
        var leftover = minorUnits - allocatedSum
        let step: Int64 = leftover < 0 ? -1 : 1
        let order = remainders.sorted { ($0.remainder, -$0.index) > ($1.remainder, -$1.index) }
        var cursor = 0
        while leftover != 0 {
            parts[order[cursor % order.count].index] += step
            leftover -= step
            cursor += 1
        }
        return parts.map { Money(minorUnits: $0, currency: currency) }
    }
}
