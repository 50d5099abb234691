import FeeClaims
import FraudRules
import LedgerCore
import Testing

/// R07 rate ceilings in scans: planted cases and near misses.
@Suite("R07 rate ceilings")
struct RateCeilingTests {
    typealias F = FraudFixtures

    /// Per diem: a Rp 300.000 ceiling in SBT 2024; transport: an estimate of Rp 200.000.
    static let rates = RateTable(
        rates: [
            Rate(category: .perDiem, district: "SBT", year: 2024, unitRate: F.idr(F.rp(300_000)), kind: .ceiling),
            Rate(category: .transport, district: "SBT", year: 2024, unitRate: F.idr(F.rp(200_000)), kind: .estimate),
        ],
        categories: [:], payableAccount: "2-1000", paymentAccounts: [:])

    static func claim(_ sequence: Int, district: String = "SBT", year: Int = 2024, highest: [String: Int64]) -> ClaimFacts {
        let base = F.claim(sequence, district: district, year: year, on: "\(year)-03-04", amounts: highest)
        return ClaimFacts(
            number: base.number, claimant: base.claimant, district: district, activity: base.activity,
            activityFrom: base.activityFrom, activityTo: base.activityTo, submittedOn: base.submittedOn, isLive: true,
            amountsByCategory: highest, amount: base.amount, receipts: [], highestUnitRates: highest)
    }

    static func findings(_ claims: [ClaimFacts], rates: RateTable? = RateCeilingTests.rates) -> [Finding] {
        FraudScanner(policy: F.policy(enabling: [.r07]), approvalLimits: F.limits, rates: rates)
            .scan(claims, people: [], budget: [])
    }

    @Test func aUnitRateAboveTheCeilingIsBlocked() throws {
        let finding = try #require(Self.findings([Self.claim(1, highest: ["per-diem": F.rp(300_001)])]).first)
        #expect(finding.rule == .r07 && finding.action == .block && finding.subject == F.number(1))
        #expect(finding.subjectPerson == F.claimant)
        #expect(finding.evidence == "per-diem at IDR 300,001 per day, above the SBT 2024 ceiling of IDR 300,000")
    }

    @Test func theCeilingItselfAnEstimateAndOtherPlacesOrYearsAreNot() {
        #expect(Self.findings([
            Self.claim(1, highest: ["per-diem": F.rp(300_000)]),  // exactly the ceiling
            Self.claim(2, highest: ["transport": F.rp(900_000)]),  // an estimate only guides
            Self.claim(3, district: "SBD", highest: ["per-diem": F.rp(900_000)]),  // no SBD rate
            Self.claim(4, year: 2025, highest: ["per-diem": F.rp(900_000)]),  // no 2025 rate
            Self.claim(5, highest: ["honorarium": F.rp(9_000_000)]),  // no honorarium rate
        ]).isEmpty)
        #expect(Self.findings([Self.claim(6, highest: ["per-diem": F.rp(900_000)])], rates: nil).isEmpty)
    }
}
