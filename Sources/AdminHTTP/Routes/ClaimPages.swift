import FeeClaims
import Foundation
import FraudRules
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

    /// The latest claims a list shows; a narrower filter finds older ones.
    static let listedMax = 200
    /// The findings a claim's page lists (a claim with more is a case for the findings pages).
    static let findingsShownMax = 100

    func register(on router: RouterGroup<AdminRequestContext>) {
        router.get("claims") { request, _ in try await list(request) }
        router.get("claims/new") { request, _ in
            guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
            guard AccessPolicy.allows(.actOnClaims, user) else { return PageKit.redirect("/claims") }
            return newForm(request, user: user, values: ["district": user.district ?? ""], errors: [:])
        }
        router.post("claims/new") { request, context in try await create(request, context) }
        router.get("claims/{number}") { request, context in try await detail(request, context, feedback: .init()) }
        router.get("claims/{number}/receipts/{sha256}") { request, context in try await receipt(request, context) }
        router.post("claims/{number}/details") { request, context in try await editDetails(request, context) }
        router.post("claims/{number}/lines") { request, context in try await addLine(request, context) }
        router.post("claims/{number}/lines/{index}/remove") { request, context in try await removeLine(request, context) }
        router.post("claims/{number}/receipts") { request, context in try await attachReceipt(request, context) }
        router.post("claims/{number}/{action}") { request, context in try await act(request, context) }
    }

    /// What a refused form on a claim's page brings back: the error above the steps, or the
    /// errors next to the fields of the line or receipt form, with what was typed.
    struct Feedback {
        var actionError: String?
        /// The step whose form was sent, and the comment typed in it, kept whatever the refusal.
        var step: (action: ClaimAction, comment: String)?
        /// The refused step's error next to its own field: the comment, or the acknowledgement of flags.
        var stepError: (field: String, message: String)?
        /// The draft's details form (activity, budget line, dates): what was typed, errors by field.
        var detailValues: [String: String]?
        var detailErrors: [String: String] = [:]
        var lineErrors: [String: String] = [:]
        var lineValues: [String: String] = [:]
        var receiptError: String?
    }

    /// The details of a draft its claimant may change on its page (name, catalogue key, input type).
    static let detailFields: [(name: String, label: String, type: String)] = [
        ("activity", "activity", "text"), ("budgetLine", "budget_line", "text"),
        ("activityFrom", "activity_from", "date"), ("activityTo", "activity_to", "date"),
    ]

    /// The fields of a claim line on the claim's page (name, catalogue key, input type).
    static let lineFields: [(name: String, label: String, type: String, required: Bool)] = [
        ("quantity", "quantity", "number", true), ("unitRate", "unit_rate", "text", true), ("memo", "memo", "text", false),
    ]

    // MARK: - List and detail

    private func list(_ request: Request) async throws -> Response {
        guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
        guard AccessPolicy.allows(.readClaims, user) else { return PageKit.redirect("/") }
        let query = request.uri.queryParameters
        func text(_ name: String) -> String { query.get(name).map { String($0).trimmingCharacters(in: .whitespaces) } ?? "" }
        let wanted = ClaimState(rawValue: text("state"))
        var district: String? = text("district").isEmpty ? nil : text("district")
        var claimant: String?
        let scope = AccessPolicy.claimScope(user)
        switch scope {
        case .all, .none: break
        case .district(let code): district = code
        case .own(let id): claimant = id
        }
        var values: [String: Any] = [
            "title": PageKit.text("claims_title", request), "from": text("from"), "to": text("to"),
            "district": district ?? "", "chooseDistrict": scope == .all,
            "canCreate": AccessPolicy.allows(.actOnClaims, user),
            "states": ClaimState.allCases.map { ["value": $0.rawValue, "selected": $0 == wanted] },
        ]
        // A date that does not parse is named next to its field, and nothing is listed.
        let (dates, invalidDate) = PageKit.filterDates(text)
        if let invalidDate {
            values["\(invalidDate)Error"] = PageKit.text("date_invalid", request)
            return kit.page("claims", values, request, user: user, status: .badRequest)
        }
        let claims = try await access.run { [district, claimant, dates] in
            try $0.claims(state: wanted, district: district, claimant: claimant, from: dates["from"], to: dates["to"],
                          limit: Self.listedMax)
        }
        let locale = PageKit.amountLocale(request)
        return kit.page("claims", values.merging([
            "hasMore": claims.count == Self.listedMax,
            "claims": claims.map {
                ["number": $0.number.description, "claimant": $0.claimant, "state": $0.state.rawValue,
                 "activity": $0.activity, "activityFrom": $0.activityFrom.description, "amount": $0.amount.formatted(locale)]
            },
        ]) { first, _ in first }, request, user: user)
    }

    func detail(_ request: Request, _ context: AdminRequestContext, feedback: Feedback, status: HTTPResponse.Status = .ok)
        async throws -> Response {
        guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
        let number = try await visibleClaim(context, user: user)
        let readsFindings = AccessPolicy.allows(.readFindings, user)
        let (claim, findings) = try await access.run { ledger in
            (try ledger.claim(number), try ledger.findings(subject: number.description, limit: Self.findingsShownMax))
        }
        let locale = PageKit.amountLocale(request)
        let snapshot = claim.snapshot
        let editable = Self.isEditable(snapshot, by: user)
        let actions = Self.actions(for: user, on: snapshot)
        var values: [String: Any] = [
            "title": "\(PageKit.text("claim", request)) \(number)",
            "number": number.description, "claimant": snapshot.header.claimant, "district": snapshot.header.district,
            "budgetLine": snapshot.header.budgetLine, "version": snapshot.version,
            "state": snapshot.state.rawValue, "activity": snapshot.header.activity,
            "from": snapshot.header.activityFrom.description, "to": snapshot.header.activityTo.description,
            "amount": snapshot.amount.formatted(locale),
            "lines": claim.lines.enumerated().map { index, line -> [String: Any] in
                var values: [String: Any] = [
                    "position": index + 1, "category": line.category.rawValue, "quantity": line.quantity,
                    "rate": line.unitRate.formatted(locale), "number": number.description, "canRemove": editable,
                ]
                // Set even when empty: a missing key would show the claim's own amount or memo.
                values["amount"] = (try? line.amount())?.formatted(locale) ?? ""
                values["memo"] = line.memo ?? ""
                return values
            },
            "receipts": claim.receipts.map { receipt -> [String: Any] in
                var values: [String: Any] = [
                    "fileName": receipt.fileName, "mediaType": receipt.mediaType.rawValue,
                    "path": "/claims/\(number)/receipts/\(receipt.sha256.hex)", "isImage": receipt.mediaType != .pdf,
                ]
                if let vendor = receipt.vendorReceipt { values["vendor"] = "\(vendor.vendor) \(vendor.number)" }
                return values
            },
            "approvals": snapshot.approvals, "linesDigest": LedgerDatabase.linesDigest(claim.lines),
            "entries": claim.entries.map {
                ["kind": $0.kind, "number": $0.number.description, "link": AccessPolicy.allows(.readLedger, user)]
            },
            "events": FindingRedaction.events(claim.events, for: user).map { event in
                var values: [String: Any] = ["at": event.at, "actor": event.actor, "action": event.action, "to": event.to]
                if let comment = event.comment { values["comment"] = comment }
                return values
            },
            "actions": actions.map { action -> [String: Any] in
                var values: [String: Any] = [
                    "name": action.rawValue, "label": PageKit.text("action_\(action.rawValue)", request),
                    "number": number.description, "revision": snapshot.revision, "comment": "",
                    "needsComment": [.return, .reject, .hold, .release].contains(action), "acknowledge": action == .approve,
                ]
                if let step = feedback.step, step.action == action {
                    values["comment"] = step.comment
                    if let error = feedback.stepError {
                        values[error.field == "comment" ? "commentError" : "acknowledgeError"] = error.message
                    }
                }
                return values
            },
        ]
        if claim.owed.minorUnits != 0 { values["owed"] = claim.owed.formatted(locale) }
        // A list is rendered only with items (an empty one is announced as a list).
        values["hasApprovals"] = !snapshot.approvals.isEmpty
        values["hasEntries"] = !claim.entries.isEmpty
        values["hasFindings"] = !findings.isEmpty
        if readsFindings {
            values["showFindings"] = true
            values["findings"] = findings.map {
                ["id": $0.id, "rule": $0.finding.rule.rawValue, "action": $0.finding.action.rawValue,
                 "evidence": $0.finding.evidence, "status": $0.status]
            }
        } else if actions.contains(.approve) {
            // An approver acknowledges the open flags without reading their evidence.
            let flags = findings.filter { $0.finding.action == .flag && $0.status == "open" }.map(\.id)
            if !flags.isEmpty { values["flagIDs"] = flags.joined(separator: ", ") }
        }
        if editable {
            values["editable"] = true
            let category = feedback.lineValues["category"] ?? ClaimCategory.perDiem.rawValue
            values["categories"] = ClaimCategory.allCases.map { ["value": $0.rawValue, "selected": $0.rawValue == category] }
            if let error = feedback.lineErrors["category"] { values["categoryError"] = error }
            values["lineFields"] = Self.lineFields.map { field -> [String: Any] in
                var values: [String: Any] = ["name": field.name, "label": PageKit.text(field.label, request), "type": field.type,
                                             "value": feedback.lineValues[field.name] ?? "", "required": field.required]
                if let error = feedback.lineErrors[field.name] { values["error"] = error }
                return values
            }
            if let error = feedback.receiptError { values["receiptError"] = error }
            if snapshot.state == .draft {
                // Details change until the first submission, whose version is hashed with them.
                let header = snapshot.header
                let current = ["activity": header.activity, "budgetLine": header.budgetLine,
                               "activityFrom": header.activityFrom.description, "activityTo": header.activityTo.description]
                let shown = feedback.detailValues ?? current
                values["hasDetailForm"] = true
                values["detailFields"] = Self.detailFields.map { field -> [String: Any] in
                    var values: [String: Any] = ["name": field.name, "label": PageKit.text(field.label, request),
                                                 "type": field.type, "value": shown[field.name] ?? ""]
                    if let error = feedback.detailErrors[field.name] { values["error"] = error }
                    return values
                }
            }
        }
        if let error = feedback.actionError { values["actionError"] = error }
        return kit.page("claim", values, request, user: user, status: status)
    }

    /// Whether `person` may change the lines and receipts of `claim`: their own, while a
    /// draft or returned (FeeClaims checks again).
    static func isEditable(_ claim: ClaimSnapshot, by person: Person) -> Bool {
        AccessPolicy.allows(.actOnClaims, person) && claim.header.claimant == person.id
            && [.draft, .returned].contains(claim.state)
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
            // The form's own key: sent twice, it creates one claim.
            "key": values["key"].flatMap { $0.isEmpty ? nil : $0 } ?? SecretToken.generate().text,
        ].merging(formError.isEmpty ? [:] : ["formError": formError]) { first, _ in first }
            .merging(errors["receipt"].map { ["receiptError": $0] } ?? [:]) { first, _ in first }
            .merging(errors["category"].map { ["categoryError": $0] } ?? [:]) { first, _ in first }, request, user: user,
            status: status)
    }

    private func create(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
        guard AccessPolicy.allows(.actOnClaims, user) else { return PageKit.redirect("/claims") }
        var request = request
        let body = try await JSONBody.collect(&request, limit: ClaimRoutes.receiptBodyMax, requireJSON: false)
        let form = try MultipartForm(contentType: request.headers[.contentType], body: Array(body.readableBytesView))
        var values: [String: String] = [:]
        for name in Self.fields.map(\.name) + ["category", "csrf", "key"] {
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
            // The claim, its line and its receipt in one transaction: a refused file leaves no claim behind.
            let receipts = form.parts.filter { $0.name == "receipt" && !$0.content.isEmpty }.map {
                ReceiptUpload(bytes: Array($0.content), fileName: $0.fileName ?? "receipt")
            }
            let key = values["key"].flatMap { $0.isEmpty ? nil : "page-" + $0 }
            let day = try access.today()
            let now = access.now
            let number = try await access.run {
                try $0.createClaim(header, lines: [line], receipts: receipts, requestKey: key, by: user.id, date: day, now: now)
            }
            context.notes.user = user.id
            context.record("claim created", ["claim": .string(number.description)])
            return PageKit.redirect("/claims/\(number)")
        } catch {
            let refusal = try PageRefusal(error, request)
            let field = refusal.field == "fileName" ? "receipt" : refusal.field
            if let field, ["receipt", "category"].contains(field) || Self.fields.contains(where: { $0.name == field }) {
                return newForm(request, user: user, values: values, errors: [field: refusal.fieldMessage], status: refusal.status)
            }
            return newForm(request, user: user, values: values, errors: [:], formError: refusal.message, status: refusal.status)
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
        let typed = (action: action, comment: form.comment ?? "")
        guard CSRF.accepts(request, field: form.csrf) else {
            return try await detail(request, context,
                                    feedback: .init(actionError: PageKit.text("csrf_refused", request), step: typed),
                                    status: .forbidden)
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
            let refusal = try PageRefusal(error, request)
            if let field = refusal.field, field == "comment" || field == "acknowledge" {
                return try await detail(request, context,
                                        feedback: .init(step: typed, stepError: (field, refusal.fieldMessage)),
                                        status: refusal.status)
            }
            // Those who may not read findings learn that rules refused the step, not their evidence.
            let showEvidence = AccessPolicy.allows(.readFindings, user) || refusal.code != "blockedByRules"
            let message = showEvidence ? refusal.message : ProblemText.title(refusal.status, PageKit.language(request))
            return try await detail(request, context, feedback: .init(actionError: message, step: typed), status: refusal.status)
        }
    }

    /// The claim of the path, if `user` may see it (the same check as the API's).
    /// - Throws: `APIError.notFound`, `ClaimError.claimUnknown`, `APIError.claimOutOfScope`
    ///   (shown as pages by `PageErrorMiddleware`).
    func visibleClaim(_ context: AdminRequestContext, user: Person) async throws -> ClaimNumber {
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
