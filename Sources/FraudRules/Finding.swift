import FeeClaims
import LedgerCore

/// What a rule found: the subject (a claim number, an entry number, a person id), the
/// others involved (the other claim, the receipt), the evidence in words and figures.
public struct Finding: Hashable, Sendable {
    public let rule: FraudRuleID
    public let action: FraudAction
    public let subject: String
    /// The person the finding is about, who may never decide on it.
    public let subjectPerson: String?
    public let related: [String]
    public let evidence: String
    /// Whether the related things tell findings apart. Findings about a pattern that grows
    /// (a claimant's quarter, a shared account, a split) are one finding however many claims
    /// or people join it: their subject names the pattern.
    public let keyedByRelated: Bool
    /// For a finding made about a claim at its submission from one about something wider (the
    /// claimant's bank account, the budget line, an older claim): that finding's key. A
    /// compliance officer who dismissed that one has decided this one too.
    public let derivedFrom: String?

    public init(
        rule: FraudRuleID, action: FraudAction, subject: String, subjectPerson: String?, related: [String] = [],
        evidence: String, keyedByRelated: Bool = true, derivedFrom: String? = nil
    ) {
        self.derivedFrom = derivedFrom
        self.rule = rule
        self.action = action
        self.subject = subject
        self.subjectPerson = subjectPerson
        self.related = related.sorted()
        self.evidence = evidence
        self.keyedByRelated = keyedByRelated
    }

    /// The same finding found again has the same key: scans add no duplicates. The action
    /// is part of it, so that a flag that becomes a block is recorded as the block.
    public var key: String {
        ([rule.rawValue, action.rawValue, subject] + (keyedByRelated ? related : [])).joined(separator: "|")
    }
}

/// A claim as the rules see it.
public struct ClaimFacts: Hashable, Sendable {
    public let number: String
    public let claimant: String
    public let district: String
    /// The budget line code it is charged to (within its district and fiscal year).
    public let budgetLine: String
    public let activity: String
    public let activityFrom: LedgerDate
    public let activityTo: LedgerDate
    /// The day it was first submitted (UTC); nil for drafts.
    public let submittedOn: LedgerDate?
    /// The instant it was first submitted, when known: compared with when periods closed.
    public let submittedAt: Timestamp?
    /// Rejected and withdrawn claims are not compared with others.
    public let isLive: Bool
    /// Amount per category, in minor units, and the total.
    public let amountsByCategory: [String: Int64]
    public let amount: Money
    public let receipts: [EntryHash]
    /// The vendors and numbers printed on its receipts, where the claimant gave them (R03).
    public let vendorReceipts: [VendorReceipt]
    /// Days of per diem claimed.
    public let perDiemDays: Int64
    /// The highest unit rate per category, in minor units of `amount`'s currency (R07).
    public let highestUnitRates: [String: Int64]
    /// Who approved it, in order (R01's manual entries by approvers).
    public let approvedBy: [String]

    public init(
        number: String, claimant: String, district: String, activity: String, activityFrom: LedgerDate,
        activityTo: LedgerDate, submittedOn: LedgerDate?, submittedAt: Timestamp? = nil, isLive: Bool, amountsByCategory: [String: Int64], amount: Money,
        receipts: [EntryHash], vendorReceipts: [VendorReceipt] = [], perDiemDays: Int64 = 0,
        highestUnitRates: [String: Int64] = [:], budgetLine: String = "", approvedBy: [String] = []
    ) {
        self.budgetLine = budgetLine
        self.approvedBy = approvedBy
        self.vendorReceipts = vendorReceipts
        self.perDiemDays = perDiemDays
        self.highestUnitRates = highestUnitRates
        self.number = number
        self.claimant = claimant
        self.district = district
        self.activity = activity
        self.activityFrom = activityFrom
        self.activityTo = activityTo
        self.submittedOn = submittedOn
        self.submittedAt = submittedAt
        self.isLive = isLive
        self.amountsByCategory = amountsByCategory
        self.amount = amount
        self.receipts = receipts
    }
}
