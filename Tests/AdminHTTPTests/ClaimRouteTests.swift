@testable import AdminHTTP
import FeeClaims
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerStore
import Testing

@Suite("Claims through the API")
struct ClaimRouteTests {
    /// A claim body for the claimant P-SBT-003, activity in the last days.
    static func newClaim(server: TestServer, daysAgo: Int = 3, lines: String = "") throws -> String {
        let today = try #require(server.clock.now.utcDate)
        let from = try #require(LedgerDate(dayNumber: today.dayNumber - daysAgo)).description
        return #"{"budgetLine":"1.1","activity":"Village meeting, Desa Bula","activityFrom":"\#(from)","activityTo":"\#(from)""#
            + (lines.isEmpty ? "" : #","lines":[\#(lines)]"#) + "}"
    }

    static let perDiemLine = #"{"category":"per-diem","quantity":1,"unitRate":"150000.00","memo":"one day"}"#

    @Test("a claimant creates a claim with lines and submits it; the coordinator approves it")
    func createSubmitApprove() async throws {
        let server = try TestServer()
        try await server.test { client in
            let created = try await client.send(.post, "/api/v1/claims", as: "claimant", server: server,
                                                json: try Self.newClaim(server: server, lines: Self.perDiemLine))
            #expect(created.status == .created, "\(created.text)")
            let number = try #require(created.json["number"] as? String)
            #expect(created.headers[.location] == "/api/v1/claims/\(number)")
            #expect(created.json["state"] as? String == "draft")
            #expect((created.json["amount"] as? [String: Any])?["amount"] as? String == "150000.00")

            let submitted = try await client.send(.post, "/api/v1/claims/\(number)/submit", as: "claimant", server: server,
                                                  json: "{}")
            #expect(submitted.status == .ok, "\(submitted.text)")
            #expect(submitted.json["state"] as? String == "submitted")

            let claim = try await client.send(.get, "/api/v1/claims/\(number)", as: "coordinator", server: server)
            let revision = try #require(claim.json["revision"] as? Int)
            let approved = try await client.send(
                .post, "/api/v1/claims/\(number)/approve", as: "coordinator", server: server,
                json: #"{"expectedRevision":\#(revision),"acknowledgeFlags":true}"#)
            #expect(approved.status == .ok, "\(approved.text)")
            #expect(approved.json["state"] as? String == "approved")

            let history = try await client.send(.get, "/api/v1/claims/\(number)/history", as: "claimant", server: server)
            #expect(history.list.map { $0["action"] as? String } == ["create", "submit", "approve"])
            #expect(history.list.map { $0["actor"] as? String } == ["P-SBT-003", "P-SBT-003", "P-SBT-001"])
        }
    }

    @Test("a claim changed since the approver read it: 409 claimChanged, nothing recorded")
    func concurrentChange() async throws {
        let server = try TestServer()
        try await server.test { client in
            let created = try await client.send(.post, "/api/v1/claims", as: "claimant", server: server,
                                                json: try Self.newClaim(server: server, lines: Self.perDiemLine))
            let number = try #require(created.json["number"] as? String)
            let read = try await client.send(.get, "/api/v1/claims/\(number)", as: "coordinator", server: server)
            let stale = try #require(read.json["revision"] as? Int)
            _ = try await client.send(.post, "/api/v1/claims/\(number)/submit", as: "claimant", server: server, json: "{}")
            let refused = try await client.send(.post, "/api/v1/claims/\(number)/approve", as: "coordinator",
                                                server: server, json: #"{"expectedRevision":\#(stale)}"#)
            #expect(refused.status == .conflict)
            #expect(refused.code == "claimChanged")
            let after = try await client.send(.get, "/api/v1/claims/\(number)", as: "coordinator", server: server)
            #expect(after.json["state"] as? String == "submitted")
        }
    }

    @Test("segregation of duties comes back as 403 with the reason; another district's claim is out of scope")
    func segregationAndScope() async throws {
        let server = try TestServer()
        try await server.test { client in
            let created = try await client.send(.post, "/api/v1/claims", as: "claimant", server: server,
                                                json: try Self.newClaim(server: server, lines: Self.perDiemLine))
            let number = try #require(created.json["number"] as? String)
            _ = try await client.send(.post, "/api/v1/claims/\(number)/submit", as: "claimant", server: server, json: "{}")

            let own = try await client.send(.post, "/api/v1/claims/\(number)/approve", as: "claimant", server: server,
                                            json: "{}")
            #expect(own.status == .forbidden)
            #expect(["ownClaim", "roleMissing"].contains(own.code ?? ""), "\(own.text)")
            #expect((own.json["detail"] as? String)?.isEmpty == false)

            let unknownAction = try await client.send(.post, "/api/v1/claims/\(number)/approve-all", as: "auditor",
                                                      server: server, json: "{}")
            #expect(unknownAction.status == .notFound)

            let finance = try await client.send(.post, "/api/v1/claims/\(number)/post", as: "finance-officer",
                                                server: server, json: "{}")
            #expect(finance.status == .conflict, "posting a submitted claim: \(finance.text)")
            #expect(finance.code == "actionNotAllowed")

            for user in ["sbd-coordinator", "sbd-claimant"] {
                let other = try await client.send(.get, "/api/v1/claims/\(number)", as: user, server: server)
                #expect(other.status == .forbidden)
                #expect(other.code == "claimOutOfScope")
                #expect(other.field == "claim")
            }
            let list = try await client.send(.get, "/api/v1/claims", as: "sbd-coordinator", server: server)
            #expect(list.status == .ok)
            #expect(list.list.allSatisfy { ($0["number"] as? String)?.hasPrefix("FC-SBD-") == true })
            let widened = try await client.send(.get, "/api/v1/claims?district=SBT", as: "sbd-coordinator", server: server)
            #expect(widened.status == .forbidden)
            let mine = try await client.send(.get, "/api/v1/claims", as: "claimant", server: server)
            #expect(!mine.list.isEmpty)
            #expect(mine.list.allSatisfy { $0["claimant"] as? String == "P-SBT-003" })
        }
    }

    @Test("anti-fraud evidence goes to compliance officers only: a claimant sees finding ids")
    func evidenceWithheld() async throws {
        let server = try TestServer()
        try await server.test { client in
            // The same honorarium twice: the second is an exact duplicate (R02, hold).
            let honorarium = #"{"category":"honorarium","quantity":1,"unitRate":"150000.00"}"#
            var numbers: [String] = []
            for _ in 0..<2 {
                let created = try await client.send(.post, "/api/v1/claims", as: "claimant", server: server,
                                                    json: try Self.newClaim(server: server, lines: honorarium))
                numbers.append(try #require(created.json["number"] as? String))
            }
            _ = try await client.send(.post, "/api/v1/claims/\(numbers[0])/submit", as: "claimant", server: server, json: "{}")
            let second = try await client.send(.post, "/api/v1/claims/\(numbers[1])/submit", as: "claimant",
                                               server: server, json: "{}")
            #expect(second.json["state"] as? String == "on-hold", "\(second.text)")
            let findings = try #require(second.json["findings"] as? [String])
            #expect(!findings.isEmpty)
            #expect(findings.allSatisfy { $0.hasPrefix("F-") && !$0.contains(" ") }, "\(findings)")

            let history = try await client.send(.get, "/api/v1/claims/\(numbers[1])/history", as: "claimant", server: server)
            let hold = try #require(history.list.first { $0["actor"] as? String == "anti-fraud" })
            #expect((hold["comment"] as? String)?.contains("R02") == false)
            let compliance = try await client.send(.get, "/api/v1/claims/\(numbers[1])/history", as: "compliance-officer",
                                                   server: server)
            let seen = try #require(compliance.list.first { $0["actor"] as? String == "anti-fraud" })
            #expect((seen["comment"] as? String)?.contains("R02") == true)
        }
    }

    @Test("a reversal needs the second person's own login: refused through the API; claims stay in the claimant's district")
    func reversalAndDistrict() async throws {
        let server = try TestServer()
        let reversible = try #require(try server.ledger.claims(state: .paid).first?.number.description)
        try await server.test { client in
            let reversal = try await client.send(.post, "/api/v1/claims/\(reversible)/reverse", as: "finance-officer",
                                                 server: server, json: #"{"comment":"paid twice","second":"P-MKS-008"}"#)
            #expect(reversal.status == .forbidden)
            #expect(reversal.code == "reversalNeedsSecondLogin")
            let state = try await client.send(.get, "/api/v1/claims/\(reversible)", as: "finance-officer", server: server)
            #expect(state.json["state"] as? String == "paid")

            let elsewhere = try await client.send(
                .post, "/api/v1/claims", as: "claimant", server: server,
                json: try Self.newClaim(server: server).replacingOccurrences(of: "{", with: #"{"district":"SBD","#))
            #expect(elsewhere.status == .badRequest)
            #expect(elsewhere.field == "district")
        }
    }

    @Test("a receipt is uploaded as multipart; a wrong type, a missing file and an oversize file are refused")
    func receipts() async throws {
        let server = try TestServer()
        try await server.test { client in
            let created = try await client.send(.post, "/api/v1/claims", as: "claimant", server: server,
                                                json: try Self.newClaim(server: server, lines: Self.perDiemLine))
            let number = try #require(created.json["number"] as? String)
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 100)
            let upload = try await Self.upload(client, server, number, file: png, fields: ["vendor": "Toko Sinar",
                                                                                         "receiptNumber": "INV-0042"])
            #expect(upload.status == .created, "\(upload.text)")
            #expect(upload.json["mediaType"] as? String == "image/png")
            #expect(upload.json["receiptNumber"] as? String == "INV-0042")

            let text = try await Self.upload(client, server, number, file: Array("not an image".utf8))
            #expect(text.status == .badRequest)
            #expect(text.code == "receiptNotAccepted")

            let noFile = try await Self.upload(client, server, number, file: nil, fields: ["vendor": "Toko"])
            #expect(noFile.status == .badRequest)
            #expect(noFile.field == "file")

            let vendorOnly = try await Self.upload(client, server, number, file: png, fields: ["vendor": "Toko"])
            #expect(vendorOnly.field == "receiptNumber")

            let huge = png + Array(repeating: 0, count: Receipt.bytesMax)
            let oversize = try await Self.upload(client, server, number, file: huge)
            #expect(oversize.status == .contentTooLarge)

            let notMultipart = try await client.send(.post, "/api/v1/claims/\(number)/receipts", as: "claimant",
                                                     server: server, json: "{}")
            #expect(notMultipart.status == .unsupportedMediaType)
        }
    }

    static func upload(
        _ client: any TestClientProtocol, _ server: TestServer, _ number: String, file: [UInt8]?,
        fields: [String: String] = [:]
    ) async throws -> Reply {
        let boundary = "neraca-test-boundary"
        var body: [UInt8] = []
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        if let file {
            body += Array(("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"nota.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").utf8)
            body += file + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return try await client.send(
            .post, "/api/v1/claims/\(number)/receipts", as: "claimant", server: server,
            headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: body)
    }
}
