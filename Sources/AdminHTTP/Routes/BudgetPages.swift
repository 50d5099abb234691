import Budgets
import FeeClaims
import Foundation
import Hummingbird
import LedgerCore
import LedgerStore

/// The budget pages: a year's report per district (budget, revised, spent, committed,
/// available, use), and the drill-down from a line's spending to the postings behind it.
/// Coordinators read their own district's; head-office roles read all (`AccessPolicy`).
struct BudgetPages {
    let kit: PageKit
    let access: LedgerAccess

    /// Postings a drill-down page lists: each page stays far below 100 KB.
    static let postingsPerPage = 100

    func register(on router: RouterGroup<AdminRequestContext>) {
        router.get("budgets") { request, _ in try await report(request) }
        router.get("budgets/{year}/{district}/{line}") { request, context in try await postings(request, context) }
    }

    private func report(_ request: Request) async throws -> Response {
        guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
        guard AccessPolicy.allows(.readBudgets, user) else { return PageKit.redirect("/") }
        let query = request.uri.queryParameters
        let typedYear = query.get("year").map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
        let own = AccessPolicy.budgetDistrict(user)
        let typedDistrict = query.get("district").map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
        let district = own ?? (typedDistrict.isEmpty ? nil : typedDistrict)
        var values: [String: Any] = ["title": PageKit.text("budgets_title", request), "district": district ?? "",
                                     "chooseDistrict": own == nil]
        let year: Int
        if typedYear.isEmpty {
            year = try access.today().year
        } else if let typed = Int(typedYear), BudgetLine.fiscalYears.contains(typed) {
            year = typed
        } else {
            values["year"] = typedYear
            values["yearError"] = PageKit.text("year_invalid", request)
            return kit.page("budgets", values, request, user: user, status: .badRequest)
        }
        values["year"] = String(year)
        let figures = try await access.run { [district] in try $0.budgetFigures(fiscalYear: year, district: district) }
        let locale = PageKit.amountLocale(request)
        let language = PageKit.language(request)
        values["districts"] = Dictionary(grouping: figures, by: { $0.line.line.key.district }).sorted { $0.key < $1.key }
            .map { code, lines -> [String: Any] in
                ["code": code, "lines": lines.sorted { $0.line.line.key < $1.line.line.key }.map { line -> [String: Any] in
                    let key = line.line.line.key
                    let figures = line.figures
                    return [
                        "code": key.code, "name": language == .id ? line.line.line.nameId : line.line.line.nameEn,
                        "original": figures.original.formatted(locale), "revised": figures.revised.formatted(locale),
                        "actual": figures.actual.formatted(locale), "committed": figures.committed.formatted(locale),
                        "available": figures.available.formatted(locale),
                        "percent": figures.usedPerMille.map { "\($0 / 10) %" } ?? "–",
                        "over": (figures.usedPerMille ?? 0) > 1_000,
                        "drill": "/budgets/\(year)/\(Self.pathSegment(key.district))/\(Self.pathSegment(key.code))",
                    ]
                }]
            }
        values["hasFigures"] = !figures.isEmpty
        values["bars"] = Dashboard.bars(figures, language: language)
        return kit.page("budgets", values, request, user: user)
    }

    private func postings(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
        guard AccessPolicy.allows(.readBudgets, user) else { return PageKit.redirect("/") }
        guard let year = Int(try context.parameters.path("year")), BudgetLine.fiscalYears.contains(year) else {
            throw APIError.notFound(path: "budget line")
        }
        let district = try context.parameters.path("district")
        let line = try context.parameters.path("line")
        if let own = AccessPolicy.budgetDistrict(user), own != district {
            throw APIError.roleForbidden(action: "read another district's budget")
        }
        let typedCursor = request.uri.queryParameters.get("after").map { String($0) }
        let cursor = typedCursor.flatMap { BudgetPostingCursor(parsing: $0) }
        guard typedCursor == nil || cursor != nil else { throw APIError.queryInvalid(parameter: "after", reason: "is not a place in the list") }
        let (figures, page) = try await access.run { ledger in
            (try ledger.budgetFigures(fiscalYear: year, district: district).first { $0.line.line.key.code == line },
             try ledger.budgetPostings(fiscalYear: year, district: district, budgetLine: line, after: cursor, limit: Self.postingsPerPage))
        }
        let locale = PageKit.amountLocale(request)
        let linksEntries = AccessPolicy.allows(.readLedger, user)
        var values: [String: Any] = [
            "title": "\(PageKit.text("budget_line", request)) \(district) \(line) \(year)",
            "year": year, "district": district, "line": line,
            "postings": page.postings.map {
                ["entry": $0.entry.description, "date": $0.date.description, "description": $0.description,
                 "account": $0.account, "amount": $0.amount.formatted(locale), "link": linksEntries]
            },
        ]
        if let figures {
            values["name"] = PageKit.language(request) == .id ? figures.line.line.nameId : figures.line.line.nameEn
            values["actual"] = figures.figures.actual.formatted(locale)
            values["revised"] = figures.figures.revised.formatted(locale)
        }
        if let next = page.next { values["next"] = "?after=\(next)" }
        return kit.page("budget-line", values, request, user: user)
    }

    /// A district or line code as one path segment (codes are letters, digits and dashes,
    /// but a path is no place to trust that).
    static func pathSegment(_ code: String) -> String {
        code.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? code
    }
}
