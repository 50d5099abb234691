import FeeClaims
import Hummingbird
import Logging
import LedgerCore
import LedgerStore

/// Fee claims: list, create, read, lines, receipts, every transition and the history.
///
/// The routes check who may see a claim (`AccessPolicy.canSee`); FeeClaims then checks the
/// role and segregation of duties of each step, and its refusals come back as 403 with the
/// reason.
struct ClaimRoutes {
    let access: LedgerAccess

    /// Receipt uploads: one file of at most 10 MB, plus the form's few text fields.
    static let receiptBodyMax = Receipt.bytesMax + 64 * 1024

    func register(on api: RouterGroup<AdminRequestContext>) {
        api.get("claims") { request, context in try await list(request, context) }
        api.post("claims") { request, context in try await create(request, context) }
        api.get("claims/{number}") { _, context in
            let number = try await visibleClaim(context)
            return JSONBody.response(ClaimJSON(try await access.run { try $0.claim(number) }))
        }
        api.get("claims/{number}/history") { _, context in
            let number = try await visibleClaim(context)
            let events = try await access.run { try $0.claim(number) }.events
            return JSONBody.response(FindingRedaction.events(events, for: try context.user()))
        }
        api.post("claims/{number}/lines") { request, context in try await addLine(request, context) }
        api.delete("claims/{number}/lines/{index}") { _, context in try await removeLine(context) }
        api.post("claims/{number}/receipts") { request, context in try await attachReceipt(request, context) }
        api.post("claims/{number}/{action}") { request, context in try await act(request, context) }
    }

    private func list(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let user = try context.user(allowedTo: .readClaims)
        let query = try Query(request, known: ["state", "district", "claimant", "from", "to", "limit"])
        let state = try query.claimState("state")
        var district = try query.string("district")
        var claimant = try query.string("claimant")
        switch AccessPolicy.claimScope(user) {
        case .all: break
        case .district(let own):
            guard district == nil || district == own else { throw APIError.roleForbidden(action: "read another district's claims") }
            district = own
        case .own(let id):
            guard claimant == nil || claimant == id else { throw APIError.roleForbidden(action: "read another claimant's claims") }
            claimant = id
        case .none: throw APIError.roleForbidden(action: Permission.readClaims.rawValue)
        }
        let from = try query.date("from")
        let to = try query.date("to")
        let limit = try query.integer("limit", in: 1...1_000) ?? 100
        let claims = try await access.run { [district, claimant] in
            try $0.claims(state: state, district: district, claimant: claimant, from: from, to: to, limit: limit)
        }
        return JSONBody.response(claims.map(ClaimSummaryJSON.init))
    }

    private func create(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let user = try context.user(allowedTo: .actOnClaims)
        var request = request
        var body = try await JSONBody.object(&request)
        let currency = try await access.baseCurrency()
        let header = ClaimHeader(
            claimant: user.id, district: try body.optionalString("district") ?? user.district ?? "",
            budgetLine: try body.string("budgetLine"), activity: try body.string("activity"),
            activityFrom: try body.date("activityFrom"), activityTo: try body.date("activityTo"))
        let lines = try body.objects("lines").map { try Self.line($0, currency: currency) }
        try body.finish()
        guard !header.district.isEmpty else { throw APIError.fieldInvalid(field: "district", reason: "is required") }
        // A district's facilitator claims in their district, where its coordinator approves;
        // head-office staff (no district) claim in any.
        if let own = user.district, header.district != own {
            throw APIError.fieldInvalid(field: "district", reason: "is \(own), the claimant's district")
        }
        let date = try access.today()
        let now = access.now
        let detail = try await access.run { ledger in
            try ledger.claim(try ledger.createClaim(header, lines: lines, by: user.id, date: date, now: now))
        }
        let number = detail.snapshot.number
        context.record("claim created", ["claim": .string(number.description)])
        var response = JSONBody.response(ClaimJSON(detail), status: .created)
        response.headers[.location] = "/api/v1/claims/\(number)"
        return response
    }

    private func addLine(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let user = try context.user(allowedTo: .actOnClaims)
        let number = try await visibleClaim(context)
        var request = request
        let body = try await JSONBody.object(&request)
        let line = try Self.line(body, currency: try await access.baseCurrency())
        let date = try access.today()
        let detail = try await access.run { ledger in
            try ledger.addClaimLine(line, to: number, by: user.id, date: date)
            return try ledger.claim(number)
        }
        context.record("claim line added", ["claim": .string(number.description)])
        return JSONBody.response(ClaimJSON(detail), status: .created)
    }

    private func removeLine(_ context: AdminRequestContext) async throws -> Response {
        let user = try context.user(allowedTo: .actOnClaims)
        let number = try await visibleClaim(context)
        guard let index = Int(try context.parameters.path("index")), index >= 1 else {
            throw APIError.fieldInvalid(field: "index", reason: "must be a line number from 1")
        }
        let date = try access.today()
        let detail = try await access.run { ledger in
            try ledger.removeClaimLine(at: index - 1, from: number, by: user.id, date: date)
            return try ledger.claim(number)
        }
        context.record("claim line removed", ["claim": .string(number.description)])
        return JSONBody.response(ClaimJSON(detail))
    }

    private func attachReceipt(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let user = try context.user(allowedTo: .actOnClaims)
        let number = try await visibleClaim(context)
        var request = request
        let body = try await JSONBody.collect(&request, limit: Self.receiptBodyMax, requireJSON: false)
        let form = try MultipartForm(contentType: request.headers[.contentType], body: Array(body.readableBytesView))
        let files = form.parts.filter { $0.name == "file" }
        guard files.count == 1, let file = files.first else {
            throw APIError.fieldInvalid(field: "file", reason: files.isEmpty ? "is required" : "one file per request")
        }
        guard file.content.count <= Receipt.bytesMax else { throw APIError.bodyTooLarge(limit: Receipt.bytesMax) }
        if let unknown = form.parts.map(\.name).first(where: { !["file", "vendor", "receiptNumber"].contains($0) }) {
            throw APIError.fieldInvalid(field: unknown, reason: "unknown field")
        }
        let vendor = try form.text("vendor")
        let receiptNumber = try form.text("receiptNumber")
        var vendorReceipt: VendorReceipt?
        switch (vendor, receiptNumber) {
        case (nil, nil): break
        case (let vendor?, let number?): vendorReceipt = try VendorReceipt(vendor: vendor, number: number)
        case (nil, _): throw APIError.fieldInvalid(field: "vendor", reason: "is required with receiptNumber")
        case (_, nil): throw APIError.fieldInvalid(field: "receiptNumber", reason: "is required with vendor")
        }
        let date = try access.today()
        let bytes = Array(file.content)
        let fileName = file.fileName ?? "receipt"
        let receipt = try await access.run { [vendorReceipt] in
            try $0.attachReceipt(bytes, fileName: fileName, vendorReceipt: vendorReceipt, to: number, by: user.id, date: date)
        }
        context.record("receipt attached", [
            "claim": .string(number.description), "sha256": .string(receipt.sha256.description),
        ])
        return JSONBody.response(ReceiptJSON(receipt), status: .created)
    }

    private func act(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        _ = try context.user()
        let actionName = try context.parameters.path("action")
        guard let action = ClaimAction(rawValue: actionName) else { throw APIError.notFound(path: actionName) }
        let user = try context.user(allowedTo: .actOnClaims)
        let number = try await visibleClaim(context)
        guard action != .reverse else { throw APIError.reversalNeedsSecondLogin(claim: number.description) }
        var request = request
        var body = try await JSONBody.object(&request)
        let currency = try await access.baseCurrency()
        let expectedRevision = try body.optionalInteger("expectedRevision")
        let comment = try body.optionalString("comment")
        let second = try body.optionalString("second")
        let payment = try body.optionalMoney("payment", currency: currency)
        let paymentAccount = try body.optionalString("paymentAccount")
        let acknowledgeFlags = try body.optionalBool("acknowledgeFlags") ?? false
        let adjustments = try body.objects("adjustments").map { try Self.adjustment($0, currency: currency) }
        try body.finish()
        var revision: Int?
        if let expectedRevision {
            guard expectedRevision >= 0, let value = Int(exactly: expectedRevision) else {
                throw APIError.fieldInvalid(field: "expectedRevision", reason: "must be a revision the claim had")
            }
            revision = value
        }
        let date = try access.today()
        let now = access.now
        let showEvidence = AccessPolicy.allows(.readFindings, user)
        let result: ClaimActionResult
        do {
            result = try await access.run { [revision] in
                try $0.act(
                    action, on: number, by: user.id, comment: comment, date: date, now: now, expectedRevision: revision,
                    second: second, payment: payment, paymentAccount: paymentAccount, adjustments: adjustments,
                    acknowledgeFlags: acknowledgeFlags)
            }
        } catch ClaimError.blockedByRules(let claim, let findings) where !showEvidence {
            throw APIError.blockedByRules(claim: claim, findings: FindingRedaction.ids(findings))
        }
        context.record("claim action", [
            "claim": .string(number.description), "action": .string(action.rawValue), "state": .string(result.state.rawValue),
        ])
        return JSONBody.response(ClaimActionJSON(result, showEvidence: showEvidence))
    }

    /// The claim of the path, if the user may see it.
    /// - Throws: `ClaimError.claimUnknown`, `APIError.claimOutOfScope`.
    private func visibleClaim(_ context: AdminRequestContext) async throws -> ClaimNumber {
        let user = try context.user(allowedTo: .readClaims)
        let text = try context.parameters.path("number")
        let number: ClaimNumber
        do { number = try ClaimNumber(parsing: text) } catch {
            throw APIError.fieldInvalid(field: "number", reason: "must be a claim number such as FC-SBT-2024-0001")
        }
        let owner = try await access.run { try $0.claimOwner(number) }
        guard AccessPolicy.canSee(claimant: owner.claimant, district: owner.district, user) else {
            throw APIError.claimOutOfScope(claim: number.description)
        }
        return number
    }

    private static func line(_ object: JSONFields, currency: Currency) throws -> ClaimLine {
        var object = object
        let categoryText = try object.string("category")
        guard let category = ClaimCategory(rawValue: categoryText) else {
            throw APIError.fieldInvalid(
                field: object.path.isEmpty ? "category" : "\(object.path).category",
                reason: "must be one of \(ClaimCategory.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let line = ClaimLine(
            category: category, quantity: try object.integer("quantity"),
            unitRate: try object.money("unitRate", currency: currency), memo: try object.optionalString("memo"))
        try object.finish()
        return line
    }

    private static func adjustment(_ object: JSONFields, currency: Currency) throws -> ClaimLineAdjustment {
        var object = object
        let lineNumber = try object.integer("line")
        guard lineNumber >= 1, let index = Int(exactly: lineNumber - 1) else {
            throw APIError.fieldInvalid(field: "\(object.path).line", reason: "must be a line number from 1")
        }
        let adjustment = ClaimLineAdjustment(
            index: index, quantity: try object.optionalInteger("quantity"),
            unitRate: try object.optionalMoney("unitRate", currency: currency))
        try object.finish()
        return adjustment
    }
}
