import LedgerCore

/// What a claim line is for. Each category has its unit, its expense account and says
/// whether a receipt is required (`Policies/rates.yaml`).
public enum ClaimCategory: String, Hashable, Sendable, CaseIterable, Comparable {
    case honorarium
    case transport
    case perDiem = "per-diem"
    case lodging

    /// The unit of quantity: per session, trip, day or night.
    public var unit: String {
        switch self {
        case .honorarium: return "session"
        case .transport: return "trip"
        case .perDiem: return "day"
        case .lodging: return "night"
        }
    }

    public static func < (lhs: ClaimCategory, rhs: ClaimCategory) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A rate for one category, district and year: a `ceiling` refuses higher unit rates; an
/// `estimate` only guides.
public struct Rate: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case ceiling, estimate
    }

    public var category: ClaimCategory
    public var district: String
    public var year: Int
    public var unitRate: Money
    public var kind: Kind

    public init(category: ClaimCategory, district: String, year: Int, unitRate: Money, kind: Kind) {
        self.category = category
        self.district = district
        self.year = year
        self.unitRate = unitRate
        self.kind = kind
    }
}

/// How a category is booked.
public struct CategoryAccounting: Hashable, Sendable {
    /// The expense account a posted line is debited to.
    public var expenseAccount: String
    /// Submitting a claim with such a line needs at least one receipt.
    public var receiptRequired: Bool

    public init(expenseAccount: String, receiptRequired: Bool) {
        self.expenseAccount = expenseAccount
        self.receiptRequired = receiptRequired
    }
}

/// Rates and the accounting of claims (`Policies/rates.yaml`).
public struct RateTable: Hashable, Sendable {
    public var rates: [Rate]
    public var categories: [ClaimCategory: CategoryAccounting]
    /// The liability credited when a claim is posted (claims payable).
    public var payableAccount: String
    /// The bank or cash account each district pays claims from, unless told otherwise.
    public var paymentAccounts: [String: String]

    public init(
        rates: [Rate], categories: [ClaimCategory: CategoryAccounting], payableAccount: String,
        paymentAccounts: [String: String]
    ) {
        self.rates = rates
        self.categories = categories
        self.payableAccount = payableAccount
        self.paymentAccounts = paymentAccounts
    }

    public func rate(for category: ClaimCategory, district: String, year: Int) -> Rate? {
        rates.first { $0.category == category && $0.district == district && $0.year == year }
    }

    /// The ceiling `unitRate` is above, for its category, district and fiscal year; nil when
    /// there is none or it is within it (an estimate only guides).
    public func ceilingExceeded(by unitRate: Money, category: ClaimCategory, district: String, year: Int) -> Rate? {
        guard let rate = rate(for: category, district: district, year: year), rate.kind == .ceiling,
              rate.unitRate.currency == unitRate.currency, unitRate.minorUnits > rate.unitRate.minorUnits
        else { return nil }
        return rate
    }
}
