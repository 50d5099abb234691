import FeeClaims
import Foundation
import FraudRules
import Hummingbird
import LedgerCore
import LedgerStore
import Logging

/// The findings page (list with evidence, and the compliance officer's triage) and the
/// export page (auditors download the year's bundle).
struct FindingPages {
    let kit: PageKit
    let access: LedgerAccess
    let exports: ExportRoutes

    func register(on router: RouterGroup<AdminRequestContext>) {
        router.get("findings") { request, _ in try await list(request, errors: [:]) }
        router.post("findings/{id}/decision") { request, context in try await decide(request, context) }
        router.get("exports") { request, _ in
            guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
            guard AccessPolicy.allows(.export, user) else { return PageKit.redirect("/") }
            return exportPage(request, user: user, year: String((try? access.today().year) ?? 2024), error: nil)
        }
        router.post("exports") { request, context in try await export(request, context) }
    }

    /// The findings of a status (open by default), with `errors` next to their reason
    /// field (by finding id), or `formError` above them (a refused form).
    private func list(_ request: Request, errors: [String: String], formError: String? = nil) async throws -> Response {
        guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
        guard AccessPolicy.allows(.readFindings, user) else { return PageKit.redirect("/") }
        let wanted = request.uri.queryParameters.get("status").map { String($0) } ?? "open"
        let statuses = ["open", "dismissed", "escalated"]
        let status = statuses.contains(wanted) ? wanted : "open"
        let findings = try await access.run { try $0.findings(status: status, limit: 500) }
        let canDecide = AccessPolicy.allows(.decideFindings, user)
        var values: [String: Any] = [
            "title": PageKit.text("findings_title", request),
            "statuses": statuses.map { ["value": $0, "selected": $0 == status] },
            "findings": findings.map { stored -> [String: Any] in
                var values: [String: Any] = [
                    "id": stored.id, "rule": stored.finding.rule.rawValue, "action": stored.finding.action.rawValue,
                    "subject": stored.finding.subject, "evidence": stored.finding.evidence, "status": stored.status,
                    "canDecide": canDecide && stored.status == "open",
                ]
                if let error = errors[stored.id] { values["reasonError"] = error }
                return values
            },
        ]
        if let formError { values["formError"] = formError }
        let code: HTTPResponse.Status = formError != nil ? .forbidden : (errors.isEmpty ? .ok : .badRequest)
        return kit.page("findings", values, request, user: user, status: code)
    }

    private func decide(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
        guard AccessPolicy.allows(.decideFindings, user) else { return PageKit.redirect("/") }
        let id = try context.parameters.path("id")
        var request = request
        let form = try await PageRoutes.form(&request)
        guard CSRF.accepts(request, field: form.csrf) else {
            return try await list(request, errors: [:], formError: PageKit.text("csrf_refused", request))
        }
        let reason = (form.reason ?? "").trimmingCharacters(in: .whitespaces)
        guard !reason.isEmpty else {
            return try await list(request, errors: [id: PageKit.text("field_required", request)])
        }
        let decision: LedgerDatabase.FindingDecision
        switch form.decision {
        case "dismiss": decision = .dismiss
        case "escalate": decision = .escalate
        default: return try await list(request, errors: [id: PageKit.text("field_required", request)])
        }
        let now = access.now
        do {
            try await access.run { try $0.decide(decision, finding: id, reason: reason, by: user.id, now: now) }
        } catch {
            let problem = Problem(presenting: error)
            guard problem.status.code < 500 else { throw error }
            return try await list(request, errors: [id: ProblemText.message(problem, PageKit.language(request))])
        }
        context.notes.user = user.id
        context.record("finding decided", ["finding": .string(id), "decision": .string(decision.rawValue)])
        return PageKit.redirect("/findings")
    }

    private func exportPage(_ request: Request, user: Person, year: String, error: String?,
                            status: HTTPResponse.Status = .ok) -> Response {
        var values: [String: Any] = ["title": PageKit.text("export_title", request), "year": year]
        if let error { values["yearError"] = error }
        return kit.page("export", values, request, user: user, status: status)
    }

    private func export(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
        guard AccessPolicy.allows(.export, user) else { return PageKit.redirect("/") }
        var request = request
        let form = try await PageRoutes.form(&request)
        let typed = form.year ?? ""
        guard CSRF.accepts(request, field: form.csrf) else {
            return exportPage(request, user: user, year: typed, error: PageKit.text("csrf_refused", request), status: .forbidden)
        }
        guard let year = Int(typed), (1900...9999).contains(year) else {
            return exportPage(request, user: user, year: typed, error: PageKit.text("field_required", request),
                              status: .badRequest)
        }
        context.notes.user = user.id
        context.record("export", ["year": .stringConvertible(year)])
        return try await exports.zip(fiscalYear: year, context)
    }
}
