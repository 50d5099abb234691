@testable import AdminHTTP
import AuditExport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerStore
import Logging
import Testing

@Suite("Ledger routes: entries, trial balance, budget, people, findings, exports")
struct LedgerRouteTests {
    static let honorarium = """
        {"date":"2024-02-26","description":"Honorarium, village facilitator, February","reference":"PV-SBT-000099",
         "postings":[{"account":"5-1100","amount":"2500000","district":"SBT","budgetLine":"1.1",
                      "activity":"Village facilitation","fundingSource":"JSDF-TF0B1234","party":"P-SBT-014"},
                     {"account":"1-1120","amount":"-2500000","district":"SBT"}]}
        """

    @Test("an entry posts once per Idempotency-Key; the same key with another entry is refused")
    func idempotentPosting() async throws {
        let server = try TestServer()
        try await server.test { client in
            let first = try await client.send(.post, "/api/v1/entries", as: "finance-officer", server: server,
                                              json: Self.honorarium, headers: [.idempotencyKey: "pv-sbt-99"])
            #expect(first.status == .created, "\(first.text)")
            let number = try #require(first.json["number"] as? String)
            let replay = try await client.send(.post, "/api/v1/entries", as: "finance-officer", server: server,
                                               json: Self.honorarium, headers: [.idempotencyKey: "pv-sbt-99"])
            #expect(replay.status == .ok)
            #expect(replay.json["number"] as? String == number)
            #expect(replay.json["replayed"] as? Bool == true)
            let other = try await client.send(
                .post, "/api/v1/entries", as: "finance-officer", server: server,
                json: Self.honorarium.replacingOccurrences(of: "2500000", with: "2400000"),
                headers: [.idempotencyKey: "pv-sbt-99"])
            #expect(other.status == .conflict)
            #expect(other.code == "idempotencyKeyReused")
            let imported = try await client.send(
                .post, "/api/v1/entries", as: "finance-officer", server: server,
                json: Self.honorarium.replacingOccurrences(of: "{\"date\"", with: "{\"source\":\"import\",\"date\""),
                headers: [.idempotencyKey: "import-1"])
            #expect(imported.status == .badRequest)
            #expect(imported.field == "source")
            let missing = try await client.send(.post, "/api/v1/entries", as: "finance-officer", server: server,
                                                json: Self.honorarium)
            #expect(missing.status == .badRequest)
            #expect(missing.field == "Idempotency-Key")

            // One log line per request; the change names who made it and what it made.
            let posted = try #require(server.logs.lines.first { $0.message == "entry posted" })
            #expect(posted.metadata["user"] == "P-MKS-003")
            #expect(posted.metadata["entry"] == number)
            #expect(posted.metadata["status"] == "201")
            #expect(posted.metadata["hb.request.id"] == first.headers[.requestID])

            let read = try await client.send(.get, "/api/v1/entries/\(number)", as: "auditor", server: server)
            #expect(read.status == .ok)
            #expect(read.json["author"] as? String == "P-MKS-003")
            #expect((read.json["postings"] as? [Any])?.count == 2)
            let unknown = try await client.send(.get, "/api/v1/entries/JE-2024-999999", as: "auditor", server: server)
            #expect(unknown.status == .notFound)
            #expect(unknown.code == "entryNotFound")

            let reversed = try await client.send(.post, "/api/v1/entries/\(number)/reverse", as: "finance-officer",
                                                 server: server, json: #"{"reason":"wrong month","date":"2024-02-27"}"#)
            #expect(reversed.status == .created, "\(reversed.text)")
            let again = try await client.send(.post, "/api/v1/entries/\(number)/reverse", as: "finance-officer",
                                              server: server, json: #"{"reason":"again","date":"2024-02-27"}"#)
            #expect(again.status == .conflict)
            #expect(again.code == "entryAlreadyReversed")
        }
    }

    @Test("a rule of the ledger refuses with 422 and the field (a closed account, over budget…)")
    func ledgerRules() async throws {
        let server = try TestServer()
        try await server.test { client in
            let unbalanced = try await client.send(
                .post, "/api/v1/entries", as: "finance-officer", server: server,
                json: Self.honorarium.replacingOccurrences(of: "-2500000", with: "-2400000"),
                headers: [.idempotencyKey: "unbalanced"])
            #expect(unbalanced.status == .badRequest)
            #expect(unbalanced.code == "unbalanced")
            let huge = try await client.send(
                .post, "/api/v1/entries", as: "finance-officer", server: server,
                json: Self.honorarium.replacingOccurrences(of: "2500000", with: "250000000000"),
                headers: [.idempotencyKey: "over-budget"])
            #expect(huge.status == .unprocessableContent, "\(huge.text)")
            #expect(huge.code == "overBudget")
        }
    }

    @Test("entries page by cursor: every entry once, in order, filters applied")
    func pagination() async throws {
        let server = try TestServer()
        let total = try server.ledger.summary().entries
        try await server.test { client in
            var seen: [String] = []
            var cursor: String?
            repeat {
                let reply = try await client.send(
                    .get, "/api/v1/entries?limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""), as: "auditor",
                    server: server)
                #expect(reply.status == .ok)
                seen += (reply.json["entries"] as? [[String: Any]] ?? []).compactMap { $0["number"] as? String }
                cursor = reply.json["nextCursor"] as? String
            } while cursor != nil && seen.count <= total
            #expect(seen.count == total)
            #expect(Set(seen).count == total)

            let sbt = try await client.send(.get, "/api/v1/entries?district=SBT&from=2024-01-01&to=2024-12-31&limit=1000",
                                            as: "auditor", server: server)
            let entries = sbt.json["entries"] as? [[String: Any]] ?? []
            #expect(!entries.isEmpty)
            for entry in entries {
                #expect((entry["date"] as? String)?.hasPrefix("2024-") == true)
                let districts = (entry["postings"] as? [[String: Any]] ?? []).compactMap { $0["district"] as? String }
                #expect(districts.contains("SBT"))
            }
            for query in ["limit=0", "limit=1001", "cursor=abc", "from=2024-02-30", "account=9-9999", "limit=1&limit=2"] {
                let reply = try await client.send(.get, "/api/v1/entries?\(query)", as: "auditor", server: server)
                #expect(reply.status == .badRequest, "\(query): \(reply.text)")
                #expect(reply.field != nil, "\(query)")
            }
        }
    }

    @Test("the trial balance balances and matches the store's")
    func trialBalance() async throws {
        let server = try TestServer()
        let stored = try server.ledger.trialBalance()
        try await server.test { client in
            let reply = try await client.send(.get, "/api/v1/trial-balance", as: "director", server: server)
            #expect(reply.status == .ok)
            let lines = reply.json["lines"] as? [[String: Any]] ?? []
            #expect(lines.count == stored.lines.count)
            let totals = reply.json["totals"] as? [[String: Any]] ?? []
            #expect(!totals.isEmpty)
            for total in totals { #expect(total["debit"] as? String == total["credit"] as? String) }
            let asOf = try await client.send(.get, "/api/v1/trial-balance?asOf=2023-01-01", as: "director", server: server)
            #expect((asOf.json["lines"] as? [Any])?.isEmpty == true)

            // A report served from the cache changes as soon as an entry is posted.
            func bank(_ reply: Reply) -> String? {
                (reply.json["lines"] as? [[String: Any]])?.first { $0["account"] as? String == "1-1120" }?["debit"] as? String
            }
            let before = bank(reply)
            let again = try await client.send(.get, "/api/v1/trial-balance", as: "director", server: server)
            #expect(bank(again) == before)
            let posted = try await client.send(.post, "/api/v1/entries", as: "finance-officer", server: server,
                                               json: Self.honorarium, headers: [.idempotencyKey: "tb-cache"])
            #expect(posted.status == .created)
            let after = try await client.send(.get, "/api/v1/trial-balance", as: "director", server: server)
            #expect(bank(after) != before)
            #expect(bank(after) != nil)
        }
    }

    @Test("a coordinator reads their district's budget only; bank accounts only for payment roles")
    func budgetAndPeople() async throws {
        let server = try TestServer()
        let year = try #require(server.clock.now.utcDate).year
        try await server.test { client in
            let own = try await client.send(.get, "/api/v1/budget-report?year=\(year)", as: "coordinator", server: server)
            #expect(own.status == .ok)
            #expect(!own.list.isEmpty)
            #expect(own.list.allSatisfy { $0["district"] as? String == "SBT" })
            let other = try await client.send(.get, "/api/v1/budget-report?year=\(year)&district=SBD", as: "coordinator",
                                              server: server)
            #expect(other.status == .forbidden)
            let all = try await client.send(.get, "/api/v1/budget-report?year=\(year)", as: "director", server: server)
            #expect(Set(all.list.compactMap { $0["district"] as? String }) == ["SBT", "SBD", "MKS"])
            let noYear = try await client.send(.get, "/api/v1/budget-report", as: "director", server: server)
            #expect(noYear.field == "year")

            let treasurer = try await client.send(.get, "/api/v1/people", as: "treasurer", server: server)
            #expect(treasurer.list.contains { $0["bankAccount"] != nil })
            let coordinator = try await client.send(.get, "/api/v1/people", as: "coordinator", server: server)
            #expect(!coordinator.list.isEmpty)
            #expect(coordinator.list.count < treasurer.list.count)
            #expect(coordinator.list.allSatisfy { $0["bankAccount"] == nil && $0["district"] as? String == "SBT" })
            let admin = try await client.send(.get, "/api/v1/people", as: "admin", server: server)
            #expect(admin.list.count == treasurer.list.count)
            #expect(admin.list.allSatisfy { $0["bankAccount"] == nil })
        }
    }

    @Test("findings are listed and triaged by a compliance officer, once")
    func findings() async throws {
        let server = try TestServer()
        try await server.test { client in
            let open = try await client.send(.get, "/api/v1/findings?status=open", as: "auditor", server: server)
            #expect(open.status == .ok)
            let finding = try #require(open.list.first?["id"] as? String)
            let decided = try await client.send(
                .post, "/api/v1/findings/\(finding)/decision", as: "compliance-officer", server: server,
                json: #"{"decision":"dismiss","reason":"Checked the attendance list"}"#)
            #expect(decided.status == .ok, "\(decided.text)")
            #expect(decided.json["status"] as? String == "dismissed")
            let short = "F-" + String(finding.dropFirst(2).drop { $0 == "0" })
            let shortRead = try await client.send(
                .post, "/api/v1/findings/\(short)/decision", as: "compliance-officer", server: server,
                json: #"{"decision":"dismiss","reason":"Again"}"#)
            #expect(shortRead.status == .conflict, "the short id names the same finding")
            let twice = try await client.send(
                .post, "/api/v1/findings/\(finding)/decision", as: "compliance-officer", server: server,
                json: #"{"decision":"escalate","reason":"Again"}"#)
            #expect(twice.status == .conflict)
            let unknown = try await client.send(
                .post, "/api/v1/findings/F-999999/decision", as: "compliance-officer", server: server,
                json: #"{"decision":"escalate","reason":"x"}"#)
            #expect(unknown.status == .notFound)
            let badStatus = try await client.send(.get, "/api/v1/findings?status=closed", as: "auditor", server: server)
            #expect(badStatus.field == "status")
        }
    }

    @Test("an auditor exports a year as a zip that verifies offline")
    func export() async throws {
        let server = try TestServer()
        try await server.test { client in
            let reply = try await client.send(.post, "/api/v1/exports", as: "auditor", server: server,
                                              json: #"{"year":2024}"#)
            #expect(reply.status == .ok, "\(reply.text.prefix(300))")
            #expect(reply.headers[.contentType] == "application/zip")
            #expect(reply.body.starts(with: [0x50, 0x4B, 0x03, 0x04]))
            let zip = server.directory + "/export.zip"
            try Data(reply.body).write(to: URL(fileURLWithPath: zip))
            let verification = BundleVerifier.verify(bundleAt: zip)
            #expect(verification.passed, "\(verification.problems)")
            #expect(verification.manifest?.fiscalYear == 2024)
        }
    }

    @Test("/health answers; /ready answers 503 on a database without a ledger")
    func readiness() async throws {
        let server = try TestServer()
        let ready = try await server.test { client in try await client.send(.get, "/ready", server: server).status }
        #expect(ready == .ok)
        let empty = server.directory + "/empty.sqlite"
        let bare = try LedgerDatabase(path: empty)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let app = Application(router: buildRouter(ledger: bare, options: server.options), logger: logger)
        try await app.test(.router) { client in
            let ready = try await client.execute(uri: "/ready", method: .get)
            #expect(ready.status == .serviceUnavailable)
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
        }
    }
}
