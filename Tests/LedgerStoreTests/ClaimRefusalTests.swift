import Budgets
import FeeClaims
import LedgerCore
import LedgerStore
import Testing

/// Every refused claim action: its precise error, and nothing written — the ledger
/// (`Snapshot`), the claims, the claim's detail (state, revision, events, lines, receipts,
/// entries, owed), the people and the 2024 budget figures are as they were before.
///
/// People, policies and budget come from `ClaimLedger`; people with unusual combinations of
/// roles are added per test with `hire`.
@Suite("Claim refusals")
struct ClaimRefusalTests {
    typealias T = TestLedger
    typealias L = ClaimLedger

    // MARK: - Support

    /// A claim's detail in a comparable form.
    struct ClaimView: Equatable {
        let snapshot: ClaimSnapshot
        let lines: [ClaimLine]
        let receipts: [Receipt]
        let events: [ClaimEvent]
        let entries: [String]
        let owed: Money

        init(_ detail: ClaimDetail) {
            snapshot = detail.snapshot
            lines = detail.lines
            receipts = detail.receipts
            events = detail.events
            entries = detail.entries.map { "\($0.kind) \($0.number)" }
            owed = detail.owed
        }
    }

    /// Everything a claim action could write.
    struct Written: Equatable, CustomStringConvertible {
        let ledger: Snapshot
        let claims: [ClaimSummary]
        let budget: [BudgetLineFigures]
        let people: [Person]
        let claim: ClaimView?

        init(_ fixture: ClaimLedger, claim number: ClaimNumber?) throws {
            ledger = try Snapshot(fixture.db)
            claims = try fixture.db.claims()
            budget = try fixture.db.budgetFigures(fiscalYear: 2024)
            people = try fixture.db.people()
            claim = try number.map { ClaimView(try fixture.db.claim($0)) }
        }

        var description: String {
            let figures = budget.map {
                "\($0.line.line.key): actual \($0.figures.actual.minorUnits), committed \($0.figures.committed.minorUnits)"
            }
            var text = "ledger \(ledger); \(claims.count) claims; budget [\(figures.joined(separator: "; "))]"
            if let claim {
                text += "; claim \(claim.snapshot.state.rawValue) v\(claim.snapshot.version) rev \(claim.snapshot.revision)"
                    + " approvals \(claim.snapshot.approvals), \(claim.lines.count) lines, \(claim.receipts.count) receipts,"
                    + " entries \(claim.entries), owed \(claim.owed.minorUnits)"
            }
            return text
        }
    }

    /// Checks that `body` throws exactly `error` and writes nothing; with `state`, first that
    /// the claim is in that state (so the refusal is tested from where it should be).
    static func refused<E: Error & Equatable, R>(
        _ error: E, in fixture: ClaimLedger, claim number: ClaimNumber?, from state: ClaimState? = nil,
        sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> R
    ) throws {
        let before = try Written(fixture, claim: number)
        if let state {
            #expect(before.claim?.snapshot.state == state, "the claim should be \(state.rawValue) before the refusal",
                    sourceLocation: sourceLocation)
        }
        #expect(throws: error, sourceLocation: sourceLocation) { try body() }
        let after = try Written(fixture, claim: number)
        #expect(after == before, "a refused action wrote something", sourceLocation: sourceLocation)
    }

    /// Adds someone to the people list from 2023-01-01.
    static func hire(_ fixture: ClaimLedger, _ id: String, _ district: String?, _ roles: Set<Role>) throws {
        try fixture.db.importPeople([L.person(id, district, roles)], changedBy: "admin", now: L.now)
    }

    /// Sets the standard approval matrix with `delegations`.
    static func delegate(_ fixture: ClaimLedger, _ delegations: [Delegation]) throws {
        try fixture.db.setClaimPolicies(
            matrix: ApprovalMatrix(levels: ApprovalMatrix.standard.levels, delegations: delegations), rates: nil,
            setBy: "admin", now: L.now)
    }

    /// An SBT draft without lines.
    static func emptyDraft(_ fixture: ClaimLedger, by claimant: String = "fac.sbt", budgetLine: String = "2.1.3") throws
        -> ClaimNumber {
        try fixture.db.createClaim(
            ClaimHeader(claimant: claimant, district: "SBT", budgetLine: budgetLine, activity: "Village facilitation",
                        activityFrom: T.date("2024-06-03"), activityTo: T.date("2024-06-05")),
            by: claimant, date: L.day, now: L.now)
    }

    /// A Rp 10.000.000 claim (40 sessions × Rp 250.000): coordinator, then program manager.
    static let twoLevelSessions: Int64 = 40

    static let first = "FC-SBT-2024-0001"

    static func pdf(_ text: String = "receipt") -> [UInt8] { Array("%PDF-1.7\n\(text)\n%%EOF\n".utf8) }

    /// An action by someone, for the parameterized state tests.
    struct Attempt: Sendable, CustomTestStringConvertible {
        let action: ClaimAction
        let actor: String
        var comment: String?
        var second: String?
        /// How `actionNotAllowed` names the action.
        let pastTense: String

        var testDescription: String { "\(action.rawValue) by \(actor)" }

        func run(on number: ClaimNumber, in fixture: ClaimLedger) throws -> ClaimActionResult {
            try fixture.act(action, number, by: actor, comment: comment, second: second)
        }

        /// Each action, by someone who could take it from the right state.
        static let all: [Attempt] = [
            Attempt(action: .submit, actor: "fac.sbt", pastTense: "submitted"),
            Attempt(action: .withdraw, actor: "fac.sbt", pastTense: "withdrawn"),
            Attempt(action: .approve, actor: "coord.sbt", pastTense: "approved"),
            Attempt(action: .return, actor: "coord.sbt", comment: "Attach the attendance list", pastTense: "returned"),
            Attempt(action: .reject, actor: "coord.sbt", comment: "Not eligible", pastTense: "rejected"),
            Attempt(action: .hold, actor: "compliance", comment: "Under review", pastTense: "held"),
            Attempt(action: .release, actor: "compliance", pastTense: "released"),
            Attempt(action: .post, actor: "fo.1", pastTense: "posted"),
            Attempt(action: .pay, actor: "treasurer.1", pastTense: "paid"),
            Attempt(action: .reverse, actor: "fo.1", second: "fo.2", pastTense: "reversed"),
        ]
    }

    // MARK: - The comparison itself

    @Test("the before/after comparison sees what successful actions write")
    func comparisonSeesWrites() throws {
        let f = try ClaimLedger()
        let number = try f.submitted()
        let submitted = try Written(f, claim: number)
        try f.act(.approve, number, by: "coord.sbt")
        let approved = try Written(f, claim: number)
        #expect(approved.claim != submitted.claim)
        #expect(approved.budget != submitted.budget, "approval commits the amount")
        #expect(approved.ledger == submitted.ledger)
        try f.act(.post, number, by: "fo.1")
        let posted = try Written(f, claim: number)
        #expect(posted.ledger != approved.ledger, "posting writes an entry")
        #expect(posted.claim?.owed != approved.claim?.owed)
        try Self.hire(f, "new.sbt", "SBT", [.claimant])
        #expect(try Written(f, claim: number).people != posted.people)
    }

    // MARK: - People and roles

    @Test("someone without the coordinator role cannot approve at the first level",
          arguments: ["fac2.sbt", "fo.1", "treasurer.1", "compliance", "auditor"])
    func approvingWithoutRole(actor: String) throws {
        let f = try ClaimLedger()
        let number = try f.submitted()
        try Self.refused(ClaimError.roleMissing(person: actor, role: .coordinator), in: f, claim: number, from: .submitted) {
            try f.act(.approve, number, by: actor)
        }
    }

    @Test("someone without the finance-officer role cannot post",
          arguments: ["treasurer.1", "fac2.sbt", "pm", "director", "compliance", "auditor"])
    func postingWithoutRole(actor: String) throws {
        let f = try ClaimLedger()
        let number = try f.approved()
        try Self.refused(ClaimError.roleMissing(person: actor, role: .financeOfficer), in: f, claim: number, from: .approved) {
            try f.act(.post, number, by: actor)
        }
    }

    @Test("someone without the treasurer role cannot pay",
          arguments: ["fo.2", "fac2.sbt", "pm", "director", "compliance", "auditor"])
    func payingWithoutRole(actor: String) throws {
        let f = try ClaimLedger()
        let number = try f.posted()
        try Self.refused(ClaimError.roleMissing(person: actor, role: .treasurer), in: f, claim: number, from: .posted) {
            try f.act(.pay, number, by: actor)
        }
    }

    @Test("someone without the compliance-officer role cannot hold",
          arguments: ["fo.1", "coord.sbt", "treasurer.1", "pm", "director", "auditor"])
    func holdingWithoutRole(actor: String) throws {
        let f = try ClaimLedger()
        let number = try f.submitted()
        try Self.refused(ClaimError.roleMissing(person: actor, role: .complianceOfficer), in: f, claim: number,
                         from: .submitted) {
            try f.act(.hold, number, by: actor, comment: "Check the attendance list")
        }
    }

    @Test("someone without the compliance-officer role cannot release a held claim")
    func releasingWithoutRole() throws {
        let f = try ClaimLedger()
        let number = try f.submitted()
        try f.act(.hold, number, by: "compliance", comment: "Check the attendance list")
        try Self.refused(ClaimError.roleMissing(person: "coord.sbt", role: .complianceOfficer), in: f, claim: number,
                         from: .onHold) {
            try f.act(.release, number, by: "coord.sbt")
        }
    }

    @Test("someone other than the claimant cannot submit the claim")
    func submittingSomeoneElsesClaim() throws {
        let f = try ClaimLedger()
        let number = try f.draft()
        try Self.refused(ClaimError.notTheClaimant(claim: Self.first, person: "fo.1"), in: f, claim: number, from: .draft) {
            try f.act(.submit, number, by: "fo.1")
        }
    }

    @Test("an inactive person cannot approve")
    func inactiveApprover() throws {
        let f = try ClaimLedger()
        let number = try f.submitted()
        try Self.refused(ClaimError.personInactive(field: "as", id: "gone.sbt", on: L.day), in: f, claim: number,
                         from: .submitted) {
            try f.act(.approve, number, by: "gone.sbt")
        }
    }

    @Test("an unknown person cannot approve")
    func unknownApprover() throws {
        let f = try ClaimLedger()
        let number = try f.submitted()
        try Self.refused(ClaimError.personUnknown(field: "as", id: "nobody.sbt"), in: f, claim: number, from: .submitted) {
            try f.act(.approve, number, by: "nobody.sbt")
        }
    }

    // MARK: - Approval: segregation of duties, limits, districts

    @Test("a claimant cannot approve their own claim", arguments: ["fac.sbt", "coord.sbt"])
    func selfApproval(claimant: String) throws {
        let f = try ClaimLedger()
        let number = try f.submitted(by: claimant)
        try Self.refused(ClaimError.ownClaim(claim: Self.first, person: claimant, action: "approve"), in: f, claim: number,
                         from: .submitted) {
            try f.act(.approve, number, by: claimant)
        }
    }

    @Test("the program manager cannot approve their own claim at the second level")
    func selfApprovalAtSecondLevel() throws {
        let f = try ClaimLedger()
        let number = try f.submitted(by: "pm", sessions: Self.twoLevelSessions)
        try f.act(.approve, number, by: "coord.sbt")
        try Self.refused(ClaimError.ownClaim(claim: Self.first, person: "pm", action: "approve"), in: f, claim: number,
                         from: .submitted) {
            try f.act(.approve, number, by: "pm")
        }
    }

    @Test("the coordinator cannot approve a two-level claim twice")
    func approvingTwice() throws {
        let f = try ClaimLedger()
        let number = try f.submitted(sessions: Self.twoLevelSessions)
        #expect(try f.act(.approve, number, by: "coord.sbt").state == .submitted)
        try Self.refused(ClaimError.alreadyApproved(claim: Self.first, person: "coord.sbt"), in: f, claim: number,
                         from: .submitted) {
            try f.act(.approve, number, by: "coord.sbt")
        }
    }

    @Test("someone holding both the coordinator and program-manager roles cannot approve at both levels")
    func approvingAtTwoLevels() throws {
        let f = try ClaimLedger()
        try Self.hire(f, "coordpm.sbt", "SBT", [.coordinator, .programManager])
        let number = try f.submitted(sessions: Self.twoLevelSessions)
        #expect(try f.act(.approve, number, by: "coordpm.sbt").state == .submitted)
        try Self.refused(ClaimError.alreadyApproved(claim: Self.first, person: "coordpm.sbt"), in: f, claim: number,
                         from: .submitted) {
            try f.act(.approve, number, by: "coordpm.sbt")
        }
    }

    @Test("a coordinator cannot approve at the program-manager level: over their Rp 5.000.000 limit")
    func approverOverLimit() throws {
        let f = try ClaimLedger()
        try Self.hire(f, "coord2.sbt", "SBT", [.coordinator])
        let number = try f.submitted(sessions: Self.twoLevelSessions)
        try f.act(.approve, number, by: "coord2.sbt")
        try Self.refused(
            ClaimError.approverOverLimit(claim: Self.first, person: "coord.sbt", limit: T.idr(500_000_000),
                                         amount: T.idr(1_000_000_000)),
            in: f, claim: number, from: .submitted
        ) {
            try f.act(.approve, number, by: "coord.sbt")
        }
    }

    @Test("a coordinator of another district cannot approve")
    func approverWrongDistrict() throws {
        let f = try ClaimLedger()
        let number = try f.submitted()
        try Self.refused(ClaimError.approverWrongDistrict(claim: Self.first, person: "coord.sbd", district: "SBD"), in: f,
                         claim: number, from: .submitted) {
            try f.act(.approve, number, by: "coord.sbd")
        }
    }

    @Test("a program manager cannot approve at the director level: over their Rp 25.000.000 limit")
    func programManagerOverLimit() throws {
        let f = try ClaimLedger()
        try Self.hire(f, "pm2", nil, [.programManager])
        let number = try f.submitted(sessions: 120)  // Rp 30.000.000: coordinator, program manager, director
        try f.act(.approve, number, by: "coord.sbt")
        #expect(try f.act(.approve, number, by: "pm").state == .submitted)
        try Self.refused(
            ClaimError.approverOverLimit(claim: Self.first, person: "pm2", limit: T.idr(2_500_000_000),
                                         amount: T.idr(3_000_000_000)),
            in: f, claim: number, from: .submitted
        ) {
            try f.act(.approve, number, by: "pm2")
        }
    }

    @Test("a delegation outside its dates gives neither the role nor the district", arguments: [
        ("2024-06-11", "2024-07-31"),  // not begun
        ("2024-05-01", "2024-06-09"),  // over
    ])
    func delegationOutsideDates(starts: String, ends: String) throws {
        let f = try ClaimLedger()
        try Self.delegate(f, [Delegation(from: "coord.sbt", to: "coord.sbd", starts: T.date(starts), ends: T.date(ends)),
                              Delegation(from: "coord.sbt", to: "fac2.sbt", starts: T.date(starts), ends: T.date(ends))])
        let number = try f.submitted()
        try Self.refused(ClaimError.approverWrongDistrict(claim: Self.first, person: "coord.sbd", district: "SBD"), in: f,
                         claim: number, from: .submitted) {
            try f.act(.approve, number, by: "coord.sbd")
        }
        try Self.refused(ClaimError.roleMissing(person: "fac2.sbt", role: .coordinator), in: f, claim: number,
                         from: .submitted) {
            try f.act(.approve, number, by: "fac2.sbt")
        }
        // A date chosen by the caller does not bring a delegation into force: the day of
        // `now` decides who may act.
        try Self.refused(ClaimError.approverWrongDistrict(claim: Self.first, person: "coord.sbd", district: "SBD"), in: f,
                         claim: number, from: .submitted) {
            try f.db.act(.approve, on: number, by: "coord.sbd", date: T.date(starts), now: L.now)
        }
        // On a day within its dates the same delegation works: the refusals came from the dates.
        let inside = try f.db.act(.approve, on: number, by: "coord.sbd", date: T.date(starts), now: T.at(starts))
        #expect(inside.state == .approved)
    }

    @Test("an approver who has left delegates nothing")
    func delegationFromInactive() throws {
        let f = try ClaimLedger()
        let year = (starts: T.date("2024-01-01"), ends: T.date("2024-12-31"))
        try Self.delegate(f, [Delegation(from: "gone.sbt", to: "coord.sbd", starts: year.starts, ends: year.ends),
                              Delegation(from: "gone.sbt", to: "fac2.sbt", starts: year.starts, ends: year.ends)])
        let number = try f.submitted()
        try Self.refused(ClaimError.approverWrongDistrict(claim: Self.first, person: "coord.sbd", district: "SBD"), in: f,
                         claim: number, from: .submitted) {
            try f.act(.approve, number, by: "coord.sbd")
        }
        try Self.refused(ClaimError.roleMissing(person: "fac2.sbt", role: .coordinator), in: f, claim: number,
                         from: .submitted) {
            try f.act(.approve, number, by: "fac2.sbt")
        }
    }

    @Test("a claim changed since the approver looked at it is refused with claimChanged")
    func staleRevision() throws {
        let f = try ClaimLedger()
        let number = try f.submitted()
        let seen = try f.db.claim(number).snapshot.revision
        #expect(seen == 2, "created and submitted")
        try Self.refused(ClaimError.claimChanged(claim: Self.first, expectedRevision: 1, actualRevision: 2), in: f,
                         claim: number, from: .submitted) {
            try f.act(.approve, number, by: "coord.sbt", expectedRevision: 1)
        }
    }

    @Test("the second of two approvers who looked at the same revision gets claimChanged")
    func approverBeatenToIt() throws {
        let f = try ClaimLedger()
        let number = try f.submitted(sessions: Self.twoLevelSessions)
        let seen = try f.db.claim(number).snapshot.revision
        try f.act(.approve, number, by: "coord.sbt", expectedRevision: seen)
        try Self.refused(ClaimError.claimChanged(claim: Self.first, expectedRevision: seen, actualRevision: seen + 1),
                         in: f, claim: number, from: .submitted) {
            try f.act(.approve, number, by: "pm", expectedRevision: seen)
        }
    }

    @Test("an approval over a block budget line is refused with the line's figures; nothing is committed")
    func approvalOverBudget() throws {
        let f = try ClaimLedger(budget: 50_000_000)
        let number = try f.submitted()  // Rp 1.000.000 on a Rp 500.000 line
        try Self.refused(
            LedgerError.overBudget(field: "amount", line: "SBT/2.1.3", budget: T.idr(50_000_000), spent: T.idr(0),
                                   committed: T.idr(0), requested: T.idr(100_000_000)),
            in: f, claim: number, from: .submitted
        ) {
            try f.act(.approve, number, by: "coord.sbt")
        }
        let detail = try f.db.claim(number)
        #expect(detail.snapshot.state == .submitted)
        #expect(detail.snapshot.approvals.isEmpty)
        let line = try #require(try f.db.budgetFigures(fiscalYear: 2024, district: "SBT").first)
        #expect(line.figures.committed == T.idr(0))
    }

    @Test("an approval over a block budget line counts the commitments already held")
    func approvalOverBudgetAfterCommitment() throws {
        let f = try ClaimLedger(budget: 50_000_000)
        let held = try f.approved(sessions: 1)  // commits Rp 250.000
        let number = try f.submitted(sessions: 2)  // Rp 500.000 more
        #expect(held.description == Self.first)
        try Self.refused(
            LedgerError.overBudget(field: "amount", line: "SBT/2.1.3", budget: T.idr(50_000_000), spent: T.idr(0),
                                   committed: T.idr(25_000_000), requested: T.idr(50_000_000)),
            in: f, claim: number, from: .submitted
        ) {
            try f.act(.approve, number, by: "coord.sbt")
        }
        let line = try #require(try f.db.budgetFigures(fiscalYear: 2024, district: "SBT").first)
        #expect(line.figures.committed == T.idr(25_000_000))
    }

    // MARK: - Posting and paying: segregation of duties

    @Test("the program manager who approved at level 2 cannot post: no finance-officer role")
    func levelTwoApproverPostingWithoutRole() throws {
        let f = try ClaimLedger()
        let number = try f.submitted(sessions: Self.twoLevelSessions)
        try f.act(.approve, number, by: "coord.sbt")
        #expect(try f.act(.approve, number, by: "pm").state == .approved)
        try Self.refused(ClaimError.roleMissing(person: "pm", role: .financeOfficer), in: f, claim: number,
                         from: .approved) {
            try f.act(.post, number, by: "pm")
        }
    }

    @Test("a coordinator who is also a finance officer cannot post a claim they approved")
    func approverPosting() throws {
        let f = try ClaimLedger()
        try Self.hire(f, "coordfo.sbt", "SBT", [.coordinator, .financeOfficer])
        let number = try f.submitted()
        #expect(try f.act(.approve, number, by: "coordfo.sbt").state == .approved)
        try Self.refused(ClaimError.approverCannotPostOrPay(claim: Self.first, person: "coordfo.sbt"), in: f,
                         claim: number, from: .approved) {
            try f.act(.post, number, by: "coordfo.sbt")
        }
    }

    @Test("a level-2 approver who is also a finance officer cannot post the claim")
    func secondLevelApproverPosting() throws {
        let f = try ClaimLedger()
        try Self.hire(f, "pmfo", nil, [.programManager, .financeOfficer])
        let number = try f.submitted(sessions: Self.twoLevelSessions)
        try f.act(.approve, number, by: "coord.sbt")
        #expect(try f.act(.approve, number, by: "pmfo").state == .approved)
        try Self.refused(ClaimError.approverCannotPostOrPay(claim: Self.first, person: "pmfo"), in: f, claim: number,
                         from: .approved) {
            try f.act(.post, number, by: "pmfo")
        }
    }

    @Test("a coordinator who is also a treasurer cannot pay a claim they approved")
    func approverPaying() throws {
        let f = try ClaimLedger()
        try Self.hire(f, "coordtr.sbt", "SBT", [.coordinator, .treasurer])
        let number = try f.submitted()
        try f.act(.approve, number, by: "coordtr.sbt")
        try f.act(.post, number, by: "fo.1")
        try Self.refused(ClaimError.approverCannotPostOrPay(claim: Self.first, person: "coordtr.sbt"), in: f,
                         claim: number, from: .posted) {
            try f.act(.pay, number, by: "coordtr.sbt")
        }
    }

    @Test("the finance officer who posted a claim cannot pay it, even as a treasurer")
    func posterPaying() throws {
        let f = try ClaimLedger()
        try Self.hire(f, "fotr", nil, [.financeOfficer, .treasurer])
        let number = try f.approved()
        try f.act(.post, number, by: "fotr")
        try Self.refused(ClaimError.posterCannotPay(claim: Self.first, person: "fotr"), in: f, claim: number,
                         from: .posted) {
            try f.act(.pay, number, by: "fotr")
        }
    }

    @Test("a claimant who is a finance officer cannot post their own claim")
    func claimantPosting() throws {
        let f = try ClaimLedger()
        try Self.hire(f, "fotr.sbt", "SBT", [.claimant, .financeOfficer, .treasurer])
        let number = try f.approved(by: "fotr.sbt")
        try Self.refused(ClaimError.ownClaim(claim: Self.first, person: "fotr.sbt", action: "post"), in: f, claim: number,
                         from: .approved) {
            try f.act(.post, number, by: "fotr.sbt")
        }
    }

    @Test("a claimant who is a treasurer cannot pay their own claim")
    func claimantPaying() throws {
        let f = try ClaimLedger()
        try Self.hire(f, "fotr.sbt", "SBT", [.claimant, .financeOfficer, .treasurer])
        let number = try f.posted(by: "fotr.sbt")
        try Self.refused(ClaimError.ownClaim(claim: Self.first, person: "fotr.sbt", action: "pay"), in: f, claim: number,
                         from: .posted) {
            try f.act(.pay, number, by: "fotr.sbt")
        }
    }

    @Test("a claimant without the finance-officer role cannot post their own claim")
    func claimantPostingWithoutRole() throws {
        let f = try ClaimLedger()
        let number = try f.approved()
        try Self.refused(ClaimError.roleMissing(person: "fac.sbt", role: .financeOfficer), in: f, claim: number,
                         from: .approved) {
            try f.act(.post, number, by: "fac.sbt")
        }
    }

    // MARK: - Payments

    @Test("a claim paid in full cannot be paid again")
    func payingTwice() throws {
        let f = try ClaimLedger()
        let number = try f.posted()
        let paid = try f.act(.pay, number, by: "treasurer.1")
        #expect(paid.state == .paid)
        #expect(paid.owed == T.idr(0))
        try Self.refused(ClaimError.actionNotAllowed(claim: Self.first, action: "paid", state: .paid), in: f,
                         claim: number, from: .paid) {
            try f.act(.pay, number, by: "treasurer.2")
        }
        #expect(try f.payable("fac.sbt") == 0)
    }

    @Test("a payment above what is owed is refused with the amount owed")
    func payingMoreThanOwed() throws {
        let f = try ClaimLedger()
        let number = try f.posted()  // Rp 1.000.000
        try Self.refused(
            ClaimError.paymentAboveOwed(claim: Self.first, owed: T.idr(100_000_000), requested: T.idr(100_000_001)),
            in: f, claim: number, from: .posted
        ) {
            try f.act(.pay, number, by: "treasurer.1", payment: T.idr(100_000_001))
        }
    }

    @Test("after a part payment, paying more than remains is refused with what remains")
    func payingMoreThanRemains() throws {
        let f = try ClaimLedger()
        let number = try f.posted()
        #expect(try f.act(.pay, number, by: "treasurer.1", payment: T.idr(40_000_000)).owed == T.idr(60_000_000))
        try Self.refused(
            ClaimError.paymentAboveOwed(claim: Self.first, owed: T.idr(60_000_000), requested: T.idr(60_000_001)),
            in: f, claim: number, from: .posted
        ) {
            try f.act(.pay, number, by: "treasurer.1", payment: T.idr(60_000_001))
        }
        #expect(try f.payable("fac.sbt") == -60_000_000)
    }

    @Test("a payment of zero or less is refused", arguments: [Int64(0), -1, -100_000_000])
    func payingNothing(minorUnits: Int64) throws {
        let f = try ClaimLedger()
        let number = try f.posted()
        try Self.refused(ClaimError.paymentNotPositive(claim: Self.first), in: f, claim: number, from: .posted) {
            try f.act(.pay, number, by: "treasurer.1", payment: T.idr(minorUnits))
        }
    }

    @Test("an approved claim cannot be paid before it is posted")
    func payingUnposted() throws {
        let f = try ClaimLedger()
        let number = try f.approved()
        try Self.refused(ClaimError.actionNotAllowed(claim: Self.first, action: "paid", state: .approved), in: f,
                         claim: number, from: .approved) {
            try f.act(.pay, number, by: "treasurer.1")
        }
    }

    @Test("posting with a date outside the claim's fiscal year is refused", arguments: ["2025-01-02", "2023-12-29"])
    func postingOutsideClaimYear(date: String) throws {
        let f = try ClaimLedger()
        let number = try f.approved()
        try Self.refused(
            ClaimError.postingOutsideClaimYear(claim: Self.first, date: T.date(date), fiscalYear: 2024),
            in: f, claim: number, from: .approved
        ) {
            try f.db.act(.post, on: number, by: "fo.1", date: T.date(date), now: L.now)
        }
        let line = try #require(try f.db.budgetFigures(fiscalYear: 2024, district: "SBT").first)
        #expect(line.figures.committed == T.idr(100_000_000), "the commitment is still held")
    }

    // MARK: - Final and held states

    @Test("nothing can be done with a withdrawn claim", arguments: Attempt.all)
    func actingOnWithdrawn(attempt: Attempt) throws {
        let f = try ClaimLedger()
        let number = try f.submitted()
        try f.act(.withdraw, number, by: "fac.sbt")
        try Self.refused(
            ClaimError.actionNotAllowed(claim: Self.first, action: attempt.pastTense, state: .withdrawn),
            in: f, claim: number, from: .withdrawn
        ) {
            try attempt.run(on: number, in: f)
        }
    }

    @Test("nothing can be done with a rejected claim", arguments: Attempt.all)
    func actingOnRejected(attempt: Attempt) throws {
        let f = try ClaimLedger()
        let number = try f.submitted()
        try f.act(.reject, number, by: "coord.sbt", comment: "Not an eligible activity")
        try Self.refused(
            ClaimError.actionNotAllowed(claim: Self.first, action: attempt.pastTense, state: .rejected),
            in: f, claim: number, from: .rejected
        ) {
            try attempt.run(on: number, in: f)
        }
    }

    @Test("a withdrawn or rejected claim cannot be edited", arguments: [ClaimState.withdrawn, .rejected])
    func editingFinal(state: ClaimState) throws {
        let f = try ClaimLedger()
        let number = try f.submitted()
        if state == .withdrawn {
            try f.act(.withdraw, number, by: "fac.sbt")
        } else {
            try f.act(.reject, number, by: "coord.sbt", comment: "Not an eligible activity")
        }
        let error = ClaimError.actionNotAllowed(claim: Self.first, action: "edited", state: state)
        try Self.refused(error, in: f, claim: number, from: state) {
            try f.db.addClaimLine(ClaimLine(category: .honorarium, quantity: 1, unitRate: T.idr(25_000_000)), to: number,
                                  by: "fac.sbt", date: L.day)
        }
        try Self.refused(error, in: f, claim: number, from: state) {
            try f.db.attachReceipt(Self.pdf(), fileName: "late.pdf", to: number, by: "fac.sbt", date: L.day)
        }
        #expect(try f.db.receiptContent(EntryHash.sha256(of: Self.pdf())) == nil)
    }

    @Test("a claim cannot be withdrawn after an approval at level 1 of two")
    func withdrawingAfterApproval() throws {
        let f = try ClaimLedger()
        let number = try f.submitted(sessions: Self.twoLevelSessions)
        try f.act(.approve, number, by: "coord.sbt")
        try Self.refused(
            ClaimError.actionNotAllowed(claim: Self.first, action: "withdrawn after an approval", state: .submitted),
            in: f, claim: number, from: .submitted
        ) {
            try f.act(.withdraw, number, by: "fac.sbt")
        }
    }

    @Test("a held claim does not move until it is released", arguments: [
        Attempt(action: .approve, actor: "coord.sbt", pastTense: "approved"),
        Attempt(action: .withdraw, actor: "fac.sbt", pastTense: "withdrawn"),
        Attempt(action: .return, actor: "coord.sbt", comment: "Attach the attendance list", pastTense: "returned"),
        Attempt(action: .hold, actor: "compliance", comment: "Again", pastTense: "held"),
    ])
    func actingOnHeld(attempt: Attempt) throws {
        let f = try ClaimLedger()
        let number = try f.submitted()
        try f.act(.hold, number, by: "compliance", comment: "Check the attendance list")
        try Self.refused(
            ClaimError.actionNotAllowed(claim: Self.first, action: attempt.pastTense, state: .onHold),
            in: f, claim: number, from: .onHold
        ) {
            try attempt.run(on: number, in: f)
        }
    }

    @Test("an approved claim on hold cannot be posted")
    func postingHeld() throws {
        let f = try ClaimLedger()
        let number = try f.approved()
        try f.act(.hold, number, by: "compliance", comment: "Check the attendance list")
        try Self.refused(ClaimError.actionNotAllowed(claim: Self.first, action: "posted", state: .onHold), in: f,
                         claim: number, from: .onHold) {
            try f.act(.post, number, by: "fo.1")
        }
    }

    @Test("a draft cannot be approved")
    func approvingDraft() throws {
        let f = try ClaimLedger()
        let number = try f.draft()
        try Self.refused(ClaimError.actionNotAllowed(claim: Self.first, action: "approved", state: .draft), in: f,
                         claim: number, from: .draft) {
            try f.act(.approve, number, by: "coord.sbt")
        }
    }

    // MARK: - Lines and receipts

    @Test("a line above its ceiling is refused with the ceiling", arguments: [
        (ClaimCategory.perDiem, Int64(30_000_001), Int64(30_000_000)),
        (.perDiem, 100_000_000, 30_000_000),
        (.lodging, 50_000_001, 50_000_000),
    ])
    func lineAboveCeiling(category: ClaimCategory, rate: Int64, ceiling: Int64) throws {
        let f = try ClaimLedger()
        let number = try f.draft()
        try Self.refused(
            ClaimError.rateAboveCeiling(field: "unitRate", category: category, unitRate: T.idr(rate),
                                        ceiling: T.idr(ceiling)),
            in: f, claim: number, from: .draft
        ) {
            try f.db.addClaimLine(ClaimLine(category: category, quantity: 2, unitRate: T.idr(rate)), to: number,
                                  by: "fac.sbt", date: L.day)
        }
    }

    @Test("a line with a quantity below 1 is refused", arguments: [Int64(0), -1, -40])
    func quantityInvalid(quantity: Int64) throws {
        let f = try ClaimLedger()
        let number = try f.draft()
        try Self.refused(ClaimError.quantityInvalid(field: "quantity", quantity: quantity), in: f, claim: number,
                         from: .draft) {
            try f.db.addClaimLine(ClaimLine(category: .perDiem, quantity: quantity, unitRate: T.idr(30_000_000)),
                                  to: number, by: "fac.sbt", date: L.day)
        }
    }

    @Test("a line cannot be added to a submitted claim")
    func addingLineToSubmitted() throws {
        let f = try ClaimLedger()
        let number = try f.submitted()
        try Self.refused(ClaimError.actionNotAllowed(claim: Self.first, action: "edited", state: .submitted), in: f,
                         claim: number, from: .submitted) {
            try f.db.addClaimLine(ClaimLine(category: .perDiem, quantity: 1, unitRate: T.idr(30_000_000)), to: number,
                                  by: "fac.sbt", date: L.day)
        }
    }

    @Test("a receipt that is not a PDF, JPEG or PNG is refused, whatever its name", arguments: [
        ("photo.gif", Array("GIF89a\u{01}\u{00}\u{01}\u{00}".utf8)),
        ("receipt.txt", Array("Hotel Seram, 2 nights, Rp 900.000\n".utf8)),
        ("receipt.pdf", Array("Hotel Seram, 2 nights, Rp 900.000\n".utf8)),
        ("scan.png", [0x89, 0x50, 0x4E, 0x47]),
        ("scan.jpg", [0xFF, 0xD8]),
    ] as [(String, [UInt8])])
    func receiptNotAccepted(fileName: String, bytes: [UInt8]) throws {
        let f = try ClaimLedger()
        let number = try f.draft()
        try Self.refused(ClaimError.receiptNotAccepted(fileName: fileName), in: f, claim: number, from: .draft) {
            try f.db.attachReceipt(bytes, fileName: fileName, to: number, by: "fac.sbt", date: L.day)
        }
        #expect(try f.db.receiptContent(EntryHash.sha256(of: bytes)) == nil)
    }

    @Test("an empty receipt is refused")
    func receiptEmpty() throws {
        let f = try ClaimLedger()
        let number = try f.draft()
        try Self.refused(ClaimError.receiptEmpty(fileName: "empty.pdf"), in: f, claim: number, from: .draft) {
            try f.db.attachReceipt([], fileName: "empty.pdf", to: number, by: "fac.sbt", date: L.day)
        }
    }

    @Test("a receipt over 10 MB is refused with its size")
    func receiptTooLarge() throws {
        let f = try ClaimLedger()
        let number = try f.draft()
        let max = 10 * 1024 * 1024
        let bytes = Self.pdf() + [UInt8](repeating: 0x20, count: max + 1 - Self.pdf().count)
        #expect(bytes.count == max + 1)
        try Self.refused(ClaimError.receiptTooLarge(fileName: "scan.pdf", size: max + 1, max: max), in: f, claim: number,
                         from: .draft) {
            try f.db.attachReceipt(bytes, fileName: "scan.pdf", to: number, by: "fac.sbt", date: L.day)
        }
        #expect(try f.db.receiptContent(EntryHash.sha256(of: bytes)) == nil)
    }

    @Test("a receipt cannot be attached to a submitted claim")
    func receiptOnSubmitted() throws {
        let f = try ClaimLedger()
        let number = try f.submitted()
        try Self.refused(ClaimError.actionNotAllowed(claim: Self.first, action: "edited", state: .submitted), in: f,
                         claim: number, from: .submitted) {
            try f.db.attachReceipt(Self.pdf(), fileName: "late.pdf", to: number, by: "fac.sbt", date: L.day)
        }
        #expect(try f.db.receiptContent(EntryHash.sha256(of: Self.pdf())) == nil)
    }

    @Test("someone other than the claimant cannot add a line or a receipt")
    func editingSomeoneElsesClaim() throws {
        let f = try ClaimLedger()
        let number = try f.draft()
        try Self.refused(ClaimError.notTheClaimant(claim: Self.first, person: "fo.1"), in: f, claim: number, from: .draft) {
            try f.db.addClaimLine(ClaimLine(category: .perDiem, quantity: 1, unitRate: T.idr(30_000_000)), to: number,
                                  by: "fo.1", date: L.day)
        }
        try Self.refused(ClaimError.notTheClaimant(claim: Self.first, person: "fo.1"), in: f, claim: number, from: .draft) {
            try f.db.attachReceipt(Self.pdf(), fileName: "receipt.pdf", to: number, by: "fo.1", date: L.day)
        }
    }

    // MARK: - Submission

    @Test("a claim without lines cannot be submitted", arguments: [false, true])
    func submittingEmpty(lineRemoved: Bool) throws {
        let f = try ClaimLedger()
        let number: ClaimNumber
        if lineRemoved {
            number = try f.draft()
            try f.db.removeClaimLine(at: 0, from: number, by: "fac.sbt", date: L.day)
        } else {
            number = try Self.emptyDraft(f)
        }
        #expect(try f.db.claim(number).lines.isEmpty)
        try Self.refused(ClaimError.claimEmpty(claim: Self.first), in: f, claim: number, from: .draft) {
            try f.act(.submit, number, by: "fac.sbt")
        }
    }

    @Test("a claim with transport or lodging lines needs a receipt",
          arguments: [(ClaimCategory.transport, Int64(15_000_000)), (.lodging, 40_000_000)])
    func submittingWithoutReceipt(category: ClaimCategory, rate: Int64) throws {
        let f = try ClaimLedger()
        let number = try f.draft()
        try f.db.addClaimLine(ClaimLine(category: category, quantity: 2, unitRate: T.idr(rate)), to: number, by: "fac.sbt",
                              date: L.day)
        try Self.refused(ClaimError.receiptMissing(claim: Self.first, category: category), in: f, claim: number,
                         from: .draft) {
            try f.act(.submit, number, by: "fac.sbt")
        }
    }

    @Test("a claim on a budget line the budget lacks cannot be submitted")
    func submittingUnknownBudgetLine() throws {
        let f = try ClaimLedger()
        let number = try Self.emptyDraft(f, budgetLine: "9.9")
        try f.db.addClaimLine(ClaimLine(category: .honorarium, quantity: 1, unitRate: T.idr(25_000_000)), to: number,
                              by: "fac.sbt", date: L.day)
        try Self.refused(LedgerError.budgetLineUnknown(field: "budgetLine", line: "SBT/9.9", fiscalYear: 2024), in: f,
                         claim: number, from: .draft) {
            try f.act(.submit, number, by: "fac.sbt")
        }
    }

    @Test("a claim cannot be opened for someone else")
    func openingForSomeoneElse() throws {
        let f = try ClaimLedger()
        try Self.refused(ClaimError.notTheClaimant(claim: "a new claim", person: "coord.sbt"),
                         in: f, claim: nil) {
            try f.db.createClaim(
                ClaimHeader(claimant: "fac.sbt", district: "SBT", budgetLine: "2.1.3", activity: "Village facilitation",
                            activityFrom: T.date("2024-06-03"), activityTo: T.date("2024-06-05")),
                by: "coord.sbt", date: L.day, now: L.now)
        }
        #expect(try f.db.claims().isEmpty)
    }

    // MARK: - Comments and reversal

    @Test("returning, rejecting and holding need a comment", arguments: [
        Attempt(action: .return, actor: "coord.sbt", pastTense: "returned"),
        Attempt(action: .reject, actor: "coord.sbt", pastTense: "rejected"),
        Attempt(action: .hold, actor: "compliance", pastTense: "held"),
        Attempt(action: .return, actor: "coord.sbt", comment: "   ", pastTense: "returned"),
        Attempt(action: .reject, actor: "coord.sbt", comment: "", pastTense: "rejected"),
    ])
    func commentRequired(attempt: Attempt) throws {
        let f = try ClaimLedger()
        let number = try f.submitted()
        try Self.refused(ClaimError.commentRequired(action: attempt.action.rawValue), in: f, claim: number,
                         from: .submitted) {
            try attempt.run(on: number, in: f)
        }
    }

    @Test("finance returning an approved claim needs a comment")
    func returningApprovedWithoutComment() throws {
        let f = try ClaimLedger()
        let number = try f.approved()
        try Self.refused(ClaimError.commentRequired(action: "return"), in: f, claim: number, from: .approved) {
            try f.act(.return, number, by: "fo.1")
        }
    }

    @Test("a reversal needs a second person other than the one reversing and the claimant",
          arguments: [nil, "fo.2", "fac.sbt"] as [String?])
    func reversingWithoutSecond(second: String?) throws {
        let f = try ClaimLedger()
        let number = try f.posted()
        try Self.refused(ClaimError.secondPersonRequired(claim: Self.first), in: f, claim: number, from: .posted) {
            try f.act(.reverse, number, by: "fo.2", second: second)
        }
    }

    @Test("a reversal's second person must be active and able to confirm it", arguments: [
        ("treasurer.1", ClaimError.secondPersonLacksRole(claim: Self.first, person: "treasurer.1")),
        ("gone.sbt", .personInactive(field: "second", id: "gone.sbt", on: L.day)),
        ("nobody", .personUnknown(field: "second", id: "nobody")),
    ])
    func reversingWithWrongSecond(second: String, error: ClaimError) throws {
        let f = try ClaimLedger()
        let number = try f.posted()
        try Self.refused(error, in: f, claim: number, from: .posted) {
            try f.act(.reverse, number, by: "fo.2", second: second)
        }
    }

    // MARK: - Known issues in Sources

    @Test("a compliance officer cannot reject their own held claim: the error names the rejection")
    func complianceClaimantRejecting() throws {
        let f = try ClaimLedger()
        try Self.hire(f, "compliance.sbt", "SBT", [.claimant, .complianceOfficer])
        let number = try f.submitted(by: "compliance.sbt")
        try f.act(.hold, number, by: "compliance", comment: "Check the attendance list")
        let before = try Written(f, claim: number)
        #expect(before.claim?.snapshot.state == .onHold)
        #expect(throws: ClaimError.ownClaim(claim: Self.first, person: "compliance.sbt", action: "reject")) {
            try f.act(.reject, number, by: "compliance.sbt", comment: "Not eligible")
        }
        #expect(try Written(f, claim: number) == before)
    }

    @Test("a delegation from someone who cannot approve does not hand over their district")
    func delegationFromNonApprover() throws {
        let f = try ClaimLedger()
        try Self.delegate(f, [Delegation(from: "fac2.sbt", to: "coord.sbd", starts: T.date("2024-01-01"),
                                         ends: T.date("2024-12-31"))])
        let number = try f.submitted()
        try Self.refused(ClaimError.approverWrongDistrict(claim: Self.first, person: "coord.sbd", district: "SBD"),
                         in: f, claim: number, from: .submitted) {
            try f.act(.approve, number, by: "coord.sbd")
        }
    }
}
