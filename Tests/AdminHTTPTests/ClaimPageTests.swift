@testable import AdminHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import FeeClaims
import LedgerCore
import LedgerStore
import Testing

/// The claim pages: a claimant files a claim with a receipt from the form and submits it,
/// the coordinator approves it; errors next to their field; who may see what.
@Suite("Pages: claims")
struct ClaimPageTests {
    /// A browser signed in as `person`: its cookies and form token.
    struct Browser {
        let cookies: String
        let token: String
    }

    static func signIn(_ person: String, _ client: any TestClientProtocol, _ server: TestServer) async throws -> Browser {
        let (token, cookies, _) = try await PageTests.loginPage(client, server)
        let login = try await PageTests.post(client, server, "/login",
                                             ["login": person, "password": testPassword, "csrf": token], cookies: cookies)
        let session = String(try #require(login.headers[.setCookie]?.split(separator: ";").first))
        return Browser(cookies: "\(cookies); \(session)", token: token)
    }

    static func newClaim(_ browser: Browser, _ client: any TestClientProtocol, _ server: TestServer,
                         _ fields: [String: String], receipt: [UInt8]? = nil) async throws -> Reply {
        let boundary = "page-boundary"
        var body: [UInt8] = []
        for (name, value) in (fields.merging(["csrf": browser.token]) { first, _ in first }).sorted(by: { $0.key < $1.key }) {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        if let receipt {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"receipt\"; filename=\"nota.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
            body += receipt + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return try await client.send(.post, "/claims/new", server: server,
                                     headers: [.contentType: "multipart/form-data; boundary=\(boundary)", .cookie: browser.cookies],
                                     body: body)
    }

    static func fields(_ server: TestServer) throws -> [String: String] {
        let today = try #require(server.clock.now.utcDate)
        let day = try #require(LedgerDate(dayNumber: today.dayNumber - 2)).description
        return ["district": "SBT", "budgetLine": "1.1", "activity": "Village meeting, Desa Bula", "activityFrom": day,
                "activityTo": day, "category": "honorarium", "quantity": "1", "unitRate": "150,000"]
    }

    @Test("a claimant files a claim with a receipt and submits it; the coordinator approves it")
    func fileSubmitApprove() async throws {
        let server = try TestServer()
        try await server.test { client in
            let claimant = try await Self.signIn("P-SBT-003", client, server)
            let form = try await client.send(.get, "/claims/new", server: server, headers: [.cookie: claimant.cookies])
            #expect(form.status == .ok)
            #expect(form.text.contains(#"capture="environment""#))
            #expect(!form.text.contains("aria-invalid") && !form.text.contains(#"class="error""#))
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 3, count: 64)
            let created = try await Self.newClaim(claimant, client, server, try Self.fields(server), receipt: png)
            #expect(created.status == .seeOther, "\(created.text)")
            let location = try #require(created.headers[.location])
            let page = try await client.send(.get, location, server: server, headers: [.cookie: claimant.cookies])
            #expect(page.text.contains("nota.png"))
            #expect(!page.text.contains("—") && !page.text.contains(#"class="error""#))  // no empty comment or error
            #expect(page.text.contains("<dd>IDR 150,000</dd>"))
            let number = String(location.dropFirst("/claims/".count))
            let revision = try server.ledger.claim(try ClaimNumber(parsing: number)).snapshot.revision
            let submitted = try await PageTests.post(client, server, "\(location)/submit",
                                                     ["csrf": claimant.token, "expectedRevision": "\(revision)"],
                                                     cookies: claimant.cookies)
            #expect(submitted.status == .seeOther, "\(submitted.text)")

            let coordinator = try await Self.signIn("P-SBT-001", client, server)
            let review = try await client.send(.get, location, server: server, headers: [.cookie: coordinator.cookies])
            #expect(review.text.contains("/approve"))
            let approved = try await PageTests.post(client, server, "\(location)/approve",
                                                    ["csrf": coordinator.token, "acknowledgeFlags": "true"],
                                                    cookies: coordinator.cookies)
            #expect(approved.status == .seeOther, "\(approved.text)")
            #expect(try server.ledger.claim(try ClaimNumber(parsing: number)).snapshot.state == .approved)
        }
    }

    @Test("errors come back next to their field, with what was typed kept; a step refused says why")
    func fieldErrors() async throws {
        let server = try TestServer()
        try await server.test { client in
            let claimant = try await Self.signIn("P-SBT-003", client, server)
            var missing = try Self.fields(server)
            missing["activity"] = ""
            let blank = try await Self.newClaim(claimant, client, server, missing)
            #expect(blank.status == .badRequest)
            #expect(blank.text.contains(#"<span id="activity-error" class="error">Required.</span>"#))
            #expect(blank.text.contains(#"value="Village meeting"#) == false)
            #expect(blank.text.contains(#"value="150,000""#))
            var badRate = try Self.fields(server)
            badRate["unitRate"] = "12.345,678"
            let rate = try await Self.newClaim(claimant, client, server, badRate)
            #expect(rate.status == .badRequest)
            #expect(rate.text.contains(#"id="unitRate-error""#))
            #expect(rate.text.contains(#"value="Village meeting, Desa Bula""#))
            let noToken = try await Self.newClaim(Browser(cookies: claimant.cookies, token: "forged"), client, server,
                                                  try Self.fields(server))
            #expect(noToken.status == .forbidden)
            #expect(try server.ledger.claims(claimant: "P-SBT-003").count == 5)  // the demo's five, nothing new
        }
    }

    @Test("the home page by role: what waits for me, my claims, open findings, budget bars")
    func dashboard() async throws {
        let server = try TestServer()
        let submitted = try #require(try server.ledger.claims(state: .submitted).first?.number.description)
        try await server.test { client in
            func home(_ person: String) async throws -> String {
                let browser = try await Self.signIn(person, client, server)
                return try await client.send(.get, "/", server: server, headers: [.cookie: browser.cookies]).text
            }
            let coordinator = try await home("P-SBT-001")
            #expect(coordinator.contains("Claims waiting for you") && coordinator.contains(submitted))
            let claimant = try await home("P-SBT-003")
            #expect(claimant.contains("My claims") && claimant.contains("/claims/new"))
            #expect(!claimant.contains("Open anti-fraud findings") && !claimant.contains("<svg"))
            let compliance = try await home("P-MKS-005")
            #expect(compliance.contains("Open anti-fraud findings ("))
            let director = try await home("P-MKS-002")
            #expect(director.contains(#"<svg class="bars" role="img""#))
            #expect(director.contains("<h3>SBD</h3>") && director.contains("<h3>SBT</h3>"))
            let sbdCoordinator = try await home("P-SBD-001")
            #expect(sbdCoordinator.contains("<h3>SBD</h3>") && !sbdCoordinator.contains("<h3>SBT</h3>"))
            #expect(!sbdCoordinator.contains(submitted))
        }
    }

    @Test("who sees what: an auditor cannot file, another district's coordinator cannot open, home needs a login")
    func scope() async throws {
        let server = try TestServer()
        let claim = try #require(try server.ledger.claims(claimant: "P-SBT-003").first?.number.description)
        try await server.test { client in
            let auditor = try await Self.signIn("P-MKS-006", client, server)
            let refused = try await client.send(.get, "/claims/new", server: server, headers: [.cookie: auditor.cookies])
            #expect(refused.status == .seeOther)
            let list = try await client.send(.get, "/claims", server: server, headers: [.cookie: auditor.cookies])
            #expect(list.text.contains(claim))
            #expect(!list.text.contains("/claims/new"))
            let other = try await Self.signIn("P-SBD-001", client, server)
            let outside = try await client.send(.get, "/claims/\(claim)", server: server, headers: [.cookie: other.cookies])
            #expect(outside.status == .forbidden)
            #expect(outside.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(outside.text.contains("<h1>Not allowed</h1>") && outside.text.contains(claim))
            let stateBefore = try server.ledger.claim(try ClaimNumber(parsing: claim)).snapshot.state
            let step = try await PageTests.post(client, server, "/claims/\(claim)/hold",
                                                ["csrf": other.token, "comment": "x"], cookies: other.cookies)
            #expect(step.status == .forbidden)
            #expect(try server.ledger.claim(try ClaimNumber(parsing: claim)).snapshot.state == stateBefore)
            let theirs = try await client.send(.get, "/claims", server: server, headers: [.cookie: other.cookies])
            #expect(!theirs.text.contains(claim))
            let anonymous = try await client.send(.get, "/claims", server: server)
            #expect(anonymous.headers[.location] == "/login")
        }
    }
}
