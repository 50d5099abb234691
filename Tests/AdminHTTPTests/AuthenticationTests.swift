@testable import AdminHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerStore
import Testing

@Suite("Logins, sessions, tokens and throttling")
struct AuthenticationTests {
    static func loginBody(_ login: String, _ password: String) -> String {
        #"{"login":"\#(login)","password":"\#(password)"}"#
    }

    @Test("a login sets an HttpOnly, SameSite=Strict session cookie that authenticates, until logout")
    func loginSessionLogout() async throws {
        let server = try TestServer()
        try await server.test { client in
            let login = try await client.send(.post, "/api/v1/session", server: server,
                                              json: Self.loginBody("P-MKS-003", testPassword))
            #expect(login.status == .created)
            let setCookie = try #require(login.headers[.setCookie])
            #expect(setCookie.hasPrefix("neraca_session="))
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Strict"))
            #expect(!setCookie.contains("Secure"))
            let cookie = String(setCookie.split(separator: ";")[0])
            let me = try await client.send(.get, "/api/v1/me", server: server, headers: [.cookie: cookie])
            #expect(me.status == .ok)
            #expect(me.json["person"] as? String == "P-MKS-003")
            let logout = try await client.send(.delete, "/api/v1/session", server: server, headers: [.cookie: cookie])
            #expect(logout.status == .noContent)
            #expect(logout.headers[.setCookie]?.contains("Max-Age=0") == true)
            let after = try await client.send(.get, "/api/v1/me", server: server, headers: [.cookie: cookie])
            #expect(after.status == .unauthorized)
            #expect(after.code == "sessionExpired")
        }
    }

    @Test("cookies are Secure behind TLS")
    func secureCookies() async throws {
        let server = try TestServer { $0.sessions.secureCookies = true }
        try await server.test { client in
            let login = try await client.send(.post, "/api/v1/session", server: server,
                                              json: Self.loginBody("P-MKS-003", testPassword))
            #expect(login.headers[.setCookie]?.contains("Secure") == true)
        }
    }

    @Test("a session ends after 30 idle minutes, and 12 hours after login however used")
    func sessionExpiry() async throws {
        let server = try TestServer()
        try await server.test { client in
            let cookie = try await Self.login(client, server)
            server.clock.advance(seconds: 29 * 60)
            #expect(try await client.send(.get, "/api/v1/me", server: server, headers: [.cookie: cookie]).status == .ok)
            server.clock.advance(seconds: 31 * 60)
            let expired = try await client.send(.get, "/api/v1/me", server: server, headers: [.cookie: cookie])
            #expect(expired.status == .unauthorized)
            #expect(expired.code == "sessionExpired")
            #expect(expired.headers[.setCookie]?.hasPrefix("neraca_session=;") == true)
            #expect(expired.headers[.setCookie]?.contains("Max-Age=0") == true)
            // The browser may still send the stale cookie: logging in again works.
            let again = try await client.send(.post, "/api/v1/session", server: server,
                                              json: Self.loginBody("P-MKS-003", testPassword), headers: [.cookie: cookie])
            #expect(again.status == .created)

            let active = try await Self.login(client, server)
            for _ in 0..<25 {
                server.clock.advance(seconds: 29 * 60)
                _ = try await client.send(.get, "/api/v1/me", server: server, headers: [.cookie: active])
            }
            // 12 h 5 min after login, used every 29 minutes.
            #expect(try await client.send(.get, "/api/v1/me", server: server, headers: [.cookie: active]).status
                == .unauthorized)
        }
    }

    @Test("sessions are in the database: a new server on the same file accepts them")
    func sessionsSurviveRestart() async throws {
        let server = try TestServer()
        let cookie = try await server.test { client in try await Self.login(client, server) }
        let restarted = try await server.test { client in
            try await client.send(.get, "/api/v1/me", server: server, headers: [.cookie: cookie]).status
        }
        #expect(restarted == .ok)
    }

    @Test("a wrong password and an unknown login get the same answer")
    func noUserEnumeration() async throws {
        let server = try TestServer()
        try await server.test { client in
            let wrong = try await client.send(.post, "/api/v1/session", server: server,
                                              json: Self.loginBody("P-MKS-003", "wrong password 123"))
            let unknown = try await client.send(.post, "/api/v1/session", server: server,
                                                json: Self.loginBody("P-NOBODY-1", "wrong password 123"))
            let noLogin = try await client.send(.post, "/api/v1/session", server: server,
                                                json: Self.loginBody("P-SBT-010", testPassword))
            for reply in [wrong, unknown, noLogin] {
                #expect(reply.status == .unauthorized)
                #expect(reply.code == "loginFailed")
                #expect(reply.json["detail"] as? String == "the login name or password is wrong")
                #expect(reply.headers[.setCookie] == nil)
            }
        }
    }

    @Test("five failed logins within 15 minutes: 429 for 15 minutes, even with the right password")
    func throttling() async throws {
        let server = try TestServer()
        try await server.test { client in
            for _ in 0..<5 {
                let reply = try await client.send(.post, "/api/v1/session", server: server,
                                                  json: Self.loginBody("P-MKS-003", "wrong password 123"))
                #expect(reply.status == .unauthorized)
            }
            let refused = try await client.send(.post, "/api/v1/session", server: server,
                                                json: Self.loginBody("P-MKS-003", testPassword))
            #expect(refused.status == .tooManyRequests)
            #expect(refused.code == "tooManyLoginAttempts")
            let retryAfter = try #require(refused.headers[.retryAfter].flatMap { Int($0) })
            #expect((890...900).contains(retryAfter))
            // Unknown names are throttled alike, so the throttle tells nothing either.
            for _ in 0..<5 {
                _ = try await client.send(.post, "/api/v1/session", server: server,
                                          json: Self.loginBody("P-NOBODY-1", "wrong password 123"))
            }
            #expect(try await client.send(.post, "/api/v1/session", server: server,
                                          json: Self.loginBody("P-NOBODY-1", "x")).status == .tooManyRequests)
            // Another account is not affected.
            #expect(try await client.send(.post, "/api/v1/session", server: server,
                                          json: Self.loginBody("P-MKS-004", testPassword)).status == .created)
            server.clock.advance(seconds: 15 * 60 + 1)
            #expect(try await client.send(.post, "/api/v1/session", server: server,
                                          json: Self.loginBody("P-MKS-003", testPassword)).status == .created)
        }
    }

    @Test("attempts sent all at once are counted one by one: at most five get their password checked")
    func parallelAttempts() async throws {
        let server = try TestServer()
        try await server.test { client in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await client.send(.post, "/api/v1/session", server: server,
                                              json: Self.loginBody("P-MKS-003", "wrong password 123")).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .unauthorized }.count == 5)
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 15)
        }
    }

    @Test("the lock lasts 15 minutes from the fifth failure, however the five were spread")
    func spreadFailures() async throws {
        let server = try TestServer()
        try await server.test { (client: any TestClientProtocol) async throws in
            func attempt(_ password: String) async throws -> HTTPResponse.Status {
                try await client.send(.post, "/api/v1/session", server: server,
                                      json: Self.loginBody("P-MKS-003", password)).status
            }
            for _ in 0..<4 {  // failures at minutes 0, 1, 2 and 3
                #expect(try await attempt("wrong password 123") == .unauthorized)
                server.clock.advance(seconds: 60)
            }
            server.clock.advance(seconds: 10 * 60)  // the fifth failure 14 minutes after the first
            #expect(try await attempt("wrong password 123") == .unauthorized)
            server.clock.advance(seconds: 14 * 60)  // 14 minutes after the fifth: still locked
            #expect(try await attempt(testPassword) == .tooManyRequests)
            server.clock.advance(seconds: 61)
            #expect(try await attempt(testPassword) == .created)
        }
    }

    @Test("a login name longer than any person id is refused alike, and nothing is stored for it")
    func longLoginName() async throws {
        let server = try TestServer()
        try await server.test { client in
            let reply = try await client.send(.post, "/api/v1/session", server: server,
                                              json: Self.loginBody(String(repeating: "P", count: 5_000), "x"))
            #expect(reply.status == .unauthorized)
            #expect(reply.code == "loginFailed")
        }
    }

    @Test("a password stored at another cost is hashed again at the server's on login")
    func rehashOnLogin() async throws {
        let server = try TestServer { $0.passwords = PasswordHasher(cost: 5) }
        #expect(PasswordHasher.cost(of: try #require(try server.ledger.credential(person: "P-MKS-003")).passwordHash) == 4)
        _ = try await server.test { client in try await Self.login(client, server) }
        #expect(PasswordHasher.cost(of: try #require(try server.ledger.credential(person: "P-MKS-003")).passwordHash) == 5)
        let again = try await server.test { client in try await Self.login(client, server) }
        #expect(again.hasPrefix("neraca_session="))
    }

    @Test("bearer tokens: a valid one authenticates, a wrong or malformed one is refused, a disabled user's stops")
    func tokens() async throws {
        let server = try TestServer()
        try await server.test { client in
            #expect(try await client.send(.get, "/api/v1/me", as: "auditor", server: server).status == .ok)
            for authorization in ["Bearer nope", "Basic abc", "Bearer", "bearer  "] {
                let reply = try await client.send(.get, "/api/v1/me", server: server, headers: [.authorization: authorization])
                #expect(reply.status == .unauthorized, "\(authorization)")
                #expect(reply.headers[.wwwAuthenticate] != nil)
            }
            try server.ledger.disableUser(person: "P-MKS-006", by: "test", now: server.clock.now)
            server.clock.advance(seconds: 6)
            #expect(try await client.send(.get, "/api/v1/me", as: "auditor", server: server).status == .unauthorized)
            #expect(try await client.send(.post, "/api/v1/session", server: server,
                                          json: Self.loginBody("P-MKS-006", testPassword)).status == .unauthorized)
        }
    }

    @Test("without a credential every API route but login and the document answers 401")
    func unauthenticated() async throws {
        let server = try TestServer()
        try await server.test { client in
            let routes = RouteCatalog.routes(server).filter { !RouteCatalog.isPublic($0.method, $0.path) }
            #expect(routes.count >= 20)
            for (method, path) in routes {
                let reply = try await client.send(method, RouteCatalog.example(path), server: server, json: "{}")
                #expect(reply.status == .unauthorized, "\(method) \(path)")
                #expect(reply.code == "unauthenticated", "\(method) \(path)")
            }
            #expect(try await client.send(.get, "/health", server: server).status == .ok)
            #expect(try await client.send(.get, "/ready", server: server).status == .ok)
            #expect(try await client.send(.get, "/api/v1/openapi.yaml", server: server).status == .ok)
        }
    }

    @Test("password rules: 12 characters at least, 72 bytes at most, no control characters")
    func passwordRules() throws {
        #expect(throws: UserError.passwordTooShort(minimum: 12)) { try PasswordHasher.check("short pass!") }
        #expect(throws: UserError.passwordTooLong(maximum: 72)) {
            try PasswordHasher.check(String(repeating: "a", count: 73))
        }
        #expect(throws: LedgerError.textHasControlCharacters(field: "password")) {
            try PasswordHasher.check("twelve chars\u{0}!")
        }
        try PasswordHasher.check("twelve chars")
        let hasher = PasswordHasher(cost: 4)
        let hash = try hasher.hashBlocking("twelve chars")
        #expect(hash.hasPrefix("$2b$04$"))
    }

    static func login(_ client: any TestClientProtocol, _ server: TestServer) async throws -> String {
        let login = try await client.send(.post, "/api/v1/session", server: server,
                                          json: loginBody("P-MKS-003", testPassword))
        guard login.status == .created, let setCookie = login.headers[.setCookie] else {
            throw TestFailure("login failed: \(login.text)")
        }
        return String(setCookie.split(separator: ";")[0])
    }
}
