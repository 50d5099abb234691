import FeeClaims
import Foundation
import Hummingbird
import LedgerCore
import LedgerStore
import Logging

/// The claim pages: the list, a new claim with its receipt (from a phone's camera), a
/// claim's detail with the steps the viewer may take. The same rules as the API decide:
/// `AccessPolicy` for who sees what, FeeClaims for each step.
struct ClaimPages {
    let kit: PageKit
    let access: LedgerAccess

    /// The form of a new claim, field by field (name, catalogue key, input type).
    static let fields: [(name: String, label: String, type: String)] = [
        ("district", "district", "text"), ("budgetLine", "budget_line", "text"), ("activity", "activity", "text"),
        ("activityFrom", "activity_from", "date"), ("activityTo", "activity_to", "date"),
        ("quantity", "quantity", "number"), ("unitRate", "unit_rate", "text"),
    ]

    func register(on router: RouterGroup<AdminRequestContext>) {
        router.get("claims") { request, _ in try await list(request) }
        router.get("claims/new") { request, _ in
            guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
            guard AccessPolicy.allows(.actOnClaims, user) else { return PageKit.redirect("/claims") }
            return newForm(request, user: user, values: ["district": user.district ?? ""], errors: [:])
        }
        router.post("claims/new") { request, context in try await create(request, context) }
        router.get("claims/{number}") { request, context in try await detail(request, context, error: nil) }
        router.post("claims/{number}/{action}") { request, context in try await act(request, context) }
    }

    // MARK: - List and detail

    private func list(_ request: Request) async throws -> Response {
        guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
        guard AccessPolicy.allows(.readClaims, user) else { return PageKit.redirect("/") }
        let wanted = request.uri.queryParameters.get("state").flatMap { ClaimState(rawValue: $0) }
        var district: String?
        var claimant: String?
        switch AccessPolicy.claimScope(user) {
        case .all, .none: break
        case .district(let code): district = code
        case .own(let id): claimant = id
        }
        let claims = try await access.run { [district, claimant] in
            try $0.claims(state: wanted, district: district, claimant: claimant, limit: 200)
        }
        let locale = PageKit.amountLocale(request)
        return kit.page("claims", [
            "title": PageKit.text("claims_title", request),
            "canCreate": AccessPolicy.allows(.actOnClaims, user),
            "states": ClaimState.allCases.map { ["value": $0.rawValue, "selected": $0 == wanted] },
            "claims": claims.map {
                ["number": $0.number.description, "claimant": $0.claimant, "state": $0.state.rawValue,
                 "activity": $0.activity, "from": $0.activityFrom.description, "amount": $0.amount.formatted(locale)]
            },
        ], request, user: user)
    }

    private func detail(_ request: Request, _ context: AdminRequestContext, error: String?, status: HTTPResponse.Status = .ok)
        async throws -> Response {
        guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
        let number = try await visibleClaim(context, user: user)
        let claim = try await access.run { try $0.claim(number) }
        let locale = PageKit.amountLocale(request)
        let events = FindingRedaction.events(claim.events, for: user)
        return kit.page("claim", [
            "title": "\(PageKit.text("claim", request)) \(number)",
            "number": number.description, "claimant": claim.snapshot.header.claimant,
            "state": claim.snapshot.state.rawValue, "activity": claim.snapshot.header.activity,
            "from": claim.snapshot.header.activityFrom.description, "to": claim.snapshot.header.activityTo.description,
            "amount": claim.snapshot.amount.formatted(locale),
            "lines": claim.lines.map { ["category": $0.category.rawValue, "quantity": $0.quantity, "rate": $0.unitRate.formatted(locale)] },
            "receipts": claim.receipts.map { ["fileName": $0.fileName, "mediaType": $0.mediaType.rawValue] },
            "events": events.map { event in
                var values: [String: Any] = ["at": event.at, "actor": event.actor, "action": event.action, "to": event.to]
                if let comment = event.comment { values["comment"] = comment }
                return values
            },
            "actions": Self.actions(for: user, on: claim.snapshot).map { action in
                ["name": action.rawValue, "label": PageKit.text("action_\(action.rawValue)", request),
                 "number": number.description, "revision": claim.snapshot.revision,
                 "needsComment": [.return, .reject, .hold, .release].contains(action), "acknowledge": action == .approve]
            },
        ].merging(error.map { ["actionError": $0] } ?? [:]) { first, _ in first }, request, user: user, status: status)
    }

    /// The steps worth offering `person` on `claim`; FeeClaims still decides each.
    static func actions(for person: Person, on claim: ClaimSnapshot) -> [ClaimAction] {
        guard AccessPolicy.allows(.actOnClaims, person) else { return [] }
        let own = claim.header.claimant == person.id
        var actions: [ClaimAction] = []
        switch claim.state {
        case .draft, .returned:
            if own { actions.append(.submit) }
        case .submitted:
            if own && claim.approvals.isEmpty { actions.append(.withdraw) }
            if !own && !person.roles.isDisjoint(with: [.coordinator, .programManager, .director]) {
                actions += [.approve, .return, .reject]
            }
        case .approved:
            if person.roles.contains(.financeOfficer) && !own { actions += [.post, .return] }
        case .posted:
            if person.roles.contains(.treasurer) && !own { actions.append(.pay) }
        case .onHold:
            if person.roles.contains(.complianceOfficer) { actions += [.release, .reject] }
        default:
            break
        }
        if person.roles.contains(.complianceOfficer), !own, [.draft, .submitted, .returned, .approved].contains(claim.state) {
            actions.append(.hold)
        }
        return actions
    }

    // MARK: - New claim

    private func newForm(_ request: Request, user: Person, values: [String: String], errors: [String: String],
                         formError: String = "", status: HTTPResponse.Status = .ok) -> Response {
        let category = values["category"] ?? ClaimCategory.perDiem.rawValue
        return kit.page("claim-new", [
            "title": PageKit.text("claim_new", request),
            "fields": Self.fields.map { field in
                var values: [String: Any] = ["name": field.name, "label": PageKit.text(field.label, request),
                                             "type": field.type, "value": values[field.name] ?? "", "required": true]
                if let error = errors[field.name] { values["error"] = error }
                return values
            },
            "categories": ClaimCategory.allCases.map { ["value": $0.rawValue, "selected": $0.rawValue == category] },
        ].merging(formError.isEmpty ? [:] : ["formError": formError]) { first, _ in first }, request, user: user,
            status: status)
    }

    private func create(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
        guard AccessPolicy.allows(.actOnClaims, user) else { return PageKit.redirect("/claims") }
        var request = request
        let body = try await JSONBody.collect(&request, limit: ClaimRoutes.receiptBodyMax, requireJSON: false)
        let form = try MultipartForm(contentType: request.headers[.contentType], body: Array(body.readableBytesView))
        var values: [String: String] = [:]
        for name in Self.fields.map(\.name) + ["category", "csrf"] {
            values[name] = (try? form.text(name))?.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        }
        guard CSRF.accepts(request, field: values["csrf"]) else {
            return newForm(request, user: user, values: values, errors: [:], formError: PageKit.text("csrf_refused", request),
                           status: .forbidden)
        }
        var errors: [String: String] = [:]
        for field in Self.fields where (values[field.name] ?? "").isEmpty {
            errors[field.name] = PageKit.text("field_required", request)
        }
        guard errors.isEmpty else { return newForm(request, user: user, values: values, errors: errors, status: .badRequest) }
        let language = PageKit.language(request)
        do {
            let currency = try await access.baseCurrency()
            func date(_ name: String) throws -> LedgerDate {
                do { return try LedgerDate(parsing: values[name] ?? "", field: name) } catch {
                    throw APIError.fieldInvalid(field: name, reason: "must be a date YYYY-MM-DD")
                }
            }
            guard let quantity = Int64(values["quantity"] ?? "") else {
                throw APIError.fieldInvalid(field: "quantity", reason: "must be a whole number")
            }
            guard let category = ClaimCategory(rawValue: values["category"] ?? "") else {
                throw APIError.fieldInvalid(field: "category", reason: "is not a category")
            }
            let rate = try Money.parse(values["unitRate"] ?? "", currency: currency, locale: PageKit.amountLocale(request),
                                       field: "unitRate")
            let district = values["district"] ?? ""
            if let own = user.district, district != own {
                throw APIError.fieldInvalid(field: "district", reason: "is \(own), the claimant's district")
            }
            let header = ClaimHeader(
                claimant: user.id, district: district, budgetLine: values["budgetLine"] ?? "",
                activity: values["activity"] ?? "", activityFrom: try date("activityFrom"), activityTo: try date("activityTo"))
            let line = ClaimLine(category: category, quantity: quantity, unitRate: rate)
            let receipt = form.parts.first { $0.name == "receipt" && !$0.content.isEmpty }
            let day = try access.today()
            let now = access.now
            let number = try await access.run { ledger in
                let number = try ledger.createClaim(header, lines: [line], by: user.id, date: day, now: now)
                if let receipt {
                    try ledger.attachReceipt(Array(receipt.content), fileName: receipt.fileName ?? "receipt", to: number,
                                             by: user.id, date: day)
                }
                return number
            }
            context.notes.user = user.id
            context.record("claim created", ["claim": .string(number.description)])
            return PageKit.redirect("/claims/\(number)")
        } catch {
            let problem = Problem(presenting: error)
            guard problem.status.code < 500 else { throw error }
            let message = ProblemText.message(problem, language)
            if let field = problem.field, Self.fields.contains(where: { $0.name == field }) {
                return newForm(request, user: user, values: values, errors: [field: message], status: problem.status)
            }
            return newForm(request, user: user, values: values, errors: [:], formError: message, status: problem.status)
        }
    }

    // MARK: - Steps

    private func act(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
        let number = try await visibleClaim(context, user: user)
        guard let action = ClaimAction(rawValue: try context.parameters.path("action")), action != .reverse else {
            throw APIError.notFound(path: "action")
        }
        var request = request
        let form = try await PageRoutes.form(&request)
        guard CSRF.accepts(request, field: form.csrf) else {
            return try await detail(request, context, error: PageKit.text("csrf_refused", request), status: .forbidden)
        }
        let comment = form.comment.flatMap { $0.isEmpty ? nil : $0 }
        let revision = form.expectedRevision.flatMap { Int($0) }
        let acknowledge = form.acknowledgeFlags == "true"
        let day = try access.today()
        let now = access.now
        do {
            guard AccessPolicy.allows(.actOnClaims, user) else { throw APIError.roleForbidden(action: "act on claims") }
            let result = try await access.run {
                try $0.act(action, on: number, by: user.id, comment: comment, date: day, now: now, expectedRevision: revision,
                           acknowledgeFlags: acknowledge)
            }
            context.notes.user = user.id
            context.record("claim action", ["claim": .string(number.description), "action": .string(action.rawValue),
                                            "state": .string(result.state.rawValue)])
            return PageKit.redirect("/claims/\(number)")
        } catch {
            let problem = Problem(presenting: error)
            guard problem.status.code < 500 else { throw error }
            let showEvidence = AccessPolicy.allows(.readFindings, user) || problem.code != "blockedByRules"
            let message = showEvidence ? ProblemText.message(problem, PageKit.language(request))
                : ProblemText.title(problem.status, PageKit.language(request))
            return try await detail(request, context, error: message, status: problem.status)
        }
    }

    /// The claim of the path, if `user` may see it (the same check as the API's).
    /// - Throws: `APIError.notFound`, `ClaimError.claimUnknown`, `APIError.claimOutOfScope`
    ///   (shown as pages by `PageErrorMiddleware`).
    private func visibleClaim(_ context: AdminRequestContext, user: Person) async throws -> ClaimNumber {
        let number: ClaimNumber
        do { number = try ClaimNumber(parsing: try context.parameters.path("number")) } catch {
            throw APIError.notFound(path: "claim")
        }
        let owner = try await access.run { try $0.claimOwner(number) }
        guard AccessPolicy.canSee(claimant: owner.claimant, district: owner.district, user) else {
            throw APIError.claimOutOfScope(claim: number.description)
        }
        return number
    }
}
