import Foundation
import Hummingbird
import LedgerCore
import LedgerStore
import Logging

/// How `neraca serve` runs the admin server.
public struct AdminServerOptions: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var sessions = SessionPolicy()
    public var passwords = PasswordHasher()
    /// What audit bundles name as the tool that wrote them.
    public var toolVersion = "neraca"
    /// The clock of sessions, throttling and claim dates; tests move it.
    public var clock: @Sendable () -> Timestamp = AdminServerOptions.systemClock

    public init() {}

    public static let systemClock: @Sendable () -> Timestamp = {
        Timestamp(millisecondsSince1970: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}

/// The admin server as a Hummingbird application, apart from the command that runs it, so
/// that tests drive the same router. `runService()` finishes in-flight requests on SIGINT
/// or SIGTERM before it returns.
///
/// - Parameter onListening: called with the port once the server listens (port 0 picks a
///   free one: scripts read it from the log line `neraca serve` prints).
public func buildApplication(
    ledger: LedgerDatabase, options: AdminServerOptions, logger: Logger,
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(ledger: ledger, options: options),
        configuration: .init(address: .hostname(options.host, port: options.port), serverName: "neraca"),
        onServerRunning: { channel in await onListening(channel.localAddress?.port ?? options.port) },
        logger: logger)
}

/// Runs the admin server until SIGINT or SIGTERM, logging each request as JSON-friendly
/// key=value lines on standard error.
public func runAdminServer(
    ledger: LedgerDatabase, options: AdminServerOptions, onListening: @escaping @Sendable (Int) async -> Void
) async throws {
    var logger = Logger(label: "neraca")
    logger.logLevel = .info
    try await buildApplication(ledger: ledger, options: options, logger: logger, onListening: onListening).runService()
}

/// Every route of the server (openapi.yaml lists the same, and a test holds them equal).
func buildRouter(ledger: LedgerDatabase, options: AdminServerOptions) -> Router<AdminRequestContext> {
    let access = LedgerAccess(ledger: ledger, clock: options.clock)
    let authenticator = Authenticator(access: access, passwords: options.passwords, policy: options.sessions)
    let exports = ExportRoutes(access: access, toolVersion: options.toolVersion)
    let router = Router(context: AdminRequestContext.self)
    router.add(middleware: RequestFrameMiddleware(secureCookies: options.sessions.secureCookies))
    HealthRoutes(access: access).register(on: router)
    // The pages need their templates beside the executable (SwiftPM's resource bundle); a
    // binary copied without them still serves the API.
    if let renderer = try? PageRenderer() {
        let kit = PageKit(authenticator: authenticator, renderer: renderer, secureCookies: options.sessions.secureCookies)
        let pages = router.group()
        pages.add(middleware: PageErrorMiddleware(kit: kit))
        PageRoutes(kit: kit, access: access).register(on: pages)
        ClaimPages(kit: kit, access: access).register(on: pages)
        FindingPages(kit: kit, access: access, exports: exports).register(on: pages)
        JournalPages(kit: kit, access: access).register(on: pages)
        BudgetPages(kit: kit, access: access).register(on: pages)
        PeoplePages(kit: kit, access: access, passwords: options.passwords).register(on: pages)
    }
    let api = router.group("api/v1")
    // The document and login need no credential, and must not trip on a stale one: they
    // come before the authentication middleware, which applies to routes added after it.
    api.get("openapi.yaml") { _, _ in try OpenAPIDocument.response() }
    let sessions = SessionRoutes(access: access, authenticator: authenticator)
    sessions.registerLogin(on: api)
    api.add(middleware: AuthenticationMiddleware(authenticator: authenticator))
    sessions.register(on: api)
    LedgerRoutes(access: access).register(on: api)
    ClaimRoutes(access: access).register(on: api)
    FindingRoutes(access: access).register(on: api)
    exports.register(on: api)
    return router
}
