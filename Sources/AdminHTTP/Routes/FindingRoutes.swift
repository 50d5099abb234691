import FeeClaims
import Hummingbird
import LedgerStore
import Logging

/// Anti-fraud findings and their triage.
struct FindingRoutes {
    let access: LedgerAccess

    func register(on api: RouterGroup<AdminRequestContext>) {
        api.get("findings") { request, context in
            _ = try context.user(allowedTo: .readFindings)
            let query = try Query(request, known: ["status", "limit"])
            let status = try query.string("status")
            let limit = try query.integer("limit", in: 1...10_000) ?? 1_000
            if let status, !["open", "dismissed", "escalated"].contains(status) {
                throw APIError.queryInvalid(parameter: "status", reason: "must be open, dismissed or escalated")
            }
            let findings = try await access.run { try $0.findings(status: status, limit: limit) }
            return JSONBody.response(findings.map(FindingJSON.init))
        }
        api.post("findings/{id}/decision") { request, context in
            let user = try context.user(allowedTo: .decideFindings)
            let id = try context.parameters.path("id")
            var request = request
            var body = try await JSONBody.object(&request)
            let decisionText = try body.string("decision")
            let reason = try body.string("reason")
            try body.finish()
            let decision: LedgerDatabase.FindingDecision
            switch decisionText {
            case "dismiss": decision = .dismiss
            case "escalate": decision = .escalate
            default: throw APIError.fieldInvalid(field: "decision", reason: "must be dismiss or escalate")
            }
            let now = access.now
            try await access.run { try $0.decide(decision, finding: id, reason: reason, by: user.id, now: now) }
            context.record("finding decided", ["finding": .string(id), "decision": .string(decisionText)])
            guard let decided = try await access.run({ try $0.finding(id) }) else { throw APIError.notFound(path: id) }
            return JSONBody.response(FindingJSON(decided))
        }
    }
}
