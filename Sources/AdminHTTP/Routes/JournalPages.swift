import Budgets
import FeeClaims
import Foundation
import Hummingbird
import LedgerCore
import LedgerStore
import Logging

/// The journal pages: entries with filters (by date and district, a page at a time), an
/// entry with its postings and hash, its reversal by a finance officer or treasurer, and a
/// new manual entry (`JournalPages+Entry.swift`).
struct JournalPages {
    let kit: PageKit
    let access: LedgerAccess

    /// Entries a page of the journal lists.
    static let entriesPerPage = 50

    func register(on router: RouterGroup<AdminRequestContext>) {
        router.get("journal") { request, _ in try await list(request) }
        router.get("journal/new") { request, _ in
            guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
            guard AccessPolicy.allows(.writeLedger, user) else { return PageKit.redirect("/journal") }
            var form = EntryForm()
            if let rows = request.uri.queryParameters.get("rows").flatMap({ Int($0) }) {
                form.rows = min(max(rows, 2), Self.rowsMax)
            }
            form.values["date"] = (try? access.today().description) ?? ""
            return try await newEntryForm(request, user: user, form: form)
        }
        router.post("journal/new") { request, context in try await postEntry(request, context) }
        router.get("journal/{number}") { request, context in try await entry(request, context) }
        router.post("journal/{number}/reverse") { request, context in try await reverse(request, context) }
    }

    private func list(_ request: Request) async throws -> Response {
        guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
        guard AccessPolicy.allows(.readLedger, user) else { return PageKit.redirect("/") }
        let query = request.uri.queryParameters
        func text(_ name: String) -> String { query.get(name).map { String($0) } ?? "" }
        var values: [String: Any] = ["title": PageKit.text("journal_title", request), "from": text("from"), "to": text("to"),
                                     "district": text("district"), "account": text("account"),
                                     "canPost": AccessPolicy.allows(.writeLedger, user)]
        // A date that does not parse is named next to its field, and nothing is listed.
        let (dates, invalidDate) = PageKit.filterDates(text)
        if let invalidDate {
            values["\(invalidDate)Error"] = PageKit.text("date_invalid", request)
            return kit.page("journal", values, request, user: user, status: .badRequest)
        }
        let filter = EntryFilter(from: dates["from"], to: dates["to"], account: text("account").isEmpty ? nil : text("account"),
                                 district: text("district").isEmpty ? nil : text("district"))
        let after = Int64(text("cursor"))
        let page: EntryPage
        do {
            page = try await access.run { try $0.entries(filter, after: after, limit: Self.entriesPerPage) }
        } catch LedgerError.accountUnknown {
            values["accountError"] = PageKit.text("account_unknown", request)
            return kit.page("journal", values, request, user: user, status: .badRequest)
        }
        let locale = PageKit.amountLocale(request)
        values["entries"] = page.entries.map { entry -> [String: Any] in
            // An entry's size: the sum of its debits in its first currency.
            let debits = entry.draft.postings.filter { $0.amount.minorUnits > 0 && $0.amount.currency == entry.draft.postings[0].amount.currency }
            let total = debits.reduce(Int64(0)) { $0 &+ $1.amount.minorUnits }
            let currency = entry.draft.postings.first?.amount.currency ?? .idr
            return ["number": entry.number.description, "date": entry.draft.date.description,
                    "description": entry.draft.description,
                    "amount": Money(minorUnits: total, currency: currency).formatted(locale)]
        }
        if let next = page.next {
            var items = URLComponents()
            items.queryItems = ["from", "to", "account", "district"].compactMap { name in
                text(name).isEmpty ? nil : URLQueryItem(name: name, value: text(name))
            } + [URLQueryItem(name: "cursor", value: String(next))]
            values["next"] = items.percentEncodedQuery ?? ""
        }
        return kit.page("journal", values, request, user: user)
    }

    /// The entry's page; a refused reversal brings back its `reasonError` (next to the
    /// reason) or `actionError` (above all), and the reason typed.
    private func entry(_ request: Request, _ context: AdminRequestContext, reasonError: String? = nil,
                       actionError: String? = nil, reason: String = "", status: HTTPResponse.Status = .ok)
        async throws -> Response {
        guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
        guard AccessPolicy.allows(.readLedger, user) else { return PageKit.redirect("/") }
        let number = try Self.number(context)
        guard let entry = try await access.run({ try $0.entry(number) }) else {
            throw LedgerError.entryNotFound(number: number.description)
        }
        let locale = PageKit.amountLocale(request)
        var values: [String: Any] = [
            "title": "\(PageKit.text("entry", request)) \(number)", "number": number.description,
            "date": entry.draft.date.description, "description": entry.draft.description, "author": entry.draft.author,
            "hash": entry.hash.description,
            "postings": entry.draft.postings.map {
                ["account": $0.accountCode, "district": $0.dimensions.district ?? "", "budgetLine": $0.dimensions.budgetLine ?? "",
                 "amount": $0.amount.formatted(locale)]
            },
        ]
        let budgetLines = try await budgetLines(of: entry, locale: locale, language: PageKit.language(request))
        values["budgetLines"] = budgetLines
        values["hasBudgetLines"] = !budgetLines.isEmpty
        // Set by the manual entry form when the posting took budget lines to their warning
        // level or over budget (a count only: the figures come from the store, below).
        if let warned = request.uri.queryParameters.get("warnings").flatMap({ Int($0) }), warned > 0 {
            values["budgetWarned"] = true
        }
        let canReverse = AccessPolicy.allows(.writeLedger, user) && entry.reversedBy == nil && entry.reverses == nil
        values["canReverse"] = canReverse
        values["reason"] = reason
        if let reverses = entry.reverses { values["reverses"] = reverses.description }
        if let reversedBy = entry.reversedBy { values["reversedBy"] = reversedBy.description }
        // Next to the reason field when the form is shown, else above everything.
        if let reasonError { values[canReverse ? "reasonError" : "actionError"] = reasonError }
        if let actionError { values["actionError"] = actionError }
        return kit.page("entry", values, request, user: user, status: status)
    }

    /// The budget lines the entry's postings carry (district and line) in its fiscal year,
    /// with their figures now: what a finance officer checks after posting.
    private func budgetLines(of entry: PostedEntry, locale: AmountLocale, language: Language) async throws
        -> [[String: Any]] {
        let keys = Set(entry.draft.postings.compactMap { posting -> BudgetLineKey? in
            guard let district = posting.dimensions.district, let line = posting.dimensions.budgetLine else { return nil }
            return BudgetLineKey(fiscalYear: entry.number.fiscalYear, district: district, code: line)
        })
        guard !keys.isEmpty else { return [] }
        let year = entry.number.fiscalYear
        let figures = try await access.run { ledger in
            try Set(keys.map(\.district)).sorted().flatMap { try ledger.budgetFigures(fiscalYear: year, district: $0) }
        }
        return figures.filter { keys.contains($0.line.line.key) }.sorted { $0.line.line.key < $1.line.line.key }.map { line in
            let perMille = line.figures.usedPerMille ?? 0
            return ["line": "\(line.line.line.key.district) \(line.line.line.key.code)",
                    "name": language == .id ? line.line.line.nameId : line.line.line.nameEn,
                    "revised": line.figures.revised.formatted(locale), "actual": line.figures.actual.formatted(locale),
                    "committed": line.figures.committed.formatted(locale), "percent": "\(perMille / 10) %",
                    "over": perMille > 1_000]
        }
    }

    private func reverse(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
        guard AccessPolicy.allows(.writeLedger, user) else { return PageKit.redirect("/") }
        let number = try Self.number(context)
        var request = request
        let form = try await PageRoutes.form(&request)
        let reason = (form.reason ?? "").trimmingCharacters(in: .whitespaces)
        guard CSRF.accepts(request, field: form.csrf) else {
            return try await entry(request, context, actionError: PageKit.text("csrf_refused", request), reason: reason,
                                   status: .forbidden)
        }
        guard !reason.isEmpty else {
            return try await entry(request, context, reasonError: PageKit.text("field_required", request), status: .badRequest)
        }
        let day = try access.today()
        let now = access.now
        do {
            let result = try await access.run { try $0.reverse(number, reason: reason, date: day, author: user.id, now: now) }
            context.notes.user = user.id
            context.record("entry reversed", ["entry": .string(number.description), "reversal": .string(result.number.description)])
            return PageKit.redirect("/journal/\(result.number)")
        } catch {
            let refusal = try PageRefusal(error, request)
            if refusal.field == "reason" {
                return try await entry(request, context, reasonError: refusal.fieldMessage, reason: reason, status: refusal.status)
            }
            return try await entry(request, context, actionError: refusal.message, reason: reason, status: refusal.status)
        }
    }

    private static func number(_ context: AdminRequestContext) throws -> EntryNumber {
        do { return try EntryNumber(parsing: try context.parameters.path("number")) } catch {
            throw APIError.notFound(path: "entry")
        }
    }
}
