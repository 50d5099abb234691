import FeeClaims
import LedgerStore

/// What a user who may not read anti-fraud findings learns of them: their ids, nothing of
/// their evidence. Evidence names other people (a shared bank account), other claims and
/// budget figures, and tells a claimant which rule to work around.
enum FindingRedaction {
    /// `F-000123 R02 hold: evidence…` → `F-000123`; a finding not on record yet → nil.
    static func id(_ finding: String) -> String? {
        let first = finding.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
        return first.hasPrefix("F-") ? first : nil
    }

    static func ids(_ findings: [String]) -> [String] { findings.compactMap(id) }

    /// The claim's events, with the rules' own comments (their evidence) withheld.
    static func events(_ events: [ClaimEvent], for person: Person) -> [ClaimEventJSON] {
        let canRead = AccessPolicy.allows(.readFindings, person)
        return events.map { event in
            var json = ClaimEventJSON(event)
            if !canRead, event.actor == ruleActor, json.comment != nil {
                json.comment = "held by the anti-fraud rules; a compliance officer reviews the findings"
            }
            return json
        }
    }

    /// The actor the store records for steps the rules take.
    static let ruleActor = "anti-fraud"
}
