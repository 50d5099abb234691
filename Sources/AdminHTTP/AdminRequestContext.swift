import FeeClaims
import Hummingbird
import LedgerCore
import Logging
import Synchronization

/// Who is making a request, once authenticated.
struct Identity: Sendable {
    enum Credential: Sendable {
        /// A browser session, found by the SHA-256 of its cookie.
        case session(EntryHash)
        case token
    }

    let person: Person
    let credential: Credential
}

/// What inner middleware learn that the outer one logs: the context is a value, copied
/// down the chain, so what an inner layer sets on its copy never comes back up.
final class RequestNotes: Sendable {
    private let person = Mutex<String?>(nil)
    private let recorded = Mutex<(event: String, metadata: Logger.Metadata)?>(nil)

    /// The authenticated user's person id.
    var user: String? {
        get { person.withLock { $0 } }
        set { person.withLock { $0 = newValue } }
    }

    /// The state change the request made (`claim action`, with the claim and its new
    /// state), logged on the request's one line with the user who made it.
    var change: (event: String, metadata: Logger.Metadata)? {
        get { recorded.withLock { $0 } }
        set { recorded.withLock { $0 = newValue } }
    }
}

/// The per-request context: the request id (also in every log line) and, after the
/// authentication middleware, the user.
struct AdminRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    var identity: Identity?
    var language: Language = .en
    /// Shared by every copy of this request's context down the middleware chain.
    let notes = RequestNotes()

    init(source: Source) {
        coreContext = .init(source: source)
    }

    /// The id Hummingbird gives the request and puts on its log lines (`hb.request.id`),
    /// also sent back as `X-Request-Id` and in problem details.
    var requestID: String { logger[metadataKey: "hb.request.id"]?.description ?? "-" }

    /// Records the state change this request made, for its log line.
    func record(_ event: String, _ metadata: Logger.Metadata) {
        notes.change = (event, metadata)
    }

    /// The authenticated user.
    /// - Throws: `APIError.unauthenticated` without one.
    func user() throws -> Person {
        guard let identity else { throw APIError.unauthenticated }
        return identity.person
    }

    /// The authenticated user, allowed `permission`.
    /// - Throws: `APIError.unauthenticated`, `roleForbidden`.
    func user(allowedTo permission: Permission) throws -> Person {
        let person = try user()
        try AccessPolicy.require(permission, person)
        return person
    }
}
