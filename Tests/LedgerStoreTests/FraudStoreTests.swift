import FeeClaims
import FraudRules
import LedgerCore
import LedgerStore
import Testing

/// Fraud scans over the store's claims and people, and the triage of their findings.
@Suite("Fraud scans and triage")
struct FraudStoreTests {
    typealias T = TestLedger
    typealias L = ClaimLedger

    /// Every rule enabled with the defaults.
    static let policy = FraudPolicy(rules: FraudRuleID.allCases.map { id in
        let actions: [FraudRuleID: FraudAction] = [
            .r01: .block, .r02: .hold, .r03: .block, .r04: .flag, .r05: .hold, .r06: .flag, .r07: .block, .r08: .block,
            .r09: .flag, .r10: .block, .r11: .flag, .r12: .flag, .r13: .report, .r14: .report, .r15: .hold, .r16: .flag,
        ]
        return FraudRule(id: id, nameEn: "Rule \(id.rawValue)", nameId: "Aturan \(id.rawValue)", enabled: true,
                         action: actions[id] ?? .flag)
    })

    func ledger() throws -> ClaimLedger {
        let claims = try ClaimLedger()
        try claims.db.setFraudPolicy(Self.policy, setBy: "compliance", now: L.now)
        return claims
    }

    @Test func aScanRecordsEachFindingOnceAndTriageIsOnTheRecord() throws {
        let claims = try ledger()
        let first = try claims.submitted()
        let second = try claims.submitted()  // same claimant, category, day and amount: R02
        let scan = try claims.db.scanFraud(fiscalYear: 2024, now: L.now)
        #expect(scan.claimsScanned == 2)
        let duplicate = try #require(scan.new.first { $0.finding.rule == .r02 })
        #expect(duplicate.finding.subject == second.description && duplicate.finding.related == [first.description])
        #expect(duplicate.finding.action == .hold && duplicate.finding.subjectPerson == "fac.sbt" && duplicate.status == "open")
        let again = try claims.db.scanFraud(fiscalYear: 2024, now: L.now)
        #expect(again.new.isEmpty && again.known == scan.new.count)

        #expect(throws: FraudError.notComplianceOfficer(person: "fo.1")) {
            try claims.db.decide(.dismiss, finding: duplicate.id, reason: "two sessions", by: "fo.1", now: L.now)
        }
        #expect(throws: FraudError.reasonRequired(decision: "dismiss")) {
            try claims.db.decide(.dismiss, finding: duplicate.id, reason: "  ", by: "compliance", now: L.now)
        }
        #expect(throws: FraudError.findingUnknown("F-999999")) {
            try claims.db.decide(.dismiss, finding: "F-999999", reason: "x", by: "compliance", now: L.now)
        }
        #expect(try claims.db.findings(status: "open").map(\.id) == scan.new.map(\.id))
        try claims.db.decide(.dismiss, finding: duplicate.id, reason: "Two sessions on the same day", by: "compliance",
                             now: L.now)
        #expect(try claims.db.findings(status: "dismissed").map(\.id) == [duplicate.id])
        #expect(throws: FraudError.findingAlreadyDecided(finding: duplicate.id, status: "dismissed")) {
            try claims.db.decide(.escalate, finding: duplicate.id, reason: "again", by: "compliance", now: L.now)
        }
        // Dismissed stays dismissed: the next scan finds it known, not new.
        #expect(try claims.db.scanFraud(fiscalYear: 2024, now: L.now).new.isEmpty)
    }

    @Test func nobodyDecidesOnAFindingAboutThemselves() throws {
        let claims = try ledger()
        try claims.db.importPeople([L.person("compliance.sbt", "SBT", [.claimant, .complianceOfficer])],
                                   changedBy: "admin", now: L.now)
        _ = try claims.submitted(by: "compliance.sbt")
        _ = try claims.submitted(by: "compliance.sbt")
        let finding = try #require(try claims.db.scanFraud(fiscalYear: 2024, now: L.now).new.first { $0.finding.rule == .r02 })
        #expect(throws: FraudError.ownFinding(finding: finding.id, person: "compliance.sbt")) {
            try claims.db.decide(.dismiss, finding: finding.id, reason: "mine, but fine", by: "compliance.sbt", now: L.now)
        }
        try claims.db.decide(.escalate, finding: finding.id, reason: "Same day twice", by: "compliance", now: L.now)
        #expect(try claims.db.findings(status: "escalated").count == 1)
    }

    @Test func aSharedBankAccountIsHeldOnBothPeople() throws {
        let claims = try ledger()
        var first = L.person("fac3.sbt", "SBT", [.claimant])
        first.bankAccount = "BRI 0123-01-000123-50-1"
        var second = L.person("treasurer.3", nil, [.treasurer])
        second.bankAccount = "0123 01 000123 50 1"
        try claims.db.importPeople([first, second], changedBy: "admin", now: L.now)
        let findings = try claims.db.scanFraud(fiscalYear: 2024, now: L.now).new.filter { $0.finding.rule == .r15 }
        #expect(findings.map(\.finding.subject).sorted() == ["fac3.sbt", "treasurer.3"])
        #expect(findings.allSatisfy { $0.finding.action == .hold })
    }

    @Test func aScanNeedsThePolicy() throws {
        let claims = try ClaimLedger()
        #expect(throws: FraudError.policyMissing) { try claims.db.scanFraud(fiscalYear: 2024, now: L.now) }
    }
}
