import Budgets
import FeeClaims
import FraudRules
import LedgerCore
import Testing

/// R01's flag on manual entries by approvers, and R14 over entry numbers: planted cases and
/// near misses.
@Suite("R01 manual entries, R14 entry numbers")
struct ManualEntryTests {
    typealias F = FraudFixtures

    static let people = [
        Person(id: "P-COORD-SBT", name: "Coordinator", district: "SBT", roles: [.coordinator], activeFrom: F.date("2024-01-01")),
        Person(id: "P-PM", name: "Program manager", district: nil, roles: [.programManager], activeFrom: F.date("2024-01-01")),
        Person(id: "P-FO", name: "Finance officer", district: nil, roles: [.financeOfficer], activeFrom: F.date("2024-01-01")),
    ]

    static func line(_ district: String = "SBT", _ code: String = "1.1") -> BudgetLineKey {
        BudgetLineKey(fiscalYear: 2024, district: district, code: code)
    }

    static func entry(_ sequence: Int, by author: String, _ lines: BudgetLineKey...) -> ManualEntryFacts {
        ManualEntryFacts(number: EntryNumber(fiscalYear: 2024, sequence: sequence).description, author: author,
                         budgetLines: Set(lines))
    }

    /// Claim `sequence` on SBT line `code`, approved by `approvers`.
    static func approvedClaim(_ sequence: Int, line code: String = "1.1", by approvers: [String]) -> ClaimFacts {
        let base = F.claim(sequence, amounts: ["honorarium": F.rp(300_000)])
        return ClaimFacts(
            number: base.number, claimant: base.claimant, district: "SBT", activity: base.activity,
            activityFrom: base.activityFrom, activityTo: base.activityTo, submittedOn: base.submittedOn, isLive: true,
            amountsByCategory: base.amountsByCategory, amount: base.amount, receipts: [], budgetLine: code,
            approvedBy: approvers)
    }

    static func findings(_ entries: [ManualEntryFacts], claims: [ClaimFacts] = [], enabled: Set<FraudRuleID> = [.r01])
        -> [Finding] {
        FraudScanner(policy: F.policy(enabling: enabled), approvalLimits: F.limits,
                     approvalLevels: ApprovalMatrix.standard.levels)
            .scan(claims: claims, people: people, budget: [], manualEntries: entries)
    }

    @Test func anEntryByTheLinesApproverIsFlagged() throws {
        let finding = try #require(Self.findings([Self.entry(7, by: "P-COORD-SBT", Self.line())]).first)
        #expect(finding.rule == .r01 && finding.action == .flag)
        #expect(finding.subject == "JE-2024-000007" && finding.subjectPerson == "P-COORD-SBT")
        #expect(finding.evidence
            == "manual entry by P-COORD-SBT, who approves claims on its budget lines: SBT/1.1: approves claims there as coordinator")
        // Head office approves everywhere.
        #expect(Self.findings([Self.entry(8, by: "P-PM", Self.line("SBD", "2.1"))]).map(\.subject) == ["JE-2024-000008"])
    }

    @Test func anEntryBySomeoneWhoApprovedAClaimOnTheLineIsFlaggedWithTheClaims() throws {
        let claims = [Self.approvedClaim(1, by: ["P-FO"]), Self.approvedClaim(2, by: ["P-FO"])]
        let finding = try #require(Self.findings([Self.entry(9, by: "P-FO", Self.line())], claims: claims).first)
        #expect(finding.related == [F.number(1), F.number(2)])
        #expect(finding.evidence.hasSuffix(": SBT/1.1: approved \(F.number(1)), \(F.number(2))"))
    }

    @Test func otherDistrictsOtherLinesAndOtherPeopleAreNotFlagged() {
        let claims = [Self.approvedClaim(1, line: "1.2", by: ["P-FO"])]
        #expect(Self.findings([
            Self.entry(1, by: "P-COORD-SBT", Self.line("SBD")),  // a coordinator approves in their own district only
            Self.entry(2, by: "P-FO", Self.line()),  // approved a claim on another line
            Self.entry(3, by: "finance.mks", Self.line()),  // not a person of the program
        ], claims: claims).isEmpty)
        // Without R01 in the policy, nothing.
        #expect(Self.findings([Self.entry(4, by: "P-PM", Self.line())], enabled: []).isEmpty)
    }

    @Test func missingEntryNumbersAreReported() throws {
        let scanner = FraudScanner(policy: F.policy(enabling: [.r14]), approvalLimits: F.limits)
        let gaps = scanner.scan(claims: [], people: [], budget: [], entryNumbering: [
            EntryNumberingFacts(fiscalYear: 2024, count: 997, highest: 1_000, missing: [17...18, 944...944]),
        ])
        let finding = try #require(gaps.first)
        #expect(finding.rule == .r14 && finding.action == .report && finding.subject == "JE-2024")
        #expect(finding.evidence == "3 entry number(s) missing up to 1000: 17–18, 944")
        // Near miss: every number present.
        #expect(scanner.scan(claims: [], people: [], budget: [], entryNumbering: [
            EntryNumberingFacts(fiscalYear: 2024, count: 1_000, highest: 1_000, missing: []),
        ]).isEmpty)
    }
}
