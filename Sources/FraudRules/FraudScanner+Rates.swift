import FeeClaims
import LedgerCore

extension FraudScanner {
    // MARK: - R07 rate ceilings

    /// A unit rate above the ceiling of `Policies/rates.yaml` for its category, district and
    /// fiscal year. Adding such a line is refused already; this finds the lines written
    /// before a ceiling was lowered, and claims from before the rates were set.
    func overCeilings(_ claims: [ClaimFacts]) -> [Finding] {
        guard let rule = policy.enabled(.r07), let rates else { return [] }
        return claims.compactMap { claim in
            let year = (try? ClaimNumber(parsing: claim.number))?.fiscalYear ?? claim.activityFrom.year
            let over = claim.highestUnitRates.sorted { $0.key < $1.key }.compactMap { categoryText, unitRate -> String? in
                let rate = Money(minorUnits: unitRate, currency: claim.amount.currency)
                guard let category = ClaimCategory(rawValue: categoryText),
                      let ceiling = rates.ceilingExceeded(by: rate, category: category, district: claim.district, year: year)
                else { return nil }
                return "\(categoryText) at \(rate.formatted(.en)) per \(category.unit),"
                    + " above the \(claim.district) \(year) ceiling of \(ceiling.unitRate.formatted(.en))"
            }
            guard !over.isEmpty else { return nil }
            return Finding(rule: .r07, action: rule.action, subject: claim.number, subjectPerson: claim.claimant,
                           evidence: over.joined(separator: "; "))
        }
    }
}
