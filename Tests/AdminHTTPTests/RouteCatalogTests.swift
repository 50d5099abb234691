@testable import AdminHTTP
import Foundation
import HTTPTypes
import Hummingbird
import Testing

/// The router's routes, and example paths to call them.
enum RouteCatalog {
    /// Routes that need no credential.
    static let publicRoutes: Set<String> = ["/health", "/ready", "/api/v1/openapi.yaml", "POST /api/v1/session"]

    /// The API's routes and the health checks (what openapi.yaml describes), not the pages.
    static func routes(_ server: TestServer) -> [(method: HTTPRequest.Method, path: String)] {
        buildRouter(ledger: server.ledger, options: server.options).routes
            .map { (method: $0.method, path: Self.normalized("\($0.path)")) }
            .filter { $0.path.hasPrefix("/api/") || $0.path == "/health" || $0.path == "/ready" }
            .sorted { ($0.path, $0.method.rawValue) < ($1.path, $1.method.rawValue) }
    }

    static func isPublic(_ method: HTTPRequest.Method, _ path: String) -> Bool {
        publicRoutes.contains(path) || publicRoutes.contains("\(method) \(path)")
    }

    /// `/a/b` whatever the router prints (with or without the leading slash).
    static func normalized(_ path: String) -> String { path.hasPrefix("/") ? path : "/" + path }

    /// A concrete path for a route template.
    static func example(_ template: String, claim: String = "FC-SBT-2026-0001", entry: String = "JE-2024-000001")
        -> String {
        var path = template
        if path.hasPrefix("/api/v1/claims/") { path = path.replacingOccurrences(of: "{number}", with: claim) }
        path = path.replacingOccurrences(of: "{number}", with: entry)
        return path.replacingOccurrences(of: "{index}", with: "1").replacingOccurrences(of: "{id}", with: "F-000001")
            .replacingOccurrences(of: "{action}", with: "submit")
    }

    /// The operations of openapi.yaml as "METHOD /path".
    static func documented() throws -> Set<String> {
        let text = try #require(OpenAPIDocument.text)
        var operations: Set<String> = []
        var inPaths = false
        var path: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            if inPaths, let first = line.first, first != " ", first != "#" { inPaths = false }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast().uppercased()
                if ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(method) { operations.insert("\(method) \(path)") }
            }
        }
        return operations
    }
}

@Suite("Routes and openapi.yaml")
struct RouteCatalogTests {
    @Test("every route is in openapi.yaml and every documented operation is a route")
    func routesMatchTheDocument() throws {
        let server = try TestServer()
        let routed = Set(RouteCatalog.routes(server).map { "\($0.method) \($0.path)" })
        let documented = try RouteCatalog.documented()
        #expect(routed.subtracting(documented).sorted() == [], "routes missing from openapi.yaml")
        #expect(documented.subtracting(routed).sorted() == [], "documented operations with no route")
        #expect(routed.count >= 25)
    }

    @Test("the router has no clashing routes")
    func noClashes() throws {
        let server = try TestServer()
        try buildRouter(ledger: server.ledger, options: server.options).validate()
    }

    @Test("openapi.yaml is served as YAML, OpenAPI 3.1")
    func documentServed() async throws {
        let server = try TestServer()
        try await server.test { client in
            let reply = try await client.send(.get, "/api/v1/openapi.yaml", server: server)
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType]?.hasPrefix("application/yaml") == true)
            #expect(reply.text.contains("\nopenapi: 3.1"))
        }
    }
}
