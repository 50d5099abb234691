import Foundation
import LedgerCore

/// A claim as the rules see it when an action is requested.
public struct ClaimSnapshot: Hashable, Sendable {
    public let number: ClaimNumber
    public let header: ClaimHeader
    public let state: ClaimState
    /// 1 for the first submission; each resubmission after a return adds one.
    public let version: Int
    /// How many events the claim has: what `claimChanged` compares.
    public let revision: Int
    public let amount: Money
    /// Approvers since the claim was last submitted or returned, in level order.
    public let approvals: [String]
    /// Everyone who ever approved the claim, in any round: none of them posts, pays or
    /// decides a hold on it.
    public let everApproved: Set<String>
    /// Who posted it, once posted.
    public let poster: String?
    /// The state a held claim returns to on release.
    public let heldFrom: ClaimState?

    /// The same claim for `amount` (after an approver lowered lines).
    public func withAmount(_ amount: Money) -> ClaimSnapshot {
        ClaimSnapshot(number: number, header: header, state: state, version: version, revision: revision, amount: amount,
                      approvals: approvals, everApproved: everApproved, poster: poster, heldFrom: heldFrom)
    }

    public init(
        number: ClaimNumber, header: ClaimHeader, state: ClaimState, version: Int, revision: Int, amount: Money,
        approvals: [String], everApproved: Set<String> = [], poster: String?, heldFrom: ClaimState?
    ) {
        self.number = number
        self.header = header
        self.state = state
        self.version = version
        self.revision = revision
        self.amount = amount
        self.approvals = approvals
        self.everApproved = everApproved.union(approvals)
        self.poster = poster
        self.heldFrom = heldFrom
    }
}

/// The actions of the claim procedure.
public enum ClaimAction: String, Hashable, Sendable, CaseIterable {
    case submit, withdraw, approve
    case `return`
    case reject, hold, release, post, pay, reverse
}

/// Segregation of duties and the state machine of DESIGN.md, as pure checks: given the
/// claim, the acting person and the policies, is the action allowed, and where does it
/// lead? Enforced, never configurable.
public struct ClaimRules: Sendable {
    public let matrix: ApprovalMatrix
    public let date: LedgerDate
    private let people: @Sendable (String) -> Person?

    public init(matrix: ApprovalMatrix, date: LedgerDate, people: @escaping @Sendable (String) -> Person?) {
        self.matrix = matrix
        self.date = date
        self.people = people
    }

    /// The person `id`, active on the rules' date.
    /// - Throws: `personUnknown`, `personInactive`.
    public func activePerson(_ id: String, field: String = "as") throws(ClaimError) -> Person {
        guard let person = people(id) else { throw .personUnknown(field: field, id: id) }
        guard person.isActive(on: date) else { throw .personInactive(field: field, id: id, on: date) }
        return person
    }

    /// Where `action` by `actor` takes `claim`.
    /// - Parameters:
    ///   - comment: required to return or reject, and to hold.
    ///   - expectedRevision: the revision the actor saw; a different one is `claimChanged`.
    ///   - second: for a reversal, the second person.
    /// - Throws: the first rule the action breaks.
    public func check(
        _ action: ClaimAction, on claim: ClaimSnapshot, by actorID: String, comment: String?,
        expectedRevision: Int? = nil, second: String? = nil
    ) throws(ClaimError) -> ClaimState {
        let actor = try activePerson(actorID)
        let name = claim.number.description
        if let expectedRevision, expectedRevision != claim.revision {
            throw .claimChanged(claim: name, expectedRevision: expectedRevision, actualRevision: claim.revision)
        }
        func require(_ states: Set<ClaimState>) throws(ClaimError) {
            guard states.contains(claim.state) else {
                throw .actionNotAllowed(claim: name, action: Self.pastTense(action), state: claim.state)
            }
        }
        func requireRole(_ role: Role) throws(ClaimError) {
            guard actor.roles.contains(role) else { throw .roleMissing(person: actor.id, role: role) }
        }
        func notClaimant(_ verb: String) throws(ClaimError) {
            guard actor.id != claim.header.claimant else { throw .ownClaim(claim: name, person: actor.id, action: verb) }
        }
        func requireComment() throws(ClaimError) {
            guard let comment, !comment.allSatisfy(\.isWhitespace) else {
                throw .commentRequired(action: action.rawValue)
            }
        }

        switch action {
        case .submit:
            try require([.draft, .returned])
            guard actor.id == claim.header.claimant else { throw .notTheClaimant(claim: name, person: actor.id) }
            return .submitted
        case .withdraw:
            try require([.submitted, .draft, .returned])
            guard actor.id == claim.header.claimant else { throw .notTheClaimant(claim: name, person: actor.id) }
            if claim.state == .submitted, !claim.approvals.isEmpty {
                throw .actionNotAllowed(claim: name, action: "withdrawn after an approval", state: claim.state)
            }
            return .withdrawn
        case .approve:
            try require([.submitted])
            try checkApprover(actor, on: claim)
            return claim.approvals.count + 1 >= matrix.levelsNeeded(for: claim.amount) ? .approved : .submitted
        case .return:
            try requireComment()
            if claim.state == .approved {
                try requireRole(.financeOfficer)
                try notClaimant("return")
                return .returned
            }
            try require([.submitted])
            try checkApprover(actor, on: claim)
            return .returned
        case .reject:
            try requireComment()
            if claim.state == .onHold {
                try checkCompliance(actor, on: claim, action: "reject")
                return .rejected
            }
            try require([.submitted])
            try checkApprover(actor, on: claim)
            return .rejected
        case .hold:
            try requireComment()
            try require([.draft, .submitted, .returned, .approved])
            try requireRole(.complianceOfficer)
            try notClaimant("hold")
            return .onHold
        case .release:
            try require([.onHold])
            try checkCompliance(actor, on: claim, action: "release")
            try requireComment()
            return claim.heldFrom ?? .submitted
        case .post:
            try require([.approved])
            try requireRole(.financeOfficer)
            try notClaimant("post")
            guard !claim.everApproved.contains(actor.id) else {
                throw .approverCannotPostOrPay(claim: name, person: actor.id)
            }
            return .posted
        case .pay:
            try require([.posted])
            try requireRole(.treasurer)
            try notClaimant("pay")
            guard !claim.everApproved.contains(actor.id) else {
                throw .approverCannotPostOrPay(claim: name, person: actor.id)
            }
            guard claim.poster != actor.id else { throw .posterCannotPay(claim: name, person: actor.id) }
            return .posted  // the store makes it paid when nothing is owed
        case .reverse:
            try require([.posted, .paid])
            try requireRole(.financeOfficer)
            try notClaimant("reverse")
            let second = second.map { $0.trimmingCharacters(in: .whitespaces) }
            guard let second, !second.isEmpty, second != actor.id, second != claim.header.claimant else {
                throw .secondPersonRequired(claim: name)
            }
            let confirmer = try activePerson(second, field: "second")
            guard !confirmer.roles.isDisjoint(with: [.financeOfficer, .programManager, .director]) else {
                throw .secondPersonLacksRole(claim: name, person: confirmer.id)
            }
            return .reversed
        }
    }

    /// The actor may decide at the claim's current approval level: they hold its role, or
    /// the role of a higher level (so that a claim whose claimant holds a level's only role
    /// goes up, and a director may stand in for a program manager), directly or by
    /// delegation; for a level limited to its district, they cover the claim's district.
    private func checkApprover(_ actor: Person, on claim: ClaimSnapshot) throws(ClaimError) {
        let name = claim.number.description
        guard actor.id != claim.header.claimant else { throw .ownClaim(claim: name, person: actor.id, action: "approve") }
        guard !claim.approvals.contains(actor.id) else { throw .alreadyApproved(claim: name, person: actor.id) }
        guard !matrix.levels.isEmpty else { throw .policyMissing("approval matrix") }
        let index = min(claim.approvals.count, matrix.levels.count - 1)
        // Stand-ins act for others, never for the claimant or someone who already approved.
        let approving = Set(matrix.levels.map(\.role))
        let delegators = matrix.delegators(of: actor, on: date, people: people).filter {
            $0.id != claim.header.claimant && !claim.approvals.contains($0.id)
        }
        let roles = actor.roles.intersection(approving).union(delegators.flatMap { $0.roles.intersection(approving) })
        // The highest level the actor may act at.
        guard let highest = matrix.levels.lastIndex(where: { roles.contains($0.role) }) else {
            throw .roleMissing(person: actor.id, role: matrix.levels[index].role)
        }
        guard highest >= index else {
            let limit = matrix.levels[highest].limit ?? claim.amount
            throw .approverOverLimit(claim: name, person: actor.id, limit: limit, amount: claim.amount)
        }
        let acting = matrix.levels[highest]
        if acting.scope == .ownDistrict {
            // No district: head office, covering every district. Only someone holding the
            // level's role (the actor, or a delegator) lends their district.
            let holders = ([actor] + delegators).filter { $0.roles.contains(acting.role) }
            guard holders.contains(where: { acting.covers(district: $0.district, claimDistrict: claim.header.district) }) else {
                throw .approverWrongDistrict(claim: name, person: actor.id, district: actor.district)
            }
        }
    }

    private func checkCompliance(_ actor: Person, on claim: ClaimSnapshot, action: String) throws(ClaimError) {
        guard actor.roles.contains(.complianceOfficer) else { throw .roleMissing(person: actor.id, role: .complianceOfficer) }
        let name = claim.number.description
        guard actor.id != claim.header.claimant else { throw .ownClaim(claim: name, person: actor.id, action: action) }
        guard !claim.everApproved.contains(actor.id) else {
            throw .approverCannotDecideHold(claim: name, person: actor.id, action: action)
        }
    }

    static func pastTense(_ action: ClaimAction) -> String {
        switch action {
        case .submit: return "submitted"
        case .withdraw: return "withdrawn"
        case .approve: return "approved"
        case .return: return "returned"
        case .reject: return "rejected"
        case .hold: return "held"
        case .release: return "released"
        case .post: return "posted"
        case .pay: return "paid"
        case .reverse: return "reversed"
        }
    }
}
