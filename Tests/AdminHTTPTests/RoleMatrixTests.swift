@testable import AdminHTTP
import FeeClaims
import Foundation
import HTTPTypes
import Hummingbird
import LedgerCore
import LedgerStore
import Testing

/// Every route × every role: who is refused by the access policy (403 `roleForbidden` or
/// `claimOutOfScope`) and who gets past it.
@Suite("Authorisation: every endpoint for every role")
struct RoleMatrixTests {
    static let everyone: Set<String> = Set(TestServer.people.keys)
    static let ledgerReaders: Set<String> = [
        "finance-officer", "treasurer", "auditor", "director", "program-manager", "compliance-officer",
    ]
    static let claimActors: Set<String> = [
        "claimant", "coordinator", "program-manager", "director", "finance-officer", "treasurer", "compliance-officer",
        "sbd-coordinator", "sbd-claimant",
    ]
    /// Who sees claim 1 of the demo (a Seram Bagian Timur claim of P-SBT-003).
    static let claimViewers: Set<String> = everyone.subtracting(["admin", "sbd-coordinator", "sbd-claimant"])

    /// Who gets past the access policy, by "METHOD /path".
    static let allowed: [String: Set<String>] = [
        "GET /api/v1/me": everyone,
        "DELETE /api/v1/session": everyone,
        "GET /api/v1/accounts": ledgerReaders,
        "GET /api/v1/entries": ledgerReaders,
        "GET /api/v1/entries/{number}": ledgerReaders,
        "GET /api/v1/trial-balance": ledgerReaders,
        "POST /api/v1/entries": ["finance-officer", "treasurer"],
        "POST /api/v1/entries/{number}/reverse": ["finance-officer", "treasurer"],
        "GET /api/v1/budget-report": ledgerReaders.union(["coordinator", "sbd-coordinator"]),
        "GET /api/v1/people": everyone.subtracting(["claimant", "sbd-claimant"]),
        "GET /api/v1/claims": everyone.subtracting(["admin"]),
        "POST /api/v1/claims": claimActors,
        "GET /api/v1/claims/{number}": claimViewers,
        "GET /api/v1/claims/{number}/history": claimViewers,
        "POST /api/v1/claims/{number}/lines": claimActors.intersection(claimViewers),
        "DELETE /api/v1/claims/{number}/lines/{index}": claimActors.intersection(claimViewers),
        "POST /api/v1/claims/{number}/receipts": claimActors.intersection(claimViewers),
        "POST /api/v1/claims/{number}/{action}": claimActors.intersection(claimViewers),
        "GET /api/v1/findings": ["compliance-officer", "auditor", "director"],
        "POST /api/v1/findings/{id}/decision": ["compliance-officer"],
        "POST /api/v1/exports": ["auditor", "finance-officer", "director"],
    ]

    @Test("the table covers every authenticated route")
    func tableIsComplete() throws {
        let server = try TestServer()
        let routes = RouteCatalog.routes(server).filter { !RouteCatalog.isPublic($0.method, $0.path) }
        #expect(Set(routes.map { "\($0.method) \($0.path)" }) == Set(Self.allowed.keys))
    }

    @Test("each role is let through or refused as the table says", arguments: allowed.keys.sorted())
    func route(_ route: String) async throws {
        let server = try TestServer()
        let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
        let method = HTTPRequest.Method(rawValue: parts[0])!
        let claim = try #require(try server.ledger.claims(claimant: "P-SBT-003").last?.number.description)
        let path = RouteCatalog.example(parts[1], claim: claim)
        let allowed = try #require(Self.allowed[route])
        try await server.test { client in
            for user in Self.everyone.sorted() {
                // The cheapest body that passes nothing: refusals come before any reading of it.
                let reply = try await client.send(method, path, as: user, server: server,
                                                  json: method == .get || method == .delete ? nil : "{}")
                #expect(reply.status != .unauthorized, "\(route) as \(user)")
                #expect(reply.status.code < 500, "\(route) as \(user): \(reply.text)")
                let refusedByPolicy = reply.status == .forbidden
                    && ["roleForbidden", "claimOutOfScope"].contains(reply.code ?? "")
                if allowed.contains(user) {
                    #expect(!refusedByPolicy, "\(route) as \(user) should pass: \(reply.text)")
                } else {
                    #expect(refusedByPolicy, "\(route) as \(user) should be refused: \(reply.status) \(reply.text)")
                }
            }
        }
    }

    @Test("an auditor holding another role still changes nothing; an admin never reads claims or money")
    func overridingRules() {
        let both = Person(id: "X", name: "X", district: nil, roles: [.auditor, .financeOfficer],
                          activeFrom: LedgerDateFixture.day)
        #expect(AccessPolicy.allows(.readLedger, both))
        #expect(!AccessPolicy.allows(.writeLedger, both))
        #expect(!AccessPolicy.allows(.actOnClaims, both))
        let adminClaimant = Person(id: "Y", name: "Y", district: "SBT", roles: [.admin, .claimant],
                                   activeFrom: LedgerDateFixture.day)
        #expect(!AccessPolicy.allows(.readClaims, adminClaimant))
        #expect(!AccessPolicy.allows(.actOnClaims, adminClaimant))
        #expect(AccessPolicy.allows(.manageUsers, adminClaimant))
        #expect(AccessPolicy.claimScope(adminClaimant) == .none)
    }
}

enum LedgerDateFixture {
    static let day = LedgerDate(dayNumber: 19_000)!  // allowed: 2022-01-08, in range
}
