import Budgets
import FeeClaims
import LedgerCore
import LedgerStore
import NeracaTestSupport
import Testing

/// Safeguards found by review: ways around the procedure that must stay closed.
@Suite("Claim safeguards")
struct ClaimSafeguardTests {
    typealias T = TestLedger
    typealias R = ClaimRefusalTests
    typealias L = ClaimLedger

    /// A claim's entries are reversed with the claim, never alone (the claim would keep
    /// owing and be paid for an expense that is gone).
    @Test func aClaimsEntryCannotBeReversedOnItsOwn() throws {
        let claims = try ClaimLedger()
        let number = try claims.posted()
        let posting = try #require(try claims.db.claim(number).entries.first?.number)
        try R.refused(ClaimError.entryBelongsToClaim(entry: posting.description, claim: number.description),
                      in: claims, claim: number, from: .posted) {
            try claims.db.reverse(posting, reason: "mistake", date: L.day, author: "fo.2", now: L.now)
        }
    }

    /// Paying "from" the payable itself would mark the claim paid with no money moved.
    @Test func claimsArePaidOnlyFromThePolicysBankAndCashAccounts() throws {
        let claims = try ClaimLedger()
        let number = try claims.posted()
        for account in ["2-1000", "5-1100", "4-1000"] {
            try R.refused(ClaimError.paymentAccountNotAllowed(account: account, allowed: ["1-1100"]),
                          in: claims, claim: number, from: .posted) {
                try claims.db.act(.pay, on: number, by: "treasurer.1", date: L.day, now: L.now, paymentAccount: account)
            }
        }
    }

    @Test func linesAreInTheLedgersCurrencyWithAPositiveRate() throws {
        let claims = try ClaimLedger()
        let number = try R.emptyDraft(claims)
        try R.refused(LedgerError.currencyMismatch(field: "unitRate", expected: .idr, found: .usd), in: claims, claim: number) {
            try claims.db.addClaimLine(ClaimLine(category: .perDiem, quantity: 1, unitRate: T.usd(5_000)), to: number,
                                       by: "fac.sbt", date: L.day)
        }
        try R.refused(ClaimError.unitRateNotPositive(field: "unitRate", unitRate: T.idr(-5)), in: claims, claim: number) {
            try claims.db.addClaimLine(ClaimLine(category: .perDiem, quantity: 1, unitRate: T.idr(-5)), to: number,
                                       by: "fac.sbt", date: L.day)
        }
        try R.refused(LedgerError.amountAboveLimit(field: "unitRate", minorUnits: 2_000_000_000_000_000),
                      in: claims, claim: number) {
            try claims.db.addClaimLine(ClaimLine(category: .honorarium, quantity: 2, unitRate: T.idr(1_000_000_000_000_000)),
                                       to: number, by: "fac.sbt", date: L.day)
        }
    }

    /// A stand-in lends the delegator's district only with the level's role, and the
    /// stand-in's own district counts only if they hold the role themselves.
    @Test func aStandInWithoutTheRoleGainsNoDistrictOfTheirOwn() throws {
        let claims = try ClaimLedger()
        try R.hire(claims, "fac.sbd", "SBD", [.claimant])
        try R.delegate(claims, [Delegation(from: "coord.sbt", to: "fac.sbd", starts: T.date("2024-01-01"),
                                           ends: T.date("2024-12-31"))])
        let sbd = try claims.submitted(by: "coord.sbd", district: "SBD")
        try R.refused(ClaimError.approverWrongDistrict(claim: sbd.description, person: "fac.sbd", district: "SBD"),
                      in: claims, claim: sbd, from: .submitted) {
            try claims.act(.approve, sbd, by: "fac.sbd")
        }
        // For SBT, the district of the coordinator they stand in for, they may.
        let sbt = try claims.submitted()
        #expect(try claims.act(.approve, sbt, by: "fac.sbd").state == .approved)
    }

    /// Nobody stands in for the claimant on the claimant's own claim.
    @Test func aDelegationFromTheClaimantDoesNotApproveTheirClaim() throws {
        let claims = try ClaimLedger()
        try R.delegate(claims, [Delegation(from: "coord.sbt", to: "coord.sbd", starts: T.date("2024-01-01"),
                                           ends: T.date("2024-12-31"))])
        let number = try claims.submitted(by: "coord.sbt")
        try R.refused(ClaimError.approverWrongDistrict(claim: number.description, person: "coord.sbd", district: "SBD"),
                      in: claims, claim: number, from: .submitted) {
            try claims.act(.approve, number, by: "coord.sbd")
        }
    }

    /// Someone who approved in an earlier round (before a return) still may not post it.
    @Test func anApproverOfAnEarlierRoundCannotPost() throws {
        let claims = try ClaimLedger()
        try R.hire(claims, "coordfo.sbt", "SBT", [.coordinator, .financeOfficer])
        let number = try claims.submitted()
        try claims.act(.approve, number, by: "coordfo.sbt")
        try claims.act(.return, number, by: "fo.1", comment: "Receipt missing")
        try claims.act(.submit, number, by: "fac.sbt")
        try claims.act(.approve, number, by: "coord.sbt")
        try R.refused(ClaimError.approverCannotPostOrPay(claim: number.description, person: "coordfo.sbt"),
                      in: claims, claim: number, from: .approved) {
            try claims.act(.post, number, by: "coordfo.sbt")
        }
    }

    /// Releasing a hold needs its reason too (DESIGN: "reason recorded").
    @Test func aReleaseNeedsAReason() throws {
        let claims = try ClaimLedger()
        let number = try claims.submitted()
        try claims.act(.hold, number, by: "compliance", comment: "Check attendance")
        try R.refused(ClaimError.commentRequired(action: "release"), in: claims, claim: number, from: .onHold) {
            try claims.act(.release, number, by: "compliance")
        }
    }

    @Test func anActivityMustFitAPostingDimension() throws {
        let claims = try ClaimLedger()
        let long = String(repeating: "a", count: Limits.dimensionLengthMax + 1)
        #expect(throws: LedgerError.textTooLong(field: "activity", length: long.count, max: Limits.dimensionLengthMax)) {
            try claims.db.createClaim(
                ClaimHeader(claimant: "fac.sbt", district: "SBT", budgetLine: "2.1.3", activity: long,
                            activityFrom: L.day, activityTo: L.day),
                by: "fac.sbt", date: L.day, now: L.now)
        }
        #expect(try claims.db.claims().isEmpty)
    }

    @Test func aClaimHasAtMostItsLimitOfLines() throws {
        let claims = try ClaimLedger()
        let number = try R.emptyDraft(claims)
        for _ in 0..<ClaimLimits.linesMax {
            try claims.db.addClaimLine(ClaimLine(category: .honorarium, quantity: 1, unitRate: T.idr(100)), to: number,
                                       by: "fac.sbt", date: L.day)
        }
        try R.refused(ClaimError.tooManyLines(claim: number.description, max: ClaimLimits.linesMax), in: claims, claim: number) {
            try claims.db.addClaimLine(ClaimLine(category: .honorarium, quantity: 1, unitRate: T.idr(100)), to: number,
                                       by: "fac.sbt", date: L.day)
        }
    }

    /// "Paid" follows the ledger: a claim marked paid behind the store's back while it still
    /// owes is found by verify, twice (its events and its payable disagree with it).
    @Test func verifyFindsAPaidStateThatTheLedgerDenies() throws {
        let claims = try ClaimLedger()
        let number = try claims.posted()
        #expect(try claims.db.verify().passed)
        let shell = try SQLiteShell.run(claims.ledger.path, "UPDATE claims SET state = 'paid'")
        try #require(shell.status == 0, "\(shell.errorOutput)")
        #expect(try claims.db.verify().problems == [
            .claimStateMismatch(claim: number.description, stored: "paid", events: "posted"),
            .claimOwedMismatch(claim: number.description, state: "paid", owed: 100_000_000),
        ])
    }

    /// Who held which role on the day of an approval stays provable: every change to a
    /// person is kept with who made it; importing the same list again changes nothing.
    @Test func peopleChangesAreKeptWithWhoMadeThem() throws {
        let claims = try ClaimLedger()
        #expect(try claims.db.personHistory("coord.sbt").count == 1)
        #expect(try claims.db.importPeople(L.people, changedBy: "admin", now: L.now) == 0)
        var demoted = try #require(L.people.first { $0.id == "coord.sbt" })
        demoted.roles = [.claimant]
        demoted.activeTo = T.date("2024-06-30")
        #expect(try claims.db.importPeople([demoted], changedBy: "hr.officer", now: T.at("2024-06-20")) == 1)
        let history = try claims.db.personHistory("coord.sbt")
        #expect(history.map(\.changedBy) == ["admin", "hr.officer"])
        #expect(history.map(\.person.roles) == [[.claimant, .coordinator], [.claimant]])
        #expect(history.last?.person.activeTo == T.date("2024-06-30"))
        #expect(throws: LedgerError.textEmpty(field: "changedBy")) {
            try claims.db.importPeople([demoted], changedBy: " ", now: L.now)
        }
    }
}

