@testable import AdminHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerStore
import Testing

/// Each malformed body gets 400 naming the field; oversize bodies 413; nothing is written.
@Suite("Malformed and oversize bodies")
struct RequestBodyTests {
    struct Case: Sendable, CustomStringConvertible {
        let path: String
        let user: String
        let body: String
        let field: String
        var description: String { "\(path) \(body)" }
    }

    static let claimBody = #""budgetLine":"1.1","activity":"Meeting","activityFrom":"2026-11-20","activityTo":"2026-11-20""#

    static let cases: [Case] = [
        Case(path: "/api/v1/session", user: "", body: "not json", field: "body"),
        Case(path: "/api/v1/session", user: "", body: "[1,2]", field: "body"),
        Case(path: "/api/v1/session", user: "", body: #"{"login":"P-MKS-003"}"#, field: "password"),
        Case(path: "/api/v1/session", user: "", body: #"{"login":"P-MKS-003","password":"x","remember":true}"#,
             field: "remember"),
        Case(path: "/api/v1/session", user: "", body: #"{"login":7,"password":"x"}"#, field: "login"),
        Case(path: "/api/v1/claims", user: "claimant", body: "{\(claimBody),\"colour\":\"red\"}", field: "colour"),
        Case(path: "/api/v1/claims", user: "claimant", body: #"{"budgetLine":"1.1","activity":"M","activityFrom":"2026-11-20"}"#,
             field: "activityTo"),
        Case(path: "/api/v1/claims", user: "claimant",
             body: #"{"budgetLine":"1.1","activity":"M","activityFrom":"2026-13-01","activityTo":"2026-11-20"}"#,
             field: "activityFrom"),
        Case(path: "/api/v1/claims", user: "claimant",
             body: "{\(claimBody),\"lines\":[{\"category\":\"per-diem\",\"quantity\":1.5,\"unitRate\":\"1000\"}]}",
             field: "lines[0].quantity"),
        Case(path: "/api/v1/claims", user: "claimant",
             body: "{\(claimBody),\"lines\":[{\"category\":\"per-diem\",\"quantity\":1,\"unitRate\":1000.5}]}",
             field: "lines[0].unitRate"),
        Case(path: "/api/v1/claims", user: "claimant",
             body: "{\(claimBody),\"lines\":[{\"category\":\"per-diem\",\"quantity\":1,\"unitRate\":\"12.345\"}]}",
             field: "lines[0].unitRate"),
        Case(path: "/api/v1/claims", user: "claimant",
             body: "{\(claimBody),\"lines\":[{\"category\":\"taxi\",\"quantity\":1,\"unitRate\":\"1000\"}]}",
             field: "lines[0].category"),
        Case(path: "/api/v1/claims", user: "claimant",
             body: "{\(claimBody),\"lines\":[{\"category\":\"per-diem\",\"quantity\":1,\"unitRate\":\"1000\",\"tip\":1}]}",
             field: "lines[0].tip"),
        Case(path: "/api/v1/claims", user: "claimant", body: "{\(claimBody),\"lines\":{}}", field: "lines"),
        Case(path: "/api/v1/entries/JE-2024-000001/reverse", user: "finance-officer", body: "{}", field: "reason"),
        Case(path: "/api/v1/entries/JE-2024-000001/reverse", user: "finance-officer",
             body: #"{"reason":"typo","date":"yesterday"}"#, field: "date"),
        Case(path: "/api/v1/findings/F-000001/decision", user: "compliance-officer",
             body: #"{"decision":"ignore","reason":"x"}"#, field: "decision"),
        Case(path: "/api/v1/exports", user: "auditor", body: #"{"year":"2024"}"#, field: "year"),
        Case(path: "/api/v1/exports", user: "auditor", body: #"{"year":24}"#, field: "year"),
    ]

    @Test("400 naming the field", arguments: cases)
    func malformed(_ testCase: Case) async throws {
        let server = try TestServer()
        let claimsBefore = try server.ledger.claims().count
        try await server.test { client in
            let reply = try await client.send(.post, testCase.path, as: testCase.user.isEmpty ? nil : testCase.user,
                                              server: server, json: testCase.body)
            #expect(reply.status == .badRequest, "\(reply.text)")
            #expect(reply.field == testCase.field, "\(reply.text)")
            #expect(reply.headers[.contentType] == "application/problem+json")
            #expect((reply.json["message"] as? String)?.contains(testCase.field) == true)
        }
        #expect(try server.ledger.claims().count == claimsBefore)
    }

    @Test("posting an entry: each malformed entry names its field")
    func malformedEntries() async throws {
        let server = try TestServer()
        let entry = #"{"date":"2024-02-01","description":"Bank fee","postings":[{"account":"5-4100","amount":"25000"},{"account":"1-1110","amount":"-25000"}]}"#
        let cases: [(String, String)] = [
            (entry.replacingOccurrences(of: "\"2024-02-01\"", with: "\"2024-02-30\""), "date"),
            (entry.replacingOccurrences(of: "\"25000\"}", with: "\"25000\",\"colour\":1}"), "postings[0].colour"),
            (entry.replacingOccurrences(of: "\"-25000\"", with: "-250.5"), "postings[1].amount"),
            (#"{"date":"2024-02-01","description":"x"}"#, "postings"),
            (entry.replacingOccurrences(of: "{\"date\"", with: "{\"author\":\"someone-else\",\"date\""), "author"),
            ("[\(entry)]", "input"),
            ("{\"entries\":[\(entry)]}", "entries"),
        ]
        try await server.test { client in
            for (index, (body, field)) in cases.enumerated() {
                let reply = try await client.send(.post, "/api/v1/entries", as: "finance-officer", server: server,
                                                  json: body, headers: [.idempotencyKey: "case-\(index)"])
                #expect(reply.status == .badRequest, "\(body): \(reply.text)")
                #expect(reply.field == field, "\(body): \(reply.text)")
            }
        }
    }

    @Test("a JSON body over 1 MB is refused with 413, by its length or while reading it")
    func oversizeJSON() async throws {
        let server = try TestServer()
        let big = #"{"login":"P-MKS-003","password":""# + String(repeating: "x", count: 1_100_000) + #""}"#
        try await server.test { client in
            let reply = try await client.send(.post, "/api/v1/session", server: server, json: big)
            #expect(reply.status == .contentTooLarge)
            #expect(reply.code == "bodyTooLarge")
        }
    }

    @Test("a body that is not JSON by its content type: 415")
    func wrongContentType() async throws {
        let server = try TestServer()
        try await server.test { client in
            let reply = try await client.send(.post, "/api/v1/session", server: server, json: "{}",
                                              headers: [.contentType: "text/plain"])
            #expect(reply.status == .unsupportedMediaType)
        }
    }

    @Test("problems are worded in the user's language")
    func language() async throws {
        let server = try TestServer()
        try await server.test { client in
            let indonesian = try await client.send(.get, "/api/v1/findings", as: "claimant", server: server,
                                                   headers: [.acceptLanguage: "id-ID,id;q=0.9,en;q=0.5"])
            #expect(indonesian.json["title"] as? String == "Tidak diizinkan")
            let requestID = try #require(indonesian.headers[.requestID])
            #expect(requestID.count >= 16)
            #expect(indonesian.json["requestId"] as? String == requestID)
            // Security headers come with every answer, problems included.
            #expect(indonesian.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(indonesian.headers[.xContentTypeOptions] == "nosniff")
            #expect(indonesian.headers[.referrerPolicy] == "no-referrer")
            #expect(indonesian.headers[.contentLanguage] == "id")
            #expect((indonesian.json["message"] as? String)?.hasPrefix("Anda tidak diizinkan") == true)
            let english = try await client.send(.get, "/api/v1/findings", as: "claimant", server: server,
                                                headers: [.acceptLanguage: "en-GB,id;q=0.2"])
            #expect(english.json["title"] as? String == "Not allowed")
        }
    }

    @Test("language choice follows the quality order of Accept-Language")
    func acceptLanguage() {
        #expect(Language(acceptLanguage: nil) == .en)
        #expect(Language(acceptLanguage: "id") == .id)
        #expect(Language(acceptLanguage: "fr, id;q=0.5") == .id)
        #expect(Language(acceptLanguage: "en;q=0.3, id;q=0.8") == .id)
        #expect(Language(acceptLanguage: "id;q=0, en") == .en)
        #expect(Language(acceptLanguage: "de") == .en)
    }

    @Test("stable codes are the core errors' case names")
    func codes() {
        #expect(ErrorCode.of(APIError.unauthenticated) == "unauthenticated")
        #expect(ErrorCode.of(APIError.fieldInvalid(field: "a", reason: "b")) == "fieldInvalid")
        #expect(ErrorCode.of(StoreError.notInitialized) == "notInitialized")
        #expect(ErrorCode.of(StoreError.corrupt("x")) == "corrupt")
    }
}
