import LedgerCore

/// Why a claim operation was refused, one case per precise reason, each naming the claim,
/// the person or the field concerned.
public enum ClaimError: Error, Equatable, Sendable {
    case claimNumberInvalid(String)
    case claimUnknown(String)
    case personUnknown(field: String, id: String)
    case personInactive(field: String, id: String, on: LedgerDate)
    /// The person lacks the role the action needs.
    case roleMissing(person: String, role: Role)
    /// The action is not possible from the claim's state.
    case actionNotAllowed(claim: String, action: String, state: ClaimState)
    /// The claim moved on since the actor looked at it (another approver was quicker).
    case claimChanged(claim: String, expectedRevision: Int, actualRevision: Int)
    /// The draft's lines changed since the claimant's form was shown (a form sent twice, a
    /// second tab).
    case linesChanged(claim: String)
    /// The form that created `claim` came again with other content (the Back button, then
    /// changes): the claim is not changed behind the claimant's back.
    case requestKeyReused(claim: String)

    // Segregation of duties
    case ownClaim(claim: String, person: String, action: String)
    case approverCannotPostOrPay(claim: String, person: String)
    /// Someone who approved the claim cannot decide on its hold.
    case approverCannotDecideHold(claim: String, person: String, action: String)
    /// Only the claimant drafts, submits or withdraws a claim.
    case notTheClaimant(claim: String, person: String)
    case posterCannotPay(claim: String, person: String)
    case alreadyApproved(claim: String, person: String)
    case approverWrongDistrict(claim: String, person: String, district: String?)
    case approverOverLimit(claim: String, person: String, limit: Money, amount: Money)
    /// A reversal needs a second person, neither the finance officer reversing nor the claimant.
    case secondPersonRequired(claim: String)
    /// The second person of a reversal must be a finance officer, program manager or director.
    case secondPersonLacksRole(claim: String, person: String)

    // Content
    case claimEmpty(claim: String)
    case receiptMissing(claim: String, category: ClaimCategory)
    case receiptNotAccepted(fileName: String)
    case receiptTooLarge(fileName: String, size: Int, max: Int)
    case receiptEmpty(fileName: String)
    /// A vendor or receipt number with no letter or digit to compare.
    case vendorReceiptInvalid(field: String, reason: String)
    /// The file is attached to the claim already, with another vendor receipt or none.
    case receiptAttachedWithOtherNumber(claim: String, fileName: String, existing: VendorReceipt?)
    case rateAboveCeiling(field: String, category: ClaimCategory, unitRate: Money, ceiling: Money)
    case quantityInvalid(field: String, quantity: Int64)
    case activityDatesInverted(from: LedgerDate, to: LedgerDate)
    /// A draft's new dates in another fiscal year than its number's: file a new claim.
    case activityOutsideClaimYear(claim: String, date: LedgerDate, fiscalYear: Int)
    case commentRequired(action: String)
    case categoryNotConfigured(category: ClaimCategory)
    case paymentAccountMissing(district: String)
    case paymentNotPositive(claim: String)
    case paymentAboveOwed(claim: String, owed: Money, requested: Money)
    case policyMissing(String)
    case lineUnknown(claim: String, index: Int)
    case unitRateNotPositive(field: String, unitRate: Money)
    case tooManyLines(claim: String, max: Int)
    case tooManyReceipts(claim: String, max: Int)
    /// Claims are paid only from the bank and cash accounts the rates policy names.
    case paymentAccountNotAllowed(account: String, allowed: [String])
    /// A claim's entries are reversed with the claim (`claim reverse`), never on their own.
    case entryBelongsToClaim(entry: String, claim: String)
    /// Anti-fraud rules whose action is `block` refused the step; their findings are on the record.
    case blockedByRules(claim: String, findings: [String])
    /// Open `flag` findings the approver has not acknowledged.
    case flagsNotAcknowledged(claim: String, findings: [String])
    /// An approver's line change that does not lower the line.
    case adjustmentInvalid(field: String, reason: String)
    /// A claim is booked in the fiscal year of its activity.
    case postingOutsideClaimYear(claim: String, date: LedgerDate, fiscalYear: Int)
    /// An entry- or budget-level refusal inside a claim action.
    case ledger(LedgerError)

    public var field: String {
        switch self {
        case .claimNumberInvalid, .claimUnknown, .actionNotAllowed, .claimChanged: return "claim"
        case .linesChanged: return "lines"
        case .requestKeyReused: return "key"
        case .personUnknown(let field, _), .personInactive(let field, _, _): return field
        case .roleMissing, .ownClaim, .approverCannotPostOrPay, .posterCannotPay, .alreadyApproved,
             .approverCannotDecideHold, .notTheClaimant,
             .approverWrongDistrict, .approverOverLimit: return "as"
        case .secondPersonRequired, .secondPersonLacksRole: return "second"
        case .claimEmpty: return "lines"
        case .receiptMissing, .receiptNotAccepted, .receiptTooLarge, .receiptEmpty: return "receipt"
        case .rateAboveCeiling(let field, _, _, _), .quantityInvalid(let field, _): return field
        case .activityDatesInverted: return "activityTo"
        case .activityOutsideClaimYear: return "activityFrom"
        case .commentRequired: return "comment"
        case .categoryNotConfigured, .policyMissing: return "policy"
        case .paymentAccountMissing: return "from"
        case .paymentNotPositive, .paymentAboveOwed: return "amount"
        case .lineUnknown: return "line"
        case .postingOutsideClaimYear: return "date"
        case .adjustmentInvalid(let field, _), .vendorReceiptInvalid(let field, _): return field
        case .receiptAttachedWithOtherNumber: return "receiptNumber"
        case .blockedByRules: return "claim"
        case .flagsNotAcknowledged: return "acknowledge"
        case .unitRateNotPositive(let field, _): return field
        case .tooManyLines: return "lines"
        case .tooManyReceipts: return "receipt"
        case .paymentAccountNotAllowed: return "from"
        case .entryBelongsToClaim: return "entry"
        case .ledger(let error): return error.field
        }
    }

    public var message: String {
        switch self {
        case .claimNumberInvalid(let text): return "'\(text)' is not a claim number: write FC-DISTRICT-YYYY-NNNN"
        case .claimUnknown(let number): return "no claim \(number)"
        case .personUnknown(_, let id): return "no person '\(id)' on the people list"
        case .personInactive(_, let id, let date): return "'\(id)' is not active on \(date)"
        case .roleMissing(let person, let role): return "'\(person)' does not hold the role \(role.rawValue)"
        case .actionNotAllowed(let claim, let action, let state): return "\(claim) is \(state.rawValue): it cannot be \(action)"
        case .claimChanged(let claim, let expected, let actual):
            return "\(claim) changed since you looked at it (revision \(expected), now \(actual)): reload it and decide again"
        case .linesChanged(let claim):
            return "the lines of \(claim) changed since you looked at them: reload it before changing them"
        case .requestKeyReused(let claim):
            return "this form already created \(claim), with other content: open \(claim) to change it"
        case .ownClaim(let claim, let person, let action): return "'\(person)' submitted \(claim) and cannot \(action) it"
        case .approverCannotPostOrPay(let claim, let person):
            return "'\(person)' approved \(claim) and cannot post or pay it"
        case .approverCannotDecideHold(let claim, let person, let action):
            return "'\(person)' approved \(claim) and cannot \(action) it while it is held"
        case .notTheClaimant(let claim, let person): return "'\(person)' is not the claimant of \(claim)"
        case .posterCannotPay(let claim, let person): return "'\(person)' posted \(claim) and cannot pay it"
        case .alreadyApproved(let claim, let person): return "'\(person)' has already approved \(claim) at an earlier level"
        case .approverWrongDistrict(let claim, let person, let district):
            return "'\(person)' approves for \(district ?? "no district"), not for the district of \(claim)"
        case .approverOverLimit(let claim, let person, let limit, let amount):
            return "'\(person)' may approve up to \(limit.formatted(.en)); \(claim) is for \(amount.formatted(.en))"
        case .secondPersonRequired(let claim):
            return "reversing \(claim) needs a second person (--second), neither the one reversing nor the claimant"
        case .secondPersonLacksRole(let claim, let person):
            return "'\(person)' cannot confirm reversing \(claim): a finance officer, program manager or director must"
        case .claimEmpty(let claim): return "\(claim) has no lines"
        case .receiptMissing(let claim, let category): return "\(claim) has \(category.rawValue) lines and needs a receipt"
        case .receiptNotAccepted(let name): return "'\(name)' is not a PDF, JPEG or PNG file"
        case .receiptTooLarge(let name, let size, let max): return "'\(name)' has \(size) bytes, at most \(max) are allowed"
        case .receiptEmpty(let name): return "'\(name)' is empty"
        case .vendorReceiptInvalid(_, let reason): return reason
        case .receiptAttachedWithOtherNumber(let claim, let fileName, let existing):
            return "'\(fileName)' is attached to \(claim) already, "
                + (existing.map { "as \($0.description)" } ?? "without a receipt number")
        case .rateAboveCeiling(_, let category, let rate, let ceiling):
            return "the \(category.rawValue) rate \(rate.formatted(.en)) per \(category.unit) is above the ceiling of \(ceiling.formatted(.en))"
        case .quantityInvalid(_, let quantity): return "a quantity is a whole number from 1, found \(quantity)"
        case .activityDatesInverted(let from, let to): return "the activity ends (\(to)) before it starts (\(from))"
        case .commentRequired(let action): return "to \(action) a claim, say why (--comment)"
        case .categoryNotConfigured(let category): return "the rates policy has no accounts for \(category.rawValue)"
        case .paymentAccountMissing(let district): return "no payment account for \(district): give --from ACCOUNT"
        case .paymentNotPositive: return "a payment must be more than zero"
        case .paymentAboveOwed(let claim, let owed, let requested):
            return "\(claim) is owed \(owed.formatted(.en)); \(requested.formatted(.en)) is more"
        case .policyMissing(let name): return "no \(name) policy yet: set it with `neraca claim policy`"
        case .lineUnknown(let claim, let index): return "\(claim) has no line \(index)"
        case .adjustmentInvalid(_, let reason): return "approval may only lower a line: \(reason)"
        case .blockedByRules(let claim, let findings):
            return "\(claim) is refused by the anti-fraud rules: " + findings.joined(separator: "; ")
        case .flagsNotAcknowledged(let claim, let findings):
            return "\(claim) has findings to acknowledge before approving (--acknowledge): " + findings.joined(separator: ", ")
        case .unitRateNotPositive(_, let rate): return "a rate must be more than zero, found \(rate.formatted(.en))"
        case .tooManyLines(let claim, let max): return "\(claim) has \(max) lines, the most a claim may have"
        case .tooManyReceipts(let claim, let max): return "\(claim) has \(max) receipts, the most a claim may have"
        case .paymentAccountNotAllowed(let account, let allowed):
            return "claims are not paid from \(account): use one of \(allowed.joined(separator: ", "))"
        case .entryBelongsToClaim(let entry, let claim):
            return "\(entry) belongs to \(claim): reverse the claim with `neraca claim reverse`"
        case .activityOutsideClaimYear(let claim, let date, let year):
            return "\(date) is outside fiscal year \(year) of \(claim): file a new claim for another year"
        case .postingOutsideClaimYear(let claim, let date, let year):
            return "\(claim) belongs to fiscal year \(year): post it with a date in that year, not \(date)"
        case .ledger(let error): return error.message
        }
    }
}

/// Bounds on one claim ("put a limit on everything").
public enum ClaimLimits {
    public static let linesMax = 100
    public static let receiptsMax = 30
}

