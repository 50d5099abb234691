import Budgets
import FeeClaims
import FraudRules
import LedgerCore
import Testing

/// The rules at submission that look beyond duplicates: R06 (the third claim just under a
/// limit in a quarter), R15 (the claimant's bank account held by someone else) and R16 (the
/// budget line's use with the claim committed). Planted cases and near misses.
@Suite("Claim check at submission")
struct ClaimCheckTests {
    typealias F = FraudFixtures

    static func check(enabling rules: Set<FraudRuleID>) -> ClaimCheck {
        ClaimCheck(scanner: FraudScanner(policy: F.policy(enabling: rules), approvalLimits: F.limits))
    }

    // MARK: R06

    @Test func theThirdClaimJustUnderALimitInAQuarterIsFlagged() throws {
        let earlier = [F.claim(1, on: "2024-07-01", amount: F.rp(4_600_000)), F.claim(2, on: "2024-08-01", amount: F.rp(4_950_000))]
        let third = F.claim(3, on: "2024-09-02", amount: F.rp(4_500_000))  // exactly 90 % of Rp 5.000.000
        let finding = try #require(Self.check(enabling: [.r06]).findings(for: third, neighbours: earlier).first)
        #expect(finding.rule == .r06 && finding.action == .flag && finding.subject == F.number(3))
        #expect(finding.evidence == "3 claims in 2024 Q3 between 90 % of and just under IDR 5,000,000")
        // Near misses: at the limit itself, or the earlier two in another quarter.
        let atLimit = F.claim(4, on: "2024-09-02", amount: F.rp(5_000_000))
        #expect(Self.check(enabling: [.r06]).findings(for: atLimit, neighbours: earlier).isEmpty)
        let lastQuarter = [F.claim(5, on: "2024-06-28", amount: F.rp(4_600_000)), F.claim(6, on: "2024-06-30", amount: F.rp(4_950_000))]
        #expect(Self.check(enabling: [.r06]).findings(for: third, neighbours: lastQuarter).isEmpty)
    }

    // MARK: R15

    @Test func aClaimantWhoseAccountIsSomeoneElsesIsHeld() throws {
        let people = [F.person(F.claimant, account: "BRI 0123-01-000123-50-1"), F.person("P-FO", account: "0123 01 000123 50 1"),
                      F.person("P-OTHER", account: "BRI 9999")]
        let claim = F.claim(1, amount: F.rp(300_000))
        let finding = try #require(Self.check(enabling: [.r15]).findings(for: claim, neighbours: [], people: people).first)
        #expect(finding.rule == .r15 && finding.action == .hold && finding.subject == F.number(1))
        #expect(finding.related == ["P-FO"] && finding.subjectPerson == F.claimant)
        #expect(finding.evidence == "the claimant's bank account BRI 0123-01-000123-50-1 is also held by P-FO")
        // Near miss: the claimant's own account, one digit apart from another's.
        let apart = [F.person(F.claimant, account: "BRI 0123-01-000123-50-2"), F.person("P-FO", account: "0123 01 000123 50 1")]
        #expect(Self.check(enabling: [.r15]).findings(for: claim, neighbours: [], people: apart).isEmpty)
    }

    // MARK: R16

    @Test func aClaimTakingItsLinePastNinetyPercentIsFlaggedAndPastTheBudgetBlocked() throws {
        let line = try F.line(revised: F.rp(1_000_000), actual: F.rp(800_000), committed: F.rp(50_000))
        let check = Self.check(enabling: [.r16])
        let flagged = try #require(check.findings(for: F.claim(1, amount: F.rp(60_000)), neighbours: [], budgetLine: line).first)
        #expect(flagged.rule == .r16 && flagged.action == .flag && flagged.subject == F.number(1))
        #expect(flagged.evidence == "with IDR 60,000 of \(F.number(1)) committed, 2024 SBT/1.2 would be 91.0 % used:"
            + " budget IDR 1,000,000, actual IDR 800,000, committed IDR 110,000")
        let blocked = try #require(check.findings(for: F.claim(2, amount: F.rp(160_000)), neighbours: [], budgetLine: line).first)
        #expect(blocked.action == .block)
        // Near misses: exactly 90 % and exactly 100 %.
        #expect(check.findings(for: F.claim(3, amount: F.rp(50_000)), neighbours: [], budgetLine: line).isEmpty)
        let full = try #require(check.findings(for: F.claim(4, amount: F.rp(150_000)), neighbours: [], budgetLine: line).first)
        #expect(full.action == .flag)
    }

    @Test func aLineTheBudgetPolicyLetsBeOverspentIsFlaggedNotBlocked() throws {
        let line = try F.line(revised: F.rp(1_000_000), actual: F.rp(800_000), committed: F.rp(50_000))
        let finding = try #require(Self.check(enabling: [.r16])
            .findings(for: F.claim(1, amount: F.rp(160_000)), neighbours: [], budgetLine: line, overBudgetBlocks: false).first)
        #expect(finding.action == .flag)
        #expect(finding.evidence.hasSuffix("; the budget policy lets this line be overspent, so it is flagged"))
        #expect(finding.derivedFrom == "R16|block|2024 SBT/1.2")
    }

    @Test func aUseTooLargeToCountIsBlocked() throws {
        let line = try F.line(revised: F.rp(1_000_000), actual: 0, committed: Int64.max - 10)
        let finding = try #require(Self.check(enabling: [.r16])
            .findings(for: F.claim(1, amount: F.rp(160_000)), neighbours: [], budgetLine: line).first)
        #expect(finding.action == .block && finding.evidence.hasSuffix("is past what can be counted"))
    }
}
