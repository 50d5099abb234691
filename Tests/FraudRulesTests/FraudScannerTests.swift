import Budgets
import FeeClaims
import FraudRules
import LedgerCore
import NeracaTestSupport
import Testing

// MARK: - Fixtures

/// Claims, people, budget lines and a policy built directly, for the batch rules.
enum FraudFixtures {
    static let year = 2024
    static let claimant = "P-SBT-001"

    static func idr(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: .idr) }

    /// Whole rupiah in minor units (sen): `rp(5_000_000)` is Rp 5.000.000.
    static func rp(_ rupiah: Int64) -> Int64 { rupiah * 100 }

    static func date(_ text: String) -> LedgerDate {
        guard let date = try? LedgerDate(parsing: text) else { preconditionFailure("bad test date \(text)") }
        return date
    }

    static func day(_ dayNumber: Int) -> LedgerDate {
        guard let date = LedgerDate(dayNumber: dayNumber) else { preconditionFailure("bad test day \(dayNumber)") }
        return date
    }

    /// The approval limits T: Rp 5.000.000 and Rp 25.000.000.
    static let limits = [idr(500_000_000), idr(2_500_000_000)]

    /// The rules this scanner implements.
    static let scanned: [FraudRuleID] = [.r02, .r03, .r04, .r05, .r06, .r09, .r14, .r15, .r16]

    /// The policy's default action per rule (issue 5).
    static let actions: [FraudRuleID: FraudAction] = [
        .r01: .block, .r02: .hold, .r03: .block, .r04: .flag, .r05: .hold, .r06: .flag, .r07: .block, .r08: .block,
        .r09: .flag, .r10: .block, .r11: .flag, .r12: .flag, .r13: .report, .r14: .report, .r15: .hold, .r16: .flag,
    ]

    /// Every rule, enabled only when in `enabled`.
    static func policy(enabling enabled: Set<FraudRuleID>, parameters: [FraudRuleID: [String: Int64]] = [:]) -> FraudPolicy {
        FraudPolicy(rules: FraudRuleID.allCases.map { id in
            FraudRule(id: id, nameEn: "Rule \(id.rawValue)", nameId: "Aturan \(id.rawValue)", enabled: enabled.contains(id),
                      action: actions[id] ?? .flag, parameters: parameters[id] ?? [:])
        })
    }

    /// A scanner with only `rules` enabled.
    static func scanner(_ rules: FraudRuleID..., parameters: [FraudRuleID: [String: Int64]] = [:]) -> FraudScanner {
        FraudScanner(policy: policy(enabling: Set(rules), parameters: parameters), approvalLimits: limits)
    }

    static func number(_ sequence: Int, district: String = "SBT", year: Int = FraudFixtures.year) -> String {
        ClaimNumber(district: district, fiscalYear: year, sequence: sequence).description
    }

    /// Claim `sequence` of SBT 2024, by `claimant`, for its own activity (so that R05's
    /// activity grouping stays quiet), submitted the day the activity ended.
    static func claim(
        _ sequence: Int, by claimant: String = FraudFixtures.claimant, district: String = "SBT",
        year: Int = FraudFixtures.year, activity: String? = nil, on from: String = "2024-03-04", to: String? = nil,
        submitted: String? = "", live: Bool = true, amounts: [String: Int64], receipts: [EntryHash] = []
    ) -> ClaimFacts {
        let activityTo = to.map(date) ?? date(from)
        let submittedOn: LedgerDate? = switch submitted {
        case nil: nil
        case ""?: activityTo
        case let text?: date(text)
        }
        return ClaimFacts(
            number: number(sequence, district: district, year: year), claimant: claimant, district: district,
            activity: activity ?? "Activity of claim \(sequence)", activityFrom: date(from), activityTo: activityTo,
            submittedOn: submittedOn, isLive: live, amountsByCategory: amounts,
            amount: idr(amounts.values.reduce(0, +)), receipts: receipts)
    }

    /// A claim of one honorarium of `minorUnits`.
    static func claim(
        _ sequence: Int, by claimant: String = FraudFixtures.claimant, activity: String? = nil,
        on from: String = "2024-03-04", live: Bool = true, amount minorUnits: Int64
    ) -> ClaimFacts {
        claim(sequence, by: claimant, activity: activity, on: from, live: live, amounts: ["honorarium": minorUnits])
    }

    /// A receipt file's SHA-256.
    static func receipt(_ seed: UInt8) -> EntryHash { EntryHash.sha256(of: [0x52, seed]) }

    static func person(_ id: String, account: String?) -> Person {
        Person(id: id, name: "Person \(id)", district: "SBT", roles: [.claimant], bankAccount: account,
               activeFrom: date("2024-01-01"))
    }

    /// Line `2024 SBT/code` with a revised budget and its actual and committed spending.
    static func line(
        _ code: String = "1.2", district: String = "SBT", revised: Int64, actual: Int64, committed: Int64 = 0
    ) throws -> BudgetLineFigures {
        let key = BudgetLineKey(fiscalYear: year, district: district, code: code)
        let line = BudgetLine(key: key, nameEn: "Village facilitators", nameId: "Fasilitator desa", component: "C1 Training",
                              category: "operations", amount: idr(revised))
        let figures = try BudgetFigures(original: idr(revised), revised: idr(revised), actual: idr(actual),
                                        committed: idr(committed))
        return BudgetLineFigures(line: CurrentBudgetLine(line: line, revised: idr(revised)), figures: figures)
    }

    /// One planted case for each scanned rule, all in one data set.
    struct PlantedSet {
        var claims: [ClaimFacts] = []
        var people: [Person] = []
        var budget: [BudgetLineFigures] = []
    }

    static func plantedSet() throws -> PlantedSet {
        var set = PlantedSet()
        set.claims = [
            // R02: 2 duplicates 1 (transport).
            claim(1, by: "P-A", on: "2024-01-08", amounts: ["transport": rp(150_000)]),
            claim(2, by: "P-A", on: "2024-01-08", amounts: ["transport": rp(150_000)]),
            // R03: 4 carries 3's receipt.
            claim(3, by: "P-B", on: "2024-01-15", amounts: ["honorarium": rp(300_000)], receipts: [receipt(1)]),
            claim(4, by: "P-C", on: "2024-02-20", amounts: ["honorarium": rp(700_000)], receipts: [receipt(1)]),
            // R04: 6 is within Rp 10.000 and 3 days of 5.
            claim(5, by: "P-D", on: "2024-03-04", amounts: ["honorarium": rp(1_000_000)]),
            claim(6, by: "P-D", on: "2024-03-07", amounts: ["honorarium": rp(1_009_000)]),
            // R05: 7 and 8, each under Rp 5.000.000, together over it.
            claim(7, by: "P-E", on: "2024-04-01", amounts: ["honorarium": rp(3_000_000)]),
            claim(8, by: "P-E", on: "2024-04-05", amounts: ["honorarium": rp(3_100_000)]),
            // R06: three just under Rp 25.000.000 in Q3, weeks apart.
            claim(9, by: "P-F", on: "2024-07-01", amounts: ["honorarium": rp(23_000_000)]),
            claim(10, by: "P-F", on: "2024-08-01", amounts: ["honorarium": rp(23_500_000)]),
            claim(11, by: "P-F", on: "2024-09-02", amounts: ["honorarium": rp(24_000_000)]),
            // R09: submitted 45 days after the activity.
            claim(12, by: "P-G", on: "2024-05-01", submitted: "2024-06-15", amounts: ["honorarium": rp(400_000)]),
            // R14: 13 is missing.
            claim(14, by: "P-H", on: "2024-10-01", amounts: ["honorarium": rp(200_000)]),
        ]
        set.people = [person("P-A", account: "BRI 0123-01"), person("P-B", account: "0123 01"),
                      person("P-C", account: "BNI 9999")]
        set.budget = [try line(revised: rp(1_000_000), actual: rp(950_000))]
        return set
    }
}

/// Checks every field of `finding` but the evidence, which must contain each of `figures`.
func expectFinding(
    _ finding: Finding?, rule: FraudRuleID, action: FraudAction, subject: String, subjectPerson: String?,
    related: [String] = [], evidenceContains figures: [String], sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let finding else {
        Issue.record("expected a finding of \(rule.rawValue) on \(subject), found none", sourceLocation: sourceLocation)
        return
    }
    #expect(finding.rule == rule, sourceLocation: sourceLocation)
    #expect(finding.action == action, sourceLocation: sourceLocation)
    #expect(finding.subject == subject, sourceLocation: sourceLocation)
    #expect(finding.subjectPerson == subjectPerson, sourceLocation: sourceLocation)
    #expect(finding.related == related, sourceLocation: sourceLocation)
    for figure in figures {
        #expect(finding.evidence.contains(figure), "evidence: \(finding.evidence)", sourceLocation: sourceLocation)
    }
}

extension FraudScanner {
    func scan(_ claims: [ClaimFacts], people: [Person] = [], budget: [BudgetLineFigures] = []) -> [Finding] {
        scan(claims: claims, people: people, budget: budget)
    }
}

// MARK: - Tests

@Suite("Fraud scanner")
struct FraudScannerTests {
    typealias F = FraudFixtures
}

// MARK: R02 exact duplicates

extension FraudScannerTests {
    @Suite("R02 exact duplicates")
    struct ExactDuplicates {
        @Test func theSameCategoryDayAndAmountIsHeldNamingTheEarlierClaim() {
            let claims = [
                F.claim(1, amounts: ["transport": F.rp(150_000), "honorarium": F.rp(500_000)]),
                F.claim(2, amounts: ["transport": F.rp(150_000), "per-diem": F.rp(250_000)]),
            ]
            let findings = F.scanner(.r02).scan(claims)
            #expect(findings.count == 1)
            expectFinding(findings.first, rule: .r02, action: .hold, subject: F.number(2), subjectPerson: F.claimant,
                          related: [F.number(1)], evidenceContains: ["transport", "IDR 150,000", "2024-03-04", F.number(1)])
        }

        struct NearMiss: Sendable, CustomTestStringConvertible {
            let name: String
            let claimant: String
            let category: String
            let day: String
            let amount: Int64
            var testDescription: String { name }
        }

        @Test(arguments: [
            NearMiss(name: "the next day", claimant: F.claimant, category: "transport", day: "2024-03-05",
                     amount: F.rp(150_000)),
            NearMiss(name: "another claimant", claimant: "P-SBT-002", category: "transport", day: "2024-03-04",
                     amount: F.rp(150_000)),
            NearMiss(name: "another category", claimant: F.claimant, category: "per-diem", day: "2024-03-04",
                     amount: F.rp(150_000)),
            NearMiss(name: "one sen more", claimant: F.claimant, category: "transport", day: "2024-03-04",
                     amount: F.rp(150_000) + 1),
        ])
        func aClaimDifferingInOneFieldIsNoExactDuplicate(_ miss: NearMiss) {
            let claims = [
                F.claim(1, amounts: ["transport": F.rp(150_000)]),
                F.claim(2, by: miss.claimant, on: miss.day, amounts: [miss.category: miss.amount]),
            ]
            #expect(F.scanner(.r02).scan(claims).isEmpty)
        }

        @Test func theLaterOfClaims9999And10000IsTheDuplicate() {
            let claims = [
                F.claim(9_999, amounts: ["transport": F.rp(150_000)]),
                F.claim(10_000, amounts: ["transport": F.rp(150_000)]),
            ]
            let findings = F.scanner(.r02).scan(claims)
            #expect(findings.count == 1)
            #expect(findings.first?.subject == F.number(10_000))
            #expect(findings.first?.related == [F.number(9_999)])
        }

        @Test func rejectedAndWithdrawnClaimsAreNotCompared() {
            // 1 is rejected, 2 withdrawn: neither is live, so 3 duplicates nothing…
            let dead = [
                F.claim(1, live: false, amounts: ["transport": F.rp(150_000)]),
                F.claim(2, live: false, amounts: ["transport": F.rp(150_000)]),
            ]
            #expect(F.scanner(.r02).scan(dead + [F.claim(3, amounts: ["transport": F.rp(150_000)])]).isEmpty)
            // …and 4 duplicates 3, the first live claim, not 1.
            let findings = F.scanner(.r02).scan(dead + [
                F.claim(3, amounts: ["transport": F.rp(150_000)]), F.claim(4, amounts: ["transport": F.rp(150_000)]),
            ])
            #expect(findings.count == 1)
            expectFinding(findings.first, rule: .r02, action: .hold, subject: F.number(4), subjectPerson: F.claimant,
                          related: [F.number(3)], evidenceContains: ["IDR 150,000", F.number(3)])
        }
    }
}

// MARK: R03 same receipt

extension FraudScannerTests {
    @Suite("R03 same receipt")
    struct SameReceipt {
        @Test func aReceiptAlreadyOnAnotherClaimIsBlocked() {
            let shared = F.receipt(1)
            let claims = [
                F.claim(1, amounts: ["honorarium": F.rp(300_000)], receipts: [shared, F.receipt(2)]),
                F.claim(2, by: "P-SBT-002", on: "2024-05-20", amounts: ["transport": F.rp(80_000)],
                        receipts: [F.receipt(3), shared]),
            ]
            let findings = F.scanner(.r03).scan(claims)
            #expect(findings.count == 1)
            expectFinding(findings.first, rule: .r03, action: .block, subject: F.number(2), subjectPerson: "P-SBT-002",
                          related: [F.number(1)], evidenceContains: [String(shared.hex.prefix(16)), F.number(1)])
        }

        @Test func differentReceiptsOrOneAttachedTwiceToTheSameClaimAreFine() {
            let claims = [
                F.claim(1, amounts: ["honorarium": F.rp(300_000)], receipts: [F.receipt(1), F.receipt(1)]),
                F.claim(2, amounts: ["honorarium": F.rp(300_000)], receipts: [F.receipt(2)]),
                F.claim(3, on: "2024-04-01", amounts: ["transport": F.rp(10_000)], receipts: []),
            ]
            #expect(F.scanner(.r03).scan(claims).isEmpty)
        }

        @Test func aReceiptOnARejectedClaimMayBeUsedAgain() {
            let claims = [
                F.claim(1, live: false, amounts: ["honorarium": F.rp(300_000)], receipts: [F.receipt(1)]),
                F.claim(2, amounts: ["honorarium": F.rp(300_000)], receipts: [F.receipt(1)]),
            ]
            #expect(F.scanner(.r03).scan(claims).isEmpty)
        }
    }
}

// MARK: R04 near duplicates

extension FraudScannerTests {
    @Suite("R04 near duplicates")
    struct NearDuplicates {
        @Test func withinTenThousandRupiahAndThreeDaysIsFlagged() {
            let claims = [
                F.claim(1, on: "2024-03-04", amount: F.rp(1_000_000)),
                F.claim(2, on: "2024-03-07", amount: F.rp(1_009_000)),
            ]
            let findings = F.scanner(.r04).scan(claims)
            #expect(findings.count == 1)
            expectFinding(findings.first, rule: .r04, action: .flag, subject: F.number(2), subjectPerson: F.claimant,
                          related: [F.number(1)],
                          evidenceContains: ["IDR 1,009,000", "2024-03-07", "IDR 1,000,000", "2024-03-04", F.number(1)])
        }

        @Test func withinOnePercentOfTheLargerAmountIsFlagged() {
            // Rp 200.000 apart: over the Rp 10.000 tolerance, exactly 1 % of Rp 20.000.000.
            let claims = [
                F.claim(1, on: "2024-03-06", amount: F.rp(20_000_000)),
                F.claim(2, on: "2024-03-04", amount: F.rp(19_800_000)),
            ]
            let findings = F.scanner(.r04).scan(claims)
            #expect(findings.count == 1)
            expectFinding(findings.first, rule: .r04, action: .flag, subject: F.number(2), subjectPerson: F.claimant,
                          related: [F.number(1)], evidenceContains: ["IDR 19,800,000", "IDR 20,000,000"])
        }

        @Test func exactlyTenThousandRupiahApartIsFlagged() {
            let claims = [F.claim(1, amount: F.rp(100_000)), F.claim(2, on: "2024-03-05", amount: F.rp(110_000))]
            #expect(F.scanner(.r04).scan(claims).map(\.key) == ["R04|flag|\(F.number(2))|\(F.number(1))"])
        }

        struct NearMiss: Sendable, CustomTestStringConvertible {
            let name: String
            let first: Int64
            let second: Int64
            let day: String
            var claimant = F.claimant
            var testDescription: String { name }
        }

        @Test(arguments: [
            NearMiss(name: "4 days apart", first: F.rp(1_000_000), second: F.rp(1_000_000), day: "2024-03-08"),
            NearMiss(name: "4 days before", first: F.rp(1_000_000), second: F.rp(1_005_000), day: "2024-02-29"),
            NearMiss(name: "Rp 10.001 and over 1 % apart", first: F.rp(100_000), second: F.rp(110_001), day: "2024-03-05"),
            NearMiss(name: "one sen over 1 % and over Rp 10.000", first: F.rp(20_000_000), second: F.rp(19_800_000) - 1,
                     day: "2024-03-04"),
            NearMiss(name: "another claimant", first: F.rp(1_000_000), second: F.rp(1_000_000), day: "2024-03-05",
                     claimant: "P-SBT-002"),
        ])
        func aClaimOutsideTheWindowOrToleranceIsNotFlagged(_ miss: NearMiss) {
            let claims = [
                F.claim(1, on: "2024-03-04", amount: miss.first),
                F.claim(2, by: miss.claimant, on: miss.day, amount: miss.second),
            ]
            #expect(F.scanner(.r04).scan(claims).isEmpty)
        }

        /// R02 reports exact duplicates; with R02 off, R04 does not let them pass.
        @Test func anExactDuplicateIsLeftToR02WhenR02Runs() {
            let claims = [F.claim(1, amount: F.rp(1_000_000)), F.claim(2, amount: F.rp(1_000_000))]
            #expect(F.scanner(.r02, .r04).scan(claims).map(\.rule) == [.r02])
            #expect(F.scanner(.r04).scan(claims).map(\.rule) == [.r04])
        }

        @Test func theSameTotalOnTheSameDayInOtherCategoriesIsANearDuplicate() {
            // Not an exact duplicate for R02 (the categories differ), so R04 must flag it.
            let claims = [
                F.claim(1, amounts: ["transport": F.rp(300_000)]),
                F.claim(2, amounts: ["per-diem": F.rp(300_000)]),
            ]
            #expect(F.scanner(.r02).scan(claims).isEmpty)
            let findings = F.scanner(.r02, .r04).scan(claims)
            #expect(findings.map(\.rule) == [.r04])
            #expect(findings.first?.related == [F.number(1)])
        }
    }
}

// MARK: R05 split claims

extension FraudScannerTests {
    @Suite("R05 split claims")
    struct SplitClaims {
        @Test func twoClaimsEachUnderTTogetherOverTAreHeld() {
            let claims = [
                F.claim(1, on: "2024-03-04", amount: F.rp(3_000_000)),
                F.claim(2, on: "2024-03-10", amount: F.rp(3_000_000)),
            ]
            let findings = F.scanner(.r05).scan(claims)
            #expect(findings.count == 1)
            expectFinding(findings.first, rule: .r05, action: .hold, subject: F.number(2), subjectPerson: F.claimant,
                          related: [F.number(1)],
                          evidenceContains: ["2 claims", "same claimant", "7 days", "IDR 5,000,000", "IDR 6,000,000"])
        }

        @Test func claimsByOthersForTheSameActivityAreHeld() {
            let claims = [
                F.claim(1, by: "P-SBT-001", activity: "Posyandu training", on: "2024-03-04", amount: F.rp(4_000_000)),
                F.claim(2, by: "P-SBT-002", activity: "posyandu Training", on: "2024-03-05", amount: F.rp(4_000_000)),
            ]
            let findings = F.scanner(.r05).scan(claims)
            #expect(findings.count == 1)
            expectFinding(findings.first, rule: .r05, action: .hold, subject: F.number(2), subjectPerson: "P-SBT-002",
                          related: [F.number(1)], evidenceContains: ["same activity", "IDR 5,000,000", "IDR 8,000,000"])
        }

        @Test func threeClaimsOnlyTogetherOverTNameTheOtherTwo() {
            let claims = [
                F.claim(1, on: "2024-03-04", amount: F.rp(2_000_000)),
                F.claim(2, on: "2024-03-06", amount: F.rp(2_000_000)),
                F.claim(3, on: "2024-03-08", amount: F.rp(2_000_000)),
            ]
            let findings = F.scanner(.r05).scan(claims)
            #expect(findings.count == 1)
            expectFinding(findings.first, rule: .r05, action: .hold, subject: F.number(3), subjectPerson: F.claimant,
                          related: [F.number(1), F.number(2)], evidenceContains: ["3 claims", "IDR 6,000,000"])
        }

        @Test func overTheHigherLimitEachUnderIt() {
            let claims = [
                F.claim(1, on: "2024-03-04", amount: F.rp(15_000_000)),
                F.claim(2, on: "2024-03-05", amount: F.rp(12_000_000)),
            ]
            let findings = F.scanner(.r05).scan(claims)
            #expect(findings.count == 1)
            expectFinding(findings.first, rule: .r05, action: .hold, subject: F.number(2), subjectPerson: F.claimant,
                          related: [F.number(1)], evidenceContains: ["IDR 25,000,000", "IDR 27,000,000"])
        }

        struct NearMiss: Sendable, CustomTestStringConvertible {
            let name: String
            let first: Int64
            let second: Int64
            let day: String
            var testDescription: String { name }
        }

        @Test(arguments: [
            NearMiss(name: "together exactly T", first: F.rp(2_500_000), second: F.rp(2_500_000), day: "2024-03-05"),
            NearMiss(name: "each exactly T", first: F.rp(5_000_000), second: F.rp(5_000_000), day: "2024-03-05"),
            NearMiss(name: "one exactly T", first: F.rp(5_000_000), second: F.rp(1_000_000), day: "2024-03-05"),
            NearMiss(name: "together exactly the higher T", first: F.rp(12_500_000), second: F.rp(12_500_000),
                     day: "2024-03-05"),
            NearMiss(name: "8 days apart", first: F.rp(3_000_000), second: F.rp(3_000_000), day: "2024-03-12"),
        ])
        func claimsNotSplitAcrossALimitAreFine(_ miss: NearMiss) {
            let claims = [F.claim(1, on: "2024-03-04", amount: miss.first), F.claim(2, on: miss.day, amount: miss.second)]
            #expect(F.scanner(.r05).scan(claims).isEmpty)
        }

        @Test func aRejectedClaimDoesNotCount() {
            let claims = [
                F.claim(1, on: "2024-03-04", live: false, amount: F.rp(3_000_000)),
                F.claim(2, on: "2024-03-05", amount: F.rp(3_000_000)),
            ]
            #expect(F.scanner(.r05).scan(claims).isEmpty)
        }
    }
}

// MARK: R06 just under a limit

extension FraudScannerTests {
    @Suite("R06 just under a limit")
    struct JustUnderLimit {
        @Test func threeClaimsInAQuarterFromNinetyPercentToJustUnderTAreFlagged() {
            let claims = [
                F.claim(1, on: "2024-01-10", amount: F.rp(4_500_000)),  // exactly 0.9 T
                F.claim(2, on: "2024-02-10", amount: F.rp(4_750_000)),
                F.claim(3, on: "2024-03-31", amount: F.rp(5_000_000) - 1),  // one sen under T
                F.claim(4, on: "2024-03-15", amount: F.rp(1_000_000)),
            ]
            let findings = F.scanner(.r06).scan(claims)
            #expect(findings.count == 1)
            expectFinding(findings.first, rule: .r06, action: .flag, subject: "\(F.claimant) 2024 Q1 under IDR 5,000,000",
                          subjectPerson: F.claimant, related: [F.number(1), F.number(2), F.number(3)],
                          evidenceContains: ["3 claims", "2024 Q1", "90 %", "IDR 5,000,000"])
        }

        @Test func justUnderTheHigherLimit() {
            let claims = [
                F.claim(1, on: "2024-10-01", amount: F.rp(22_500_000)),
                F.claim(2, on: "2024-11-01", amount: F.rp(23_000_000)),
                F.claim(3, on: "2024-12-31", amount: F.rp(24_999_999)),
            ]
            let findings = F.scanner(.r06).scan(claims)
            #expect(findings.count == 1)
            expectFinding(findings.first, rule: .r06, action: .flag, subject: "\(F.claimant) 2024 Q4 under IDR 25,000,000",
                          subjectPerson: F.claimant, related: [F.number(1), F.number(2), F.number(3)],
                          evidenceContains: ["3 claims", "2024 Q4", "IDR 25,000,000"])
        }

        struct NearMiss: Sendable, CustomTestStringConvertible {
            let name: String
            let amount: Int64
            var day = "2024-03-20"
            var claimant = F.claimant
            var testDescription: String { name }
        }

        @Test(arguments: [
            NearMiss(name: "one sen under 0.9 T", amount: F.rp(4_500_000) - 1),
            NearMiss(name: "exactly T", amount: F.rp(5_000_000)),
            NearMiss(name: "in the next quarter", amount: F.rp(4_800_000), day: "2024-04-01"),
            NearMiss(name: "by another claimant", amount: F.rp(4_800_000), claimant: "P-SBT-002"),
            NearMiss(name: "under the other limit", amount: F.rp(22_600_000)),
        ])
        func theThirdClaimOutsideTheBandQuarterOrClaimantIsNotFlagged(_ miss: NearMiss) {
            let claims = [
                F.claim(1, on: "2024-01-10", amount: F.rp(4_600_000)),
                F.claim(2, on: "2024-02-10", amount: F.rp(4_900_000)),
                F.claim(3, by: miss.claimant, on: miss.day, amount: miss.amount),
            ]
            #expect(F.scanner(.r06).scan(claims).isEmpty)
        }
    }
}

// MARK: R09 late filing

extension FraudScannerTests {
    @Suite("R09 late filing")
    struct LateFiling {
        struct Lateness: Sendable, CustomTestStringConvertible {
            let days: Int
            let action: FraudAction?
            var testDescription: String { "\(days) days: \(action?.rawValue ?? "nothing")" }
        }

        @Test(arguments: [
            Lateness(days: 0, action: nil), Lateness(days: 30, action: nil), Lateness(days: 31, action: .flag),
            Lateness(days: 90, action: .flag), Lateness(days: 91, action: .block), Lateness(days: 400, action: .block),
        ])
        func countsTheDaysFromTheEndOfTheActivity(_ lateness: Lateness) {
            // The activity ran 2024-02-01…2024-03-04: lateness counts from its last day.
            let end = F.date("2024-03-04")
            let submitted = F.day(end.dayNumber + lateness.days)
            let claims = [
                F.claim(1, on: "2024-02-01", to: "2024-03-04", submitted: submitted.description,
                        amounts: ["honorarium": F.rp(400_000)]),
            ]
            let findings = F.scanner(.r09).scan(claims)
            guard let action = lateness.action else {
                #expect(findings.isEmpty)
                return
            }
            #expect(findings.count == 1)
            expectFinding(findings.first, rule: .r09, action: action, subject: F.number(1), subjectPerson: F.claimant,
                          evidenceContains: ["\(lateness.days) days", "\(submitted)", "2024-03-04"])
        }

        @Test func draftsAndRejectedClaimsAreNotLate() {
            let claims = [
                F.claim(1, on: "2024-01-02", submitted: nil, amounts: ["honorarium": F.rp(400_000)]),
                F.claim(2, on: "2024-01-02", submitted: "2024-06-01", live: false, amounts: ["honorarium": F.rp(400_000)]),
            ]
            #expect(F.scanner(.r09).scan(claims).isEmpty)
        }

        @Test func thePolicySetsTheDays() {
            let claims = [F.claim(1, on: "2024-03-01", submitted: "2024-03-12", amounts: ["honorarium": F.rp(400_000)])]
            let scanner = F.scanner(.r09, parameters: [.r09: ["flagDays": 5, "blockDays": 10]])
            #expect(scanner.scan(claims).map(\.action) == [.block])
        }
    }
}

// MARK: R14 numbering

extension FraudScannerTests {
    @Suite("R14 claim numbering")
    struct Numbering {
        @Test func aMissingNumberIsReportedOnItsSeries() {
            let claims = [1, 2, 4, 6].map { F.claim($0, amount: F.rp(100_000) * Int64($0)) }
            let findings = F.scanner(.r14).scan(claims)
            #expect(findings.count == 1)
            expectFinding(findings.first, rule: .r14, action: .report, subject: "FC-SBT-2024", subjectPerson: nil,
                          evidenceContains: ["missing 3, 5"])
            #expect(findings.first?.evidence.contains("repeated") == false)
        }

        @Test func aRepeatedNumberIsReported() {
            let claims = [1, 2, 2, 3].map { F.claim($0, amount: F.rp(100_000)) }
            let findings = F.scanner(.r14).scan(claims)
            #expect(findings.count == 1)
            expectFinding(findings.first, rule: .r14, action: .report, subject: "FC-SBT-2024", subjectPerson: nil,
                          evidenceContains: ["repeated 2"])
            #expect(findings.first?.evidence.contains("missing") == false)
        }

        @Test func aGapAndARepeatTogether() {
            let claims = [1, 3, 3].map { F.claim($0, amount: F.rp(100_000)) }
            let findings = F.scanner(.r14).scan(claims)
            #expect(findings.count == 1)
            expectFinding(findings.first, rule: .r14, action: .report, subject: "FC-SBT-2024", subjectPerson: nil,
                          evidenceContains: ["missing 2", "repeated 3"])
        }

        @Test func theEvidenceNamesTheRepeatedNumbers() {
            let claims = [1, 2, 2, 4, 4, 5].map { F.claim($0, amount: F.rp(100_000)) }
            let findings = F.scanner(.r14).scan(claims)
            #expect(findings.count == 1)
            #expect(findings.first?.evidence == "missing 3; repeated 2, 4")
        }

        @Test func completeSeriesPerDistrictAndYearIncludingRejectedClaimsAreFine() {
            let claims = [
                F.claim(1, amount: F.rp(100_000)),
                F.claim(2, live: false, amount: F.rp(100_000)),  // rejected, but its number was given
                F.claim(3, amount: F.rp(100_000)),
                F.claim(1, district: "MKS", amounts: ["honorarium": F.rp(100_000)]),
                F.claim(1, year: 2025, on: "2025-01-06", amounts: ["honorarium": F.rp(100_000)]),
                F.claim(2, year: 2025, on: "2025-01-07", amounts: ["honorarium": F.rp(100_000)]),
            ]
            #expect(F.scanner(.r14).scan(claims).isEmpty)
        }

        @Test func eachSeriesIsReportedApart() {
            let claims = [
                F.claim(2, amount: F.rp(100_000)),
                F.claim(1, district: "MKS", amounts: ["honorarium": F.rp(100_000)]),
                F.claim(3, district: "MKS", amounts: ["honorarium": F.rp(100_000)]),
            ]
            let findings = F.scanner(.r14).scan(claims)
            #expect(findings.map(\.subject) == ["FC-MKS-2024", "FC-SBT-2024"])
            #expect(findings.map(\.evidence) == ["missing 2", "missing 1"])
        }
    }
}

// MARK: R15 shared bank accounts

extension FraudScannerTests {
    @Suite("R15 shared bank accounts")
    struct SharedBankAccounts {
        @Test func theSameDigitsWrittenDifferentlyAreOneAccount() {
            let people = [
                F.person("P-1", account: "BRI 0123-01"),
                F.person("P-2", account: "0123 01"),
                F.person("P-3", account: "BRI 0123-02"),
                F.person("P-4", account: nil),
            ]
            let findings = F.scanner(.r15).scan([], people: people)
            #expect(findings.count == 2)
            expectFinding(findings.first, rule: .r15, action: .hold, subject: "P-1", subjectPerson: "P-1",
                          related: ["P-2"], evidenceContains: ["BRI 0123-01", "P-2"])
            expectFinding(findings.last, rule: .r15, action: .hold, subject: "P-2", subjectPerson: "P-2",
                          related: ["P-1"], evidenceContains: ["0123 01", "P-1"])
        }

        @Test func threeHoldersEachNameTheOtherTwo() {
            let people = [
                F.person("P-3", account: "777"), F.person("P-1", account: "7-7-7"), F.person("P-2", account: "BCA 777"),
            ]
            let findings = F.scanner(.r15).scan([], people: people)
            #expect(findings.map(\.subject) == ["P-1", "P-2", "P-3"])
            #expect(findings.map(\.related) == [["P-2", "P-3"], ["P-1", "P-3"], ["P-1", "P-2"]])
        }

        @Test func differentDigitsMissingOrDigitlessAccountsAreFine() {
            let people = [
                F.person("P-1", account: "BRI 0123-01"), F.person("P-2", account: "BRI 123-01"),
                F.person("P-3", account: "0123-010"), F.person("P-4", account: nil), F.person("P-5", account: nil),
                F.person("P-6", account: "n/a"), F.person("P-7", account: "none"), F.person("P-8", account: ""),
            ]
            #expect(F.scanner(.r15).scan([], people: people).isEmpty)
        }
    }
}

// MARK: R16 budget use

extension FraudScannerTests {
    @Suite("R16 budget use")
    struct BudgetUse {
        struct Use: Sendable, CustomTestStringConvertible {
            let actual: Int64
            let committed: Int64
            let action: FraudAction?
            let shown: String
            var testDescription: String { "\(shown): \(action?.rawValue ?? "nothing")" }
        }

        /// Against a revised budget of Rp 1.000.000.
        @Test(arguments: [
            Use(actual: F.rp(900_000), committed: 0, action: nil, shown: "90.0 %"),
            Use(actual: F.rp(901_000), committed: 0, action: .flag, shown: "90.1 %"),
            Use(actual: F.rp(500_000), committed: F.rp(410_000), action: .flag, shown: "91.0 %"),
            Use(actual: F.rp(1_000_000), committed: 0, action: .flag, shown: "100.0 %"),
            Use(actual: F.rp(1_001_000), committed: 0, action: .block, shown: "100.1 %"),
            Use(actual: F.rp(700_000), committed: F.rp(600_000), action: .block, shown: "130.0 %"),
        ])
        func aLineOverNinetyPercentIsFlaggedOverAHundredBlocked(_ use: Use) throws {
            let budget = [try F.line(revised: F.rp(1_000_000), actual: use.actual, committed: use.committed)]
            let findings = F.scanner(.r16).scan([], budget: budget)
            guard let action = use.action else {
                #expect(findings.isEmpty)
                return
            }
            #expect(findings.count == 1)
            expectFinding(findings.first, rule: .r16, action: action, subject: "2024 SBT/1.2", subjectPerson: nil,
                          evidenceContains: [use.shown, "IDR 1,000,000", F.idr(use.actual).formatted(.en),
                                             F.idr(use.committed).formatted(.en)])
        }

        @Test func oneSenOverTheBudgetIsBlocked() throws {
            let budget = [try F.line(revised: F.rp(1_000_000), actual: F.rp(1_000_000) + 1)]
            #expect(F.scanner(.r16).scan([], budget: budget).map(\.action) == [.block])
        }

        @Test func justOverNinetyPercentIsFlagged() throws {
            let budget = [try F.line(revised: F.rp(1_000_000), actual: F.rp(900_400))]
            #expect(F.scanner(.r16).scan([], budget: budget).map(\.action) == [.flag])
        }

        @Test func spendingOnAZeroBudgetIsBlocked() throws {
            let budget = [try F.line("0.1", revised: 0, actual: F.rp(250_000))]
            #expect(F.scanner(.r16).scan([], budget: budget).map(\.action) == [.block])
            // A zero budget with nothing spent is fine.
            #expect(F.scanner(.r16).scan([], budget: [try F.line("0.1", revised: 0, actual: 0)]).isEmpty)
        }
    }
}

// MARK: Policy, order and keys

extension FraudScannerTests {
    @Suite("Policy, order and keys")
    struct PolicyOrderAndKeys {
        @Test func everyScannedRuleFindsItsPlantedCase() throws {
            let set = try F.plantedSet()
            let findings = F.scanner(.r02, .r03, .r04, .r05, .r06, .r09, .r14, .r15, .r16)
                .scan(set.claims, people: set.people, budget: set.budget)
            #expect(findings.map(\.key) == [
                "R02|hold|\(F.number(2))|\(F.number(1))",
                "R03|block|\(F.number(4))|\(F.number(3))",
                "R04|flag|\(F.number(6))|\(F.number(5))",
                "R05|hold|\(F.number(8))",  // a split grows: one finding whatever joins it
                "R06|flag|P-F 2024 Q3 under IDR 25,000,000",
                "R09|flag|\(F.number(12))",
                "R14|report|FC-SBT-2024",
                "R15|hold|P-A",
                "R15|hold|P-B",
                "R16|flag|2024 SBT/1.2",
            ])
        }

        @Test(arguments: F.scanned)
        func aDisabledRuleFindsNothing(_ rule: FraudRuleID) throws {
            let set = try F.plantedSet()
            let all = F.policy(enabling: Set(F.scanned))
            let everything = FraudScanner(policy: all, approvalLimits: F.limits)
                .scan(set.claims, people: set.people, budget: set.budget)
            #expect(everything.contains { $0.rule == rule })

            var disabled = all
            disabled.rules[rule]?.enabled = false
            var absent = all
            absent.rules[rule] = nil
            for policy in [disabled, absent] {
                let findings = FraudScanner(policy: policy, approvalLimits: F.limits)
                    .scan(set.claims, people: set.people, budget: set.budget)
                #expect(!findings.contains { $0.rule == rule })
                // Without R02, R04 reports the exact duplicates R02 would have: nothing slips through.
                let others = rule == .r02 ? findings.filter { $0.rule != .r04 } : findings
                let expected = everything.filter { $0.rule != rule && (rule != .r02 || $0.rule != .r04) }
                #expect(others == expected)
            }
        }

        @Test func aCleanSetFindsNothing() throws {
            let claims = [
                F.claim(1, by: "P-A", on: "2024-01-08", amounts: ["transport": F.rp(150_000)], receipts: [F.receipt(1)]),
                F.claim(2, by: "P-A", on: "2024-02-08", amounts: ["transport": F.rp(150_000)], receipts: [F.receipt(2)]),
                F.claim(3, by: "P-B", on: "2024-02-08", amounts: ["honorarium": F.rp(4_400_000)]),
                F.claim(4, by: "P-B", on: "2024-02-20", submitted: "2024-03-21", amounts: ["honorarium": F.rp(600_000)]),
            ]
            let people = [F.person("P-A", account: "BRI 1"), F.person("P-B", account: "BRI 2")]
            let budget = [try F.line(revised: F.rp(1_000_000), actual: F.rp(900_000))]
            let all = FraudScanner(policy: F.policy(enabling: Set(FraudRuleID.allCases)), approvalLimits: F.limits)
            #expect(all.scan(claims, people: people, budget: budget).isEmpty)
        }

        @Test func findingsComeInRuleThenSubjectOrderAndAgainTheSame() throws {
            let set = try F.plantedSet()
            let scanner = F.scanner(.r02, .r03, .r04, .r05, .r06, .r09, .r14, .r15, .r16)
            let first = scanner.scan(set.claims.reversed(), people: set.people.reversed(), budget: set.budget)
            let second = scanner.scan(set.claims, people: set.people, budget: set.budget)
            #expect(first.map(\.key) == second.map(\.key))
            let order = first.map { "\($0.rule.rawValue) \($0.subject)" }
            #expect(order == order.sorted())
        }

        @Test func theSameFindingHasTheSameKeyWithRelatedSorted() {
            let one = Finding(rule: .r05, action: .hold, subject: "FC-SBT-2024-0009", subjectPerson: "P-1",
                              related: ["FC-SBT-2024-0007", "FC-SBT-2024-0003"], evidence: "first scan")
            let again = Finding(rule: .r05, action: .hold, subject: "FC-SBT-2024-0009", subjectPerson: "P-1",
                                related: ["FC-SBT-2024-0003", "FC-SBT-2024-0007"], evidence: "second scan")
            #expect(one.related == ["FC-SBT-2024-0003", "FC-SBT-2024-0007"])
            #expect(one.key == "R05|hold|FC-SBT-2024-0009|FC-SBT-2024-0003|FC-SBT-2024-0007")
            #expect(one.key == again.key)
            let other = Finding(rule: .r04, action: .flag, subject: "FC-SBT-2024-0009", subjectPerson: "P-1",
                                related: ["FC-SBT-2024-0003", "FC-SBT-2024-0007"], evidence: "first scan")
            #expect(other.key != one.key)
        }

        @Test func aSecondScanGivesTheSameKeys() throws {
            let set = try F.plantedSet()
            let scanner = F.scanner(.r02, .r03, .r04, .r05, .r06, .r09, .r14, .r15, .r16)
            let first = Set(scanner.scan(set.claims, people: set.people, budget: set.budget).map(\.key))
            let second = Set(scanner.scan(set.claims, people: set.people, budget: set.budget).map(\.key))
            #expect(first == second)
        }

        /// The keys of one scan, each with how many findings share it, when more than one does.
        static func repeatedKeys(_ findings: [Finding]) -> [String: Int] {
            Dictionary(findings.map { ($0.key, 1) }, uniquingKeysWith: +).filter { $0.value > 1 }
        }

        @Test func aClaimDuplicatingTwoCategoriesGivesFindingsWithDistinctKeys() {
            let amounts = ["transport": F.rp(150_000), "per-diem": F.rp(300_000)]
            let claims = [F.claim(1, amounts: amounts), F.claim(2, amounts: amounts)]
            let findings = F.scanner(.r02).scan(claims)
            #expect(!findings.isEmpty)
            #expect(Self.repeatedKeys(findings) == [:])
        }

        @Test func aClaimSharingTwoReceiptsGivesFindingsWithDistinctKeys() {
            let receipts = [F.receipt(1), F.receipt(2)]
            let claims = [
                F.claim(1, amounts: ["honorarium": F.rp(300_000)], receipts: receipts),
                F.claim(2, amounts: ["transport": F.rp(50_000)], receipts: receipts),
            ]
            let findings = F.scanner(.r03).scan(claims)
            #expect(!findings.isEmpty)
            #expect(Self.repeatedKeys(findings) == [:])
        }

        @Test func aSplitBySameClaimantForTheSameActivityIsFoundOnce() {
            let claims = [
                F.claim(1, activity: "Posyandu training", on: "2024-03-04", amount: F.rp(3_000_000)),
                F.claim(2, activity: "Posyandu training", on: "2024-03-05", amount: F.rp(3_000_000)),
            ]
            let findings = F.scanner(.r05).scan(claims)
            #expect(!findings.isEmpty)
            #expect(findings.count == 1)
            #expect(Self.repeatedKeys(findings) == [:])
        }

        @Test func aSplitOverBothLimitsGivesFindingsWithDistinctKeys() {
            // Six claims under Rp 5.000.000 in a week: together over Rp 5.000.000 and over Rp 25.000.000.
            let claims = (1...6).map { F.claim($0, on: "2024-03-0\($0)", amount: F.rp(4_900_000)) }
            let findings = F.scanner(.r05).scan(claims)
            #expect(!findings.isEmpty)
            #expect(Self.repeatedKeys(findings) == [:])
        }
    }
}

// MARK: Scaling

extension FraudScannerTests {
    @Suite("Scaling")
    struct Scaling {
        /// 100,000 claims of 2,000 claimants (one of them filing 5,000 claims) over 2024, in
        /// five districts, 400 activities, a few shared receipts and late filings; 2,000
        /// people and 500 budget lines.
        static func generated(seed: UInt64) throws -> FraudFixtures.PlantedSet {
            var random = SplitMix64(seed: seed)
            let districts = ["SBT", "MKS", "KPG", "MTR", "PLU"]
            var sequences = [String: Int]()
            let start = F.date("2024-01-01").dayNumber
            var set = FraudFixtures.PlantedSet()
            var receipts: [EntryHash] = []
            set.claims.reserveCapacity(100_000)
            for index in 0..<100_000 {
                let district = districts[Int.random(in: 0..<districts.count, using: &random)]
                let sequence = (sequences[district] ?? 0) + 1
                sequences[district] = sequence
                let claimant = index % 20 == 0 ? "P-HEAVY" : "P-\(Int.random(in: 0..<2_000, using: &random))"
                let from = start + Int.random(in: 0..<366, using: &random)
                let to = from + Int.random(in: 0...2, using: &random)
                let submitted = to + Int.random(in: 0...45, using: &random)
                var amounts: [String: Int64] = [:]
                for category in ["honorarium", "transport", "per-diem"].prefix(Int.random(in: 1...3, using: &random)) {
                    // Log-uniform from Rp 10.000 to about Rp 30.000.000, in whole thousands.
                    let rupiah = Int64(10_000 * pow1000(Double.random(in: 0..<1, using: &random)))
                    amounts[category] = F.rp(rupiah / 1_000 * 1_000)
                }
                var own: [EntryHash] = []
                if Int.random(in: 0..<1_000, using: &random) == 0, let reused = receipts.randomElement(using: &random) {
                    own.append(reused)
                } else {
                    let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }
                    own.append(EntryHash(bytes: bytes))
                    if receipts.count < 1_000 { receipts.append(own[0]) }
                }
                set.claims.append(ClaimFacts(
                    number: F.number(sequence, district: district), claimant: claimant, district: district,
                    activity: "Activity \(Int.random(in: 0..<400, using: &random))", activityFrom: F.day(from),
                    activityTo: F.day(to), submittedOn: F.day(submitted),
                    isLive: Int.random(in: 0..<20, using: &random) != 0, amountsByCategory: amounts,
                    amount: F.idr(amounts.values.reduce(0, +)), receipts: own))
            }
            set.people = (0..<2_000).map { index in
                F.person("P-\(index)", account: "BRI \(Int.random(in: 0..<1_000_000, using: &random))-01")
            }
            set.budget = try (0..<500).map { index in
                let revised = F.rp(Int64.random(in: 1_000_000...100_000_000, using: &random))
                return try F.line("L\(index)", district: districts[index % districts.count], revised: revised,
                                  actual: Int64.random(in: 0...(revised + revised / 5), using: &random))
            }
            return set
        }

        /// `1000^x × 30`: from 30 to 30,000 (thousands of rupiah), log-uniformly for x in [0, 1).
        static func pow1000(_ x: Double) -> Double {
            var result = 30.0
            var factor = 1000.0
            var exponent = x
            // Square-and-multiply on the binary digits of x: 1000^x without Foundation.
            for _ in 0..<30 {
                factor = factor.squareRoot()
                exponent *= 2
                if exponent >= 1 {
                    result *= factor
                    exponent -= 1
                }
            }
            return result
        }

        @Test func aHundredThousandClaimsScanInWellUnderTenSeconds() throws {
            let set = try Self.generated(seed: 0x5EED_F4A0D)
            let scanner = FraudScanner(policy: F.policy(enabling: Set(F.scanned)), approvalLimits: F.limits)
            let clock = ContinuousClock()
            var findings: [Finding] = []
            let elapsed = clock.measure {
                findings = scanner.scan(set.claims, people: set.people, budget: set.budget)
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let byRule = Dictionary(findings.map { ($0.rule.rawValue, 1) }, uniquingKeysWith: +)
                .sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            print("FraudScanner: \(set.claims.count) claims, \(set.people.count) people, \(set.budget.count) lines"
                + " scanned in \(seconds) s: \(findings.count) findings (\(byRule))")
            #expect(seconds < 20)
            // The generated set exercises the rules that compare claims.
            for rule in [FraudRuleID.r03, .r04, .r05, .r06, .r09, .r16] {
                #expect(findings.contains { $0.rule == rule }, "no \(rule.rawValue) finding")
            }
            #expect(!findings.contains { $0.rule == .r14 })
        }
    }
}

@Suite("R05 window edges")
struct SplitWindowEdgeTests {
    /// "Within 7 days" counts both ends, as R04's ±3 days does.
    @Test func sevenDaysApartIsWithinTheWindow() {
        let limit = Money(minorUnits: 500_000_000, currency: .idr)
        let policy = FraudPolicy(rules: [FraudRule(id: .r05, nameEn: "Split", nameId: "Pecah", enabled: true, action: .hold)])
        func claim(_ sequence: Int, _ day: String) -> ClaimFacts {
            ClaimFacts(number: "FC-SBT-2024-000\(sequence)", claimant: "P-1", district: "SBT", activity: "A\(sequence)",
                       activityFrom: try! LedgerDate(parsing: day), activityTo: try! LedgerDate(parsing: day),  // allowed: test data
                       submittedOn: nil, isLive: true, amountsByCategory: ["honorarium": 300_000_000],
                       amount: Money(minorUnits: 300_000_000, currency: .idr), receipts: [])
        }
        let scanner = FraudScanner(policy: policy, approvalLimits: [limit])
        #expect(scanner.scan(claims: [claim(1, "2024-03-01"), claim(2, "2024-03-08")], people: [], budget: []).count == 1)
        #expect(scanner.scan(claims: [claim(1, "2024-03-01"), claim(2, "2024-03-09")], people: [], budget: []).isEmpty)
    }
}

