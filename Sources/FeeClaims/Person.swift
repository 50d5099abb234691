import LedgerCore

/// What a person may do. A person may hold several roles; segregation of duties is then
/// checked per claim, not per role.
public enum Role: String, Hashable, Sendable, CaseIterable, Comparable {
    case claimant
    case coordinator
    case programManager = "program-manager"
    case director
    case financeOfficer = "finance-officer"
    case treasurer
    case complianceOfficer = "compliance-officer"
    case auditor
    case admin

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Someone on the program's people list (`Ledgers/<name>/people.csv`).
public struct Person: Hashable, Sendable {
    /// A stable id, e.g. `P-SBD-007`; recorded on claims and events.
    public var id: String
    public var name: String
    /// The person's district; nil for head-office staff who cover every district.
    public var district: String?
    public var roles: Set<Role>
    /// The id of the person's supervisor, if any.
    public var supervisor: String?
    public var bankAccount: String?
    public var activeFrom: LedgerDate
    /// The last day the person is active, or nil while they are.
    public var activeTo: LedgerDate?

    public init(
        id: String, name: String, district: String?, roles: Set<Role>, supervisor: String? = nil,
        bankAccount: String? = nil, activeFrom: LedgerDate, activeTo: LedgerDate? = nil
    ) {
        self.id = id
        self.name = name
        self.district = district
        self.roles = roles
        self.supervisor = supervisor
        self.bankAccount = bankAccount
        self.activeFrom = activeFrom
        self.activeTo = activeTo
    }

    public func isActive(on date: LedgerDate) -> Bool {
        date >= activeFrom && activeTo.map { date <= $0 } ?? true
    }
}

extension Person {
    /// The digits (0–9) of the bank account, by which two accounts are the same however
    /// they are written (`BRI 0123-01-000123-50-1` is `0123 01 000123 50 1`); nil without
    /// any. Read as bytes: every claim submission compares everyone's.
    public var bankAccountDigits: String? {
        guard let account = bankAccount else { return nil }
        let digits = account.utf8.filter { (0x30...0x39).contains($0) }
        return digits.isEmpty ? nil : String(decoding: digits, as: UTF8.self)
    }
}
