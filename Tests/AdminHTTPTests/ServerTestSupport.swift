@testable import AdminHTTP
import FeeClaims
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerStore
import Logging
@testable import NeracaCLI
import Synchronization
import Testing

/// The repository's root directory, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The password every test login has.
let testPassword = "correct horse battery staple"

/// The demo ledger of `neraca serve --demo` (claims in every state, findings), built once
/// per test run and copied for each test.
enum DemoTemplate {
    static let path: Result<String, TestFailure> = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("neraca-http-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let path = directory.appendingPathComponent("demo.sqlite").path
            let capture = OutputCapture()
            try Output.$capture.withValue(capture) { try DemoLedger.build(path: path, root: repositoryRoot) }
            let ledger = try LedgerDatabase(path: path)
            let hash = try PasswordHasher(cost: 4).hashBlocking(testPassword)
            for (_, person) in DemoLedger.logins {
                try ledger.addUser(person: person, passwordHash: hash, by: "test", now: AdminServerOptions.systemClock())
            }
            // A coordinator of another district, and a second claimant there.
            for person in ["P-SBD-001", "P-SBD-003"] {
                try ledger.addUser(person: person, passwordHash: hash, by: "test", now: AdminServerOptions.systemClock())
            }
            return .success(path)
        } catch {
            return .failure(TestFailure("the demo ledger could not be built: \(error)"))
        }
    }()
}

/// A clock the test moves.
final class TestClock: Sendable {
    private let milliseconds: Mutex<Int64>

    init() { milliseconds = Mutex(AdminServerOptions.systemClock().millisecondsSince1970) }

    var now: Timestamp { Timestamp(millisecondsSince1970: milliseconds.withLock { $0 }) }

    func advance(seconds: Int64) { milliseconds.withLock { $0 += seconds * 1000 } }
}

/// One test's server: a copy of the demo ledger, a router on it, a token per demo login.
final class TestServer: Sendable {
    /// The person logged in for each role (DemoLedger.logins), plus two from Sumba Barat Daya.
    static let people: [String: String] = Dictionary(
        uniqueKeysWithValues: DemoLedger.logins.map { ($0.role.rawValue, $0.person) }
            + [("sbd-coordinator", "P-SBD-001"), ("sbd-claimant", "P-SBD-003")])

    let directory: String
    let ledger: LedgerDatabase
    let clock = TestClock()
    let options: AdminServerOptions
    /// API tokens by the keys of `people`.
    let tokens: [String: String]

    init(configure: (inout AdminServerOptions) -> Void = { _ in }) throws {
        let template = try DemoTemplate.path.get()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("neraca-http-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/ledger.sqlite"
        try LedgerDatabase(path: template).backup(to: path)
        ledger = try LedgerDatabase(path: path)
        var tokens: [String: String] = [:]
        for (key, person) in Self.people {
            let token = SecretToken.generate()
            try ledger.addToken(person: person, tokenHash: token.hash, by: "test", now: AdminServerOptions.systemClock())
            tokens[key] = token.text
        }
        self.tokens = tokens
        var options = AdminServerOptions()
        options.passwords = PasswordHasher(cost: 4)
        let clock = clock
        options.clock = { clock.now }
        configure(&options)
        self.options = options
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// What the server logged, at info and above.
    let logs = LogCapture()

    /// Runs `body` with a client talking to the router (no sockets).
    func test<Value: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        let logs = logs
        var logger = Logger(label: "test") { _ in CapturingLogHandler(capture: logs) }
        logger.logLevel = .info
        let app = Application(router: buildRouter(ledger: ledger, options: options), logger: logger)
        return try await app.test(.router, body)
    }
}

/// The lines a server logged: each line's message and metadata.
final class LogCapture: Sendable {
    struct Line: Sendable {
        let message: String
        let metadata: [String: String]
    }

    private let stored = Mutex<[Line]>([])

    var lines: [Line] { stored.withLock { $0 } }

    func append(_ line: Line) { stored.withLock { $0.append(line) } }
}

/// A log handler writing into a `LogCapture` (a value, as swift-log expects: each logger's
/// metadata is its own).
struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        for (key, value) in event.metadata ?? [:] { all[key] = value }
        capture.append(LogCapture.Line(message: "\(event.message)", metadata: all.mapValues { "\($0)" }))
    }
}

/// A response with its JSON decoded.
struct Reply: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object (empty if it is not one).
    var json: [String: any Sendable] {
        (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: any Sendable]) ?? [:]
    }

    /// The body as a JSON array of objects (empty if it is not one).
    var list: [[String: any Sendable]] {
        (try? JSONSerialization.jsonObject(with: Data(body)) as? [[String: any Sendable]]) ?? []
    }

    /// The problem's `code`, `field`.
    var code: String? { json["code"] as? String }
    var field: String? { json["field"] as? String }
}

extension TestClientProtocol {
    /// Sends a request as `as` (a key of `TestServer.people`, or nil for no credential).
    func send(
        _ method: HTTPRequest.Method, _ path: String, as user: String? = nil, server: TestServer,
        json: String? = nil, headers extra: HTTPFields = [:], body: [UInt8]? = nil
    ) async throws -> Reply {
        var headers = extra
        if let user {
            guard let token = server.tokens[user] else { throw TestFailure("no test login \(user)") }
            headers[.authorization] = "Bearer \(token)"
        }
        var buffer: ByteBuffer?
        if let json {
            if headers[.contentType] == nil { headers[.contentType] = "application/json" }
            buffer = ByteBuffer(string: json)
        } else if let body {
            buffer = ByteBuffer(bytes: body)
        }
        return try await execute(uri: path, method: method, headers: headers, body: buffer) { response in
            Reply(status: response.status, headers: response.headers, body: Array(response.body.readableBytesView))
        }
    }
}
