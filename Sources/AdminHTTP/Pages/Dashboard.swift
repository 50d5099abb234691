import Budgets
import FeeClaims
import Foundation
import FraudRules
import LedgerCore
import LedgerStore

/// The home page's figures for one person: what waits for their action, their own claims,
/// open findings, and the budget's use as bars, each shown only to whom it concerns.
enum Dashboard {
    static func values(for person: Person, access: LedgerAccess, locale: AmountLocale, language: Language) async throws
        -> [String: Any] {
        var values: [String: Any] = ["roles": person.roles.sorted().map(\.rawValue).joined(separator: ", ")]
        if AccessPolicy.allows(.readClaims, person) {
            let waiting = try await waitingClaims(for: person, access: access)
            values["hasWaiting"] = !waiting.isEmpty
            values["waiting"] = waiting.map { row($0, locale) }
        }
        if person.roles.contains(.claimant), AccessPolicy.allows(.actOnClaims, person) {
            values["isClaimant"] = true
            let mine = try await access.run { try $0.claims(claimant: person.id, limit: 10) }
            values["mine"] = mine.map { row($0, locale) }
        }
        if AccessPolicy.allows(.readFindings, person) {
            let (count, open) = try await access.run { ledger in
                (try ledger.findingCount(status: "open"), try ledger.findings(status: "open", limit: 5))
            }
            values["showFindings"] = true
            values["openFindings"] = count
            values["findings"] = open.map {
                ["id": $0.id, "rule": $0.finding.rule.rawValue, "subject": $0.finding.subject]
            }
        }
        if AccessPolicy.allows(.readBudgets, person) {
            let year = try access.today().year
            let district = AccessPolicy.budgetDistrict(person)
            let figures = try await access.run { try $0.budgetFigures(fiscalYear: year, district: district) }
            values["showBudget"] = !figures.isEmpty
            values["year"] = year
            values["bars"] = bars(figures, language: language)
        }
        return values
    }

    /// Claims in a state where the person's role takes the next step, in their scope, not their own.
    static func waitingClaims(for person: Person, access: LedgerAccess) async throws -> [ClaimSummary] {
        var states: [ClaimState] = []
        if !person.roles.isDisjoint(with: [.coordinator, .programManager, .director]) { states.append(.submitted) }
        if person.roles.contains(.financeOfficer) { states.append(.approved) }
        if person.roles.contains(.treasurer) { states.append(.posted) }
        if person.roles.contains(.complianceOfficer) { states.append(.onHold) }
        guard AccessPolicy.allows(.actOnClaims, person), !states.isEmpty else { return [] }
        var district: String?
        if case .district(let code) = AccessPolicy.claimScope(person) { district = code }
        let found = try await access.run { [district, states] ledger in
            try states.flatMap { try ledger.claims(state: $0, district: district, limit: 20) }
        }
        return found.filter { $0.claimant != person.id }
    }

    private static func row(_ claim: ClaimSummary, _ locale: AmountLocale) -> [String: Any] {
        ["number": claim.number.description, "claimant": claim.claimant, "state": claim.state.rawValue,
         "activity": claim.activity, "amount": claim.amount.formatted(locale)]
    }

    /// One SVG per district: a bar per budget line, its length the share used (spent and
    /// committed) of the revised budget, capped at the bar's end; red past 100 %.
    static func bars(_ figures: [BudgetLineFigures], language: Language) -> [[String: Any]] {
        Dictionary(grouping: figures, by: { $0.line.line.key.district }).sorted { $0.key < $1.key }.map { district, lines in
            let sorted = lines.sorted { $0.line.line.key < $1.line.line.key }
            return [
                "district": district,
                "height": sorted.count * 18 + 4,
                "lines": sorted.enumerated().map { index, line -> [String: Any] in
                    let perMille = line.figures.usedPerMille ?? 0
                    let width = min(max(perMille, 0), 1_000) * 300 / 1_000
                    let name = language == .id ? line.line.line.nameId : line.line.line.nameEn
                    return ["line": line.line.line.key.code, "name": name, "y": index * 18 + 2,
                            "textY": index * 18 + 12, "width": width, "percent": perMille / 10,
                            "colour": perMille > 1_000 ? "#a4161a" : (perMille >= 900 ? "#e9c46a" : "#2a9d8f")]
                },
            ]
        }
    }
}
