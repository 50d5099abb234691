@testable import AdminHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerStore
import Testing

/// The findings page (evidence and triage) and the export page (the auditor's download).
@Suite("Pages: findings and export")
struct FindingPageTests {
    @Test("a compliance officer reads the evidence and decides; the reason is required, next to its field")
    func triage() async throws {
        let server = try TestServer()
        let finding = try #require(try server.ledger.findings(status: "open").first)
        try await server.test { client in
            let compliance = try await ClaimPageTests.signIn("P-MKS-005", client, server)
            let page = try await client.send(.get, "/findings", server: server, headers: [.cookie: compliance.cookies])
            #expect(page.status == .ok)
            #expect(page.text.contains(finding.id) && page.text.contains(#"action="/findings/\#(finding.id)/decision""#))
            let noReason = try await PageTests.post(client, server, "/findings/\(finding.id)/decision",
                                                    ["csrf": compliance.token, "decision": "dismiss", "reason": " "],
                                                    cookies: compliance.cookies)
            #expect(noReason.status == .badRequest)
            #expect(noReason.text.contains(#"<span id="reason-\#(finding.id)-error" class="error">Required.</span>"#))
            let forged = try await PageTests.post(client, server, "/findings/\(finding.id)/decision",
                                                  ["csrf": compliance.token, "decision": "close", "reason": "x"],
                                                  cookies: compliance.cookies)
            #expect(forged.status == .badRequest)
            #expect(try server.ledger.finding(finding.id)?.status == "open")
            let decided = try await PageTests.post(client, server, "/findings/\(finding.id)/decision",
                                                   ["csrf": compliance.token, "decision": "dismiss",
                                                    "reason": "Checked the attendance list"], cookies: compliance.cookies)
            #expect(decided.status == .seeOther)
            #expect(try server.ledger.finding(finding.id)?.status == "dismissed")

            let auditor = try await ClaimPageTests.signIn("P-MKS-006", client, server)
            let read = try await client.send(.get, "/findings?status=dismissed", server: server, headers: [.cookie: auditor.cookies])
            #expect(read.text.contains(finding.id) && !read.text.contains("/decision"))
            let claimant = try await ClaimPageTests.signIn("P-SBT-003", client, server)
            let refused = try await client.send(.get, "/findings", server: server, headers: [.cookie: claimant.cookies])
            #expect(refused.status == .seeOther)
        }
    }

    @Test("an auditor downloads the year's bundle; a bad year is named next to its field")
    func export() async throws {
        let server = try TestServer()
        try await server.test { client in
            let auditor = try await ClaimPageTests.signIn("P-MKS-006", client, server)
            let form = try await client.send(.get, "/exports", server: server, headers: [.cookie: auditor.cookies])
            #expect(form.text.contains(#"<label for="year">"#))
            let bad = try await PageTests.post(client, server, "/exports", ["csrf": auditor.token, "year": "24"],
                                               cookies: auditor.cookies)
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains(#"id="year-error""#) && bad.text.contains(#"value="24""#))
            let zip = try await PageTests.post(client, server, "/exports", ["csrf": auditor.token, "year": "2024"],
                                               cookies: auditor.cookies)
            #expect(zip.status == .ok)
            #expect(zip.headers[.contentType] == "application/zip")
            #expect(zip.body.starts(with: [0x50, 0x4B, 0x03, 0x04]))
            let claimant = try await ClaimPageTests.signIn("P-SBT-003", client, server)
            let refused = try await client.send(.get, "/exports", server: server, headers: [.cookie: claimant.cookies])
            #expect(refused.status == .seeOther)
        }
    }
}
