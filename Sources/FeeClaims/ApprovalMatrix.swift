import LedgerCore

/// One level of approval: who (a role), up to which amount, and over which districts.
public struct ApprovalLevel: Hashable, Sendable {
    public enum Scope: String, Hashable, Sendable {
        /// The approver's district must be the claim's.
        case ownDistrict = "own-district"
        /// Any district.
        case all
    }

    public var role: Role
    /// The largest claim this level may give final approval to; nil for no limit.
    public var limit: Money?
    public var scope: Scope

    public init(role: Role, limit: Money?, scope: Scope) {
        self.role = role
        self.limit = limit
        self.scope = scope
    }

    /// Whether someone of `district` (nil: head office, every district) holding this level's
    /// role approves at it for claims of `claimDistrict`.
    public func covers(district: String?, claimDistrict: String) -> Bool {
        scope == .all || district == nil || district == claimDistrict
    }
}

/// A stand-in: `to` may act with `from`'s approval roles from `starts` to `ends` inclusive.
public struct Delegation: Hashable, Sendable {
    public var from: String
    public var to: String
    public var starts: LedgerDate
    public var ends: LedgerDate

    public init(from: String, to: String, starts: LedgerDate, ends: LedgerDate) {
        self.from = from
        self.to = to
        self.starts = starts
        self.ends = ends
    }
}

/// Who approves what (`Policies/approval-matrix.yaml`): levels in order, each with a limit.
/// A claim needs every level up to the first whose limit covers its amount, in turn.
public struct ApprovalMatrix: Hashable, Sendable {
    public var levels: [ApprovalLevel]
    public var delegations: [Delegation]

    public init(levels: [ApprovalLevel], delegations: [Delegation] = []) {
        self.levels = levels
        self.delegations = delegations
    }

    /// How many levels a claim of `amount` needs: up to the first level whose limit covers
    /// it; every level when none does (the last level should have no limit).
    public func levelsNeeded(for amount: Money) -> Int {
        for (index, level) in levels.enumerated() {
            guard let limit = level.limit else { return index + 1 }
            if limit.currency == amount.currency, amount.minorUnits <= limit.minorUnits { return index + 1 }
        }
        return levels.count
    }

    /// Active people who delegated to `person` for `date`.
    public func delegators(of person: Person, on date: LedgerDate, people: (String) -> Person?) -> [Person] {
        delegations.filter { $0.to == person.id && $0.starts <= date && date <= $0.ends }
            .compactMap { people($0.from) }.filter { $0.isActive(on: date) }
    }

    /// The default of the fee-claim procedure: district coordinator up to Rp 5.000.000,
    /// program manager up to Rp 25.000.000, director above.
    public static let standard = ApprovalMatrix(levels: [
        ApprovalLevel(role: .coordinator, limit: Money(minorUnits: 500_000_000, currency: .idr), scope: .ownDistrict),
        ApprovalLevel(role: .programManager, limit: Money(minorUnits: 2_500_000_000, currency: .idr), scope: .all),
        ApprovalLevel(role: .director, limit: nil, scope: .all),
    ])
}
