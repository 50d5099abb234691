import Budgets
import FeeClaims
import Foundation
import LedgerCore
import LedgerStore
import Testing

/// A test ledger ready for fee claims: a budget (SBT/2.1.3 staff-fees 50,000,000.00; SBD/2.1.3
/// 10,000,000.00; both `block`), the standard approval matrix (coordinator ≤ Rp 5.000.000 own
/// district, program manager ≤ Rp 25.000.000, director above), rates, and these people:
///
/// | id | district | roles |
/// |---|---|---|
/// | fac.sbt | SBT | claimant |
/// | fac2.sbt | SBT | claimant |
/// | coord.sbt | SBT | claimant, coordinator |
/// | coord.sbd | SBD | claimant, coordinator |
/// | pm | – | program-manager, claimant |
/// | director | – | director |
/// | fo.1, fo.2 | – | finance-officer |
/// | treasurer.1, treasurer.2 | – | treasurer |
/// | compliance | – | compliance-officer |
/// | auditor | – | auditor |
/// | gone.sbt | SBT | claimant, coordinator; left on 2024-01-31 |
struct ClaimLedger {
    typealias T = TestLedger
    let ledger: TestLedger
    var db: LedgerDatabase { ledger.db }

    static let day = T.date("2024-06-10")
    static let now = T.at("2024-06-10")

    static func person(_ id: String, _ district: String?, _ roles: Set<Role>, activeTo: String? = nil) -> Person {
        Person(id: id, name: "Person \(id)", district: district, roles: roles, activeFrom: T.date("2023-01-01"),
               activeTo: activeTo.map(T.date))
    }

    static let people: [Person] = [
        person("fac.sbt", "SBT", [.claimant]),
        person("fac2.sbt", "SBT", [.claimant]),
        person("coord.sbt", "SBT", [.claimant, .coordinator]),
        person("coord.sbd", "SBD", [.claimant, .coordinator]),
        person("pm", nil, [.programManager, .claimant]),
        person("director", nil, [.director]),
        person("fo.1", nil, [.financeOfficer]),
        person("fo.2", nil, [.financeOfficer]),
        person("treasurer.1", nil, [.treasurer]),
        person("treasurer.2", nil, [.treasurer]),
        person("compliance", nil, [.complianceOfficer]),
        person("auditor", nil, [.auditor]),
        person("gone.sbt", "SBT", [.claimant, .coordinator], activeTo: "2024-01-31"),
    ]

    /// Per diem (ceiling Rp 300.000 a day) and lodging (ceiling Rp 500.000 a night) in SBT
    /// and SBD for 2024; honorarium and transport without a rate. Receipts are required for
    /// transport and lodging. Accounts: the test chart's 5-1100 (honoraria), 5-1200
    /// (transport, per diem, lodging), 2-1000 payable, 1-1100 bank.
    static let rates = RateTable(
        rates: ["SBT", "SBD"].flatMap { district in
            [Rate(category: .perDiem, district: district, year: 2024, unitRate: T.idr(30_000_000), kind: .ceiling),
             Rate(category: .lodging, district: district, year: 2024, unitRate: T.idr(50_000_000), kind: .ceiling),
             Rate(category: .transport, district: district, year: 2024, unitRate: T.idr(20_000_000), kind: .estimate)]
        },
        categories: [
            .honorarium: CategoryAccounting(expenseAccount: "5-1100", receiptRequired: false),
            .perDiem: CategoryAccounting(expenseAccount: "5-1200", receiptRequired: false),
            .transport: CategoryAccounting(expenseAccount: "5-1200", receiptRequired: true),
            .lodging: CategoryAccounting(expenseAccount: "5-1200", receiptRequired: true),
        ],
        payableAccount: "2-1000", paymentAccounts: ["SBT": "1-1100", "SBD": "1-1100"])

    init(budget: Int64 = 5_000_000_000) throws {
        ledger = try TestLedger()
        try db.setBudgetPolicy(
            BudgetPolicy(categories: ["staff-fees": CategoryRule(overBudget: .block, warningPercent: 90)],
                         notBudgetedAccounts: []),
            changedBy: "finance.manager", now: T.now)
        let approval = BudgetApproval(reason: "Budget 2024", approvedBy: "Director", approvedOn: T.date("2024-01-05"))
        try db.loadBudget([
            BudgetLine(key: BudgetLineKey(fiscalYear: 2024, district: "SBT", code: "2.1.3"), nameEn: "Facilitation",
                       nameId: "Fasilitasi", component: "C1", category: "staff-fees", amount: T.idr(budget)),
            BudgetLine(key: BudgetLineKey(fiscalYear: 2024, district: "SBD", code: "2.1.3"), nameEn: "Facilitation",
                       nameId: "Fasilitasi", component: "C1", category: "staff-fees", amount: T.idr(1_000_000_000)),
        ], approval: approval, now: T.now)
        try db.importPeople(Self.people, changedBy: "admin", now: T.now)
        try db.setClaimPolicies(matrix: .standard, rates: Self.rates, setBy: "admin", now: T.now)
    }

    /// A draft by `claimant` with one honorarium line of `sessions` × Rp 250.000 (minor
    /// units: 25,000,000 each).
    func draft(
        by claimant: String = "fac.sbt", district: String = "SBT", sessions: Int64 = 4, rate: Int64 = 25_000_000
    ) throws -> ClaimNumber {
        let number = try db.createClaim(
            ClaimHeader(claimant: claimant, district: district, budgetLine: "2.1.3", activity: "Village facilitation",
                        activityFrom: T.date("2024-06-03"), activityTo: T.date("2024-06-05")),
            by: claimant, date: Self.day, now: Self.now)
        try db.addClaimLine(ClaimLine(category: .honorarium, quantity: sessions, unitRate: T.idr(rate)),
                            to: number, by: claimant, date: Self.day)
        return number
    }

    /// Submitted by its claimant.
    func submitted(by claimant: String = "fac.sbt", district: String = "SBT", sessions: Int64 = 4,
                   rate: Int64 = 25_000_000) throws -> ClaimNumber {
        let number = try draft(by: claimant, district: district, sessions: sessions, rate: rate)
        try act(.submit, number, by: claimant)
        return number
    }

    /// Approved by the SBT coordinator (claims up to Rp 5.000.000).
    func approved(by claimant: String = "fac.sbt", sessions: Int64 = 4) throws -> ClaimNumber {
        let number = try submitted(by: claimant, sessions: sessions)
        try act(.approve, number, by: "coord.sbt")
        return number
    }

    /// Posted by fo.1.
    func posted(by claimant: String = "fac.sbt", sessions: Int64 = 4) throws -> ClaimNumber {
        let number = try approved(by: claimant, sessions: sessions)
        try act(.post, number, by: "fo.1")
        return number
    }

    @discardableResult
    func act(
        _ action: ClaimAction, _ number: ClaimNumber, by actor: String, comment: String? = nil,
        expectedRevision: Int? = nil, second: String? = nil, payment: Money? = nil
    ) throws -> ClaimActionResult {
        try db.act(action, on: number, by: actor, comment: comment, date: Self.day, now: Self.now,
                   expectedRevision: expectedRevision, second: second, payment: payment)
    }

    /// The claims-payable balance of `party` (negative: owed to them).
    func payable(_ party: String) throws -> Int64 {
        try db.register(account: "2-1000").lines.filter { $0.dimensions.party == party }.reduce(0) { $0 + $1.amount.minorUnits }
    }
}
