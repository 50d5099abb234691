import LedgerCore

/// The rules run when a claim is submitted: the batch rules over the claim and its
/// neighbours (the claimant's other claims, claims sharing a receipt or the activity),
/// keeping what they find about this claim, plus the rules that concern it alone (late
/// filing, ineligible dates, days off). Rate ceilings (R07) and segregation of duties (R01)
/// are the claim procedure's own checks, which refuse first; scans report R07 too.
public struct ClaimCheck: Sendable {
    public let scanner: FraudScanner

    public init(scanner: FraudScanner) {
        self.scanner = scanner
    }

    /// What the rules find about `claim`, whose `submittedOn` is the day it was (first)
    /// submitted.
    /// - Parameter neighbours: other claims that may duplicate or split it.
    public func findings(for claim: ClaimFacts, neighbours: [ClaimFacts]) -> [Finding] {
        let all = (neighbours.filter { $0.number != claim.number } + [claim]).filter(\.isLive)
        var findings = scanner.exactDuplicates(all) + scanner.sameReceipts(all) + scanner.nearDuplicates(all)
            + scanner.splitClaims(all) + scanner.perDiemOverlaps(all)
            + scanner.lateFilings([claim]) + scanner.ineligibleDates([claim]) + scanner.offDayActivities([claim])
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
}
