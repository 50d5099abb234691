import LedgerCore

/// The rules run when a claim is submitted: the batch rules over the claim and its
/// neighbours (the claimant's other claims, claims sharing a receipt or the activity),
/// keeping what they find about this claim, plus the date rules that concern it alone.
public struct ClaimCheck: Sendable {
    public let scanner: FraudScanner

    public init(scanner: FraudScanner) {
        self.scanner = scanner
    }

    /// What the rules find about `claim`, submitted on `today`.
    /// - Parameter neighbours: other claims that may duplicate or split it.
    public func findings(for claim: ClaimFacts, neighbours: [ClaimFacts], today: LedgerDate) -> [Finding] {
        let all = (neighbours.filter { $0.number != claim.number } + [claim]).filter(\.isLive)
        var findings = scanner.exactDuplicates(all) + scanner.sameReceipts(all) + scanner.nearDuplicates(all)
            + scanner.splitClaims(all) + scanner.lateFilings([claim]) + scanner.perDiemOverlaps(all)
            + ineligibleDates(claim, today: today)
            + weekendActivity(claim)
        // The claim being submitted is the newest whatever its number or dates: a finding the
        // rules made about an older claim because of it is a finding about it.
        findings = findings.compactMap { finding in
            if finding.subject == claim.number { return finding }
            guard finding.related.contains(claim.number) else { return nil }
            return Finding(
                rule: finding.rule, action: finding.action, subject: claim.number, subjectPerson: claim.claimant,
                related: finding.related.filter { $0 != claim.number } + [finding.subject], evidence: finding.evidence,
                keyedByRelated: finding.keyedByRelated)
        }
        var seen: Set<String> = []
        return findings.sorted { ($0.rule, $0.key) < ($1.rule, $1.key) }.filter { seen.insert($0.key).inserted }
    }

    /// R10: an activity that has not ended yet cannot be claimed.
    func ineligibleDates(_ claim: ClaimFacts, today: LedgerDate) -> [Finding] {
        guard let rule = scanner.policy.enabled(.r10), claim.activityTo > today else { return [] }
        return [Finding(rule: .r10, action: rule.action, subject: claim.number, subjectPerson: claim.claimant,
                        evidence: "the activity ends on \(claim.activityTo), after the submission on \(today)")]
    }

    /// R11: activity days on a Saturday or Sunday.
    func weekendActivity(_ claim: ClaimFacts) -> [Finding] {
        guard let rule = scanner.policy.enabled(.r11) else { return [] }
        let days = (claim.activityFrom.dayNumber...max(claim.activityFrom.dayNumber, claim.activityTo.dayNumber)).prefix(366)
        // 1970-01-01 was a Thursday: day 2 was a Saturday.
        let weekend = days.filter { (($0 % 7) + 7) % 7 == 2 || (($0 % 7) + 7) % 7 == 3 }
            .compactMap { LedgerDate(dayNumber: $0) }
        guard !weekend.isEmpty else { return [] }
        return [Finding(rule: .r11, action: rule.action, subject: claim.number, subjectPerson: claim.claimant,
                        evidence: "activity on a weekend: " + weekend.prefix(10).map(\.description).joined(separator: ", "))]
    }
}
