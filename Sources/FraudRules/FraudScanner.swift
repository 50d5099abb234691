import Budgets
import FeeClaims
import LedgerCore

/// Runs the policy's batch rules over a period's claims, people and budget. Every rule
/// groups before it compares (by claimant, receipt, account…), so no rule compares all
/// pairs: the work grows with the claims, not with their square.
public struct FraudScanner: Sendable {
    public let policy: FraudPolicy
    /// The approval limits (`T` of R05 and R06), from the approval matrix.
    public let approvalLimits: [Money]
    /// The grant's dates and the closed periods (R10).
    public let eligibility: ClaimEligibility
    /// The fee-claim rates, whose ceilings R07 checks; nil when none are set.
    public let rates: RateTable?
    /// The approval matrix's levels: who approves claims where (R01's manual entries).
    public let approvalLevels: [ApprovalLevel]

    public init(
        policy: FraudPolicy, approvalLimits: [Money], eligibility: ClaimEligibility = ClaimEligibility(),
        rates: RateTable? = nil, approvalLevels: [ApprovalLevel] = []
    ) {
        self.policy = policy
        self.approvalLimits = approvalLimits.sorted { $0.minorUnits < $1.minorUnits }
        self.eligibility = eligibility
        self.rates = rates
        self.approvalLevels = approvalLevels
    }

    /// The findings of every enabled batch rule, in rule then subject order.
    /// - Parameters:
    ///   - manualEntries: the period's manual journal entries on budget lines (R01).
    ///   - entryNumbering: the period's entry numbers, per fiscal year (R14).
    public func scan(
        claims: [ClaimFacts], people: [Person], budget: [BudgetLineFigures], manualEntries: [ManualEntryFacts] = [],
        entryNumbering: [EntryNumberingFacts] = []
    ) -> [Finding] {
        var findings: [Finding] = []
        let live = claims.filter(\.isLive)
        findings += manualEntriesByApprovers(manualEntries, claims: live, people: people)
        findings += exactDuplicates(live)
        findings += sameReceipts(live)
        findings += nearDuplicates(live)
        findings += splitClaims(live)
        findings += justUnderLimits(live)
        findings += overCeilings(live)
        findings += lateFilings(live)
        findings += perDiemOverlaps(live)
        findings += ineligibleDates(live)
        findings += offDayActivities(live)
        findings += roundAmounts(live)
        findings += numberingGaps(claims)
        findings += entryNumberingGaps(entryNumbering)
        findings += sharedBankAccounts(people)
        findings += budgetUse(budget)
        // One finding per key: a claim found twice by the same rule about the same things
        // (two categories, two limits, by claimant and by activity) is one finding.
        var seen: Set<String> = []
        return findings.sorted { ($0.rule, $0.subject, $0.key) < ($1.rule, $1.subject, $1.key) }
            .filter { seen.insert($0.key).inserted }
    }

    /// Related things named on one finding, at most: a pattern's latest members.
    static let relatedMax = 20

    /// Claim numbers in numbering order (`FC-SBT-2024-9999` before `FC-SBT-2024-10000`).
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        precedes(lhs, try? ClaimNumber(parsing: lhs), rhs, try? ClaimNumber(parsing: rhs))
    }

    private static func precedes(_ lhs: String, _ left: ClaimNumber?, _ rhs: String, _ right: ClaimNumber?) -> Bool {
        switch (left, right) {
        case let (left?, right?): return left < right
        default: return lhs < rhs
        }
    }

    /// `claims` in numbering order. Each number is parsed once and indices are sorted, not
    /// the claims: sorting 100,000 claims by parsing at every comparison took most of a scan.
    static func inNumberingOrder(_ claims: [ClaimFacts]) -> [ClaimFacts] {
        let numbers = claims.map { try? ClaimNumber(parsing: $0.number) }
        return claims.indices.sorted { precedes(claims[$0].number, numbers[$0], claims[$1].number, numbers[$1]) }
            .map { claims[$0] }
    }

    // MARK: - R02 exact duplicates

    /// The same claimant, category, activity date and amount as an earlier claim not rejected.
    func exactDuplicates(_ claims: [ClaimFacts]) -> [Finding] {
        guard let rule = policy.enabled(.r02) else { return [] }
        struct Key: Hashable { let claimant: String, category: String, day: LedgerDate, amount: Int64 }
        var first: [Key: String] = [:]
        var findings: [Finding] = []
        for claim in Self.inNumberingOrder(claims) {
            for (category, amount) in claim.amountsByCategory.sorted(by: { $0.key < $1.key }) {
                let key = Key(claimant: claim.claimant, category: category, day: claim.activityFrom, amount: amount)
                if let earlier = first[key], earlier != claim.number {
                    findings.append(Finding(
                        rule: .r02, action: rule.action, subject: claim.number, subjectPerson: claim.claimant,
                        related: [earlier],
                        evidence: "\(category) of \(Money(minorUnits: amount, currency: claim.amount.currency).formatted(.en))"
                            + " on \(claim.activityFrom), as in \(earlier)"))
                } else if first[key] == nil {
                    first[key] = claim.number
                }
            }
        }
        return findings
    }

    // MARK: - R03 same receipt

    /// A receipt file already attached to another claim, or a receipt with the same vendor
    /// and number as one on another claim (another photo of the same receipt).
    func sameReceipts(_ claims: [ClaimFacts]) -> [Finding] {
        guard let rule = policy.enabled(.r03) else { return [] }
        var firstFile: [EntryHash: String] = [:]
        var firstVendorReceipt: [String: String] = [:]
        var findings: [Finding] = []
        func found(_ claim: ClaimFacts, _ earlier: String, _ evidence: String) {
            findings.append(Finding(rule: .r03, action: rule.action, subject: claim.number, subjectPerson: claim.claimant,
                                    related: [earlier], evidence: evidence))
        }
        for claim in Self.inNumberingOrder(claims) {
            for receipt in Set(claim.receipts).sorted(by: { $0.hex < $1.hex }) {
                if let earlier = firstFile[receipt], earlier != claim.number {
                    found(claim, earlier, "receipt \(receipt.hex.prefix(16))… is also attached to \(earlier)")
                } else {
                    firstFile[receipt] = claim.number
                }
            }
            guard !claim.vendorReceipts.isEmpty else { continue }
            var seenOnThisClaim: Set<String> = []
            for receipt in claim.vendorReceipts.sorted(by: { $0.key < $1.key }) where seenOnThisClaim.insert(receipt.key).inserted {
                if let earlier = firstVendorReceipt[receipt.key], earlier != claim.number {
                    found(claim, earlier, "receipt \(receipt.description) is also on \(earlier)")
                } else {
                    firstVendorReceipt[receipt.key] = claim.number
                }
            }
        }
        return findings
    }

    // MARK: - R04 near duplicates

    /// The same claimant, amounts within ±`percent` % or ±`tolerance` minor units, activity
    /// dates within ±`days` days; exact duplicates are R02's.
    func nearDuplicates(_ claims: [ClaimFacts]) -> [Finding] {
        guard let rule = policy.enabled(.r04) else { return [] }
        let days = Int(rule.parameter("days", 3))
        let percent = rule.parameter("percent", 1)
        let tolerance = rule.parameter("tolerance", 1_000_000)
        let exactRule = policy.enabled(.r02) != nil
        var findings: [Finding] = []
        for (_, own) in Dictionary(grouping: claims, by: \.claimant) {
            let sorted = own.sorted { ($0.activityFrom, $0.number) < ($1.activityFrom, $1.number) }
            for (index, claim) in sorted.enumerated() {
                for other in sorted[(index + 1)...] {
                    guard other.activityFrom.dayNumber - claim.activityFrom.dayNumber <= days else { break }
                    guard other.amount.currency == claim.amount.currency else { continue }
                    let difference = (claim.amount.minorUnits - other.amount.minorUnits).magnitude
                    let base = max(claim.amount.minorUnits.magnitude, other.amount.minorUnits.magnitude)
                    let near = difference <= UInt64(max(tolerance, 0))
                        || difference.multipliedFullWidth(by: 100) <= base.multipliedFullWidth(by: UInt64(max(percent, 0)))
                    // What R02 reports (same day, a category with the same amount) is not repeated here.
                    let exact = exactRule && other.activityFrom == claim.activityFrom
                        && claim.amountsByCategory.contains { other.amountsByCategory[$0.key] == $0.value }
                    guard near, !exact else { continue }
                    let (earlier, later) = Self.precedes(claim.number, other.number) ? (claim, other) : (other, claim)
                    findings.append(Finding(
                        rule: .r04, action: rule.action, subject: later.number, subjectPerson: later.claimant,
                        related: [earlier.number],
                        evidence: "\(later.amount.formatted(.en)) on \(later.activityFrom) against \(earlier.amount.formatted(.en))"
                            + " on \(earlier.activityFrom) in \(earlier.number)"))
                }
            }
        }
        return findings
    }

    // MARK: - R05 split claims, R06 just under a limit

    /// Two or more claims by one claimant (or for one activity) within `days` days, each
    /// under an approval limit, together over it.
    func splitClaims(_ claims: [ClaimFacts]) -> [Finding] {
        guard let rule = policy.enabled(.r05) else { return [] }
        let days = Int(rule.parameter("days", 7))
        var findings: [Finding] = []
        // The same activity: within one district and year (free text means the same thing there).
        let groupings: [(String, (ClaimFacts) -> String)] = [
            ("claimant", \.claimant),
            ("activity", { "\($0.district)|\($0.activityFrom.year)|\($0.activity.lowercased())" }),
        ]
        for (kind, groupKey) in groupings {
            for (_, group) in Dictionary(grouping: claims, by: groupKey) where group.count >= 2 {
                let sorted = group.sorted { ($0.activityFrom, $0.number) < ($1.activityFrom, $1.number) }
                for limit in approvalLimits {
                    var start = 0
                    var sum: Int64 = 0
                    var window: [ClaimFacts] = []
                    for claim in sorted where claim.amount.currency == limit.currency && claim.amount.minorUnits < limit.minorUnits {
                        window.append(claim)
                        sum = sum.addingReportingOverflow(claim.amount.minorUnits).partialValue
                        // Within `days` days, both ends counted (as R04's window).
                        while let oldest = window[start...].first,
                              claim.activityFrom.dayNumber - oldest.activityFrom.dayNumber > days {
                            sum -= oldest.amount.minorUnits
                            start += 1
                        }
                        let inWindow = window[start...]
                        if inWindow.count >= 2, sum > limit.minorUnits {
                            findings.append(Finding(
                                rule: .r05, action: rule.action, subject: claim.number, subjectPerson: claim.claimant,
                                related: inWindow.dropLast().suffix(Self.relatedMax).map(\.number),
                                evidence: "\(inWindow.count) claims by the same \(kind) within \(days) days, each under"
                                    + " \(limit.formatted(.en)), together \(Money(minorUnits: sum, currency: limit.currency).formatted(.en))",
                                keyedByRelated: false))
                        }
                    }
                }
            }
        }
        return findings
    }

    /// `count` or more claims per claimant and quarter in [`percent` % of T, T) for an
    /// approval limit T.
    func justUnderLimits(_ claims: [ClaimFacts]) -> [Finding] {
        guard let rule = policy.enabled(.r06) else { return [] }
        let percent = rule.parameter("percent", 90)
        let count = Int(rule.parameter("count", 3))
        struct Key: Hashable { let claimant: String, year: Int, quarter: Int, limit: Int64 }
        var groups: [Key: [ClaimFacts]] = [:]
        for claim in claims {
            for limit in approvalLimits where limit.currency == claim.amount.currency {
                let amount = claim.amount.minorUnits
                let lower = limit.minorUnits.multipliedFullWidth(by: percent)
                guard amount < limit.minorUnits,
                      amount.multipliedFullWidth(by: 100) >= lower else { continue }
                let key = Key(claimant: claim.claimant, year: claim.activityFrom.year,
                              quarter: (claim.activityFrom.month - 1) / 3 + 1, limit: limit.minorUnits)
                groups[key, default: []].append(claim)
            }
        }
        return groups.filter { $0.value.count >= count }.map { key, group in
            let limit = Money(minorUnits: key.limit, currency: group[0].amount.currency)
            return Finding(
                rule: .r06, action: rule.action, subject: "\(key.claimant) \(key.year) Q\(key.quarter) under \(limit.formatted(.en))",
                subjectPerson: key.claimant, related: group.suffix(Self.relatedMax).map(\.number),
                evidence: "\(group.count) claims in \(key.year) Q\(key.quarter) between \(percent) % of and just under"
                    + " \(limit.formatted(.en))",
                keyedByRelated: false)
        }
    }

    // MARK: - R09 late filing

    /// Submitted more than `flagDays` after the activity ended (`blockDays`: block).
    func lateFilings(_ claims: [ClaimFacts]) -> [Finding] {
        guard let rule = policy.enabled(.r09) else { return [] }
        let flagDays = rule.parameter("flagDays", 30)
        let blockDays = rule.parameter("blockDays", 90)
        return claims.compactMap { claim in
            guard let submitted = claim.submittedOn else { return nil }
            let late = Int64(submitted.dayNumber - claim.activityTo.dayNumber)
            guard late > flagDays else { return nil }
            return Finding(
                rule: .r09, action: late > blockDays ? .block : rule.action, subject: claim.number,
                subjectPerson: claim.claimant,
                evidence: "submitted on \(submitted), \(late) days after the activity ended on \(claim.activityTo)")
        }
    }

    // MARK: - R08 per-diem overlap, R12 round amounts

    /// The same person claiming per diem for a day twice, or more days than the activity
    /// plus `travelDays`.
    func perDiemOverlaps(_ claims: [ClaimFacts]) -> [Finding] {
        guard let rule = policy.enabled(.r08) else { return [] }
        let travelDays = rule.parameter("travelDays", 1)
        var findings: [Finding] = []
        for claim in claims where claim.perDiemDays > 0 {
            let activityDays = Int64(claim.activityTo.dayNumber - claim.activityFrom.dayNumber + 1)
            if claim.perDiemDays > activityDays + travelDays {
                findings.append(Finding(
                    rule: .r08, action: rule.action, subject: claim.number, subjectPerson: claim.claimant,
                    evidence: "\(claim.perDiemDays) days of per diem for a \(activityDays)-day activity"
                        + " (\(claim.activityFrom) to \(claim.activityTo)) and \(travelDays) travel day"))
            }
        }
        for (_, own) in Dictionary(grouping: claims.filter { $0.perDiemDays > 0 }, by: \.claimant) {
            let sorted = own.sorted { ($0.activityFrom, $0.number) < ($1.activityFrom, $1.number) }
            var covering: ClaimFacts?
            for claim in sorted {
                if let earlier = covering, claim.activityFrom <= earlier.activityTo {
                    let (first, later) = Self.precedes(earlier.number, claim.number) ? (earlier, claim) : (claim, earlier)
                    findings.append(Finding(
                        rule: .r08, action: rule.action, subject: later.number, subjectPerson: later.claimant,
                        related: [first.number],
                        evidence: "per diem for \(later.activityFrom)–\(later.activityTo) overlaps \(first.number)"
                            + " (\(first.activityFrom)–\(first.activityTo))"))
                }
                if covering.map({ claim.activityTo > $0.activityTo }) ?? true { covering = claim }
            }
        }
        return findings
    }

    /// Round amounts on actual-cost lines (transport, lodging): a claimant with at least
    /// `minClaims` such claims whose share of round amounts is over twice everyone's.
    func roundAmounts(_ claims: [ClaimFacts]) -> [Finding] {
        guard let rule = policy.enabled(.r12) else { return [] }
        let minimum = rule.parameter("minimum", 50_000_000)
        let multiple = max(rule.parameter("multiple", 10_000_000), 1)
        let minClaims = rule.parameter("minClaims", 10)
        let actualCost = ["transport", "lodging"]
        var perClaimant: [String: (claims: Int64, round: Int64, numbers: [String])] = [:]
        var allClaims: Int64 = 0
        var allRound: Int64 = 0
        for claim in claims {
            let amounts = actualCost.compactMap { claim.amountsByCategory[$0] }
            guard !amounts.isEmpty else { continue }
            let round = amounts.contains { $0 >= minimum && $0 % multiple == 0 }
            allClaims += 1
            allRound += round ? 1 : 0
            var entry = perClaimant[claim.claimant, default: (0, 0, [])]
            entry.claims += 1
            if round {
                entry.round += 1
                entry.numbers.append(claim.number)
            }
            perClaimant[claim.claimant] = entry
        }
        guard allClaims > 0 else { return [] }
        return perClaimant.compactMap { claimant, entry in
            // round / claims > 2 × allRound / allClaims, in integers.
            guard entry.claims >= minClaims, entry.round * allClaims > 2 * allRound * entry.claims else { return nil }
            return Finding(
                rule: .r12, action: rule.action, subject: "\(claimant) round amounts", subjectPerson: claimant,
                related: entry.numbers.suffix(Self.relatedMax).map { $0 },
                evidence: "\(entry.round) of \(entry.claims) actual-cost claims in round amounts,"
                    + " against \(allRound) of \(allClaims) for everyone",
                keyedByRelated: false)
        }
    }

    // MARK: - R14 numbering, R15 bank accounts, R16 budget

    /// Claim numbers missing in a district's year: claims are never deleted.
    func numberingGaps(_ claims: [ClaimFacts]) -> [Finding] {
        guard let rule = policy.enabled(.r14) else { return [] }
        var sequences: [String: [Int]] = [:]
        for claim in claims {
            guard let number = try? ClaimNumber(parsing: claim.number) else { continue }
            sequences["FC-\(number.district)-\(number.fiscalYear)", default: []].append(number.sequence)
        }
        var findings: [Finding] = []
        for (series, numbers) in sequences {
            let present = Set(numbers)
            guard let last = present.max(), last >= 1 else { continue }
            let missing = (1...last).filter { !present.contains($0) }
            let repeated = Dictionary(grouping: numbers, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
            guard !missing.isEmpty || !repeated.isEmpty else { continue }
            func list(_ values: [Int]) -> String {
                values.prefix(Self.gapRangesMax).map(String.init).joined(separator: ", ") + (values.count > Self.gapRangesMax ? ", …" : "")
            }
            let parts = (missing.isEmpty ? [] : ["missing \(list(missing))"]) + (repeated.isEmpty ? [] : ["repeated \(list(repeated))"])
            findings.append(Finding(
                rule: .r14, action: rule.action, subject: series, subjectPerson: nil, evidence: parts.joined(separator: "; ")))
        }
        return findings
    }

    /// One bank account on two different people.
    func sharedBankAccounts(_ people: [Person]) -> [Finding] {
        guard let rule = policy.enabled(.r15) else { return [] }
        var holders: [String: [Person]] = [:]
        for person in people {
            guard let digits = person.bankAccountDigits else { continue }
            holders[digits, default: []].append(person)
        }
        return holders.values.filter { $0.count > 1 }.flatMap { group in
            group.map { person in
                Finding(rule: .r15, action: rule.action, subject: person.id, subjectPerson: person.id,
                        related: group.map(\.id).filter { $0 != person.id },
                        evidence: "bank account \(person.bankAccount ?? "") is also held by "
                            + group.filter { $0.id != person.id }.map(\.id).joined(separator: ", "),
                        keyedByRelated: false)
            }
        }
    }

    /// Lines over `blockPercent` % used (block) or over `flagPercent` % (flag), compared
    /// exactly (not after rounding); any spending on a zero budget blocks.
    func budgetUse(_ lines: [BudgetLineFigures]) -> [Finding] {
        guard let rule = policy.enabled(.r16) else { return [] }
        let flagPercent = max(rule.parameter("flagPercent", 90), 0)
        let blockPercent = max(rule.parameter("blockPercent", 100), 0)
        /// `used × 100 > budget × percent`, in 128 bits.
        func over(_ used: Int64, _ budget: Int64, _ percent: Int64) -> Bool {
            guard used > 0 else { return false }
            guard budget > 0 else { return true }
            let left = UInt64(used).multipliedFullWidth(by: 100)
            let right = UInt64(budget).multipliedFullWidth(by: UInt64(percent))
            return (left.high, left.low) > (right.high, right.low)
        }
        return lines.compactMap { line in
            let figures = line.figures
            let used = figures.actual.minorUnits.addingReportingOverflow(figures.committed.minorUnits)
            let spent = used.overflow ? Int64.max : used.partialValue
            guard over(spent, figures.revised.minorUnits, flagPercent) else { return nil }
            let shown = figures.usedPerMille.map { "\($0 / 10).\($0.magnitude % 10) % used" } ?? "spent on a zero budget"
            return Finding(
                rule: .r16, action: over(spent, figures.revised.minorUnits, blockPercent) ? .block : rule.action,
                subject: "\(line.line.line.key.fiscalYear) \(line.line.line.key)", subjectPerson: nil,
                evidence: "\(shown): budget \(figures.revised.formatted(.en)), actual \(figures.actual.formatted(.en)),"
                    + " committed \(figures.committed.formatted(.en))")
        }
    }
}
