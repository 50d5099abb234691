import FeeClaims
import Foundation
import Hummingbird
import LedgerStore
import Logging

/// The pages staff use in a browser (issue 8), server-rendered, working without JavaScript:
/// login, logout, the language switch, the home page, the stylesheet and the one script. The sections have
/// route groups of their own (claims, journal, budgets, findings, people and users).
struct PageRoutes {
    let kit: PageKit
    let access: LedgerAccess
    var authenticator: Authenticator { kit.authenticator }

    /// The fields of a page's form (`application/x-www-form-urlencoded`), by name; a name
    /// sent twice keeps its last value (our forms send each name once). Read by hand:
    /// Hummingbird's decoder refuses a name sent twice, and the form would be lost whole.
    struct Form {
        let fields: [String: String]

        /// Reads `name=value&…` as browsers send it: `+` is a space, `%XX` a byte, the bytes
        /// UTF-8; a pair without `=` is a name with an empty value.
        /// - Throws: `APIError.fieldInvalid` naming the field whose name or value is not
        ///   percent-encoded UTF-8 (no browser sends one: nothing of the form is used).
        init<Bytes: Collection<UInt8>>(urlEncoded body: Bytes) throws {
            var fields: [String: String] = [:]
            for pair in body.split(separator: UInt8(ascii: "&")) {
                let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
                let name = try Self.decoded(parts[0], field: "form")
                fields[name] = parts.count > 1 ? try Self.decoded(parts[1], field: name) : ""
            }
            self.fields = fields
        }

        private static func decoded<Bytes: Collection<UInt8>>(_ encoded: Bytes, field: String) throws -> String {
            let refusal = APIError.fieldInvalid(field: field, reason: "is not percent-encoded UTF-8")
            var bytes: [UInt8] = []
            var index = encoded.startIndex
            func hexDigit(_ byte: UInt8) -> UInt8? {
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
                default: return nil
                }
            }
            while index != encoded.endIndex {
                let byte = encoded[index]
                index = encoded.index(after: index)
                switch byte {
                case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
                case UInt8(ascii: "%"):
                    guard index != encoded.endIndex, let high = hexDigit(encoded[index]) else { throw refusal }
                    index = encoded.index(after: index)
                    guard index != encoded.endIndex, let low = hexDigit(encoded[index]) else { throw refusal }
                    index = encoded.index(after: index)
                    bytes.append(high << 4 | low)
                case 0x80...: throw refusal  // browsers encode every byte beyond ASCII
                default: bytes.append(byte)
                }
            }
            guard let text = String(bytes: bytes, encoding: .utf8) else { throw refusal }
            return text
        }

        subscript(_ name: String) -> String? { fields[name] }
        var csrf: String? { fields["csrf"] }
        var login: String? { fields["login"] }
        var password: String? { fields["password"] }
        var lang: String? { fields["lang"] }
        var comment: String? { fields["comment"] }
        var expectedRevision: String? { fields["expectedRevision"] }
        var acknowledgeFlags: String? { fields["acknowledgeFlags"] }
        var reason: String? { fields["reason"] }
        var decision: String? { fields["decision"] }
        var year: String? { fields["year"] }
    }

    func register(on router: RouterGroup<AdminRequestContext>) {
        router.get("style.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                     body: .init(byteBuffer: ByteBuffer(string: kit.renderer.stylesheet)))
        }
        router.get("entry-form.js") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "public, max-age=3600"],
                     body: .init(byteBuffer: ByteBuffer(string: kit.renderer.entryFormScript)))
        }
        router.get("login") { request, _ in page("login", [:], request) }
        router.post("login") { request, context in try await login(request, context) }
        router.post("logout") { request, context in try await logout(request, context) }
        router.post("language") { request, _ in try await switchLanguage(request) }
        router.get("/") { request, _ in
            guard let person = await kit.signedIn(request) else { return PageKit.redirect("/login") }
            let values = try await Dashboard.values(for: person, access: access, locale: PageKit.amountLocale(request),
                                                    language: PageKit.language(request))
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
        let login = (form.login ?? "").trimmingCharacters(in: .whitespaces)
        guard CSRF.accepts(request, field: form.csrf) else {
            return page("login", ["login": login, "formError": text["csrf_refused"] ?? ""], request, status: .forbidden)
        }
        guard !login.isEmpty else {
            return page("login", ["loginError": text["login_required"] ?? ""], request, status: .badRequest)
        }
        do {
            let (cookie, person) = try await authenticator.login(login, password: form.password ?? "")
            context.notes.user = person.id
            context.record("login", [:])
            var response = PageKit.redirect("/")
            response.setCookie(authenticator.sessionCookie(cookie))
            // The language the user chose before, on whichever browser.
            if let chosen = try await access.run({ try $0.userLanguage(person: person.id) }).flatMap(Language.init(rawValue:)) {
                response.setCookie(kit.languageCookie(chosen))
            }
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

    /// Remembers the language for the signed-in user (in the store, so it follows them to
    /// another browser) and in a cookie of this browser (for the login page too).
    private func switchLanguage(_ request: Request) async throws -> Response {
        var request = request
        let form = try await Self.form(&request)
        var response = PageKit.redirect("/")
        if CSRF.accepts(request, field: form.csrf), let language = form.lang.flatMap(Language.init(rawValue:)) {
            if let user = await kit.signedIn(request) {
                try await access.run { try $0.setUserLanguage(person: user.id, language: language.rawValue) }
            }
            response.setCookie(kit.languageCookie(language))
        }
        return response
    }

    // MARK: - Helpers

    /// A page's form without a file: a manual entry of 30 rows is far below.
    static let formBytesMax = 64 * 1024

    /// The form of the request's body (at most `formBytesMax`).
    static func form(_ request: inout Request) async throws -> Form {
        let body = try await JSONBody.collect(&request, limit: Self.formBytesMax, requireJSON: false)
        return try Form(urlEncoded: body.readableBytesView)
    }
}
