import FeeClaims
import Foundation
import Hummingbird
import LedgerCore
import LedgerStore
import Logging

/// A claimant's changes to their own draft or returned claim on its page: the draft's
/// details, a line added or removed, a receipt attached; and any receipt of a claim shown
/// inline to whoever may see the claim. FeeClaims decides each change (the claimant's, the claim's state, the rate
/// ceilings); the page shows its refusal next to the field at fault.
extension ClaimPages {
    /// The bytes of a receipt of the claim, with its detected type, shown inline (an image in
    /// the page, a PDF in the browser's viewer).
    func receipt(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
        let number = try await visibleClaim(context, user: user)
        guard let digest = EntryHash(hex: try context.parameters.path("sha256")) else {
            throw APIError.notFound(path: "receipt")
        }
        let found = try await access.run { ledger -> (Receipt, [UInt8])? in
            // Only a receipt of this claim: a digest alone opens nothing.
            guard let receipt = try ledger.claim(number).receipts.first(where: { $0.sha256 == digest }),
                  let bytes = try ledger.receiptContent(digest) else { return nil }
            return (receipt, bytes)
        }
        guard let (receipt, bytes) = found else { throw APIError.notFound(path: "receipt") }
        return Response(
            status: .ok,
            // The type its first bytes showed when attached (never the uploader's word; the
            // security headers forbid sniffing another), not kept by the browser: a district
            // office's phone is shared.
            headers: [.contentType: receipt.mediaType.rawValue, .contentDisposition: "inline", .cacheControl: "private, no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A draft's details (activity, budget line, dates), changed by its claimant until the
    /// first submission.
    func editDetails(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
        try AccessPolicy.require(.actOnClaims, user)
        let number = try await visibleClaim(context, user: user)
        var request = request
        let submitted = try await PageRoutes.form(&request)
        var typed: [String: String] = [:]
        for field in Self.detailFields {
            typed[field.name] = (submitted[field.name] ?? "").trimmingCharacters(in: .whitespaces)
        }
        func refuse(_ errors: [String: String], status: HTTPResponse.Status) async throws -> Response {
            try await detail(request, context, feedback: .init(detailValues: typed, detailErrors: errors), status: status)
        }
        guard CSRF.accepts(request, field: submitted.csrf) else {
            return try await detail(request, context, feedback: .init(actionError: PageKit.text("csrf_refused", request),
                                                                      detailValues: typed), status: .forbidden)
        }
        var errors: [String: String] = [:]
        for field in Self.detailFields where (typed[field.name] ?? "").isEmpty {
            errors[field.name] = PageKit.text("field_required", request)
        }
        var dates: [String: LedgerDate] = [:]
        for name in ["activityFrom", "activityTo"] where errors[name] == nil {
            dates[name] = try? LedgerDate(parsing: typed[name] ?? "")
            if dates[name] == nil { errors[name] = PageKit.text("date_invalid", request) }
        }
        guard errors.isEmpty, let from = dates["activityFrom"], let to = dates["activityTo"] else {
            return try await refuse(errors, status: .badRequest)
        }
        let day = try access.today()
        let (activity, budgetLine) = (typed["activity"] ?? "", typed["budgetLine"] ?? "")
        do {
            try await access.run {
                try $0.editDraftHeader(number, activity: activity, budgetLine: budgetLine, activityFrom: from,
                                       activityTo: to, by: user.id, date: day)
            }
        } catch {
            let refusal = try PageRefusal(error, request)
            if let field = refusal.field, Self.detailFields.contains(where: { $0.name == field }) {
                return try await refuse([field: refusal.fieldMessage], status: refusal.status)
            }
            return try await detail(request, context, feedback: .init(actionError: refusal.message, detailValues: typed),
                                    status: refusal.status)
        }
        context.notes.user = user.id
        context.record("claim details changed", ["claim": .string(number.description)])
        return PageKit.redirect("/claims/\(number)")
    }

    func addLine(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
        try AccessPolicy.require(.actOnClaims, user)
        let number = try await visibleClaim(context, user: user)
        var request = request
        let submitted = try await PageRoutes.form(&request)
        var typed: [String: String] = ["category": submitted["category"] ?? ""]
        for field in Self.lineFields {
            typed[field.name] = (submitted[field.name] ?? "").trimmingCharacters(in: .whitespaces)
        }
        func refuse(_ errors: [String: String], status: HTTPResponse.Status) async throws -> Response {
            try await detail(request, context, feedback: .init(lineErrors: errors, lineValues: typed), status: status)
        }
        guard CSRF.accepts(request, field: submitted.csrf) else {
            return try await detail(request, context, feedback: .init(actionError: PageKit.text("csrf_refused", request),
                                                                      lineValues: typed), status: .forbidden)
        }
        var errors: [String: String] = [:]
        for field in Self.lineFields where field.required && (typed[field.name] ?? "").isEmpty {
            errors[field.name] = PageKit.text("field_required", request)
        }
        guard errors.isEmpty else { return try await refuse(errors, status: .badRequest) }
        do {
            let expectedLines = try Self.expectedLines(submitted)
            guard let category = ClaimCategory(rawValue: typed["category"] ?? "") else {
                throw APIError.fieldInvalid(field: "category", reason: "is not a category")
            }
            guard let quantity = Int64(typed["quantity"] ?? "") else {
                throw APIError.fieldInvalid(field: "quantity", reason: "must be a whole number")
            }
            let currency = try await access.baseCurrency()
            let rate = try Money.parse(typed["unitRate"] ?? "", currency: currency, locale: PageKit.amountLocale(request),
                                       field: "unitRate")
            let memo = typed["memo"].flatMap { $0.isEmpty ? nil : $0 }
            let line = ClaimLine(category: category, quantity: quantity, unitRate: rate, memo: memo)
            let day = try access.today()
            try await access.run {
                try $0.addClaimLine(line, to: number, by: user.id, date: day, expectedLines: expectedLines)
            }
            context.notes.user = user.id
            context.record("claim line added", ["claim": .string(number.description)])
            return PageKit.redirect("/claims/\(number)")
        } catch {
            let refusal = try PageRefusal(error, request)
            // `lines[0].unitRate` and the like name the line's field.
            let field = refusal.field.map { $0.split(separator: ".").last.map(String.init) ?? $0 }
            if let field, field == "category" || Self.lineFields.contains(where: { $0.name == field }) {
                return try await refuse([field: refusal.fieldMessage], status: refusal.status)
            }
            return try await detail(request, context, feedback: .init(actionError: refusal.message, lineValues: typed),
                                    status: refusal.status)
        }
    }

    func removeLine(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
        try AccessPolicy.require(.actOnClaims, user)
        let number = try await visibleClaim(context, user: user)
        var request = request
        let form = try await PageRoutes.form(&request)
        guard CSRF.accepts(request, field: form.csrf) else {
            return try await detail(request, context, feedback: .init(actionError: PageKit.text("csrf_refused", request)),
                                    status: .forbidden)
        }
        guard let position = Int(try context.parameters.path("index")), position >= 1 else {
            throw APIError.notFound(path: "line")
        }
        let day = try access.today()
        do {
            let expectedLines = try Self.expectedLines(form)
            try await access.run {
                try $0.removeClaimLine(at: position - 1, from: number, by: user.id, date: day, expectedLines: expectedLines)
            }
        } catch {
            let refusal = try PageRefusal(error, request)
            return try await detail(request, context, feedback: .init(actionError: refusal.message), status: refusal.status)
        }
        context.notes.user = user.id
        context.record("claim line removed", ["claim": .string(number.description)])
        return PageKit.redirect("/claims/\(number)")
    }

    /// The digest of the lines the form showed (its hidden `lines` field): a line form
    /// changes the lines it was shown, or nothing.
    /// - Throws: `APIError.fieldInvalid` for `lines` when the form lacks it.
    static func expectedLines(_ form: PageRoutes.Form) throws -> String {
        guard let digest = form["lines"], !digest.isEmpty else {
            throw APIError.fieldInvalid(field: "lines", reason: "is required: load the claim's page again")
        }
        return digest
    }

    func attachReceipt(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
        try AccessPolicy.require(.actOnClaims, user)
        let number = try await visibleClaim(context, user: user)
        var request = request
        let body = try await JSONBody.collect(&request, limit: ClaimRoutes.receiptBodyMax, requireJSON: false)
        let form = try MultipartForm(contentType: request.headers[.contentType], body: Array(body.readableBytesView))
        guard CSRF.accepts(request, field: try? form.text("csrf")) else {
            return try await detail(request, context, feedback: .init(actionError: PageKit.text("csrf_refused", request)),
                                    status: .forbidden)
        }
        guard let file = form.parts.first(where: { $0.name == "receipt" && !$0.content.isEmpty }) else {
            return try await detail(request, context, feedback: .init(receiptError: PageKit.text("field_required", request)),
                                    status: .badRequest)
        }
        let day = try access.today()
        let bytes = Array(file.content)
        let fileName = file.fileName ?? "receipt"
        do {
            let receipt = try await access.run {
                try $0.attachReceipt(bytes, fileName: fileName, to: number, by: user.id, date: day)
            }
            context.notes.user = user.id
            context.record("receipt attached", ["claim": .string(number.description),
                                                "sha256": .string(receipt.sha256.description)])
            return PageKit.redirect("/claims/\(number)")
        } catch {
            let refusal = try PageRefusal(error, request)
            let feedback: Feedback = ["receipt", "fileName"].contains(refusal.field ?? "")
                ? .init(receiptError: refusal.fieldMessage) : .init(actionError: refusal.message)
            return try await detail(request, context, feedback: feedback, status: refusal.status)
        }
    }
}
