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
        var response = renderer.page(name, values, language: Self.language(request), csrf: token, status: status)
        if let cookie { response.setCookie(cookie) }
        return response
    }

    /// The language chosen on the page (its cookie), else the browser's.
    static func language(_ request: Request) -> Language {
        request.cookies[languageCookie].flatMap { Language(rawValue: $0.value) }
            ?? Language(acceptLanguage: request.headers[.acceptLanguage])
    }

    static func amountLocale(_ request: Request) -> AmountLocale { language(request) == .id ? .id : .en }

    static func text(_ key: String, _ request: Request) -> String {
        PageText.catalogue(language(request))[key] ?? key
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
