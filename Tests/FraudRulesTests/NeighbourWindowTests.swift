import FeeClaims
@testable import FraudRules
import LedgerCore
import NeracaTestSupport
import Testing

/// The store reads only the neighbours whose activity meets `ClaimCheck.neighbourWindow`,
/// and the date rules then look only within their reach of the claim. That is safe only if
/// no claim left out can change a finding about the claim: checked here on random claim
/// sets against every rule run over every claim.
@Suite("Neighbour window at submission")
struct NeighbourWindowTests {
    typealias F = FraudFixtures

    static let rules: Set<FraudRuleID> = [.r02, .r04, .r05, .r06, .r08]

    /// A claim by one of three claimants, over one of three activities, with per diem or
    /// an honorarium, on a day within a year; some activities last up to 40 days.
    static func randomClaim(_ sequence: Int, _ random: inout SplitMix64) -> ClaimFacts {
        let start = 19_700 + Int(random.next() % 365)
        let length = random.next() % 5 == 0 ? Int(random.next() % 40) : Int(random.next() % 3)
        let perDiem = random.next() % 2 == 0
        let amount = F.rp(Int64(4_400_000 + (random.next() % 8) * 100_000))
        let days = Int64(length + 1)
        return ClaimFacts(
            number: F.number(sequence, year: F.day(start).year), claimant: "P-SBT-00\(random.next() % 3 + 1)",
            district: "SBT", activity: "Activity \(random.next() % 3)", activityFrom: F.day(start),
            activityTo: F.day(start + length), submittedOn: F.day(start + length), isLive: true,
            amountsByCategory: [perDiem ? "per-diem" : "honorarium": amount], amount: F.idr(amount), receipts: [],
            perDiemDays: perDiem ? days : 0)
    }

    /// The policy's rules and their days: as shipped, R04 reaching further than R05, and
    /// without R04 and R05.
    static let policies: [(Set<FraudRuleID>, [FraudRuleID: [String: Int64]])] = [
        (rules, [.r04: ["days": 3], .r05: ["days": 7]]),
        (rules, [.r04: ["days": 12], .r05: ["days": 2]]),
        ([.r02, .r06, .r08], [:]),
    ]

    @Test("reading only the window finds what reading every claim finds",
          arguments: [1, 2, 3, 4, 5] as [UInt64], 0..<3)
    func windowLosesNothing(seed: UInt64, policy: Int) {
        var random = SplitMix64(seed: seed)
        let (rules, parameters) = Self.policies[policy]
        let check = ClaimCheck(scanner: FraudScanner(
            policy: F.policy(enabling: rules, parameters: parameters), approvalLimits: F.limits))
        let claims = (1...300).map { Self.randomClaim($0, &random) }
        var compared = 0
        var nonEmpty = 0
        for claim in claims.prefix(60) {
            let window = check.neighbourWindow(for: claim)
            let inWindow = claims.filter { $0.activityTo >= window.from && $0.activityFrom <= window.to }
            let everything = Self.findingsOverEverything(check, claim, claims)
            #expect(check.findings(for: claim, neighbours: inWindow) == everything, "\(claim.number)")
            compared += 1
            if !everything.isEmpty { nonEmpty += 1 }
        }
        #expect(compared == 60)
        #expect(nonEmpty > 5, "the random claims must give the rules something to find")
    }

    /// What ClaimCheck found before it narrowed anything: every date rule over every claim,
    /// then the findings about `claim` (or naming it), as ClaimCheck words them.
    static func findingsOverEverything(_ check: ClaimCheck, _ claim: ClaimFacts, _ claims: [ClaimFacts]) -> [Finding] {
        let scanner = check.scanner
        // The claim last, as ClaimCheck puts it (R06 names the last claims of a group).
        let all = (claims.filter { $0.number != claim.number } + [claim]).filter(\.isLive)
        let findings = (scanner.exactDuplicates(all) + scanner.nearDuplicates(all) + scanner.splitClaims(all)
            + scanner.justUnderLimits(all) + scanner.perDiemOverlaps(all)).compactMap { finding -> Finding? in
            if finding.subject == claim.number { return finding }
            guard finding.related.contains(claim.number) else { return nil }
            return Finding(
                rule: finding.rule, action: finding.action, subject: claim.number, subjectPerson: claim.claimant,
                related: finding.related.filter { $0 != claim.number } + [finding.subject], evidence: finding.evidence,
                keyedByRelated: finding.keyedByRelated, derivedFrom: finding.key)
        }
        var seen: Set<String> = []
        return findings.sorted { ($0.rule, $0.key) < ($1.rule, $1.key) }.filter { seen.insert($0.key).inserted }
    }

    @Test("the window spans the rules' days around the activity and its calendar quarter")
    func windowBounds() {
        let check = ClaimCheck(scanner: FraudScanner(
            policy: F.policy(enabling: Self.rules, parameters: [.r05: ["days": 20]]), approvalLimits: F.limits))
        let claim = F.claim(1, on: "2024-05-30", to: "2024-06-02", amounts: ["honorarium": 1])
        let window = check.neighbourWindow(for: claim)
        #expect(window.from == F.date("2024-04-01"))  // the quarter starts before 20 days back
        #expect(window.to == F.date("2024-06-30"))
        let late = F.claim(2, on: "2024-06-25", to: "2024-06-28", amounts: ["honorarium": 1])
        #expect(check.neighbourWindow(for: late).to == F.date("2024-07-18"))  // 20 days past its end
        // A policy reaching past the calendar reads every date; with R04 and R05 off, the quarter.
        let wide = ClaimCheck(scanner: FraudScanner(
            policy: F.policy(enabling: Self.rules, parameters: [.r05: ["days": 5_000_000]]), approvalLimits: F.limits))
        #expect(wide.neighbourWindow(for: claim) == (F.date("1900-01-01"), F.date("9999-12-31")))
        let narrow = ClaimCheck(scanner: FraudScanner(policy: F.policy(enabling: [.r06, .r08]), approvalLimits: F.limits))
        #expect(narrow.neighbourWindow(for: claim) == (F.date("2024-04-01"), F.date("2024-06-30")))
    }
}
