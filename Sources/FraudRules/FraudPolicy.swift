import LedgerCore

/// The rules of the anti-fraud policy (`Policies/anti-fraud.yaml`), by the ids the policy
/// gives them.
public enum FraudRuleID: String, Hashable, Sendable, CaseIterable, Comparable {
    case r01 = "R01", r02 = "R02", r03 = "R03", r04 = "R04", r05 = "R05", r06 = "R06", r07 = "R07", r08 = "R08"
    case r09 = "R09", r10 = "R10", r11 = "R11", r12 = "R12", r13 = "R13", r14 = "R14", r15 = "R15", r16 = "R16"

    public static func < (lhs: FraudRuleID, rhs: FraudRuleID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What a rule's finding does: `block` refuses the claim step, `hold` puts the claim on hold,
/// `flag` records a finding the next approver must acknowledge, `report` only records it.
public enum FraudAction: String, Hashable, Sendable, CaseIterable, Comparable {
    case report, flag, hold, block

    /// Severity order: report < flag < hold < block.
    public static func < (lhs: FraudAction, rhs: FraudAction) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// One rule as the policy sets it.
public struct FraudRule: Hashable, Sendable {
    public var id: FraudRuleID
    public var nameEn: String
    public var nameId: String
    public var enabled: Bool
    public var action: FraudAction
    /// Whole-number parameters (days, percents, minor units), named as in the policy file.
    public var parameters: [String: Int64]

    public init(
        id: FraudRuleID, nameEn: String, nameId: String, enabled: Bool, action: FraudAction,
        parameters: [String: Int64] = [:]
    ) {
        self.id = id
        self.nameEn = nameEn
        self.nameId = nameId
        self.enabled = enabled
        self.action = action
        self.parameters = parameters
    }

    /// The parameter `name`, or `fallback` when the policy does not set it.
    public func parameter(_ name: String, _ fallback: Int64) -> Int64 { parameters[name] ?? fallback }
}

/// The anti-fraud policy: every rule with its setting, and the public holidays R11 knows.
public struct FraudPolicy: Hashable, Sendable {
    public var rules: [FraudRuleID: FraudRule]
    /// National holidays and collective-leave days by date (`Policies/holidays-YYYY.yaml`).
    public var holidays: [LedgerDate: PublicHoliday]

    public init(rules: [FraudRule], holidays: [PublicHoliday] = []) {
        var byID: [FraudRuleID: FraudRule] = [:]
        for rule in rules { byID[rule.id] = rule }
        self.rules = byID
        var byDate: [LedgerDate: PublicHoliday] = [:]
        for holiday in holidays { byDate[holiday.date] = holiday }
        self.holidays = byDate
    }

    /// The rule `id` when it is enabled.
    public func enabled(_ id: FraudRuleID) -> FraudRule? {
        guard let rule = rules[id], rule.enabled else { return nil }
        return rule
    }
}

/// Why a fraud operation was refused.
public enum FraudError: Error, Equatable, Sendable {
    case policyMissing
    case findingUnknown(String)
    case findingAlreadyDecided(finding: String, status: String)
    /// Only a compliance officer triages findings.
    case notComplianceOfficer(person: String)
    /// Nobody decides on a finding about themselves.
    case ownFinding(finding: String, person: String)
    case reasonRequired(decision: String)

    public var field: String {
        switch self {
        case .policyMissing: return "policy"
        case .findingUnknown, .findingAlreadyDecided: return "finding"
        case .notComplianceOfficer, .ownFinding: return "as"
        case .reasonRequired: return "reason"
        }
    }

    public var message: String {
        switch self {
        case .policyMissing: return "no anti-fraud policy yet: set it with `neraca fraud policy --file Policies/anti-fraud.yaml`"
        case .findingUnknown(let id): return "no finding \(id)"
        case .findingAlreadyDecided(let finding, let status): return "\(finding) is already \(status)"
        case .notComplianceOfficer(let person): return "'\(person)' is not a compliance officer: only they triage findings"
        case .ownFinding(let finding, let person): return "\(finding) is about '\(person)', who cannot decide on it"
        case .reasonRequired(let decision): return "to \(decision) a finding, say why (--reason)"
        }
    }
}
