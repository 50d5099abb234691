import FraudRules
import LedgerCore
import Testing

/// R08 per-diem overlap and R12 round amounts: planted cases and near misses.
@Suite("R08 per diem, R12 round amounts")
struct PerDiemAndRoundAmountTests {
    static func day(_ text: String) -> LedgerDate {
        guard let date = try? LedgerDate(parsing: text) else { preconditionFailure("bad test date \(text)") }
        return date
    }

    static func claim(
        _ sequence: Int, by claimant: String = "P-1", from: String, to: String, perDiemDays: Int64 = 0,
        amounts: [String: Int64] = ["per-diem": 30_000_000]
    ) -> ClaimFacts {
        ClaimFacts(
            number: ClaimNumberText.make(sequence), claimant: claimant, district: "SBT", activity: "Activity \(sequence)",
            activityFrom: day(from), activityTo: day(to), submittedOn: day(to), isLive: true, amountsByCategory: amounts,
            amount: Money(minorUnits: amounts.values.reduce(0, +), currency: .idr), receipts: [], perDiemDays: perDiemDays)
    }

    static func scanner(_ rules: FraudRuleID...) -> FraudScanner {
        FraudScanner(policy: FraudPolicy(rules: rules.map {
            FraudRule(id: $0, nameEn: $0.rawValue, nameId: $0.rawValue, enabled: true, action: $0 == .r08 ? .block : .flag)
        }), approvalLimits: [Money(minorUnits: 500_000_000, currency: .idr)])
    }

    @Test func moreDaysThanTheActivityAndOneTravelDayAreBlocked() {
        let over = Self.claim(1, from: "2024-06-03", to: "2024-06-04", perDiemDays: 4)
        let findings = Self.scanner(.r08).scan(claims: [over], people: [], budget: [])
        #expect(findings.map(\.rule) == [.r08] && findings.first?.action == .block)
        #expect(findings.first?.evidence.contains("4 days of per diem for a 2-day activity") == true)
        let justIn = Self.claim(1, from: "2024-06-03", to: "2024-06-04", perDiemDays: 3)  // 2 days + 1 travel day
        #expect(Self.scanner(.r08).scan(claims: [justIn], people: [], budget: []).isEmpty)
    }

    @Test func perDiemForTheSameDayTwiceIsBlocked() {
        let first = Self.claim(1, from: "2024-06-03", to: "2024-06-05", perDiemDays: 3)
        let overlapping = Self.claim(2, from: "2024-06-05", to: "2024-06-06", perDiemDays: 2)
        let findings = Self.scanner(.r08).scan(claims: [first, overlapping], people: [], budget: [])
        #expect(findings.map(\.subject) == [ClaimNumberText.make(2)] && findings.first?.related == [ClaimNumberText.make(1)])
        let nextDay = Self.claim(2, from: "2024-06-06", to: "2024-06-07", perDiemDays: 2)
        #expect(Self.scanner(.r08).scan(claims: [first, nextDay], people: [], budget: []).isEmpty)
        let otherPerson = Self.claim(2, by: "P-2", from: "2024-06-05", to: "2024-06-06", perDiemDays: 2)
        #expect(Self.scanner(.r08).scan(claims: [first, otherPerson], people: [], budget: []).isEmpty)
    }

    /// Ten actual-cost claims all in round amounts against a population that rarely is: flagged;
    /// with nine, too few to judge.
    @Test func aClaimantWhoseAmountsAreTooOftenRoundIsFlagged() {
        func claims(roundCount: Int) -> [ClaimFacts] {
            let round = (1...roundCount).map {
                Self.claim($0, by: "P-ROUND", from: "2024-03-04", to: "2024-03-04", amounts: ["transport": 60_000_000])
            }
            let others = (1...40).map {
                Self.claim(100 + $0, by: "P-\($0 % 4)", from: "2024-03-04", to: "2024-03-04",
                           amounts: ["transport": 61_234_500 + Int64($0)])
            }
            return round + others
        }
        let findings = Self.scanner(.r12).scan(claims: claims(roundCount: 10), people: [], budget: [])
        #expect(findings.map(\.subject) == ["P-ROUND round amounts"])
        #expect(findings.first?.evidence == "10 of 10 actual-cost claims in round amounts, against 10 of 50 for everyone")
        #expect(Self.scanner(.r12).scan(claims: claims(roundCount: 9), people: [], budget: []).isEmpty)
    }

    @Test func roundMeansAtLeastTheMinimumAndAMultiple() {
        func flagged(_ amount: Int64) -> Bool {
            let mine = (1...10).map { Self.claim($0, by: "P-A", from: "2024-03-04", to: "2024-03-04", amounts: ["lodging": amount]) }
            let others = (1...40).map {
                Self.claim(100 + $0, by: "P-B", from: "2024-03-04", to: "2024-03-04", amounts: ["lodging": 55_555_500])
            }
            return !Self.scanner(.r12).scan(claims: mine + others, people: [], budget: []).isEmpty
        }
        #expect(flagged(50_000_000))  // Rp 500.000 exactly: round
        #expect(!flagged(40_000_000))  // under the minimum
        #expect(!flagged(50_000_100))  // not a multiple of Rp 100.000
    }
}

/// Claim numbers for the tests, as the store writes them.
enum ClaimNumberText {
    static func make(_ sequence: Int) -> String {
        "FC-SBT-2024-" + String(repeating: "0", count: max(0, 4 - String(sequence).count)) + String(sequence)
    }
}
