@testable import AdminHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerStore
import Testing

/// The journal pages: entries by page, an entry with its hash, its reversal.
@Suite("Pages: journal")
struct JournalPageTests {
    @Test("an auditor reads the journal and an entry's hash; a finance officer reverses it with a reason")
    func readAndReverse() async throws {
        let server = try TestServer()
        let first = try #require(try server.ledger.entries(EntryFilter(), limit: 1).entries.first)
        try await server.test { client in
            let auditor = try await ClaimPageTests.signIn("P-MKS-006", client, server)
            let list = try await client.send(.get, "/journal", server: server, headers: [.cookie: auditor.cookies])
            #expect(list.status == .ok)
            #expect(list.text.contains(#"href="/journal/\#(first.number)""#))
            #expect(list.text.contains("Next page"))  // more than one page of the demo's entries
            let entry = try await client.send(.get, "/journal/\(first.number)", server: server, headers: [.cookie: auditor.cookies])
            #expect(entry.text.contains(first.hash.description))
            #expect(!entry.text.contains("/reverse"))
            let missing = try await client.send(.get, "/journal/JE-2024-999999", server: server,
                                                headers: [.cookie: auditor.cookies, .acceptLanguage: "id"])
            #expect(missing.status == .notFound)
            #expect(missing.text.contains("<h1>Tidak ditemukan</h1>"))
            let badFilter = try await client.send(.get, "/journal?from=2024-02-30", server: server,
                                                  headers: [.cookie: auditor.cookies])
            #expect(badFilter.status == .badRequest)

            let finance = try await ClaimPageTests.signIn("P-MKS-003", client, server)
            let noReason = try await PageTests.post(client, server, "/journal/\(first.number)/reverse",
                                                    ["csrf": finance.token, "reason": ""], cookies: finance.cookies)
            #expect(noReason.status == .badRequest)
            #expect(noReason.text.contains(#"<span id="reason-error" class="error">Required.</span>"#))
            let reversed = try await PageTests.post(client, server, "/journal/\(first.number)/reverse",
                                                    ["csrf": finance.token, "reason": "Recorded twice"], cookies: finance.cookies)
            #expect(reversed.status == .seeOther)
            #expect(try server.ledger.entry(first.number)?.reversedBy != nil)
            let again = try await PageTests.post(client, server, "/journal/\(first.number)/reverse",
                                                 ["csrf": finance.token, "reason": "Again"], cookies: finance.cookies)
            #expect(again.status == .conflict)
            #expect(again.text.contains(#"<p class="error" role="alert">"#) && again.text.contains("JE-"))

            let claimant = try await ClaimPageTests.signIn("P-SBT-003", client, server)
            let refused = try await client.send(.get, "/journal", server: server, headers: [.cookie: claimant.cookies])
            #expect(refused.status == .seeOther)
        }
    }
}
