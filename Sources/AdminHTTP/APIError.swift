/// Why the HTTP layer itself refused a request, before or around the core's own checks.
/// Core errors (`LedgerError`, `ClaimError`…) keep their own types; `Problem` presents both.
public enum APIError: Error, Equatable, Sendable {
    /// No valid session or token came with the request.
    case unauthenticated
    /// The session cookie sent is unknown, ended or expired: log in again. The answer also
    /// clears the cookie, so the browser stops sending it.
    case sessionExpired
    /// The login name or password is wrong, or the login cannot be used. One message for
    /// every such case: the answer never tells which names exist.
    case loginFailed
    /// Too many failed logins under this name: try again after `retryAfterSeconds`.
    case tooManyLoginAttempts(retryAfterSeconds: Int)
    /// The user's roles do not allow `action`.
    case roleForbidden(action: String)
    /// The user may not see or act on this claim (another claimant's, another district's).
    case claimOutOfScope(claim: String)
    case notFound(path: String)
    case methodNotAllowed(method: String)
    /// A body field is missing, unknown, of the wrong kind or invalid.
    case fieldInvalid(field: String, reason: String)
    case bodyTooLarge(limit: Int)
    case mediaTypeUnsupported(expected: String)
    /// A request header is missing or malformed.
    case headerInvalid(header: String, reason: String)
    /// A query parameter is malformed.
    case queryInvalid(parameter: String, reason: String)
    /// A claim's reversal needs a second person confirming it with their own login; the API
    /// cannot take their word from the first person's request.
    case reversalNeedsSecondLogin(claim: String)
    /// The anti-fraud rules refused the step; the findings are for compliance officers, so
    /// the user gets only their ids.
    case blockedByRules(claim: String, findings: [String])
    /// The server is not ready (no ledger in the database).
    case notReady(reason: String)
}
