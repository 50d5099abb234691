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
        router.get("findings") { request, _ in try await list(request) }
        router.get("findings/{id}") { request, context in try await detail(request, context, feedback: nil) }
        router.post("findings/{id}/decision") { request, context in try await decide(request, context) }
        router.get("exports") { request, _ in
            guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
            guard AccessPolicy.allows(.export, user) else { return PageKit.redirect("/") }
            return exportPage(request, user: user, year: String(try access.today().year), error: nil)
        }
        router.post("exports") { request, context in try await export(request, context) }
    }

    /// A refused decision as its page shows it: the finding, the errors by field (`reason`,
    /// `decision`) or one above the form, the status, what was typed.
    struct DecisionFeedback {
        var finding: String
        var errors: [String: String] = [:]
        var formError: String?
        var status: HTTPResponse.Status
        var reason: String
        var decision: String
    }

    /// The findings of a status (open by default). A refused decision shows next to its
    /// field in the finding's form, or above the list when that finding is not listed
    /// (decided meanwhile, unknown).
    private func list(_ request: Request, feedback: DecisionFeedback? = nil) async throws -> Response {
        guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
        guard AccessPolicy.allows(.readFindings, user) else { return PageKit.redirect("/") }
        let wanted = request.uri.queryParameters.get("status").map { String($0) } ?? "open"
        let statuses = ["open", "dismissed", "escalated"]
        let status = statuses.contains(wanted) ? wanted : "open"
        let findings = try await access.run { try $0.findings(status: status, limit: Self.listedMax) }
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
                values.merge(Self.decisionForm(feedback, for: stored.id)) { _, new in new }
                return values
            },
        ]
        if let feedback {
            // Errors of fields sit at the finding's form, if it is listed and open; else above all.
            let shown = canDecide && findings.contains { $0.id == feedback.finding && $0.status == "open" }
            let message = feedback.formError ?? (shown ? nil : feedback.errors.sorted { $0.key < $1.key }.first?.value)
            if let message { values["formError"] = message }
        }
        return kit.page("findings", values, request, user: user, status: feedback?.status ?? .ok)
    }

    /// The values of the decision form of finding `id`: what was typed, the error by its field.
    static func decisionForm(_ feedback: DecisionFeedback?, for id: String) -> [String: Any] {
        var values: [String: Any] = ["reason": "", "escalateChosen": false]
        guard let feedback, feedback.finding == id else { return values }
        values["reason"] = feedback.reason
        values["escalateChosen"] = feedback.decision == "escalate"
        for (field, message) in feedback.errors { values["\(field)Error"] = message }
        return values
    }

    /// The most findings a list shows (the open ones are triaged long before there are so many).
    static let listedMax = 500

    private func decide(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
        guard AccessPolicy.allows(.decideFindings, user) else { return PageKit.redirect("/") }
        let id = try context.parameters.path("id")
        var request = request
        let form = try await PageRoutes.form(&request)
        let reason = (form.reason ?? "").trimmingCharacters(in: .whitespaces)
        // The form on the finding's own page comes back there; the list's to the list.
        let fromDetail = form["from"] == "detail"
        func refuse(_ errors: [String: String] = [:], formError: String? = nil, status: HTTPResponse.Status)
            async throws -> Response {
            let feedback = DecisionFeedback(finding: id, errors: errors, formError: formError, status: status,
                                            reason: reason, decision: form.decision ?? "")
            if fromDetail { return try await detail(request, context, feedback: feedback) }
            return try await list(request, feedback: feedback)
        }
        guard CSRF.accepts(request, field: form.csrf) else {
            return try await refuse(formError: PageKit.text("csrf_refused", request), status: .forbidden)
        }
        var errors: [String: String] = [:]
        let decision: LedgerDatabase.FindingDecision?
        switch form.decision ?? "" {
        case "dismiss": decision = .dismiss
        case "escalate": decision = .escalate
        case "":
            decision = nil
            errors["decision"] = PageKit.text("field_required", request)
        default:
            decision = nil
            errors["decision"] = PageKit.text("decision_invalid", request)
        }
        if reason.isEmpty { errors["reason"] = PageKit.text("field_required", request) }
        guard let decision, errors.isEmpty else { return try await refuse(errors, status: .badRequest) }
        let now = access.now
        do {
            try await access.run { try $0.decide(decision, finding: id, reason: reason, by: user.id, now: now) }
        } catch {
            let refusal = try PageRefusal(error, request)
            if refusal.field == "reason" { return try await refuse(["reason": refusal.fieldMessage], status: refusal.status) }
            return try await refuse(formError: refusal.message, status: refusal.status)
        }
        context.notes.user = user.id
        context.record("finding decided", ["finding": .string(id), "decision": .string(decision.rawValue)])
        return PageKit.redirect(fromDetail ? "/findings/\(id)" : "/findings")
    }

    /// A finding with its evidence, what it concerns (linked), its decisions and the
    /// approvers who acknowledged it; the compliance officer's decision form while open.
    private func detail(_ request: Request, _ context: AdminRequestContext, feedback: DecisionFeedback?)
        async throws -> Response {
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
            // A list is rendered only with items (an empty one is announced as a list).
            "hasRelated": !finding.related.isEmpty, "hasDecisions": !record.decisions.isEmpty,
            "hasAcknowledgements": !record.acknowledgements.isEmpty,
        ]
        if let link = Self.link(finding.subject) { values["subjectLink"] = link }
        if let person = finding.subjectPerson { values["subjectPerson"] = person }
        values.merge(Self.decisionForm(feedback, for: id)) { _, new in new }
        // Errors of fields sit at the fields while the form is shown; any other above all.
        if let feedback {
            let message = feedback.formError ?? (canDecide ? nil : feedback.errors.sorted { $0.key < $1.key }.first?.value)
            if let message { values["actionError"] = message }
        }
        return kit.page("finding", values, request, user: user, status: feedback?.status ?? .ok)
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
        guard let year = Int64(typed), ExportRoutes.years.contains(year), let fiscalYear = Int(exactly: year) else {
            return exportPage(request, user: user, year: typed, error: PageKit.text("year_invalid", request),
                              status: .badRequest)
        }
        context.notes.user = user.id
        context.record("export", ["year": .stringConvertible(year)])
        return try await exports.zip(fiscalYear: fiscalYear, context)
    }
}
