import Budgets
import FeeClaims
import LedgerCore

/// A manual journal entry as R01 sees it: who wrote it and the budget lines it touches.
public struct ManualEntryFacts: Hashable, Sendable {
    /// `JE-2024-000123`.
    public let number: String
    /// Who posted it: a person id when the finance officer posted as themselves.
    public let author: String
    public let budgetLines: Set<BudgetLineKey>

    public init(number: String, author: String, budgetLines: Set<BudgetLineKey>) {
        self.number = number
        self.author = author
        self.budgetLines = budgetLines
    }
}

/// One fiscal year's entry numbers, summarised by the store (R14): the count and the
/// highest number tell whether any is missing without reading them all.
public struct EntryNumberingFacts: Hashable, Sendable {
    public let fiscalYear: Int
    /// Entries the year has.
    public let count: Int
    /// Its highest entry number.
    public let highest: Int
    /// The first runs of missing numbers (at most `FraudScanner.gapRangesMax`), when some are.
    public let missing: [ClosedRange<Int>]

    public init(fiscalYear: Int, count: Int, highest: Int, missing: [ClosedRange<Int>]) {
        self.fiscalYear = fiscalYear
        self.count = count
        self.highest = highest
        self.missing = missing
    }
}

extension FraudScanner {
    // MARK: - R01 manual entries by approvers

    /// A manual journal entry on a budget line by someone who approves claims on that line:
    /// they approved one of its claims, or the approval matrix lets them (their role at a
    /// level, and for a district-bound level, their district; a stand-in's delegation is
    /// temporary and not counted). Found as a `flag`: the entry is booked already, so a
    /// compliance officer looks at it.
    func manualEntriesByApprovers(_ entries: [ManualEntryFacts], claims: [ClaimFacts], people: [Person]) -> [Finding] {
        guard policy.enabled(.r01) != nil, !entries.isEmpty else { return [] }
        let authors = Set(entries.map(\.author))
        var approved: [String: [BudgetLineKey: [String]]] = [:]
        for claim in claims where !claim.approvedBy.isEmpty {
            guard let number = try? ClaimNumber(parsing: claim.number) else { continue }
            let line = BudgetLineKey(fiscalYear: number.fiscalYear, district: claim.district, code: claim.budgetLine)
            for approver in Set(claim.approvedBy) where authors.contains(approver) {
                approved[approver, default: [:]][line, default: []].append(claim.number)
            }
        }
        let peopleByID = Dictionary(people.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var findings: [Finding] = []
        for entry in entries {
            var reasons: [String] = []
            var related: [String] = []
            for line in entry.budgetLines.sorted() {
                let claims = (approved[entry.author]?[line] ?? []).sorted(by: Self.precedes)
                let role = peopleByID[entry.author].flatMap { approvingRole(of: $0, district: line.district) }
                guard role != nil || !claims.isEmpty else { continue }
                var why: [String] = []
                if let role { why.append("approves claims there as \(role.rawValue)") }
                if !claims.isEmpty {
                    why.append("approved " + claims.prefix(3).joined(separator: ", ") + (claims.count > 3 ? " and \(claims.count - 3) more" : ""))
                }
                reasons.append("\(line): " + why.joined(separator: ", "))
                related += claims
            }
            guard !reasons.isEmpty else { continue }
            findings.append(Finding(
                rule: .r01, action: .flag, subject: entry.number, subjectPerson: entry.author,
                related: Array(related.suffix(Self.relatedMax)),
                evidence: "manual entry by \(entry.author), who approves claims on its budget lines: " + reasons.joined(separator: "; "),
                keyedByRelated: false))
        }
        return findings
    }

    /// The role by which `person` may approve claims of `district`, or nil.
    func approvingRole(of person: Person, district: String) -> Role? {
        approvalLevels.first { level in
            person.roles.contains(level.role) && level.covers(district: person.district, claimDistrict: district)
        }?.role
    }

    // MARK: - R14 entry numbering

    /// Runs of missing numbers named on one finding, at most.
    public static let gapRangesMax = 20

    /// Missing journal entry numbers in a fiscal year (the store refuses repeats).
    func entryNumberingGaps(_ years: [EntryNumberingFacts]) -> [Finding] {
        guard let rule = policy.enabled(.r14) else { return [] }
        return years.compactMap { year in
            guard year.count < year.highest else { return nil }
            let runs = year.missing.prefix(Self.gapRangesMax)
                .map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)–\($0.upperBound)" }
            let more = year.missing.count > runs.count ? ", …" : ""
            return Finding(rule: .r14, action: rule.action, subject: "JE-\(year.fiscalYear)", subjectPerson: nil,
                           evidence: "\(year.highest - year.count) entry number(s) missing up to \(year.highest)"
                               + (runs.isEmpty ? "" : ": " + runs.joined(separator: ", ") + more), keyedByRelated: false)
        }
    }
}
