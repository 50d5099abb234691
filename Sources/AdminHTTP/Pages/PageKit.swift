import FeeClaims
import Foundation
import Hummingbird
import LedgerCore

/// What every page handler needs: the renderer, who is signed in, the CSRF token, the
/// user's language, redirects and form bodies.
struct PageKit: Sendable {
    let authenticator: Authenticator
    let renderer: PageRenderer
    let secureCookies: Bool

    static let languageCookie = "neraca_lang"

    /// The signed-in person (a browser session), or nil.
    func signedIn(_ request: Request) async -> Person? {
        guard let identity = try? await authenticator.identify(request), case .session = identity.credential else { return nil }
        return identity.person
    }

    /// The page `name`, with the CSRF token (and its cookie on first visit) and the user's
    /// name for the header.
    func page(_ name: String, _ values: [String: Any], _ request: Request, user: Person? = nil,
              status: HTTPResponse.Status = .ok) -> Response {
        let (token, cookie) = CSRF.token(request, secure: secureCookies)
        var values = values
        if let user, values["user"] == nil { values["user"] = ["name": user.name] }
        if let user {
            values["nav"] = Self.navigation(for: user, request)
            values["hasNav"] = true
        }
        var response = renderer.page(name, values, language: Self.language(request), csrf: token, status: status)
        if let cookie { response.setCookie(cookie) }
        return response
    }

    /// The sections of the interface `user` may open, for the header: each page refuses the
    /// others anyway, so a link missing here hides nothing that would work.
    static func navigation(for user: Person, _ request: Request) -> [[String: Any]] {
        let sections: [(path: String, key: String, permission: Permission?)] = [
            ("/", "home_title", nil), ("/claims", "claims_title", .readClaims), ("/journal", "journal_title", .readLedger),
            ("/budgets", "budgets_title", .readBudgets), ("/findings", "findings_title", .readFindings),
            ("/exports", "export_title", .export), ("/people", "people_title", .readPeople),
            ("/users", "users_title", .manageUsers),
        ]
        let path = request.uri.path
        return sections.filter { $0.permission.map { AccessPolicy.allows($0, user) } ?? true }.map { section in
            let current = section.path == "/" ? path == "/" : path == section.path || path.hasPrefix(section.path + "/")
            return ["path": section.path, "label": text(section.key, request), "current": current]
        }
    }

    /// The language chosen on the page (its cookie), else the browser's.
    static func language(_ request: Request) -> Language {
        request.cookies[languageCookie].flatMap { Language(rawValue: $0.value) }
            ?? Language(acceptLanguage: request.headers[.acceptLanguage])
    }

    /// The cookie that keeps `language` for this browser, for a year.
    func languageCookie(_ language: Language) -> Cookie {
        Cookie(name: Self.languageCookie, value: language.rawValue, maxAge: 365 * 86_400, path: "/", secure: secureCookies,
               httpOnly: true, sameSite: .strict)
    }

    static func amountLocale(_ request: Request) -> AmountLocale { language(request) == .id ? .id : .en }

    static func text(_ key: String, _ request: Request) -> String {
        PageText.catalogue(language(request))[key] ?? key
    }

    /// The `from` and `to` dates of a list's filter, as typed (`text` reads the query): the
    /// valid ones, and the first field whose text is not a date (nothing is listed then).
    static func filterDates(_ text: (String) -> String) -> (dates: [String: LedgerDate], invalidField: String?) {
        var dates: [String: LedgerDate] = [:]
        for name in ["from", "to"] where !text(name).isEmpty {
            guard let date = try? LedgerDate(parsing: text(name)) else { return (dates, name) }
            dates[name] = date
        }
        return (dates, nil)
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}

/// A refused request as a page shows it: the field at fault, the message for above the
/// form (naming the field) and for next to the field (without its name), the status.
struct PageRefusal {
    /// The problem's stable code (`blockedByRules`).
    let code: String
    let field: String?
    let message: String
    let fieldMessage: String
    let status: HTTPResponse.Status

    /// - Throws: `error` itself when it is a server fault (5xx): the error page and the log
    ///   take it, the user's form is not blamed.
    init(_ error: any Error, _ request: Request) throws {
        let problem = Problem(presenting: error)
        guard problem.status.code < 500 else { throw error }
        let language = PageKit.language(request)
        code = problem.code
        field = problem.field
        message = ProblemText.message(problem, language)
        fieldMessage = ProblemText.message(problem, language, atField: true)
        status = problem.status
    }
}
