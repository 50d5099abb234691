import FeeClaims
import Hummingbird
import LedgerCore
import Logging

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

/// The per-request context: the request id (also in every log line) and, after the
/// authentication middleware, the user.
struct AdminRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    var identity: Identity?
    var language: Language = .en

    init(source: Source) {
        coreContext = .init(source: source)
    }

    /// The id Hummingbird gives the request and puts on its log lines (`hb.request.id`),
    /// also sent back as `X-Request-Id` and in problem details.
    var requestID: String { logger[metadataKey: "hb.request.id"]?.description ?? "-" }

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
