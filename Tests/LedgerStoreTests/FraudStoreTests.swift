import FeeClaims
import FraudRules
import LedgerCore
import LedgerStore
import NeracaTestSupport
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

    func setPolicy(_ claims: ClaimLedger) throws {
        try claims.db.setFraudPolicy(Self.policy, setBy: "compliance", now: L.now)
    }

    /// Claims submitted before the policy was set: the scan finds what submission did not check.
    @Test func aScanRecordsEachFindingOnceAndTriageIsOnTheRecord() throws {
        let claims = try ClaimLedger()
        let first = try claims.submitted()
        let second = try claims.submitted()  // same claimant, category, day and amount: R02
        try setPolicy(claims)
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
        let claims = try ClaimLedger()
        try claims.db.importPeople([L.person("compliance.sbt", "SBT", [.claimant, .complianceOfficer])],
                                   changedBy: "admin", now: L.now)
        _ = try claims.submitted(by: "compliance.sbt")
        _ = try claims.submitted(by: "compliance.sbt")
        try setPolicy(claims)
        let finding = try #require(try claims.db.scanFraud(fiscalYear: 2024, now: L.now).new.first { $0.finding.rule == .r02 })
        #expect(throws: FraudError.ownFinding(finding: finding.id, person: "compliance.sbt")) {
            try claims.db.decide(.dismiss, finding: finding.id, reason: "mine, but fine", by: "compliance.sbt", now: L.now)
        }
        try claims.db.decide(.escalate, finding: finding.id, reason: "Same day twice", by: "compliance", now: L.now)
        #expect(try claims.db.findings(status: "escalated").count == 1)
    }

    @Test func aSharedBankAccountIsHeldOnBothPeople() throws {
        let claims = try ClaimLedger()
        try setPolicy(claims)
        var first = L.person("fac3.sbt", "SBT", [.claimant])
        first.bankAccount = "BRI 0123-01-000123-50-1"
        var second = L.person("treasurer.3", nil, [.treasurer])
        second.bankAccount = "0123 01 000123 50 1"
        try claims.db.importPeople([first, second], changedBy: "admin", now: L.now)
        let findings = try claims.db.scanFraud(fiscalYear: 2024, now: L.now).new.filter { $0.finding.rule == .r15 }
        #expect(findings.map(\.finding.subject).sorted() == ["fac3.sbt", "treasurer.3"])
        #expect(findings.allSatisfy { $0.finding.action == .hold })
    }

    /// A ceiling lowered after a claim was approved: the scan reports the claim (R07).
    @Test func aScanReportsLinesAboveALoweredCeiling() throws {
        let claims = try ClaimLedger()
        let number = try claims.draft(sessions: 1)
        try claims.db.addClaimLine(ClaimLine(category: .perDiem, quantity: 2, unitRate: T.idr(30_000_000)), to: number,
                                   by: "fac.sbt", date: L.day)
        try claims.act(.submit, number, by: "fac.sbt")
        try setPolicy(claims)
        #expect(try claims.db.scanFraud(fiscalYear: 2024, now: L.now).new.filter { $0.finding.rule == .r07 }.isEmpty)
        var lowered = L.rates
        lowered.rates = lowered.rates.map { rate in
            var rate = rate
            if rate.category == .perDiem { rate.unitRate = T.idr(25_000_000) }
            return rate
        }
        try claims.db.setClaimPolicies(matrix: .standard, rates: lowered, setBy: "admin", now: L.now)
        let found = try claims.db.scanFraud(fiscalYear: 2024, now: L.now).new.filter { $0.finding.rule == .r07 }
        #expect(found.map(\.finding.subject) == [number.description])
        #expect(found.first?.finding.evidence == "per-diem at IDR 300,000 per day, above the SBT 2024 ceiling of IDR 250,000")
        #expect(found.first?.finding.action == .block)
    }

    /// R15 at submission: a claimant whose bank account a treasurer also holds is held.
    @Test func aClaimBySomeoneSharingABankAccountGoesOnHold() throws {
        let claims = try ClaimLedger()
        try setPolicy(claims)
        var claimant = L.person("fac3.sbt", "SBT", [.claimant])
        claimant.bankAccount = "BRI 0123-01-000123-50-1"
        var treasurer = L.person("treasurer.3", nil, [.treasurer])
        treasurer.bankAccount = "0123 01 000123 50 1"
        try claims.db.importPeople([claimant, treasurer], changedBy: "admin", now: L.now)
        let held = try claims.act(.submit, try claims.draft(by: "fac3.sbt"), by: "fac3.sbt")
        #expect(held.state == .onHold)
        #expect(held.findings == ["F-000001 R15 hold: the claimant's bank account BRI 0123-01-000123-50-1 is also held by treasurer.3"])
        #expect(try claims.db.claim(held.number).events.last?.actor == "anti-fraud")
        // Near miss: a claimant with an account of their own.
        #expect(try claims.act(.submit, try claims.draft(by: "fac2.sbt"), by: "fac2.sbt").state == .submitted)
        // Once compliance dismisses the shared account itself, the claimant's next claims go through.
        let shared = try #require(try claims.db.scanFraud(fiscalYear: 2024, now: L.now).new
            .first { $0.finding.rule == .r15 && $0.finding.subject == "fac3.sbt" })
        try claims.db.decide(.dismiss, finding: shared.id, reason: "Spouses with a joint account, checked",
                             by: "compliance", now: L.now)
        #expect(try claims.act(.submit, try claims.draft(by: "fac3.sbt", sessions: 2), by: "fac3.sbt").state == .submitted)
    }

    @Test func aScanNeedsThePolicy() throws {
        let claims = try ClaimLedger()
        #expect(throws: FraudError.policyMissing) { try claims.db.scanFraud(fiscalYear: 2024, now: L.now) }
    }

    // MARK: - At the claim's steps

    /// `block`: the submission is refused naming the rule; nothing is written but the finding.
    @Test func aBlockingFindingRefusesTheSubmissionAndIsKept() throws {
        let claims = try ClaimLedger()
        try setPolicy(claims)
        let number = try claims.db.createClaim(
            ClaimHeader(claimant: "fac.sbt", district: "SBT", budgetLine: "2.1.3", activity: "Village facilitation",
                        activityFrom: T.date("2024-02-05"), activityTo: T.date("2024-02-07")),
            by: "fac.sbt", date: L.day, now: L.now)
        try claims.db.addClaimLine(ClaimLine(category: .honorarium, quantity: 2, unitRate: T.idr(25_000_000)), to: number,
                                   by: "fac.sbt", date: L.day)
        let before = try claims.db.claim(number).snapshot
        #expect(throws: ClaimError.blockedByRules(claim: number.description, findings: [
            "F-000001 R09: submitted on 2024-06-10, 124 days after the activity ended on 2024-02-07",
        ])) {
            try claims.act(.submit, number, by: "fac.sbt")
        }
        #expect(try claims.db.claim(number).snapshot == before)
        #expect(try claims.db.findings(status: "open").map { "\($0.id) \($0.finding.rule.rawValue)" } == ["F-000001 R09"])
    }

    /// `hold`: submitted, then on hold by the rules; not approvable until released.
    @Test func aHoldingFindingPutsTheClaimOnHoldUntilReleased() throws {
        let claims = try ClaimLedger()
        try setPolicy(claims)
        _ = try claims.submitted()
        let duplicate = try claims.draft()
        let result = try claims.act(.submit, duplicate, by: "fac.sbt")
        #expect(result.state == .onHold)
        #expect(result.findings.count == 1 && result.findings[0].hasPrefix("F-000001 R02 hold:"))
        let events = try claims.db.claim(duplicate).events
        #expect(events.suffix(2).map { "\($0.action) \($0.actor) \($0.to.rawValue)" }
                == ["submit fac.sbt submitted", "hold anti-fraud on-hold"])
        #expect(throws: ClaimError.actionNotAllowed(claim: duplicate.description, action: "approved", state: .onHold)) {
            try claims.act(.approve, duplicate, by: "coord.sbt")
        }
        try claims.act(.release, duplicate, by: "compliance", comment: "Two sessions that day, attendance lists seen")
        #expect(try claims.act(.approve, duplicate, by: "coord.sbt").state == .approved)
    }

    /// `flag`: the next approver must acknowledge it, and the acknowledgement is recorded.
    @Test func aFlagMustBeAcknowledgedByTheApprover() throws {
        let claims = try ClaimLedger()
        try setPolicy(claims)
        _ = try claims.submitted(sessions: 4)
        let near = try claims.draft(sessions: 4, rate: 24_900_000)  // within 1 % of the first: R04
        let submitted = try claims.act(.submit, near, by: "fac.sbt")
        #expect(submitted.state == .submitted && submitted.findings.first?.contains("R04 flag") == true)
        #expect(throws: ClaimError.flagsNotAcknowledged(claim: near.description, findings: ["F-000001"])) {
            try claims.act(.approve, near, by: "coord.sbt")
        }
        #expect(try claims.db.claim(near).snapshot.state == .submitted)
        let approved = try claims.db.act(.approve, on: near, by: "coord.sbt", date: L.day, now: L.now, acknowledgeFlags: true)
        #expect(approved.state == .approved)
        #expect(try claims.db.claim(near).events.last?.comment == "acknowledged F-000001")
    }
}


/// R13 over the store: a year of expense amounts that all start with 9 is reported.
@Suite("Benford over the ledger")
struct BenfordStoreTests {
    @Test func aYearOfAmountsCrowdingOneDigitIsReported() throws {
        let claims = try ClaimLedger()
        try claims.db.setFraudPolicy(FraudStoreTests.policy, setBy: "compliance", now: ClaimLedger.now)
        let drafts = (0..<1_000).map { index in
            TestLedger.expense(Int64(900_000 + index * 10), on: "2024-05-\(10 + index % 18)", district: "SBD")
        }
        for start in stride(from: 0, to: drafts.count, by: 500) {
            try claims.db.post(batch: Array(drafts[start..<(start + 500)]), now: ClaimLedger.now)
        }
        let tests = try claims.db.benford(fiscalYear: 2024)
        #expect(tests.first.amounts == 1_000 && tests.first.conformity == .nonconformity)
        #expect(tests.first.rows.first { $0.digits == 9 }?.count == 1_000)
        let findings = try claims.db.scanFraud(fiscalYear: 2024, now: ClaimLedger.now).new.filter { $0.finding.rule == .r13 }
        #expect(findings.map(\.finding.subject) == ["2024 expense amounts, first digit", "2024 expense amounts, first two digits"])
        #expect(findings.first?.finding.evidence.hasPrefix("1000 amounts, MAD") == true)
        // 999 amounts are too few to judge.
        let fewer = try ClaimLedger()
        try fewer.db.setFraudPolicy(FraudStoreTests.policy, setBy: "compliance", now: ClaimLedger.now)
        try fewer.db.post(batch: Array(drafts.prefix(500)), now: ClaimLedger.now)
        try fewer.db.post(batch: Array(drafts[500..<999]), now: ClaimLedger.now)
        #expect(try fewer.db.scanFraud(fiscalYear: 2024, now: ClaimLedger.now).new.allSatisfy { $0.finding.rule != .r13 })
    }
}

/// Review safeguards of the anti-fraud checks.
@Suite("Anti-fraud safeguards")
struct FraudSafeguardTests {
    typealias T = TestLedger
    typealias L = ClaimLedger

    func draft(_ claims: ClaimLedger, by claimant: String = "fac.sbt", from: String, sessions: Int64) throws -> ClaimNumber {
        let number = try claims.db.createClaim(
            ClaimHeader(claimant: claimant, district: "SBT", budgetLine: "2.1.3", activity: "Facilitation \(from)",
                        activityFrom: T.date(from), activityTo: T.date(from)),
            by: claimant, date: L.day, now: L.now)
        try claims.db.addClaimLine(ClaimLine(category: .honorarium, quantity: sessions, unitRate: T.idr(25_000_000)),
                                   to: number, by: claimant, date: L.day)
        return number
    }

    /// The claim being submitted is the newest, whatever its dates: a split it completes with
    /// a later-dated claim already submitted holds it, not the older one.
    @Test func theSubmittedClaimIsHeldForASplitWithALaterDatedClaim() throws {
        let claims = try ClaimLedger()
        try claims.db.setFraudPolicy(FraudStoreTests.policy, setBy: "compliance", now: L.now)
        let later = try draft(claims, from: "2024-06-07", sessions: 12)  // Rp 3.000.000
        try claims.act(.submit, later, by: "fac.sbt")
        let earlier = try draft(claims, from: "2024-06-04", sessions: 12)
        let result = try claims.act(.submit, earlier, by: "fac.sbt")
        #expect(result.state == .onHold)
        #expect(result.findings.contains { $0.contains("R05 hold") })
        #expect(try claims.db.claim(later).snapshot.state == .submitted)
    }

    /// A split's other claimant may not triage it either.
    @Test func theClaimantOfARelatedClaimCannotDecide() throws {
        let claims = try ClaimLedger()
        try claims.db.importPeople([L.person("compliance.sbt", "SBT", [.claimant, .complianceOfficer])],
                                   changedBy: "admin", now: L.now)
        _ = try claims.submitted(by: "compliance.sbt")
        _ = try claims.submitted(by: "compliance.sbt")  // R02 on the second, related: the first
        try claims.db.setFraudPolicy(FraudStoreTests.policy, setBy: "compliance", now: L.now)
        let finding = try #require(try claims.db.scanFraud(fiscalYear: 2024, now: L.now).new.first { $0.finding.rule == .r02 })
        #expect(throws: FraudError.ownFinding(finding: finding.id, person: "compliance.sbt")) {
            try claims.db.decide(.dismiss, finding: finding.id, reason: "fine", by: "compliance.sbt", now: L.now)
        }
    }

    /// Lateness counts from the first submission: a claim returned and resubmitted months
    /// later is not "late" for that.
    @Test func aResubmissionIsNotLateForTheTimeSpentInApproval() throws {
        let claims = try ClaimLedger()
        try claims.db.setFraudPolicy(FraudStoreTests.policy, setBy: "compliance", now: L.now)
        let number = try claims.submitted()  // activity 2024-06-03…05, submitted 2024-06-10
        try claims.act(.return, number, by: "coord.sbt", comment: "Attendance list missing")
        let months = T.at("2024-10-15")
        let result = try claims.db.act(.submit, on: number, by: "fac.sbt", date: T.date("2024-10-15"), now: months)
        #expect(result.state == .submitted && result.findings.isEmpty)
    }
}

@Suite("Dismissed findings")
struct DismissedFindingTests {
    typealias T = TestLedger
    typealias L = ClaimLedger

    /// A late claim is refused; once compliance dismisses the refusal's finding (the delay was
    /// explained), the claim can be submitted.
    @Test func aDismissedBlockNoLongerStopsTheClaim() throws {
        let claims = try ClaimLedger()
        try claims.db.setFraudPolicy(FraudStoreTests.policy, setBy: "compliance", now: L.now)
        let number = try claims.db.createClaim(
            ClaimHeader(claimant: "fac.sbt", district: "SBT", budgetLine: "2.1.3", activity: "Village facilitation",
                        activityFrom: T.date("2024-02-05"), activityTo: T.date("2024-02-07")),
            by: "fac.sbt", date: L.day, now: L.now)
        try claims.db.addClaimLine(ClaimLine(category: .honorarium, quantity: 2, unitRate: T.idr(25_000_000)), to: number,
                                   by: "fac.sbt", date: L.day)
        #expect(throws: ClaimError.self) { try claims.act(.submit, number, by: "fac.sbt") }
        let finding = try #require(try claims.db.findings(status: "open").first)
        try claims.db.decide(.dismiss, finding: finding.id, reason: "Boat service suspended for two months", by: "compliance",
                             now: L.now)
        #expect(try claims.act(.submit, number, by: "fac.sbt").state == .submitted)
    }
}

@Suite("Per diem at submission")
struct PerDiemAtSubmissionTests {
    /// Five days of per diem for a three-day activity (and one travel day) is refused at
    /// submission; four are fine.
    @Test func perDiemBeyondTheActivityAndATravelDayIsRefused() throws {
        let claims = try ClaimLedger()
        try claims.db.setFraudPolicy(FraudStoreTests.policy, setBy: "compliance", now: ClaimLedger.now)
        let number = try ClaimRefusalTests.emptyDraft(claims)  // activity 2024-06-03 to 06-05
        try claims.db.addClaimLine(ClaimLine(category: .perDiem, quantity: 5, unitRate: TestLedger.idr(20_000_000)),
                                   to: number, by: "fac.sbt", date: ClaimLedger.day)
        #expect(throws: ClaimError.blockedByRules(claim: number.description, findings: [
            "F-000001 R08: 5 days of per diem for a 3-day activity (2024-06-03 to 2024-06-05) and 1 travel day",
        ])) {
            try claims.act(.submit, number, by: "fac.sbt")
        }
        let fine = try ClaimRefusalTests.emptyDraft(claims, by: "fac2.sbt")
        try claims.db.addClaimLine(ClaimLine(category: .perDiem, quantity: 4, unitRate: TestLedger.idr(20_000_000)),
                                   to: fine, by: "fac2.sbt", date: ClaimLedger.day)
        #expect(try claims.act(.submit, fine, by: "fac2.sbt").state == .submitted)
    }
}

@Suite("Date rules at submission")
struct IneligibleDateTests {
    typealias T = TestLedger
    typealias L = ClaimLedger

    func submit(_ claims: ClaimLedger, by claimant: String, from: String, to: String) throws -> ClaimActionResult {
        let number = try claims.db.createClaim(
            ClaimHeader(claimant: claimant, district: "SBT", budgetLine: "2.1.3", activity: "Activity \(from)",
                        activityFrom: T.date(from), activityTo: T.date(to)),
            by: claimant, date: L.day, now: L.now)
        try claims.db.addClaimLine(ClaimLine(category: .honorarium, quantity: 1, unitRate: T.idr(25_000_000)), to: number,
                                   by: claimant, date: L.day)
        return try claims.act(.submit, number, by: claimant)
    }

    /// Before the grant (DTF starts 2023-01-01), in a closed period, or not yet ended: refused.
    @Test func activitiesOutsideTheGrantOrInAClosedPeriodAreRefused() throws {
        let claims = try ClaimLedger()
        try claims.db.setFraudPolicy(FraudStoreTests.policy, setBy: "compliance", now: L.now)
        _ = try claims.db.close(T.period("2024-05"), by: "finance.manager", now: L.now)
        #expect {
            try submit(claims, by: "fac.sbt", from: "2022-12-30", to: "2022-12-30")
        } throws: { error in
            "\(error)".contains("before the grant starts on 2023-01-01")
        }
        #expect {
            try submit(claims, by: "fac.sbt", from: "2024-05-29", to: "2024-05-31")
        } throws: { error in
            "\(error)".contains("closed period 2024-05")
        }
        #expect {
            try submit(claims, by: "fac.sbt", from: "2024-06-10", to: "2024-06-12")
        } throws: { error in
            "\(error)".contains("after the submission on 2024-06-10")
        }
        // Near misses: the day after the closed month, ending today.
        #expect(try submit(claims, by: "fac2.sbt", from: "2024-06-01", to: "2024-06-01").state == .submitted)
        #expect(try submit(claims, by: "coord.sbt", from: "2024-06-10", to: "2024-06-10").state == .submitted)
    }

    /// A public holiday of the policy travels with it into the store, and an activity on it
    /// is flagged at submission for the approver to acknowledge; the working day after is not.
    @Test func anActivityOnAPublicHolidayIsFlaggedForTheApprover() throws {
        let claims = try ClaimLedger()
        var policy = FraudStoreTests.policy
        let holiday = PublicHoliday(date: T.date("2024-06-04"), kind: .national, nameEn: "Founders' Day",
                                    nameId: "Hari Pendiri")
        policy.holidays = [holiday.date: holiday]
        try claims.db.setFraudPolicy(policy, setBy: "compliance", now: L.now)
        #expect(try claims.db.fraudPolicy() == policy)
        let flagged = try submit(claims, by: "fac.sbt", from: "2024-06-04", to: "2024-06-04")
        #expect(flagged.state == .submitted)
        #expect(flagged.findings == ["F-000001 R11 flag: activity on 1 day(s) off: 2024-06-04 (Founders' Day)"])
        #expect(throws: ClaimError.flagsNotAcknowledged(claim: flagged.number.description, findings: ["F-000001"])) {
            try claims.act(.approve, flagged.number, by: "coord.sbt")
        }
        let workingDay = try submit(claims, by: "fac2.sbt", from: "2024-06-05", to: "2024-06-05")
        #expect(workingDay.state == .submitted && workingDay.findings.isEmpty)
    }
}

/// R03 by vendor receipt number through the store: kept with the receipt, part of the
/// approved version's hash, and a second claim for the same receipt is refused.
@Suite("Vendor receipt numbers")
struct VendorReceiptStoreTests {
    typealias T = TestLedger
    typealias L = ClaimLedger

    /// A lodging claim by `claimant` with `file` attached as `vendor`'s receipt `number`.
    func lodgingClaim(_ claims: ClaimLedger, by claimant: String, file: String, number: String) throws -> ClaimNumber {
        let draft = try claims.db.createClaim(
            ClaimHeader(claimant: claimant, district: "SBT", budgetLine: "2.1.3", activity: "Monitoring \(claimant)",
                        activityFrom: T.date("2024-06-03"), activityTo: T.date("2024-06-04")),
            by: claimant, date: L.day, now: L.now)
        try claims.db.addClaimLine(ClaimLine(category: .lodging, quantity: 1, unitRate: T.idr(35_000_000)), to: draft,
                                   by: claimant, date: L.day)
        try claims.db.attachReceipt(ClaimRefusalTests.pdf(file), fileName: "\(file).pdf",
                                    vendorReceipt: try VendorReceipt(vendor: "Penginapan Bula Indah", number: number),
                                    to: draft, by: claimant, date: L.day)
        return draft
    }

    @Test func theSameVendorNumberOnASecondClaimIsRefusedAtSubmission() throws {
        let claims = try ClaimLedger()
        try claims.db.setFraudPolicy(FraudStoreTests.policy, setBy: "compliance", now: L.now)
        let first = try lodgingClaim(claims, by: "fac.sbt", file: "photo one", number: "INV-0012")
        #expect(try claims.act(.submit, first, by: "fac.sbt").state == .submitted)
        #expect(try claims.db.claim(first).receipts.first?.vendorReceipt?.description == "Penginapan Bula Indah no. INV-0012")

        let second = try lodgingClaim(claims, by: "fac2.sbt", file: "photo two", number: "inv 12")
        let before = try claims.db.claim(second).snapshot
        #expect(throws: ClaimError.blockedByRules(claim: second.description, findings: [
            "F-000001 R03: receipt Penginapan Bula Indah no. inv 12 is also on \(first)",
        ])) {
            try claims.act(.submit, second, by: "fac2.sbt")
        }
        #expect(try claims.db.claim(second).snapshot == before)
        // Near miss: another number from the same vendor.
        let third = try lodgingClaim(claims, by: "coord.sbt", file: "photo three", number: "INV-0013")
        #expect(try claims.act(.submit, third, by: "coord.sbt").state == .submitted)
        #expect(try claims.db.verify().passed)
    }

    @Test func aFileAttachedAgainKeepsItsNumberAndAnotherNumberIsRefused() throws {
        let claims = try ClaimLedger()
        let draft = try lodgingClaim(claims, by: "fac.sbt", file: "photo", number: "INV-0012")
        let again = try claims.db.attachReceipt(ClaimRefusalTests.pdf("photo"), fileName: "copy.pdf", to: draft,
                                                by: "fac.sbt", date: L.day)
        #expect(again.vendorReceipt?.number == "INV-0012" && again.fileName == "photo.pdf")
        let existing = try VendorReceipt(vendor: "Penginapan Bula Indah", number: "INV-0012")
        #expect(throws: ClaimError.receiptAttachedWithOtherNumber(claim: draft.description, fileName: "photo.pdf",
                                                                  existing: existing)) {
            try claims.db.attachReceipt(ClaimRefusalTests.pdf("photo"), fileName: "photo.pdf",
                                        vendorReceipt: try VendorReceipt(vendor: "Penginapan Bula Indah", number: "INV-0099"),
                                        to: draft, by: "fac.sbt", date: L.day)
        }
        // The same number typed differently is the same receipt.
        #expect(try claims.db.attachReceipt(ClaimRefusalTests.pdf("photo"), fileName: "photo.pdf",
                                            vendorReceipt: try VendorReceipt(vendor: "penginapan bula indah", number: "inv 12"),
                                            to: draft, by: "fac.sbt", date: L.day).vendorReceipt == existing)
        #expect(try claims.db.claim(draft).receipts.count == 1)
    }

    /// The vendor number is part of what the approver decided on: changed behind the store's
    /// back, `verify` names the version.
    @Test func aVendorNumberChangedAfterSubmissionIsFoundByVerify() throws {
        let claims = try ClaimLedger()
        let number = try lodgingClaim(claims, by: "fac.sbt", file: "photo", number: "INV-0012")
        try claims.act(.submit, number, by: "fac.sbt")
        #expect(try claims.db.verify().passed)
        let shell = try SQLiteShell.run(claims.ledger.path, """
            DROP TRIGGER claim_receipts_no_change;
            UPDATE claim_receipts SET vendor_number = 'INV-0013', vendor_key = 'PENGINAPANBULAINDAH|INV0013';
            """)
        try #require(shell.status == 0, "\(shell.errorOutput)")
        #expect(try claims.db.verify().problems == [.claimVersionAltered(claim: number.description, version: 1)])
    }
}

/// R01 and R14 over the ledger's entries.
@Suite("Manual entries and entry numbers in scans")
struct LedgerScanTests {
    typealias T = TestLedger
    typealias L = ClaimLedger

    @Test func aManualEntryByTheLinesCoordinatorIsFlaggedAndAFinanceOfficersIsNot() throws {
        let claims = try ClaimLedger()
        try claims.db.setFraudPolicy(FraudStoreTests.policy, setBy: "compliance", now: L.now)
        var byCoordinator = T.expense(1_000_000)
        byCoordinator.author = "coord.sbt"
        var byFinanceOfficer = T.expense(2_000_000)
        byFinanceOfficer.author = "fo.1"
        let flagged = try claims.db.post(byCoordinator, now: L.now).number
        _ = try claims.db.post(byFinanceOfficer, now: L.now)
        // Another district's scan does not see it (scanned first, so nothing is known yet).
        #expect(try claims.db.scanFraud(fiscalYear: 2024, district: "SBD", now: L.now).new.filter { $0.finding.rule == .r01 }
            .isEmpty)
        let found = try claims.db.scanFraud(fiscalYear: 2024, district: "SBT", now: L.now).new.filter { $0.finding.rule == .r01 }
        #expect(found.map(\.finding.subject) == [flagged.description])
        #expect(found.first?.finding.action == .flag && found.first?.finding.subjectPerson == "coord.sbt")
    }

    @Test func anEntryNumberRemovedBehindTheStoresBackIsReported() throws {
        let claims = try ClaimLedger()
        try claims.db.setFraudPolicy(FraudStoreTests.policy, setBy: "compliance", now: L.now)
        for amount in [1_000_000, 2_000_000, 3_000_000, 4_000_000] as [Int64] {
            var draft = T.expense(amount)
            draft.author = "fo.1"
            _ = try claims.db.post(draft, now: L.now)
        }
        #expect(try claims.db.scanFraud(fiscalYear: 2024, now: L.now).new.filter { $0.finding.rule == .r14 }.isEmpty)
        let shell = try SQLiteShell.run(claims.ledger.path, """
            DROP TRIGGER postings_no_delete; DROP TRIGGER entries_no_delete;
            DELETE FROM postings WHERE entry_id IN (SELECT id FROM entries WHERE sequence IN (2, 3));
            DELETE FROM entries WHERE sequence IN (2, 3);
            """)
        try #require(shell.status == 0, "\(shell.errorOutput)")
        let found = try claims.db.scanFraud(fiscalYear: 2024, now: L.now).new.filter { $0.finding.rule == .r14 }
        #expect(found.map(\.finding.evidence) == ["2 entry number(s) missing up to 4: 2–3"])
    }
}

/// Each rule added to scans finds its case once: a second scan adds nothing.
@Suite("Scans find each rule once")
struct ScanIdempotencyTests {
    typealias T = TestLedger
    typealias L = ClaimLedger

    @Test func aSecondScanAddsNothingForTheLedgerAndReceiptRules() throws {
        let claims = try ClaimLedger()
        // R01: a manual entry by the SBT coordinator on an SBT line.
        var byCoordinator = T.expense(1_000_000)
        byCoordinator.author = "coord.sbt"
        _ = try claims.db.post(byCoordinator, now: L.now)
        // R03: two claims with the same vendor receipt under different photos (before the policy).
        for (claimant, photo) in [("fac.sbt", "one"), ("fac2.sbt", "two")] {
            let number = try claims.draft(by: claimant, sessions: 1)
            try claims.db.attachReceipt(ClaimRefusalTests.pdf(photo), fileName: "\(photo).pdf",
                                        vendorReceipt: try VendorReceipt(vendor: "Toko Maju", number: "INV-7"), to: number,
                                        by: claimant, date: L.day)
            try claims.act(.submit, number, by: claimant)
        }
        // R11: a claim on a Saturday (2024-06-08).
        let saturday = try claims.db.createClaim(
            ClaimHeader(claimant: "coord.sbt", district: "SBT", budgetLine: "2.1.3", activity: "Saturday meeting",
                        activityFrom: T.date("2024-06-08"), activityTo: T.date("2024-06-08")),
            by: "coord.sbt", date: L.day, now: L.now)
        try claims.db.addClaimLine(ClaimLine(category: .honorarium, quantity: 1, unitRate: T.idr(25_000_000)), to: saturday,
                                   by: "coord.sbt", date: L.day)
        try claims.act(.submit, saturday, by: "coord.sbt")
        try claims.db.setFraudPolicy(FraudStoreTests.policy, setBy: "compliance", now: L.now)

        let first = try claims.db.scanFraud(fiscalYear: 2024, now: L.now)
        let rules = Set(first.new.map(\.finding.rule))
        #expect(rules.isSuperset(of: [.r01, .r03, .r11]), "\(first.new.map(\.finding.key))")
        let again = try claims.db.scanFraud(fiscalYear: 2024, now: L.now)
        #expect(again.new.isEmpty && again.known == first.new.count)
    }

    /// R10 through submission: an activity ending after the funding source closes is
    /// refused; one ending on its last day is not.
    @Test func anActivityAfterTheGrantClosesIsRefusedAtSubmission() throws {
        let claims = try ClaimLedger()
        try claims.db.setFraudPolicy(FraudStoreTests.policy, setBy: "compliance", now: L.now)
        let january2027 = T.at("2027-01-05")
        func submit(_ claimant: String, to: String) throws -> ClaimActionResult {
            let number = try claims.db.createClaim(
                ClaimHeader(claimant: claimant, district: "SBT", budgetLine: "2.1.3", activity: "Closing workshop \(to)",
                            activityFrom: T.date("2026-12-29"), activityTo: T.date(to)),
                by: claimant, date: T.date("2027-01-05"), now: january2027)
            try claims.db.addClaimLine(ClaimLine(category: .honorarium, quantity: 1, unitRate: T.idr(25_000_000)),
                                       to: number, by: claimant, date: T.date("2027-01-05"))
            return try claims.db.act(.submit, on: number, by: claimant, date: T.date("2027-01-05"), now: january2027)
        }
        #expect {
            try submit("fac.sbt", to: "2027-01-01")
        } throws: { error in
            "\(error)".contains("the activity ends on 2027-01-01, after the grant closes on 2026-12-31")
        }
        #expect(try submit("fac2.sbt", to: "2026-12-31").state == .submitted)
    }
}
