import FeeClaims
import Foundation
import Hummingbird
import Logging
import LedgerCore
import LedgerStore
import Setup

/// Accounts, entries (list, get, post, reverse), the trial balance, the budget report and
/// the people list.
struct LedgerRoutes {
    let access: LedgerAccess
    let reports = ReportCache()

    func register(on api: RouterGroup<AdminRequestContext>) {
        api.get("accounts") { _, context in
            _ = try context.user(allowedTo: .readLedger)
            return JSONBody.response(try await access.run { try $0.accounts() }.map(AccountJSON.init))
        }
        api.get("entries") { request, context in try await listEntries(request, context) }
        api.get("entries/{number}") { _, context in
            _ = try context.user(allowedTo: .readLedger)
            let number = try entryNumber(try context.parameters.path("number"))
            guard let entry = try await access.run({ try $0.entry(number) }) else {
                throw LedgerError.entryNotFound(number: number.description)
            }
            return JSONBody.response(EntryJSON(entry))
        }
        api.post("entries") { request, context in try await postEntry(request, context) }
        api.post("entries/{number}/reverse") { request, context in try await reverseEntry(request, context) }
        api.get("trial-balance") { request, context in
            _ = try context.user(allowedTo: .readLedger)
            let query = try Query(request, known: ["asOf", "district"])
            let asOf = try query.date("asOf")
            let district = try query.string("district")
            let body = try await access.run { ledger in
                let key = ReportCache.Key(version: try ledger.dataVersion(), asOf: asOf, district: district)
                if let cached = reports.report(key) { return cached }
                let encoded = JSONBody.encode(TrialBalanceJSON(try ledger.trialBalance(asOf: asOf, district: district)))
                reports.store(encoded, for: key)
                return encoded
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
        }
        api.get("budget-report") { request, context in
            let user = try context.user(allowedTo: .readBudgets)
            let query = try Query(request, known: ["year", "district"])
            guard let year = try query.integer("year", in: 1900...9999) else {
                throw APIError.queryInvalid(parameter: "year", reason: "is required")
            }
            var district = try query.string("district")
            if let own = AccessPolicy.budgetDistrict(user) {
                // A coordinator reads their own district's budget only.
                guard district == nil || district == own else { throw APIError.roleForbidden(action: "read another district's budget") }
                district = own
            }
            let figures = try await access.run { [district] in try $0.budgetFigures(fiscalYear: year, district: district) }
            return JSONBody.response(figures.map(BudgetLineJSON.init))
        }
        api.get("people") { _, context in
            let user = try context.user(allowedTo: .readPeople)
            let showBank = AccessPolicy.allows(.readBankAccounts, user)
            let district = AccessPolicy.peopleDistrict(user)
            let people = try await access.run { try $0.people() }.filter { district == nil || $0.district == district }
            return JSONBody.response(people.map { PersonJSON($0, showBankAccount: showBank) })
        }
    }

    private func listEntries(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        _ = try context.user(allowedTo: .readLedger)
        let query = try Query(request, known: ["from", "to", "account", "district", "limit", "cursor"])
        let filter = EntryFilter(
            from: try query.date("from"), to: try query.date("to"), account: try query.string("account"),
            district: try query.string("district"))
        let limit = try query.integer("limit", in: 1...1_000) ?? 100
        var after: Int64?
        if let cursor = try query.string("cursor") {
            guard let id = Int64(cursor), id >= 0 else {
                throw APIError.queryInvalid(parameter: "cursor", reason: "is not a cursor this server gave")
            }
            after = id
        }
        let page = try await access.run { [after] in try $0.entries(filter, after: after, limit: limit) }
        return JSONBody.response(EntryPageJSON(entries: page.entries.map(EntryJSON.init), nextCursor: page.next.map(String.init)))
    }

    private func postEntry(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let user = try context.user(allowedTo: .writeLedger)
        var request = request
        let key = try idempotencyKey(request)
        let body = try await JSONBody.collect(&request)
        let currency = try await access.baseCurrency()
        var draft = try EntryInput.draft(from: Data(body.readableBytesView), defaultAuthor: user.id, defaultCurrency: currency)
        guard draft.author == user.id else {
            throw APIError.fieldInvalid(field: "author", reason: "is the logged-in user; leave it out")
        }
        // Imports come through `neraca import`; an entry typed in is manual, which is what
        // the rules on manual entries (R01) read.
        guard draft.source == .manual else {
            throw APIError.fieldInvalid(field: "source", reason: "an entry posted through the API is manual; leave it out")
        }
        if let bodyKey = draft.idempotencyKey, bodyKey != key {
            throw APIError.fieldInvalid(field: "idempotencyKey", reason: "send the key in the Idempotency-Key header only")
        }
        draft.idempotencyKey = key
        let now = access.now
        let result = try await access.run { [draft] in try $0.post(draft, now: now) }
        context.record("entry posted", [
            "entry": .string(result.number.description), "replayed": .stringConvertible(result.replayed),
        ])
        return JSONBody.response(PostResultJSON(result), status: result.replayed ? .ok : .created)
    }

    private func reverseEntry(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let user = try context.user(allowedTo: .writeLedger)
        let number = try entryNumber(try context.parameters.path("number"))
        var request = request
        var body = try await JSONBody.object(&request)
        let reason = try body.string("reason")
        let date = try body.optionalDate("date") ?? access.today()
        try body.finish()
        let now = access.now
        let result = try await access.run { try $0.reverse(number, reason: reason, date: date, author: user.id, now: now) }
        context.record("entry reversed", [
            "entry": .string(number.description), "reversal": .string(result.number.description),
        ])
        return JSONBody.response(PostResultJSON(result), status: .created)
    }

    /// The `Idempotency-Key` header, which every `POST /entries` carries: a retried request
    /// must not post twice.
    private func idempotencyKey(_ request: Request) throws -> String {
        guard let key = request.headers[.idempotencyKey] else {
            throw APIError.headerInvalid(header: "Idempotency-Key", reason: "is required when posting an entry")
        }
        guard (1...200).contains(key.count), key.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw APIError.headerInvalid(header: "Idempotency-Key", reason: "must be 1 to 200 visible ASCII characters")
        }
        return key
    }

    private func entryNumber(_ text: String) throws -> EntryNumber {
        do { return try EntryNumber(parsing: text) } catch {
            throw APIError.fieldInvalid(field: "number", reason: "must be an entry number such as JE-2024-000123")
        }
    }
}
