import Budgets
import FeeClaims
import LedgerCore
import LedgerStore
import Testing

/// DESIGN: "approval may lower a line, never raise it". The lowered lines are a new claim
/// version; that version is what is approved, committed and posted.
@Suite("Approvals that lower lines")
struct ClaimApprovalAdjustmentTests {
    typealias T = TestLedger
    typealias R = ClaimRefusalTests
    static let key = BudgetLineKey(fiscalYear: 2024, district: "SBT", code: "2.1.3")

    func committed(_ claims: ClaimLedger) throws -> Money? {
        try claims.db.budgetFigures(fiscalYear: 2024).first { $0.line.line.key == Self.key }?.figures.committed
    }

    /// Rp 10.000.000 needs the program manager; lowered to Rp 5.000.000 the coordinator's
    /// approval is the last one needed.
    @Test func aCoordinatorLowersAClaimIntoTheirLimitAndApprovesIt() throws {
        let claims = try ClaimLedger()
        let number = try claims.submitted(sessions: 40)
        let result = try claims.db.act(
            .approve, on: number, by: "coord.sbt", comment: "20 sessions were held, not 40", date: ClaimLedger.day,
            now: ClaimLedger.now, adjustments: [ClaimLineAdjustment(index: 0, quantity: 20)])
        #expect(result.state == .approved)
        let detail = try claims.db.claim(number)
        #expect(detail.snapshot.version == 2 && detail.snapshot.amount == T.idr(500_000_000))
        #expect(detail.lines == [ClaimLine(category: .honorarium, quantity: 20, unitRate: T.idr(25_000_000))])
        #expect(try claims.db.claimLines(number, version: 1).first?.quantity == 40)
        #expect(try committed(claims) == T.idr(500_000_000))
        let event = try #require(detail.events.last)
        #expect(event.action == "approve" && event.version == 2)
        #expect(event.versionHash == ClaimVersionHash.of(number, version: 2, header: detail.snapshot.header,
                                                         lines: detail.lines, receipts: []))
        try claims.act(.post, number, by: "fo.1")
        #expect(try claims.payable("fac.sbt") == -500_000_000)
        #expect(try committed(claims) == T.idr(0))
        #expect(try claims.db.verify().passed)
    }

    /// Lowered at the first of two levels, the earlier approval still counts at the second.
    @Test func aLoweringAtTheFirstLevelKeepsTheClaimGoingUp() throws {
        let claims = try ClaimLedger()
        let number = try claims.submitted(sessions: 60)  // Rp 15.000.000
        let first = try claims.db.act(
            .approve, on: number, by: "coord.sbt", date: ClaimLedger.day, now: ClaimLedger.now,
            adjustments: [ClaimLineAdjustment(index: 0, unitRate: T.idr(20_000_000))])  // Rp 12.000.000
        #expect(first.state == .submitted)
        try claims.act(.approve, number, by: "pm")
        let detail = try claims.db.claim(number)
        #expect(detail.snapshot.state == .approved && detail.snapshot.approvals == ["coord.sbt", "pm"])
        #expect(try committed(claims) == T.idr(1_200_000_000))
        #expect(try claims.db.verify().passed)
    }

    @Test func raisingOrInventingLinesIsRefusedAndWritesNothing() throws {
        let claims = try ClaimLedger()
        let number = try claims.submitted(sessions: 4)
        let cases: [(ClaimLineAdjustment, ClaimError)] = [
            (ClaimLineAdjustment(index: 0, quantity: 5),
             .adjustmentInvalid(field: "lines[1].quantity", reason: "5 is not between 1 and 4")),
            (ClaimLineAdjustment(index: 0, quantity: 0),
             .adjustmentInvalid(field: "lines[1].quantity", reason: "0 is not between 1 and 4")),
            (ClaimLineAdjustment(index: 0, unitRate: T.idr(25_000_001)),
             .adjustmentInvalid(field: "lines[1].unitRate",
                                reason: "IDR 250,000.01 is not above zero and at most IDR 250,000")),
            (ClaimLineAdjustment(index: 0, unitRate: T.usd(1)),
             .adjustmentInvalid(field: "lines[1].unitRate", reason: "USD 0.01 is not above zero and at most IDR 250,000")),
            (ClaimLineAdjustment(index: 0), .adjustmentInvalid(field: "lines[1]", reason: "nothing to lower")),
            (ClaimLineAdjustment(index: 3, quantity: 1), .lineUnknown(claim: number.description, index: 4)),
        ]
        for (adjustment, error) in cases {
            try R.refused(error, in: claims, claim: number, from: .submitted) {
                try claims.db.act(.approve, on: number, by: "coord.sbt", date: ClaimLedger.day, now: ClaimLedger.now,
                                  adjustments: [adjustment])
            }
        }
        try R.refused(ClaimError.adjustmentInvalid(field: "lines", reason: "only an approval may change lines"),
                      in: claims, claim: number, from: .submitted) {
            try claims.db.act(.reject, on: number, by: "coord.sbt", comment: "no", date: ClaimLedger.day,
                              now: ClaimLedger.now, adjustments: [ClaimLineAdjustment(index: 0, quantity: 1)])
        }
        // The claimant cannot lower their own claim into an approval either.
        try R.refused(ClaimError.ownClaim(claim: number.description, person: "fac.sbt", action: "approve"),
                      in: claims, claim: number, from: .submitted) {
            try claims.db.act(.approve, on: number, by: "fac.sbt", date: ClaimLedger.day, now: ClaimLedger.now,
                              adjustments: [ClaimLineAdjustment(index: 0, quantity: 1)])
        }
    }
}
