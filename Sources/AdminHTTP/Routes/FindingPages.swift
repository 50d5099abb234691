import FeeClaims
import Foundation
import FraudRules
import Hummingbird
import LedgerCore
import LedgerStore
import Logging

/// The findings pages (the list with evidence and the compliance officer's triage, and a
/// finding's own page with its decisions) and the export page (auditors download the
/// year's bundle).
struct FindingPages {
    let kit: PageKit
    let access: LedgerAccess
    let exports: ExportRoutes

    func register(on router: RouterGroup<AdminRequestContext>) {
        router.get("findings") { request, _ in try await list(request, errors: [:]) }
        router.get("findings/{id}") { request, context in try await detail(request, context, reasonError: nil) }
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
        // The form on the finding's own page comes back there; the list's to the list.
        let fromDetail = form["from"] == "detail"
        func refuse(_ error: String, status: HTTPResponse.Status) async throws -> Response {
            if fromDetail { return try await detail(request, context, reasonError: error, status: status) }
            return try await list(request, errors: [id: error])
        }
        guard CSRF.accepts(request, field: form.csrf) else {
            if fromDetail { return try await refuse(PageKit.text("csrf_refused", request), status: .forbidden) }
            return try await list(request, errors: [:], formError: PageKit.text("csrf_refused", request))
        }
        let reason = (form.reason ?? "").trimmingCharacters(in: .whitespaces)
        guard !reason.isEmpty else { return try await refuse(PageKit.text("field_required", request), status: .badRequest) }
        let decision: LedgerDatabase.FindingDecision
        switch form.decision {
        case "dismiss": decision = .dismiss
        case "escalate": decision = .escalate
        default: return try await refuse(PageKit.text("field_required", request), status: .badRequest)
        }
        let now = access.now
        do {
            try await access.run { try $0.decide(decision, finding: id, reason: reason, by: user.id, now: now) }
        } catch {
            let problem = Problem(presenting: error)
            guard problem.status.code < 500 else { throw error }
            return try await refuse(ProblemText.message(problem, PageKit.language(request)), status: problem.status)
        }
        context.notes.user = user.id
        context.record("finding decided", ["finding": .string(id), "decision": .string(decision.rawValue)])
        return PageKit.redirect(fromDetail ? "/findings/\(id)" : "/findings")
    }

    /// A finding with its evidence, what it concerns (linked), its decisions and the
    /// approvers who acknowledged it; the compliance officer's decision form while open.
    private func detail(_ request: Request, _ context: AdminRequestContext, reasonError: String?,
                        status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
        guard AccessPolicy.allows(.readFindings, user) else { return PageKit.redirect("/") }
        let id = try context.parameters.path("id")
        guard let record = try await access.run({ try $0.findingRecord(id) }) else {
            throw APIError.notFound(path: "finding")
        }
        let finding = record.finding.finding
        let canDecide = AccessPolicy.allows(.decideFindings, user) && record.finding.status == "open"
        var values: [String: Any] = [
            "title": "\(PageKit.text("finding", request)) \(id)", "id": id, "rule": finding.rule.rawValue,
            "action": finding.action.rawValue, "subject": finding.subject, "evidence": finding.evidence,
            "status": record.finding.status, "foundAt": record.finding.foundAt.description,
            // A section renders for any string, even empty: keys without a value are left out.
            "related": finding.related.map { text -> [String: Any] in
                var values: [String: Any] = ["text": text]
                if let link = Self.link(text) { values["link"] = link }
                return values
            },
            "decisions": record.decisions.map {
                ["decision": $0.decision, "actor": $0.actor, "reason": $0.reason, "at": $0.at.description]
            },
            "acknowledgements": record.acknowledgements.map { ["actor": $0.actor, "at": $0.at.description] },
            "canDecide": canDecide,
        ]
        if let link = Self.link(finding.subject) { values["subjectLink"] = link }
        if let person = finding.subjectPerson { values["subjectPerson"] = person }
        if let reasonError { values[canDecide ? "reasonError" : "actionError"] = reasonError }
        return kit.page("finding", values, request, user: user, status: status)
    }

    /// The page of what a finding names: a claim or an entry; nil for anything else.
    static func link(_ subject: String) -> String? {
        if (try? ClaimNumber(parsing: subject)) != nil { return "/claims/\(subject)" }
        if (try? EntryNumber(parsing: subject)) != nil { return "/journal/\(subject)" }
        return nil
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
            return exportPage(request, user: user, year: typed, error: PageKit.text("year_invalid", request),
                              status: .badRequest)
        }
        context.notes.user = user.id
        context.record("export", ["year": .stringConvertible(year)])
        return try await exports.zip(fiscalYear: year, context)
    }
}
