import FeeClaims
import Foundation
import Hummingbird
import Logging

/// The pages staff use in a browser (issue 8), server-rendered, working without JavaScript.
/// So far: login, logout, the language switch and the home page; the rest of the
/// interface builds on these.
struct PageRoutes {
    let kit: PageKit
    let access: LedgerAccess
    var authenticator: Authenticator { kit.authenticator }

    /// The fields of the pages' small forms (`application/x-www-form-urlencoded`).
    struct Form: Decodable {
        var csrf: String?
        var login: String?
        var password: String?
        var lang: String?
        var comment: String?
        var expectedRevision: String?
        var acknowledgeFlags: String?
        var reason: String?
        var decision: String?
        var year: String?
    }

    func register(on router: RouterGroup<AdminRequestContext>) {
        router.get("style.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                     body: .init(byteBuffer: ByteBuffer(string: kit.renderer.stylesheet)))
        }
        router.get("login") { request, _ in page("login", [:], request) }
        router.post("login") { request, context in try await login(request, context) }
        router.post("logout") { request, context in try await logout(request, context) }
        router.post("language") { request, _ in try await switchLanguage(request) }
        router.get("/") { request, _ in
            guard let person = await kit.signedIn(request) else { return PageKit.redirect("/login") }
            let values = try await Dashboard.values(for: person, access: access, locale: PageKit.amountLocale(request))
            return kit.page("home", values, request, user: person)
        }
    }

    // MARK: - Handlers

    private func page(_ name: String, _ values: [String: Any], _ request: Request, status: HTTPResponse.Status = .ok)
        -> Response {
        kit.page(name, values, request, status: status)
    }

    private func login(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        var request = request
        let form = try await Self.form(&request)
        let language = PageKit.language(request)
        let text = PageText.catalogue(language)
        guard CSRF.accepts(request, field: form.csrf) else {
            return page("login", ["formError": text["csrf_refused"] ?? ""], request, status: .forbidden)
        }
        let login = (form.login ?? "").trimmingCharacters(in: .whitespaces)
        guard !login.isEmpty else {
            return page("login", ["loginError": text["login_required"] ?? ""], request, status: .badRequest)
        }
        do {
            let (cookie, person) = try await authenticator.login(login, password: form.password ?? "")
            context.notes.user = person.id
            context.record("login", [:])
            var response = PageKit.redirect("/")
            response.setCookie(authenticator.sessionCookie(cookie))
            return response
        } catch APIError.loginFailed {
            return page("login", ["login": login, "formError": text["login_failed"] ?? ""], request, status: .unauthorized)
        } catch APIError.tooManyLoginAttempts {
            return page("login", ["login": login, "formError": text["login_throttled"] ?? ""], request,
                        status: .tooManyRequests)
        }
    }

    private func logout(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        var request = request
        let form = try await Self.form(&request)
        guard CSRF.accepts(request, field: form.csrf) else { return PageKit.redirect("/") }
        if let identity = try? await authenticator.identify(request) {
            try await authenticator.logout(identity)
            context.notes.user = identity.person.id
            context.record("logout", [:])
        }
        var response = PageKit.redirect("/login")
        response.setCookie(authenticator.expiredCookie())
        return response
    }

    /// Remembers the language in a cookie of the browser.
    private func switchLanguage(_ request: Request) async throws -> Response {
        var request = request
        let form = try await Self.form(&request)
        var response = PageKit.redirect("/")
        if CSRF.accepts(request, field: form.csrf), let language = form.lang.flatMap(Language.init(rawValue:)) {
            response.setCookie(Cookie(name: PageKit.languageCookie, value: language.rawValue, maxAge: 365 * 86_400, path: "/",
                                      secure: kit.secureCookies, httpOnly: true, sameSite: .strict))
        }
        return response
    }

    // MARK: - Helpers

    static func form(_ request: inout Request) async throws -> Form {
        let body = try await JSONBody.collect(&request, limit: 64 * 1024, requireJSON: false)
        let text = String(decoding: body.readableBytesView, as: UTF8.self)
        return (try? URLEncodedFormDecoder().decode(Form.self, from: text)) ?? Form()
    }
}
