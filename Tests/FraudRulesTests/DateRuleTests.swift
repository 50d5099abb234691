import FraudRules
import LedgerCore
import Testing

/// R10 ineligible dates and R11 days off: planted cases and near misses, in scans and at
/// submission.
@Suite("R10 ineligible dates, R11 days off")
struct DateRuleTests {
    typealias F = FraudFixtures

    static func period(_ text: String) throws -> Period { try Period(parsing: text) }

    /// 09:00 UTC on `day`.
    static func nine(_ day: String) -> Timestamp {
        Timestamp(millisecondsSince1970: Int64(F.date(day).dayNumber) * 86_400_000 + 9 * 3_600_000)
    }

    /// The grant runs through 2024; May 2024 was closed on 10 June at 09:00 UTC.
    static func eligibility() throws -> ClaimEligibility {
        ClaimEligibility(grantStart: F.date("2024-01-01"), grantEnd: F.date("2024-12-31"),
                         closedPeriods: [try period("2024-05"): nine("2024-06-10")])
    }

    static func scanner(holidays: [PublicHoliday] = []) throws -> FraudScanner {
        var policy = F.policy(enabling: [.r10, .r11])
        policy.holidays = Dictionary(uniqueKeysWithValues: holidays.map { ($0.date, $0) })
        return FraudScanner(policy: policy, approvalLimits: F.limits, eligibility: try eligibility())
    }

    static func claim(_ sequence: Int, from: String, to: String? = nil, submitted: String? = "") -> ClaimFacts {
        F.claim(sequence, on: from, to: to, submitted: submitted, amounts: ["transport": F.rp(150_000)])
    }

    static func r10(_ claim: ClaimFacts) throws -> [String] {
        try scanner().scan([claim], people: [], budget: []).filter { $0.rule == .r10 }.map(\.evidence)
    }

    static let eid = PublicHoliday(date: F.date("2024-04-10"), kind: .national, nameEn: "Eid al-Fitr 1445 H",
                                   nameId: "Hari Raya Idul Fitri 1445 H")
    static let eidLeave = PublicHoliday(date: F.date("2024-04-12"), kind: .collectiveLeave, nameEn: "Eid al-Fitr 1445 H",
                                        nameId: "Cuti bersama Idul Fitri 1445 H")

    // MARK: R10

    @Test func anActivityNotEndedWhenSubmittedIsBlocked() throws {
        #expect(try Self.r10(Self.claim(1, from: "2024-03-04", to: "2024-03-06", submitted: "2024-03-05"))
            == ["the activity ends on 2024-03-06, after the submission on 2024-03-05"])
        // Near miss: submitted on the day it ended.
        #expect(try Self.r10(Self.claim(2, from: "2024-03-04", to: "2024-03-06", submitted: "2024-03-06")).isEmpty)
    }

    @Test func anActivityOutsideTheGrantIsBlocked() throws {
        #expect(try Self.r10(Self.claim(1, from: "2023-12-31", to: "2024-01-02"))
            == ["the activity starts on 2023-12-31, before the grant starts on 2024-01-01"])
        #expect(try Self.r10(Self.claim(2, from: "2024-12-30", to: "2025-01-01"))
            == ["the activity ends on 2025-01-01, after the grant closes on 2024-12-31"])
        // Near misses: the grant's first and last days.
        #expect(try Self.r10(Self.claim(3, from: "2024-01-01", to: "2024-01-02")).isEmpty)
        #expect(try Self.r10(Self.claim(4, from: "2024-12-30", to: "2024-12-31")).isEmpty)
    }

    @Test func anActivityInAPeriodClosedBeforeTheSubmissionIsBlocked() throws {
        let finding = try #require(try Self.scanner().scan([Self.claim(1, from: "2024-05-31", submitted: "2024-06-10")],
                                                           people: [], budget: []).first)
        #expect(finding.rule == .r10 && finding.action == .block && finding.subject == F.number(1))
        #expect(finding.evidence == "the activity falls in closed period 2024-05, closed on 2024-06-10")
        // Spanning the closed month counts, though neither end falls in it.
        #expect(try Self.r10(Self.claim(2, from: "2024-04-30", to: "2024-06-01", submitted: "2024-06-20"))
            == ["the activity falls in closed period 2024-05, closed on 2024-06-10"])
        // Near misses: submitted the day before the closing; the first day after the month.
        #expect(try Self.r10(Self.claim(3, from: "2024-05-31", submitted: "2024-06-09")).isEmpty)
        #expect(try Self.r10(Self.claim(4, from: "2024-06-01", submitted: "2024-06-20")).isEmpty)
    }

    /// The closing and the submission on the same day: the instants decide.
    @Test func aClaimSubmittedBeforeTheClosingOnItsDayIsNotBlocked() throws {
        func submitted(atHour hour: Int64) -> ClaimFacts {
            let base = Self.claim(1, from: "2024-05-31", submitted: "2024-06-10")
            return ClaimFacts(
                number: base.number, claimant: base.claimant, district: base.district, activity: base.activity,
                activityFrom: base.activityFrom, activityTo: base.activityTo, submittedOn: base.submittedOn,
                submittedAt: Timestamp(millisecondsSince1970: Int64(F.date("2024-06-10").dayNumber) * 86_400_000 + hour * 3_600_000),
                isLive: true, amountsByCategory: base.amountsByCategory, amount: base.amount, receipts: [])
        }
        #expect(try Self.r10(submitted(atHour: 8)).isEmpty)
        #expect(try Self.r10(submitted(atHour: 10)) == ["the activity falls in closed period 2024-05, closed on 2024-06-10"])
    }

    @Test func everyReasonIsNamedAndDraftsAreNotJudged() throws {
        #expect(try Self.r10(Self.claim(1, from: "2023-12-30", to: "2025-01-02", submitted: "2024-06-20")) == [
            "the activity ends on 2025-01-02, after the submission on 2024-06-20; "
                + "the activity starts on 2023-12-30, before the grant starts on 2024-01-01; "
                + "the activity ends on 2025-01-02, after the grant closes on 2024-12-31; "
                + "the activity falls in closed period 2024-05, closed on 2024-06-10",
        ])
        #expect(try Self.r10(Self.claim(2, from: "2023-12-30", submitted: nil)).isEmpty)
        // Without grant dates or closed periods, only the submission day is checked.
        let bare = FraudScanner(policy: F.policy(enabling: [.r10]), approvalLimits: F.limits)
        #expect(bare.scan([Self.claim(3, from: "2020-05-31", submitted: "2024-06-20")], people: [], budget: []).isEmpty)
    }

    // MARK: R11

    static func r11(_ claim: ClaimFacts, holidays: [PublicHoliday] = [eid, eidLeave]) throws -> [Finding] {
        try scanner(holidays: holidays).scan([claim], people: [], budget: []).filter { $0.rule == .r11 }
    }

    @Test func aWeekendActivityIsFlaggedAndAWeekdayIsNot() throws {
        let saturday = try #require(try Self.r11(Self.claim(1, from: "2024-03-09")).first)
        #expect(saturday.action == .flag && saturday.subject == F.number(1) && saturday.subjectPerson == F.claimant)
        #expect(saturday.evidence == "activity on 1 day(s) off: 2024-03-09 (Saturday)")
        #expect(try Self.r11(Self.claim(2, from: "2024-03-08", to: "2024-03-10")).map(\.evidence)
            == ["activity on 2 day(s) off: 2024-03-09 (Saturday), 2024-03-10 (Sunday)"])
        // Near misses: Friday, and Monday to Friday.
        #expect(try Self.r11(Self.claim(3, from: "2024-03-08")).isEmpty)
        #expect(try Self.r11(Self.claim(4, from: "2024-03-04", to: "2024-03-08")).isEmpty)
    }

    @Test func aPublicHolidayOrCollectiveLeaveIsFlaggedByName() throws {
        #expect(try Self.r11(Self.claim(1, from: "2024-04-10")).map(\.evidence)
            == ["activity on 1 day(s) off: 2024-04-10 (Eid al-Fitr 1445 H)"])
        #expect(try Self.r11(Self.claim(2, from: "2024-04-12")).map(\.evidence)
            == ["activity on 1 day(s) off: 2024-04-12 (collective leave, Eid al-Fitr 1445 H)"])
        // Near misses: the working day between them, and the holiday's date when the policy has no holidays.
        #expect(try Self.r11(Self.claim(3, from: "2024-04-11")).isEmpty)
        #expect(try Self.r11(Self.claim(4, from: "2024-04-10"), holidays: []).isEmpty)
    }

    @Test func aLongActivityNamesItsFirstDaysOffAndCountsTheRest() throws {
        let evidence = try #require(try Self.r11(Self.claim(1, from: "2024-07-01", to: "2024-08-31")).first?.evidence)
        #expect(evidence.hasPrefix("activity on 17 day(s) off: 2024-07-06 (Saturday), 2024-07-07 (Sunday),"))
        #expect(evidence.hasSuffix("2024-08-03 (Saturday), 2024-08-04 (Sunday) and 7 more"))
    }

    // MARK: At submission

    @Test func theDateRulesRunAtSubmissionOnTheClaimAlone() throws {
        let check = ClaimCheck(scanner: try Self.scanner(holidays: [Self.eid]))
        let neighbour = Self.claim(1, from: "2024-05-04", submitted: "2024-05-05")  // a Saturday, in May
        let submitted = Self.claim(2, from: "2024-04-10", to: "2024-05-02", submitted: "2024-06-12")
        let findings = check.findings(for: submitted, neighbours: [neighbour])
        #expect(findings.map(\.rule) == [.r10, .r11])
        #expect(findings.allSatisfy { $0.subject == F.number(2) })
        #expect(findings[1].evidence.hasPrefix("activity on 7 day(s) off: 2024-04-10 (Eid al-Fitr 1445 H), 2024-04-13 (Saturday)"))
        #expect(check.findings(for: Self.claim(3, from: "2024-06-11", submitted: "2024-06-12"), neighbours: [neighbour]).isEmpty)
    }
}
