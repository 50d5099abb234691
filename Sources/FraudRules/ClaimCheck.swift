import Budgets
import FeeClaims
import LedgerCore

/// The rules run when a claim is submitted: the batch rules over the claim and its
/// neighbours (the claimant's other claims, claims sharing a receipt or the activity),
/// keeping what they find about this claim, plus the rules that concern it alone (late
/// filing, ineligible dates, days off, the claimant's bank account, the budget line's use).
/// Rate ceilings (R07) and segregation of duties (R01) are the claim procedure's own checks,
/// which refuse first; scans report R07 too.
public struct ClaimCheck: Sendable {
    public let scanner: FraudScanner

    public init(scanner: FraudScanner) {
        self.scanner = scanner
    }

    /// What the rules find about `claim`, whose `submittedOn` is the day it was (first)
    /// submitted.
    /// - Parameters:
    ///   - neighbours: other claims that may duplicate or split it.
    ///   - people: everyone, for R15 (the claimant's bank account held by someone else).
    ///   - budgetLine: the figures of the claim's budget line, for R16 (the line's use with
    ///     this claim committed).
    ///   - overBudgetBlocks: whether the budget policy refuses spending past the line's
    ///     budget; when it only warns, R16 flags a claim that would overspend instead of
    ///     blocking it.
    public func findings(
        for claim: ClaimFacts, neighbours: [ClaimFacts], people: [Person] = [], budgetLine: BudgetLineFigures? = nil,
        overBudgetBlocks: Bool = true
    ) -> [Finding] {
        let all = (neighbours.filter { $0.number != claim.number } + [claim]).filter(\.isLive)
        // The rules comparing dates see only the claims within their reach of this one: what
        // they would find among the others is not about this claim (and costs time with
        // every claim a busy claimant files in a quarter).
        let reach = reachWindow(for: claim)
        let near = all.filter { $0.activityTo >= reach.from && $0.activityFrom <= reach.to }
        let withReceipts = all.filter { !$0.receipts.isEmpty || !$0.vendorReceipts.isEmpty }
        var findings = scanner.exactDuplicates(near) + scanner.sameReceipts(withReceipts) + scanner.nearDuplicates(near)
            + scanner.splitClaims(near) + scanner.justUnderLimits(all) + scanner.perDiemOverlaps(near)
            + scanner.lateFilings([claim]) + scanner.ineligibleDates([claim]) + scanner.offDayActivities([claim])
        findings += sharedAccount(of: claim, people: people)
            + budgetUse(with: claim, on: budgetLine, overBudgetBlocks: overBudgetBlocks)
        // The claim being submitted is the newest whatever its number or dates: a finding the
        // rules made about an older claim because of it is a finding about it.
        findings = findings.compactMap { finding in
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

    /// The activity dates within which another claim can matter to `claim`'s rules: R02's
    /// same day, R04's and R05's ±`days` around its start, R06's calendar quarter and R08's
    /// overlapping days. A neighbour whose activity does not meet this window cannot change
    /// what the rules find about the claim, so the store reads only those (and claims
    /// sharing a receipt, at any date).
    public func neighbourWindow(for claim: ClaimFacts) -> (from: LedgerDate, to: LedgerDate) {
        let start = claim.activityFrom
        let quarterMonth = (start.month - 1) / 3 * 3 + 1
        let quarterStart = LedgerDate(year: start.year, month: quarterMonth, day: 1) ?? start
        let quarterEnd = LedgerDate(year: start.year, month: quarterMonth + 2,
                                    day: LedgerDate.daysIn(month: quarterMonth + 2, year: start.year)) ?? start
        let reach = reachWindow(for: claim)
        return (min(quarterStart, reach.from), max(quarterEnd, reach.to))
    }

    /// The activity dates R02, R04, R05 and R08 can relate to `claim`: ±`days` (the larger
    /// of R04's and R05's) around its activity.
    func reachWindow(for claim: ClaimFacts) -> (from: LedgerDate, to: LedgerDate) {
        let policy = scanner.policy
        // Days past the calendar's range (a policy may say anything) reach its ends.
        let reach = Int(min(max(policy.enabled(.r04)?.parameter("days", 3) ?? 0,
                                policy.enabled(.r05)?.parameter("days", 7) ?? 0, 0), 4_000_000))
        let before = LedgerDate(dayNumber: claim.activityFrom.dayNumber - reach) ?? Self.firstDay
        let after = LedgerDate(dayNumber: claim.activityTo.dayNumber + reach) ?? Self.lastDay
        return (min(before, claim.activityFrom), max(after, claim.activityTo))
    }

    private static let firstDay = LedgerDate(year: 1900, month: 1, day: 1)!  // allowed: a constant, valid date
    private static let lastDay = LedgerDate(year: 9999, month: 12, day: 31)!  // allowed: a constant, valid date

    /// R15 about the claim: the claimant's bank account is also someone else's.
    func sharedAccount(of claim: ClaimFacts, people: [Person]) -> [Finding] {
        guard let claimant = people.first(where: { $0.id == claim.claimant }), let digits = claimant.bankAccountDigits
        else { return [] }
        let sharing = people.filter { $0.bankAccountDigits == digits }
        return scanner.sharedBankAccounts(sharing).filter { $0.subject == claim.claimant }.map {
            Finding(rule: .r15, action: $0.action, subject: claim.number, subjectPerson: claim.claimant, related: $0.related,
                    evidence: "the claimant's " + $0.evidence, keyedByRelated: false, derivedFrom: $0.key)
        }
    }

    /// R16 about the claim: its budget line's use once the claim's amount is committed. A
    /// use that cannot be computed (amounts past Int64) is a block: an amount that large is
    /// not waved through.
    func budgetUse(with claim: ClaimFacts, on line: BudgetLineFigures?, overBudgetBlocks: Bool) -> [Finding] {
        guard scanner.policy.enabled(.r16) != nil, let line, line.figures.committed.currency == claim.amount.currency
        else { return [] }
        let subject = "\(line.line.line.key.fiscalYear) \(line.line.line.key)"
        let (committed, overflow) = line.figures.committed.minorUnits.addingReportingOverflow(claim.amount.minorUnits)
        guard !overflow,
              let figures = try? BudgetFigures(
                original: line.figures.original, revised: line.figures.revised, actual: line.figures.actual,
                committed: Money(minorUnits: committed, currency: claim.amount.currency))
        else {
            return [Finding(rule: .r16, action: .block, subject: claim.number, subjectPerson: claim.claimant, related: [subject],
                            evidence: "with \(claim.number) committed, the use of \(subject) is past what can be counted",
                            keyedByRelated: false)]
        }
        return scanner.budgetUse([BudgetLineFigures(line: line.line, figures: figures)]).map {
            let action = $0.action == .block && !overBudgetBlocks ? FraudAction.flag : $0.action
            return Finding(
                rule: .r16, action: action, subject: claim.number, subjectPerson: claim.claimant, related: [$0.subject],
                evidence: "with \(claim.amount.formatted(.en)) of \(claim.number) committed, \($0.subject) would be \($0.evidence)"
                    + (action == $0.action ? "" : "; the budget policy lets this line be overspent, so it is flagged"),
                keyedByRelated: false, derivedFrom: $0.key)
        }
    }
}
