@testable import AdminHTTP
import Budgets
import FeeClaims
import Foundation
import FraudRules
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerStore
@testable import NeracaCLI
import Testing

/// Every page × every role: the page is shown (200, an HTML page with its heading) to the
/// roles listed here, and refused to all others (sent elsewhere, or a "not allowed" page),
/// with no part of it leaking. The table is written out, not derived from `AccessPolicy`:
/// it is the specification the policy is held to.
@Suite("Pages: every page × every role")
struct PageRoleMatrixTests {
    static let everyone: Set<String> = Set(DemoLedger.logins.map(\.role.rawValue))
    static let ledgerReaders: Set<String> = ["finance-officer", "treasurer", "auditor", "director", "program-manager",
                                             "compliance-officer"]
    static let claimActors: Set<String> = ["claimant", "coordinator", "program-manager", "director", "finance-officer",
                                           "treasurer", "compliance-officer"]

    /// The pages, with a sample of each path, and the roles that see them.
    static func pages(_ server: TestServer) throws -> [(path: String, shownTo: Set<String>)] {
        let claim = try #require(try server.ledger.claims(claimant: "P-SBT-003", limit: 1).first?.number)
        let entry = try #require(try server.ledger.entries(EntryFilter(), limit: 1).entries.first?.number)
        let finding = try #require(try server.ledger.findings(limit: 1).first?.id)
        let year = try #require(server.clock.now.utcDate).year
        let line = try #require(try server.ledger.budgetFigures(fiscalYear: year, district: "SBT").first?.line.line.key)
        return [
            ("/", everyone),
            ("/claims", everyone.subtracting(["admin"])),
            ("/claims/new", claimActors),
            // A claim of the demo's claimant in SBT: theirs, their coordinator's, head office's.
            ("/claims/\(claim)", ledgerReaders.union(["claimant", "coordinator"])),
            ("/journal", ledgerReaders),
            ("/journal/new", ["finance-officer", "treasurer"]),
            ("/journal/\(entry)", ledgerReaders),
            ("/budgets", ledgerReaders.union(["coordinator"])),
            ("/budgets/\(line.fiscalYear)/\(line.district)/\(line.code)", ledgerReaders.union(["coordinator"])),
            ("/findings", ["compliance-officer", "auditor", "director"]),
            ("/findings/\(finding)", ["compliance-officer", "auditor", "director"]),
            ("/exports", ["auditor", "finance-officer", "director"]),
            ("/people", everyone.subtracting(["claimant"])),
            ("/users", ["admin"]),
        ]
    }

    @Test("each page is shown to its roles and refused to the others")
    func matrix() async throws {
        let server = try TestServer()
        let pages = try Self.pages(server)
        try await server.test { client in
            for (role, person) in DemoLedger.logins {
                let browser = try await ClaimPageTests.signIn(person, client, server)
                for page in pages {
                    let reply = try await client.send(.get, page.path, server: server, headers: [.cookie: browser.cookies])
                    if page.shownTo.contains(role.rawValue) {
                        #expect(reply.status == .ok, "\(role.rawValue) should see \(page.path)")
                        #expect(reply.text.contains("<h1>"), "\(role.rawValue) \(page.path)")
                    } else {
                        #expect([.seeOther, .forbidden].contains(reply.status), "\(role.rawValue) must not see \(page.path)")
                        if reply.status == .forbidden { #expect(reply.text.contains("<h1>Not allowed</h1>")) }
                        // Sent to a page of their own, never to the login (they are logged in).
                        if reply.status == .seeOther {
                            #expect(["/", "/claims", "/journal"].contains(reply.headers[.location] ?? ""), "\(page.path)")
                        }
                    }
                }
            }
            // Without a login, every page sends to the login page.
            for page in pages {
                let reply = try await client.send(.get, page.path, server: server)
                #expect(reply.status == .seeOther && reply.headers[.location] == "/login", "\(page.path)")
            }
        }
    }

    @Test("the header links each role to its sections only")
    func navigation() async throws {
        let server = try TestServer()
        try await server.test { client in
            let admin = try await ClaimPageTests.signIn("P-MKS-007", client, server)
            let adminHome = try await client.send(.get, "/", server: server, headers: [.cookie: admin.cookies]).text
            #expect(adminHome.contains(#"<a href="/users""#) && adminHome.contains(#"<a href="/people""#))
            #expect(!adminHome.contains(#"<a href="/claims""#) && !adminHome.contains(#"<a href="/journal""#))
            #expect(adminHome.contains(#"<a href="/" aria-current="page">"#))
            let claimant = try await ClaimPageTests.signIn("P-SBT-003", client, server)
            let claims = try await client.send(.get, "/claims", server: server, headers: [.cookie: claimant.cookies]).text
            #expect(claims.contains(#"<a href="/claims" aria-current="page">"#))
            for hidden in ["/journal", "/budgets", "/findings", "/exports", "/people", "/users"] {
                #expect(!claims.contains(#"<a href="\#(hidden)""#), "\(hidden)")
            }
        }
    }

    @Test("every page stays under 100 KB with its stylesheet, and labels every input")
    func sizeAndLabels() async throws {
        let server = try TestServer()
        let pages = try Self.pages(server)
        try await server.test { client in
            let css = try await client.send(.get, "/style.css", server: server).body.count
            for (role, person) in DemoLedger.logins {
                let browser = try await ClaimPageTests.signIn(person, client, server)
                for page in pages where page.shownTo.contains(role.rawValue) {
                    let html = try await client.send(.get, page.path, server: server, headers: [.cookie: browser.cookies]).text
                    #expect(html.utf8.count + css < 100_000, "\(page.path) as \(role.rawValue)")
                    for id in Self.inputIDs(html) {
                        #expect(html.contains(#"<label for="\#(id)""#) || html.contains(#"<label class="visually-hidden" for="\#(id)""#),
                                "\(page.path): input \(id) has no label")
                    }
                }
            }
        }
    }

    /// The ids of the visible inputs, selects and text areas of a page.
    static func inputIDs(_ html: String) -> [String] {
        var ids: [String] = []
        var rest = Substring(html)
        while let start = [rest.range(of: "<input "), rest.range(of: "<select ")].compactMap({ $0 })
            .min(by: { $0.lowerBound < $1.lowerBound }) {
            let tagEnd = rest[start.upperBound...].firstIndex(of: ">") ?? rest.endIndex
            let tag = rest[start.lowerBound..<tagEnd]
            rest = rest[tagEnd...]
            guard !tag.contains(#"type="hidden""#), !tag.contains(#"type="checkbox""#) else { continue }
            if let idStart = tag.range(of: #"id=""#) {
                let value = tag[idStart.upperBound...].prefix { $0 != "\"" }
                ids.append(String(value))
            } else {
                ids.append("(no id) \(tag)")
            }
        }
        return ids
    }
}
