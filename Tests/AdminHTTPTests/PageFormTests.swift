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

/// The forms added last to the pages: a manual entry, a claim's lines and receipts, the
/// budget drill-down, a finding's page, logins, and the language kept per user. Each
/// refused form names the field at fault, keeps what was typed, and changes nothing.
@Suite("Pages: forms")
struct PageFormTests {
    /// A manual entry form, as a browser sends it: rows of account, district, budget line, debit, credit.
    static func entryForm(_ browser: ClaimPageTests.Browser, key: String = "key-1", date: String = "2024-03-05",
                          rows: [[String: String]]) -> [String: String] {
        var fields = ["csrf": browser.token, "key": key, "rows": "6", "date": date,
                      "description": "Fuel for the district motorbike, March"]
        for (index, row) in rows.enumerated() {
            for (name, value) in row { fields["\(name)-\(index + 1)"] = value }
        }
        return fields
    }

    @Test("a manual entry posts once when balanced; unbalanced, incomplete or unknown rows are named")
    func manualEntry() async throws {
        let server = try TestServer()
        let before = try server.ledger.summary().entries
        try await server.test { client in
            let finance = try await ClaimPageTests.signIn("P-MKS-003", client, server)
            let form = try await client.send(.get, "/journal/new", server: server, headers: [.cookie: finance.cookies])
            #expect(form.status == .ok)
            #expect(form.text.contains(#"<label class="visually-hidden" for="account-1">"#))
            #expect(form.text.contains(#"<datalist id="accounts">"#) && form.text.contains(#"<option value="5-1100">"#))
            // Live totals come from one small script of our own; the form works without it.
            #expect(form.text.contains(#"data-entry-form data-decimals="2" data-locale="en""#))
            #expect(form.text.contains(#"data-side="debit""#) && form.text.contains(#"<script src="/entry-form.js" defer></script>"#))
            let script = try await client.send(.get, "/entry-form.js", server: server)
            #expect(script.headers[.contentType]?.hasPrefix("text/javascript") == true && script.text.contains("live-balance"))
            func post(_ fields: [String: String]) async throws -> Reply {
                try await PageTests.post(client, server, "/journal/new", fields, cookies: finance.cookies)
            }
            let expense = ["account": "5-1100", "district": "SBT", "budgetLine": "1.1", "debit": "350,000"]

            let unbalanced = try await post(Self.entryForm(finance, rows: [expense, ["account": "1-1120", "credit": "300,000"]]))
            #expect(unbalanced.status == .badRequest)
            #expect(unbalanced.text.contains("The entry does not balance"))
            #expect(unbalanced.text.contains(#"<td class="amount">IDR 350,000</td><td class="amount">IDR 300,000</td>"#))
            #expect(unbalanced.text.contains(#"value="350,000""#) && unbalanced.text.contains(#"value="Fuel for the district motorbike, March""#))

            let incomplete = try await post(Self.entryForm(finance, rows: [
                expense, ["credit": "350,000"], ["account": "1-1120", "debit": "1", "credit": "1"], ["account": "1-1120"],
            ]))
            #expect(incomplete.status == .badRequest)
            #expect(incomplete.text.contains(#"<span id="account-2-error" class="error">Required.</span>"#))
            #expect(incomplete.text.contains(#"<span id="credit-3-error" class="error">A row has a debit or a credit, not both.</span>"#))
            #expect(incomplete.text.contains(#"<span id="debit-4-error" class="error">Type a debit or a credit.</span>"#))

            let badAmount = try await post(Self.entryForm(finance, rows: [
                ["account": "5-1100", "debit": "35O,000"], ["account": "1-1120", "credit": "-5"],
            ]))
            #expect(badAmount.text.contains(#"id="debit-1-error""#) && badAmount.text.contains(#"id="credit-2-error""#))

            let unknownAccount = try await post(Self.entryForm(finance, rows: [
                expense, ["account": "1-9999", "credit": "350,000"],
            ]))
            #expect(unknownAccount.status == .badRequest)
            #expect(unknownAccount.text.contains(#"id="account-2-error""#) && unknownAccount.text.contains("1-9999"))

            // A store refusal about a posting's amount comes back at the debit or credit of its row.
            let usdAccount = try await post(Self.entryForm(finance, rows: [expense, ["account": "1-1210", "credit": "350,000"]]))
            #expect(usdAccount.status == .badRequest)
            #expect(usdAccount.text.contains(#"<span id="credit-2-error" class="error">"#))
            #expect(!usdAccount.text.contains(#"id="account-2-error""#))

            // A body that is not percent-encoded UTF-8 is refused with a page naming the field.
            let garbled = try await client.send(.post, "/journal/new", server: server,
                                                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: finance.cookies],
                                                body: Array("csrf=\(finance.token)&description=%ZZ".utf8))
            #expect(garbled.status == .badRequest && garbled.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(garbled.text.contains("description"))

            let noDate = try await post(Self.entryForm(finance, date: "2024-02-30", rows: [expense, ["account": "1-1120", "credit": "350,000"]]))
            #expect(noDate.text.contains(#"<span id="date-error" class="error">Write a date as YYYY-MM-DD.</span>"#))

            let forged = try await post(Self.entryForm(ClaimPageTests.Browser(cookies: finance.cookies, token: "forged"),
                                                       rows: [expense, ["account": "1-1120", "credit": "350,000"]]))
            #expect(forged.status == .forbidden)
            #expect(try server.ledger.summary().entries == before)  // nothing refused was posted

            let balanced = Self.entryForm(finance, rows: [expense, ["account": "1-1120", "district": "SBT", "credit": "350,000"]])
            let posted = try await post(balanced)
            #expect(posted.status == .seeOther, "\(posted.text)")
            let location = try #require(posted.headers[.location])
            let number = try EntryNumber(parsing: String(location.dropFirst("/journal/".count)))
            let entry = try #require(try server.ledger.entry(number))
            #expect(entry.draft.postings.map(\.amount.minorUnits) == [35_000_000, -35_000_000])
            #expect(entry.draft.postings[0].dimensions.budgetLine == "1.1" && entry.draft.author == "P-MKS-003")
            // The same form sent again (a double tap, a reload) posts nothing more.
            let again = try await post(balanced)
            #expect(again.headers[.location] == location)
            #expect(try server.ledger.summary().entries == before + 1)

            // Indonesian amounts: 350.000 is three hundred and fifty thousand.
            let indonesian = try await PageTests.post(
                client, server, "/journal/new",
                Self.entryForm(finance, key: "key-2", rows: [expense.merging(["debit": "350.000"]) { $1 },
                                                             ["account": "1-1120", "credit": "350.000"]]),
                cookies: finance.cookies + "; neraca_lang=id")
            #expect(indonesian.status == .seeOther, "\(indonesian.text)")

            // A form without its key is refused: sent twice, it would post twice.
            var keyless = balanced
            keyless["key"] = ""
            keyless["description"] = "Fuel, second tank"
            let noKey = try await post(keyless)
            #expect(noKey.status == .badRequest && noKey.text.contains("This form lacks its key"))

            // An entry that takes a budget line to its warning level says so on its page, with the line's figures.
            let today = try #require(server.clock.now.utcDate)
            let line = try #require(try server.ledger.budgetFigures(fiscalYear: today.year, district: "SBT").first {
                $0.line.line.key.code == "1.1"
            })
            let room = line.figures.revised.minorUnits * 99 / 100 - line.figures.actual.minorUnits - line.figures.committed.minorUnits
            let spend = Money(minorUnits: room - room % 100, currency: .idr).formattedNumber(.en)
            let warning = try await post(Self.entryForm(finance, key: "key-warn", date: today.description, rows: [
                ["account": "5-1100", "district": "SBT", "budgetLine": "1.1", "debit": spend],
                ["account": "1-1120", "credit": spend],
            ]))
            #expect(warning.status == .seeOther, "\(warning.text)")
            let warned = try #require(warning.headers[.location])
            #expect(warned.hasSuffix("?warnings=1"))
            let warnedPage = try await client.send(.get, warned, server: server, headers: [.cookie: finance.cookies])
            #expect(warnedPage.text.contains("This entry took budget lines to their warning level"))
            #expect(warnedPage.text.contains(#"<th scope="row">SBT 1.1 "#) && warnedPage.text.contains("99 %"))
            #expect(try server.ledger.summary().entries == before + 3)

            let auditor = try await ClaimPageTests.signIn("P-MKS-006", client, server)
            let refused = try await PageTests.post(client, server, "/journal/new",
                                                   Self.entryForm(auditor, key: "key-3", rows: [expense, ["account": "1-1120", "credit": "350,000"]]),
                                                   cookies: auditor.cookies)
            #expect(refused.status == .seeOther && refused.headers[.location] == "/journal")
            #expect(try server.ledger.summary().entries == before + 3)
        }
    }

    @Test("a claimant adds and removes lines and attaches receipts on a draft; the receipt shows inline to those who see the claim")
    func claimEditing() async throws {
        let server = try TestServer()
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 40)
        try await server.test { client in
            let claimant = try await ClaimPageTests.signIn("P-SBT-003", client, server)
            let created = try await ClaimPageTests.newClaim(claimant, client, server, try ClaimPageTests.fields(server))
            let location = try #require(created.headers[.location])
            let number = try ClaimNumber(parsing: String(location.dropFirst("/claims/".count)))
            let page = try await client.send(.get, location, server: server, headers: [.cookie: claimant.cookies])
            #expect(page.text.contains(#"action="\#(location)/lines""#) && page.text.contains(#"action="\#(location)/receipts""#))
            func shownLines() async throws -> String {
                let page = try await client.send(.get, location, server: server, headers: [.cookie: claimant.cookies])
                return try #require(Self.hidden(page.text, "lines"))
            }

            let badRate = try await PageTests.post(client, server, "\(location)/lines",
                                                   ["csrf": claimant.token, "category": "transport", "quantity": "2",
                                                    "unitRate": "12.345,678", "memo": "Ojek to Desa Bula",
                                                    "lines": try await shownLines()],
                                                   cookies: claimant.cookies)
            #expect(badRate.status == .badRequest)
            #expect(badRate.text.contains(#"id="line-unitRate-error""#))
            #expect(badRate.text.contains(#"value="Ojek to Desa Bula""#) && badRate.text.contains(#"<option value="transport" selected>"#))
            let noQuantity = try await PageTests.post(client, server, "\(location)/lines",
                                                      ["csrf": claimant.token, "category": "transport", "quantity": "",
                                                       "unitRate": "50,000"], cookies: claimant.cookies)
            #expect(noQuantity.text.contains(#"<span id="line-quantity-error" class="error">Required.</span>"#))
            #expect(try server.ledger.claim(number).lines.count == 1)

            let added = try await PageTests.post(client, server, "\(location)/lines",
                                                 ["csrf": claimant.token, "category": "transport", "quantity": "2",
                                                  "unitRate": "50,000", "memo": "Ojek to Desa Bula", "lines": try await shownLines()],
                                                 cookies: claimant.cookies)
            #expect(added.status == .seeOther, "\(added.text)")
            #expect(try server.ledger.claim(number).lines.count == 2)
            let removed = try await PageTests.post(client, server, "\(location)/lines/1/remove",
                                                   ["csrf": claimant.token, "lines": try await shownLines()],
                                                   cookies: claimant.cookies)
            #expect(removed.status == .seeOther)
            #expect(try server.ledger.claim(number).lines.map(\.category) == [.transport])

            let notAnImage = try await Self.attach(claimant, location, client, server, Array("not a receipt".utf8))
            #expect(notAnImage.status == .badRequest)
            #expect(notAnImage.text.contains(#"id="receipt-error""#))
            let attached = try await Self.attach(claimant, location, client, server, png)
            #expect(attached.status == .seeOther, "\(attached.text)")
            let receipt = try #require(try server.ledger.claim(number).receipts.first)
            let detail = try await client.send(.get, location, server: server, headers: [.cookie: claimant.cookies])
            #expect(detail.text.contains(#"<img class="receipt" src="\#(location)/receipts/\#(receipt.sha256.hex)""#))
            let image = try await client.send(.get, "\(location)/receipts/\(receipt.sha256.hex)", server: server,
                                              headers: [.cookie: claimant.cookies])
            #expect(image.status == .ok && image.body == png)
            #expect(image.headers[.contentType] == "image/png")

            // Another claim's page does not open this receipt, nor does another district's coordinator.
            let other = try #require(try server.ledger.claims(claimant: "P-SBT-004", limit: 1).first?.number)
            let finance = try await ClaimPageTests.signIn("P-MKS-003", client, server)
            let elsewhere = try await client.send(.get, "/claims/\(other)/receipts/\(receipt.sha256.hex)", server: server,
                                                  headers: [.cookie: finance.cookies])
            #expect(elsewhere.status == .notFound)
            let outsider = try await ClaimPageTests.signIn("P-SBD-001", client, server)
            let hidden = try await client.send(.get, "\(location)/receipts/\(receipt.sha256.hex)", server: server,
                                               headers: [.cookie: outsider.cookies])
            #expect(hidden.status == .forbidden && hidden.body != png)

            // Someone else (even the coordinator who sees it) cannot change the claimant's lines.
            let coordinator = try await ClaimPageTests.signIn("P-SBT-001", client, server)
            let coordinatorView = try await client.send(.get, location, server: server, headers: [.cookie: coordinator.cookies])
            #expect(!coordinatorView.text.contains("/lines"))
            let meddling = try await PageTests.post(client, server, "\(location)/lines/1/remove",
                                                    ["csrf": coordinator.token, "lines": try await shownLines()],
                                                    cookies: coordinator.cookies)
            #expect(meddling.status == .forbidden)  // not the claimant
            #expect(try server.ledger.claim(number).lines.count == 1)
        }
    }

    @Test("an auditor who is also a claimant changes nothing through the pages, not even their own draft")
    func auditorChangesNothing() async throws {
        let server = try TestServer()
        let now = server.clock.now
        let today = try #require(now.utcDate)
        let person = Person(id: "P-SBT-099", name: "Auditing Claimant", district: "SBT", roles: [.auditor, .claimant],
                            activeFrom: try LedgerDate(parsing: "2023-01-02"))
        try server.ledger.importPeople([person], changedBy: "test", now: now)
        try server.ledger.addUser(person: person.id, passwordHash: try PasswordHasher(cost: 4).hashBlocking(testPassword),
                                  by: "test", now: now)
        let draft = try server.ledger.createClaim(
            ClaimHeader(claimant: person.id, district: "SBT", budgetLine: "1.1", activity: "Village meeting",
                        activityFrom: today, activityTo: today),
            lines: [ClaimLine(category: .honorarium, quantity: 1, unitRate: Money(minorUnits: 10_000_000, currency: .idr))],
            by: person.id, date: today, now: now)
        try await server.test { client in
            let browser = try await ClaimPageTests.signIn(person.id, client, server)
            let page = try await client.send(.get, "/claims/\(draft)", server: server, headers: [.cookie: browser.cookies])
            #expect(page.status == .ok && !page.text.contains("/lines") && !page.text.contains("/submit"))
            for (path, fields) in [("/claims/\(draft)/lines", ["category": "transport", "quantity": "1", "unitRate": "10,000"]),
                                   ("/claims/\(draft)/lines/1/remove", [:]), ("/claims/\(draft)/submit", [:])] {
                let reply = try await PageTests.post(client, server, path, fields.merging(["csrf": browser.token]) { $1 },
                                                     cookies: browser.cookies)
                #expect(reply.status == .forbidden, "\(path)")
            }
            let receipt = try await Self.attach(browser, "/claims/\(draft)", client, server,
                                                [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 2])
            #expect(receipt.status == .forbidden)
        }
        let after = try server.ledger.claim(draft)
        #expect(after.lines.count == 1 && after.receipts.isEmpty && after.snapshot.state == .draft)
    }

    static func attach(_ browser: ClaimPageTests.Browser, _ location: String, _ client: any TestClientProtocol,
                       _ server: TestServer, _ bytes: [UInt8]) async throws -> Reply {
        let boundary = "receipt-boundary"
        var body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(browser.token)\r\n".utf8)
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"receipt\"; filename=\"nota.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
        body += bytes + Array("\r\n--\(boundary)--\r\n".utf8)
        return try await client.send(.post, "\(location)/receipts", server: server,
                                     headers: [.contentType: "multipart/form-data; boundary=\(boundary)", .cookie: browser.cookies],
                                     body: body)
    }

    @Test("every form refuses a forged token, says so, and changes nothing")
    func forgedTokens() async throws {
        let server = try TestServer()
        let entry = try #require(try server.ledger.entries(EntryFilter(), limit: 1).entries.first?.number)
        let finding = try #require(try server.ledger.findings(status: "open").first?.id)
        let draft = try #require(try server.ledger.claims(state: .draft, claimant: "P-SBT-003").first?.number)
        func state() throws -> [String] {
            [String(try server.ledger.summary().entries), String(try server.ledger.claim(draft).snapshot.revision),
             String(try server.ledger.claim(draft).lines.count), try server.ledger.finding(finding)?.status ?? "",
             String(try server.ledger.users().count(where: { $0.disabledAt == nil }))]
        }
        let before = try state()
        try await server.test { client in
            let claimant = try await ClaimPageTests.signIn("P-SBT-003", client, server)
            let finance = try await ClaimPageTests.signIn("P-MKS-003", client, server)
            let compliance = try await ClaimPageTests.signIn("P-MKS-005", client, server)
            let auditor = try await ClaimPageTests.signIn("P-MKS-006", client, server)
            let admin = try await ClaimPageTests.signIn("P-MKS-007", client, server)
            let forms: [(ClaimPageTests.Browser, String, [String: String])] = [
                (claimant, "/claims/\(draft)/submit", [:]),
                (claimant, "/claims/\(draft)/lines", ["category": "transport", "quantity": "1", "unitRate": "10,000"]),
                (claimant, "/claims/\(draft)/lines/1/remove", [:]),
                (finance, "/journal/new", Self.entryForm(finance, rows: [["account": "5-1100", "debit": "1"],
                                                                        ["account": "1-1120", "credit": "1"]])),
                (finance, "/journal/\(entry)/reverse", ["reason": "Recorded twice"]),
                (compliance, "/findings/\(finding)/decision", ["decision": "dismiss", "reason": "Fine"]),
                (compliance, "/findings/\(finding)/decision", ["decision": "dismiss", "reason": "Fine", "from": "detail"]),
                (auditor, "/exports", ["year": "2024"]),
                (admin, "/users", ["person": "P-SBT-005", "password": "a long password 1", "passwordAgain": "a long password 1"]),
                (admin, "/users/P-SBT-003/disable", [:]),
            ]
            for (browser, path, fields) in forms {
                for token in ["forged", ""] {
                    let reply = try await PageTests.post(client, server, path, fields.merging(["csrf": token]) { $1 },
                                                         cookies: browser.cookies)
                    #expect(reply.status == .forbidden, "\(path)")
                    #expect(reply.text.contains("This form has expired"), "\(path)")
                }
            }
            let receipt = try await Self.attach(ClaimPageTests.Browser(cookies: claimant.cookies, token: "forged"),
                                                "/claims/\(draft)", client, server, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1])
            #expect(receipt.status == .forbidden)
            #expect(try server.ledger.claim(draft).receipts.isEmpty)
        }
        #expect(try state() == before)
    }

    @Test("a step's refusal comes back next to its comment or acknowledgement, with the comment kept")
    func stepErrors() async throws {
        let server = try TestServer()
        // The demo's submitted claim carries an open anti-fraud flag for its approver to acknowledge.
        let submitted = try #require(try server.ledger.claims(state: .submitted, district: "SBT").first {
            try server.ledger.findings(status: "open", subject: $0.number.description).contains { $0.finding.action == .flag }
        }?.number)
        let flag = try #require(try server.ledger.findings(status: "open", subject: submitted.description).first)
        try await server.test { client in
            let coordinator = try await ClaimPageTests.signIn("P-SBT-001", client, server)
            let page = try await client.send(.get, "/claims/\(submitted)", server: server, headers: [.cookie: coordinator.cookies])
            #expect(page.text.contains("Anti-fraud flags to acknowledge when approving: \(flag.id)"))
            #expect(!page.text.contains(flag.finding.evidence))  // an approver acknowledges, a compliance officer reads

            let noComment = try await PageTests.post(client, server, "/claims/\(submitted)/return",
                                                     ["csrf": coordinator.token, "comment": ""], cookies: coordinator.cookies)
            #expect(noComment.status == .badRequest)
            #expect(noComment.text.contains(#"<span id="comment-return-error" class="error">"#))
            #expect(!noComment.text.contains(#"id="comment-reject-error""#))

            let unacknowledged = try await PageTests.post(client, server, "/claims/\(submitted)/approve",
                                                          ["csrf": coordinator.token, "comment": "Attendance list checked"],
                                                          cookies: coordinator.cookies)
            #expect(unacknowledged.status == .conflict)
            #expect(unacknowledged.text.contains(#"<span id="acknowledge-error" class="error">"#))
            #expect(!unacknowledged.text.contains("acknowledge: "))  // the message sits at its field, unnamed
            #expect(unacknowledged.text.contains(#"name="comment" value="Attendance list checked""#))

            let forged = try await PageTests.post(client, server, "/claims/\(submitted)/reject",
                                                  ["csrf": "forged", "comment": "Same meeting claimed twice"],
                                                  cookies: coordinator.cookies)
            #expect(forged.status == .forbidden)
            #expect(forged.text.contains(#"id="comment-reject" name="comment" value="Same meeting claimed twice""#))
            #expect(try server.ledger.claim(submitted).snapshot.state == .submitted)
        }
    }

    @Test("a draft's details change on its page until it is submitted; each refusal names its field")
    func draftDetails() async throws {
        let server = try TestServer()
        try await server.test { client in
            let claimant = try await ClaimPageTests.signIn("P-SBT-003", client, server)
            let created = try await ClaimPageTests.newClaim(claimant, client, server, try ClaimPageTests.fields(server))
            let location = try #require(created.headers[.location])
            let number = try ClaimNumber(parsing: String(location.dropFirst("/claims/".count)))
            let header = try server.ledger.claim(number).snapshot.header
            let page = try await client.send(.get, location, server: server, headers: [.cookie: claimant.cookies])
            #expect(page.text.contains(#"action="\#(location)/details""#))
            #expect(page.text.contains(#"id="detail-activity" name="activity" type="text" value="Village meeting, Desa Bula""#))
            func send(_ fields: [String: String]) async throws -> Reply {
                var all = ["csrf": claimant.token, "activity": header.activity, "budgetLine": header.budgetLine,
                           "activityFrom": header.activityFrom.description, "activityTo": header.activityTo.description]
                all.merge(fields) { $1 }
                return try await PageTests.post(client, server, "\(location)/details", all, cookies: claimant.cookies)
            }
            let inverted = try await send(["activityFrom": header.activityTo.description,
                                           "activityTo": try #require(LedgerDate(dayNumber: header.activityTo.dayNumber - 1)).description,
                                           "activity": "Village meeting, Desa Sesar"])
            #expect(inverted.status == .badRequest && inverted.text.contains(#"id="detail-activityTo-error""#))
            #expect(inverted.text.contains(#"value="Village meeting, Desa Sesar""#))
            let badDate = try await send(["activityFrom": "2026-02-30"])
            #expect(badDate.text.contains(#"<span id="detail-activityFrom-error" class="error">Write a date as YYYY-MM-DD.</span>"#))
            let noActivity = try await send(["activity": " "])
            #expect(noActivity.text.contains(#"<span id="detail-activity-error" class="error">Required.</span>"#))
            let forged = try await PageTests.post(client, server, "\(location)/details",
                                                  ["csrf": "forged", "activity": "x"], cookies: claimant.cookies)
            #expect(forged.status == .forbidden)
            #expect(try server.ledger.claim(number).snapshot.header == header)
            let changed = try await send(["activity": "Village meeting, Desa Sesar"])
            #expect(changed.status == .seeOther)
            #expect(try server.ledger.claim(number).snapshot.header.activity == "Village meeting, Desa Sesar")

            // Submitted: the details are in its version's hash, and no longer offered.
            let revision = try server.ledger.claim(number).snapshot.revision
            _ = try await PageTests.post(client, server, "\(location)/submit",
                                         ["csrf": claimant.token, "expectedRevision": "\(revision)"], cookies: claimant.cookies)
            let submitted = try await client.send(.get, location, server: server, headers: [.cookie: claimant.cookies])
            #expect(!submitted.text.contains("/details"))
            let late = try await send(["activity": "Too late"])
            #expect(late.status == .conflict)
            #expect(try server.ledger.claim(number).snapshot.header.activity == "Village meeting, Desa Sesar")
        }
    }

    /// The value of the hidden field `name` of a page (the first one).
    static func hidden(_ html: String, _ name: String) -> String? {
        guard let start = html.range(of: #"name="\#(name)" value=""#) else { return nil }
        return String(html[start.upperBound...].prefix { $0 != "\"" })
    }

    @Test("a line form sent twice changes the claim once; a form without the lines it showed is refused")
    func lineFormsSentTwice() async throws {
        let server = try TestServer()
        try await server.test { client in
            let claimant = try await ClaimPageTests.signIn("P-SBT-003", client, server)
            let created = try await ClaimPageTests.newClaim(claimant, client, server, try ClaimPageTests.fields(server))
            let location = try #require(created.headers[.location])
            let number = try ClaimNumber(parsing: String(location.dropFirst("/claims/".count)))
            func shownLines() async throws -> String {
                let page = try await client.send(.get, location, server: server, headers: [.cookie: claimant.cookies])
                return try #require(Self.hidden(page.text, "lines"))
            }
            let line = ["csrf": claimant.token, "category": "transport", "quantity": "1", "unitRate": "40,000",
                        "lines": try await shownLines()]
            let first = try await PageTests.post(client, server, "\(location)/lines", line, cookies: claimant.cookies)
            #expect(first.status == .seeOther)
            let again = try await PageTests.post(client, server, "\(location)/lines", line, cookies: claimant.cookies)
            #expect(again.status == .conflict && again.text.contains("reload"))
            #expect(again.text.contains(#"value="40,000""#))  // what was typed, kept
            #expect(try server.ledger.claim(number).lines.count == 2)
            let remove = ["csrf": claimant.token, "lines": try await shownLines()]
            let removed = try await PageTests.post(client, server, "\(location)/lines/1/remove", remove, cookies: claimant.cookies)
            #expect(removed.status == .seeOther)
            let removedAgain = try await PageTests.post(client, server, "\(location)/lines/1/remove", remove, cookies: claimant.cookies)
            #expect(removedAgain.status == .conflict)
            #expect(try server.ledger.claim(number).lines.map(\.category) == [.transport])
            let withoutLines = try await PageTests.post(client, server, "\(location)/lines/1/remove", ["csrf": claimant.token],
                                                        cookies: claimant.cookies)
            #expect(withoutLines.status == .badRequest && withoutLines.text.contains("lines: is required"))
            #expect(try server.ledger.claim(number).lines.count == 1)
        }
    }

    @Test("a new claim's form sent twice creates one claim; sent again changed, it is refused")
    func newClaimSentTwice() async throws {
        let server = try TestServer()
        try await server.test { client in
            let claimant = try await ClaimPageTests.signIn("P-SBT-003", client, server)
            let before = try server.ledger.claims(claimant: "P-SBT-003").count
            let form = try await client.send(.get, "/claims/new", server: server, headers: [.cookie: claimant.cookies])
            var fields = try ClaimPageTests.fields(server)
            let key = try #require(Self.hidden(form.text, "key"))
            #expect(key.count == 43)  // 32 random bytes, base64url
            fields["key"] = key
            let first = try await ClaimPageTests.newClaim(claimant, client, server, fields)
            let second = try await ClaimPageTests.newClaim(claimant, client, server, fields)
            #expect(first.status == .seeOther && second.headers[.location] == first.headers[.location])
            #expect(try server.ledger.claims(claimant: "P-SBT-003").count == before + 1)
            fields["quantity"] = "2"
            let changed = try await ClaimPageTests.newClaim(claimant, client, server, fields)
            #expect(changed.status == .conflict && changed.text.contains("this form already created"))
            #expect(try server.ledger.claims(claimant: "P-SBT-003").count == before + 1)
            let another = try await client.send(.get, "/claims/new", server: server, headers: [.cookie: claimant.cookies])
            #expect(Self.hidden(another.text, "key") != fields["key"])
        }
    }

    @Test("a form sent by a role without the right is refused and changes nothing")
    func formsByTheWrongRole() async throws {
        let server = try TestServer()
        let entry = try #require(try server.ledger.entries(EntryFilter(), limit: 1).entries.first?.number)
        let finding = try #require(try server.ledger.findings(status: "open").first?.id)
        let entries = try server.ledger.summary().entries
        try await server.test { client in
            func post(_ person: String, _ path: String, _ fields: [String: String]) async throws -> Reply {
                let browser = try await ClaimPageTests.signIn(person, client, server)
                return try await PageTests.post(client, server, path, fields.merging(["csrf": browser.token]) { $1 },
                                                cookies: browser.cookies)
            }
            let sent: [(person: String, path: String, fields: [String: String])] = [
                ("P-MKS-006", "/findings/\(finding)/decision", ["decision": "dismiss", "reason": "Fine"]),  // auditor
                ("P-MKS-002", "/findings/\(finding)/decision", ["decision": "dismiss", "reason": "Fine"]),  // director
                ("P-SBT-001", "/journal/new", ["date": "2024-03-05", "description": "x", "account-1": "5-1100",
                                               "debit-1": "1", "account-2": "1-1120", "credit-2": "1"]),  // coordinator
                ("P-MKS-006", "/journal/\(entry)/reverse", ["reason": "Recorded twice"]),  // auditor
                ("P-SBT-003", "/exports", ["year": "2024"]),  // claimant
                ("P-MKS-002", "/users", ["person": "P-SBT-005", "password": "a long password 1",
                                         "passwordAgain": "a long password 1"]),  // director
                ("P-MKS-005", "/users/P-SBT-003/disable", [:]),  // compliance officer
            ]
            for form in sent {
                let reply = try await post(form.person, form.path, form.fields)
                #expect([.seeOther, .forbidden].contains(reply.status), "\(form.person) \(form.path)")
                #expect(reply.headers[.contentType] != "application/zip", "\(form.person) \(form.path)")
            }
        }
        #expect(try server.ledger.summary().entries == entries)
        #expect(try server.ledger.entry(entry)?.reversedBy == nil)
        #expect(try server.ledger.finding(finding)?.status == "open")
        #expect(try server.ledger.credential(person: "P-SBT-005") == nil)
        #expect(try server.ledger.credential(person: "P-SBT-003")?.disabled == false)
    }

    @Test("a new claim whose receipt is refused leaves no claim behind")
    func refusedReceiptLeavesNoClaim() async throws {
        let server = try TestServer()
        try await server.test { client in
            let claimant = try await ClaimPageTests.signIn("P-SBT-003", client, server)
            let before = try server.ledger.claims(claimant: "P-SBT-003").count
            let refused = try await ClaimPageTests.newClaim(claimant, client, server, try ClaimPageTests.fields(server),
                                                            receipt: Array("plain text".utf8))
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains(#"id="receipt-error""#) && refused.text.contains(#"value="Village meeting, Desa Bula""#))
            #expect(try server.ledger.claims(claimant: "P-SBT-003").count == before)
        }
    }

    @Test("the budget report drills down to the postings behind a line's spending")
    func budgetDrillDown() async throws {
        let server = try TestServer()
        let year = try #require(server.clock.now.utcDate).year
        // A line with spending outside the district of the coordinator below (SBD).
        let line = try #require(try server.ledger.budgetFigures(fiscalYear: year, district: "SBT").first {
            $0.figures.actual.minorUnits > 0
        })
        let key = line.line.line.key
        try await server.test { client in
            let director = try await ClaimPageTests.signIn("P-MKS-002", client, server)
            let report = try await client.send(.get, "/budgets?year=\(year)", server: server, headers: [.cookie: director.cookies])
            #expect(report.status == .ok)
            let drill = "/budgets/\(year)/\(key.district)/\(key.code)"
            #expect(report.text.contains(#"<a href="\#(drill)">\#(line.figures.actual.formatted(.en))</a>"#))
            let postings = try await client.send(.get, drill, server: server, headers: [.cookie: director.cookies])
            #expect(postings.status == .ok)
            // Every posting behind the figure is listed, and they add up to it.
            let stored = try server.ledger.budgetPostings(fiscalYear: year, district: key.district, budgetLine: key.code, limit: 1_000)
            #expect(stored.postings.reduce(Int64(0)) { $0 + $1.amount.minorUnits } == line.figures.actual.minorUnits)
            for posting in stored.postings.prefix(100) { #expect(postings.text.contains(#"href="/journal/\#(posting.entry)""#)) }

            let badCursor = try await client.send(.get, "\(drill)?after=nowhere", server: server, headers: [.cookie: director.cookies])
            #expect(badCursor.status == .badRequest && badCursor.text.contains("after"))
            let badYear = try await client.send(.get, "/budgets?year=20x5", server: server, headers: [.cookie: director.cookies])
            #expect(badYear.status == .badRequest && badYear.text.contains(#"id="year-error""#) && badYear.text.contains(#"value="20x5""#))
            let coordinator = try await ClaimPageTests.signIn("P-SBD-001", client, server)
            let own = try await client.send(.get, "/budgets?district=SBT", server: server, headers: [.cookie: coordinator.cookies])
            #expect(own.text.contains("SBD") && !own.text.contains("/budgets/\(year)/SBT/"))
            let other = try await client.send(.get, drill, server: server, headers: [.cookie: coordinator.cookies])
            #expect(other.status == .forbidden)
        }
    }

    @Test("a finding's page shows its evidence and decisions; a decision there keeps its errors there")
    func findingPage() async throws {
        let server = try TestServer()
        let finding = try #require(try server.ledger.findings(status: "open").first)
        try await server.test { client in
            let compliance = try await ClaimPageTests.signIn("P-MKS-005", client, server)
            let page = try await client.send(.get, "/findings/\(finding.id)", server: server, headers: [.cookie: compliance.cookies])
            #expect(page.status == .ok)
            #expect(page.text.contains(String(finding.finding.evidence.prefix(20))))
            let noReason = try await PageTests.post(client, server, "/findings/\(finding.id)/decision",
                                                    ["csrf": compliance.token, "decision": "escalate", "reason": "", "from": "detail"],
                                                    cookies: compliance.cookies)
            #expect(noReason.status == .badRequest)
            #expect(noReason.text.contains(#"<span id="reason-error" class="error">Required.</span>"#))
            let decided = try await PageTests.post(client, server, "/findings/\(finding.id)/decision",
                                                   ["csrf": compliance.token, "decision": "escalate",
                                                    "reason": "Two claims for one meeting", "from": "detail"],
                                                   cookies: compliance.cookies)
            #expect(decided.headers[.location] == "/findings/\(finding.id)")
            let after = try await client.send(.get, "/findings/\(finding.id)", server: server, headers: [.cookie: compliance.cookies])
            #expect(after.text.contains("Two claims for one meeting") && !after.text.contains("/decision"))
            let unknown = try await client.send(.get, "/findings/F-999999", server: server, headers: [.cookie: compliance.cookies])
            #expect(unknown.status == .notFound)
            // From the list: a finding decided meanwhile is named above the list, with the conflict's status.
            let late = try await PageTests.post(client, server, "/findings/\(finding.id)/decision",
                                                ["csrf": compliance.token, "decision": "dismiss", "reason": "Looked again"],
                                                cookies: compliance.cookies)
            #expect(late.status == .conflict)
            #expect(late.text.contains(#"<p class="error" role="alert">"#) && late.text.contains(finding.id))
            let other = try #require(try server.ledger.findings(status: "open").first)
            let noDecision = try await PageTests.post(client, server, "/findings/\(other.id)/decision",
                                                      ["csrf": compliance.token, "reason": "Checked the list"],
                                                      cookies: compliance.cookies)
            #expect(noDecision.status == .badRequest)
            #expect(noDecision.text.contains(#"<span id="decision-\#(other.id)-error" class="error">Required.</span>"#))
            #expect(noDecision.text.contains(#"value="Checked the list""#))
            let neither = try await PageTests.post(client, server, "/findings/\(other.id)/decision",
                                                   ["csrf": compliance.token, "decision": "close"], cookies: compliance.cookies)
            #expect(neither.text.contains(#"<span id="decision-\#(other.id)-error" class="error">Choose dismiss or escalate.</span>"#))
            #expect(neither.text.contains(#"<span id="reason-\#(other.id)-error" class="error">Required.</span>"#))
            #expect(try server.ledger.finding(other.id)?.status == "open")
        }
    }

    @Test("an admin gives a login and disables one; each refusal names its field")
    func users() async throws {
        let server = try TestServer()
        try await server.test { client in
            let admin = try await ClaimPageTests.signIn("P-MKS-007", client, server)
            func add(_ fields: [String: String]) async throws -> Reply {
                try await PageTests.post(client, server, "/users", fields.merging(["csrf": admin.token]) { $1 }, cookies: admin.cookies)
            }
            let page = try await client.send(.get, "/users", server: server, headers: [.cookie: admin.cookies])
            #expect(page.text.contains(#"<option value="P-SBT-005">"#) && !page.text.contains(#"<option value="P-SBT-003">"#))
            let mismatch = try await add(["person": "P-SBT-005", "password": "a long password 1", "passwordAgain": "another one"])
            #expect(mismatch.status == .badRequest && mismatch.text.contains(#"<span id="passwordAgain-error" class="error">The two passwords differ.</span>"#))
            #expect(mismatch.text.contains(#"<option value="P-SBT-005" selected>"#) && !mismatch.text.contains("a long password 1"))
            let short = try await add(["person": "P-SBT-005", "password": "short", "passwordAgain": "short"])
            #expect(short.status == .badRequest && short.text.contains(#"id="password-error""#))
            let taken = try await add(["person": "P-SBT-003", "password": "a long password 1", "passwordAgain": "a long password 1"])
            #expect(taken.status == .conflict && taken.text.contains(#"id="person-error""#))
            let unknown = try await add(["person": "P-XXX-999", "password": "a long password 1", "passwordAgain": "a long password 1"])
            #expect(unknown.status == .badRequest && unknown.text.contains(#"id="person-error""#))
            #expect(try server.ledger.users().count(where: { $0.person.id == "P-SBT-005" }) == 0)
            let added = try await add(["person": "P-SBT-005", "password": "a long password 1", "passwordAgain": "a long password 1"])
            #expect(added.status == .seeOther)
            #expect(try server.ledger.credential(person: "P-SBT-005")?.disabled == false)

            let noLogin = try await PageTests.post(client, server, "/users/P-SBT-006/disable", ["csrf": admin.token],
                                                   cookies: admin.cookies)
            #expect(noLogin.status == .badRequest)
            #expect(noLogin.text.contains("P-SBT-006") && noLogin.text.contains("has no login"))
            let disableSelf = try await PageTests.post(client, server, "/users/P-MKS-007/disable", ["csrf": admin.token],
                                                       cookies: admin.cookies)
            #expect(disableSelf.status == .conflict)
            #expect(try server.ledger.credential(person: "P-MKS-007")?.disabled == false)
            let forged = try await PageTests.post(client, server, "/users/P-SBT-005/disable", ["csrf": "forged"], cookies: admin.cookies)
            #expect(forged.status == .forbidden)
            #expect(try server.ledger.credential(person: "P-SBT-005")?.disabled == false)
            let disabled = try await PageTests.post(client, server, "/users/P-SBT-005/disable", ["csrf": admin.token],
                                                    cookies: admin.cookies)
            #expect(disabled.status == .seeOther)
            #expect(try server.ledger.credential(person: "P-SBT-005")?.disabled == true)

            let director = try await ClaimPageTests.signIn("P-MKS-002", client, server)
            let refused = try await PageTests.post(client, server, "/users/P-SBT-003/disable", ["csrf": director.token],
                                                   cookies: director.cookies)
            #expect(refused.status == .seeOther)
            #expect(try server.ledger.credential(person: "P-SBT-003")?.disabled == false)
        }
    }

    @Test("the people list: a coordinator sees their district without bank accounts; finance sees them")
    func people() async throws {
        let server = try TestServer()
        try await server.test { client in
            let coordinator = try await ClaimPageTests.signIn("P-SBT-001", client, server)
            let theirs = try await client.send(.get, "/people", server: server, headers: [.cookie: coordinator.cookies]).text
            #expect(theirs.contains("P-SBT-003") && !theirs.contains("P-SBD-003") && !theirs.contains("BRI 4512"))
            let finance = try await ClaimPageTests.signIn("P-MKS-003", client, server)
            let all = try await client.send(.get, "/people", server: server, headers: [.cookie: finance.cookies]).text
            #expect(all.contains("P-SBD-003") && all.contains("BRI 4512-01-017511-50-1"))
        }
    }

    @Test("the language chosen follows the user to another browser")
    func languagePerUser() async throws {
        let server = try TestServer()
        try await server.test { client in
            let browser = try await ClaimPageTests.signIn("P-SBT-003", client, server)
            let switched = try await PageTests.post(client, server, "/language", ["lang": "id", "csrf": browser.token],
                                                    cookies: browser.cookies)
            #expect(switched.status == .seeOther)
            #expect(try server.ledger.userLanguage(person: "P-SBT-003") == "id")
            // A fresh browser, English by its headers: the login brings the choice back.
            let (token, cookies, _) = try await PageTests.loginPage(client, server)
            let login = try await PageTests.post(client, server, "/login",
                                                 ["login": "P-SBT-003", "password": testPassword, "csrf": token], cookies: cookies)
            let setCookies = login.headers[values: .setCookie]
            #expect(setCookies.contains { $0.hasPrefix("neraca_lang=id") })
            // Someone who never chose keeps the browser's language.
            let (other, otherCookies, _) = try await PageTests.loginPage(client, server)
            let plain = try await PageTests.post(client, server, "/login",
                                                 ["login": "P-SBT-001", "password": testPassword, "csrf": other], cookies: otherCookies)
            #expect(!plain.headers[values: .setCookie].contains { $0.hasPrefix("neraca_lang") })
            // A switch with a forged token changes nothing, stored or in the browser.
            let forged = try await PageTests.post(client, server, "/language", ["lang": "en", "csrf": "forged"],
                                                  cookies: browser.cookies)
            #expect(!forged.headers[values: .setCookie].contains { $0.hasPrefix("neraca_lang") })
            #expect(try server.ledger.userLanguage(person: "P-SBT-003") == "id")
        }
    }
}
