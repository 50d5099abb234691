@testable import AdminHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The first pages (issue 8): login with its CSRF token and field errors, logout, the
/// language switch and the home page, and the two catalogues.
@Suite("Pages: login, language, home")
struct PageTests {
    static func form(_ fields: [String: String]) -> String {
        fields.sorted { $0.key < $1.key }.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&")
    }

    /// GET /login: the CSRF token (cookie and field agree) and the cookie header to send back.
    static func loginPage(_ client: any TestClientProtocol, _ server: TestServer, language: String? = nil)
        async throws -> (token: String, cookies: String, html: String) {
        var headers: HTTPFields = [:]
        if let language { headers[.cookie] = "neraca_lang=\(language)" }
        let page = try await client.send(.get, "/login", server: server, headers: headers)
        #expect(page.status == .ok)
        let setCookie = try #require(page.headers[.setCookie])
        let token = String(try #require(setCookie.split(separator: ";").first).dropFirst("neraca_csrf=".count))
        #expect(page.text.contains(#"name="csrf" value="\#(token)""#))
        let cookies = "neraca_csrf=\(token)" + (language.map { "; neraca_lang=\($0)" } ?? "")
        return (token, cookies, page.text)
    }

    static func post(_ client: any TestClientProtocol, _ server: TestServer, _ path: String, _ fields: [String: String],
                     cookies: String) async throws -> Reply {
        try await client.send(.post, path, server: server,
                              headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookies],
                              body: Array(form(fields).utf8))
    }

    @Test("the login page: labelled fields, a CSRF token, under 100 KB with its stylesheet")
    func loginPage() async throws {
        let server = try TestServer()
        try await server.test { client in
            let (_, _, html) = try await Self.loginPage(client, server)
            #expect(html.contains(#"<label for="login">"#) && html.contains(#"<label for="password">"#))
            #expect(html.contains(#"<html lang="en">"#))
            let css = try await client.send(.get, "/style.css", server: server)
            #expect(css.headers[.contentType]?.hasPrefix("text/css") == true)
            #expect(html.utf8.count + css.body.count < 100_000)
        }
    }

    @Test("a form without its CSRF token, or with another's, is refused and logs nobody in")
    func csrfRefused() async throws {
        let server = try TestServer()
        try await server.test { client in
            let (token, cookies, _) = try await Self.loginPage(client, server)
            for (fields, cookie) in [
                (["login": "P-MKS-003", "password": testPassword], cookies),
                (["login": "P-MKS-003", "password": testPassword, "csrf": "x" + token.dropFirst()], cookies),
                (["login": "P-MKS-003", "password": testPassword, "csrf": token], ""),
            ] {
                let reply = try await Self.post(client, server, "/login", fields, cookies: cookie)
                #expect(reply.status == .forbidden)
                #expect(reply.text.contains("This form has expired"))
                #expect(reply.headers[.setCookie]?.contains("neraca_session") != true)
            }
        }
    }

    @Test("errors come back next to their field, with what was typed kept")
    func fieldErrors() async throws {
        let server = try TestServer()
        try await server.test { client in
            let (token, cookies, _) = try await Self.loginPage(client, server)
            let empty = try await Self.post(client, server, "/login", ["login": " ", "password": "x", "csrf": token],
                                            cookies: cookies)
            #expect(empty.status == .badRequest)
            #expect(empty.text.contains(#"aria-describedby="login-error""#))
            #expect(empty.text.contains(#"<span id="login-error" class="error">Type your login.</span>"#))
            let wrong = try await Self.post(client, server, "/login",
                                            ["login": "P-MKS-003", "password": "wrong password 1", "csrf": token],
                                            cookies: cookies)
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains(#"value="P-MKS-003""#))
            #expect(wrong.text.contains("The login name or password is wrong."))
        }
    }

    @Test("logging in leads home; logging out ends the session; home needs a session")
    func loginHomeLogout() async throws {
        let server = try TestServer()
        try await server.test { client in
            let away = try await client.send(.get, "/", server: server)
            #expect(away.status == .seeOther)
            #expect(away.headers[.location] == "/login")
            let (token, cookies, _) = try await Self.loginPage(client, server)
            let login = try await Self.post(client, server, "/login",
                                            ["login": "P-MKS-003", "password": testPassword, "csrf": token], cookies: cookies)
            #expect(login.status == .seeOther)
            #expect(login.headers[.location] == "/")
            let session = String(try #require(login.headers[.setCookie]?.split(separator: ";").first))
            let home = try await client.send(.get, "/", server: server, headers: [.cookie: "\(cookies); \(session)"])
            #expect(home.status == .ok)
            #expect(home.text.contains("Muhammad Syahrir Latief"))
            #expect(home.text.contains("finance-officer"))
            let logout = try await Self.post(client, server, "/logout", ["csrf": token], cookies: "\(cookies); \(session)")
            #expect(logout.headers[.location] == "/login")
            let after = try await client.send(.get, "/", server: server, headers: [.cookie: "\(cookies); \(session)"])
            #expect(after.status == .seeOther)
        }
    }

    @Test("the language switch is remembered and the page speaks Indonesian")
    func languageSwitch() async throws {
        let server = try TestServer()
        try await server.test { client in
            let (token, cookies, _) = try await Self.loginPage(client, server)
            let switched = try await Self.post(client, server, "/language", ["lang": "id", "csrf": token], cookies: cookies)
            #expect(switched.headers[.setCookie]?.hasPrefix("neraca_lang=id") == true)
            let (_, _, html) = try await Self.loginPage(client, server, language: "id")
            #expect(html.contains(#"<html lang="id">"#))
            #expect(html.contains("<h1>Masuk</h1>"))
            #expect(html.contains("Kata sandi"))
        }
    }

    @Test("a form body reads as a browser sends it; a pair that is not percent-encoded UTF-8 is refused by name")
    func formBodies() throws {
        let form = try PageRoutes.Form(urlEncoded: Array("a=1&b=x+y&c=%C3%A9t%C3%A9&d&a=2&&f=1%2B1%3D2&g=a=b&=v".utf8))
        #expect(form["a"] == "2" && form["b"] == "x y" && form["c"] == "été" && form["d"] == "")
        #expect(form["f"] == "1+1=2" && form["g"] == "a=b" && form[""] == "v")
        #expect(try PageRoutes.Form(urlEncoded: [UInt8]()).fields.isEmpty)
        for (body, field) in [("e=%ZZ", "e"), ("e=%F", "e"), ("e=%FF", "e"), ("%C3=1", "form")] {
            #expect(throws: APIError.fieldInvalid(field: field, reason: "is not percent-encoded UTF-8"), "\(body)") {
                try PageRoutes.Form(urlEncoded: Array(body.utf8))
            }
        }
        #expect(throws: APIError.self) { try PageRoutes.Form(urlEncoded: Array("e=".utf8) + [0xFF]) }
    }

    @Test("every template string exists in both languages")
    func catalogues() throws {
        #expect(Set(PageText.en.keys) == Set(PageText.id.keys))
        for (key, value) in PageText.en { #expect(!value.isEmpty && !(PageText.id[key] ?? "").isEmpty, "\(key)") }
        _ = try PageRenderer()  // every template parses
        let templates = try #require(AdminHTTPResources.templateTexts())
        var used: Set<String> = []
        for text in templates {
            var rest = Substring(text)
            while let start = rest.range(of: "{{t.") {
                let after = rest[start.upperBound...]
                guard let end = after.range(of: "}}") else { break }
                used.insert(String(after[..<end.lowerBound]))
                rest = after[end.upperBound...]
            }
        }
        #expect(used.count >= 10)
        #expect(used.subtracting(PageText.en.keys).sorted() == [], "template keys missing from the catalogues")
    }
}
