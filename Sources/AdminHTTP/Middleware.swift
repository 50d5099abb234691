import FeeClaims
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The outermost middleware: one structured log line per request (request id, method,
/// path, status, user, duration, and the state change the request made with what it
/// changed), errors turned into problem details in the user's language, and the security
/// headers on every response.
///
/// A 5xx is logged with the error itself; the response carries only a generic message and
/// the request id to quote.
struct RequestFrameMiddleware: RouterMiddleware {
    typealias Context = AdminRequestContext
    /// Whether cookies are marked Secure (the cookie cleared after an ended session too).
    let secureCookies: Bool

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        var context = context
        context.language = Language(acceptLanguage: request.headers[.acceptLanguage])
        var response: Response
        var failure: (any Error)?
        var problemCode: String?
        do {
            response = try await next(request, context)
        } catch {
            failure = error
            let problem = Problem(presenting: error)
            problemCode = problem.code
            response = problem.response(language: context.language, requestID: context.requestID)
        }
        if problemCode == ErrorCode.of(APIError.sessionExpired) {
            response.setCookie(Authenticator.expiredCookie(secure: secureCookies))
        }
        SecurityHeaders.apply(to: &response.headers)
        response.headers[.requestID] = context.requestID
        let elapsed = ContinuousClock.now - started
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue), "path": .string(request.uri.path),
            "status": .stringConvertible(response.status.code),
            "ms": .string(String(format: "%.2f", Double(elapsed.components.attoseconds) / 1e15
                                  + Double(elapsed.components.seconds) * 1000)),
        ]
        if let problemCode { metadata["problem"] = .string(problemCode) }
        if let user = context.notes.user { metadata["user"] = .string(user) }
        if let failure, response.status.code >= 500 { metadata["error"] = .string(String(reflecting: failure)) }
        let change = context.notes.change
        if let change { metadata.merge(change.metadata) { current, _ in current } }
        context.logger.log(level: response.status.code >= 500 ? .error : .info, "\(change?.event ?? "request")",
                           metadata: metadata)
        return response
    }
}

/// Security headers for an API that is also the back end of our own pages.
enum SecurityHeaders {
    static func apply(to headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.referrerPolicy] = "no-referrer"
        headers[.xFrameOptions] = "DENY"
        headers[.cacheControl] = headers[.cacheControl] ?? "no-store"
    }
}

/// Finds the user behind the request (token or session cookie). Routes that need one ask
/// `context.user()`; a credential that is present but invalid is refused here at once.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AdminRequestContext
    let authenticator: Authenticator

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.identity = try await authenticator.identify(request)
        if let identity = context.identity {
            context.logger[metadataKey: "user"] = .string(identity.person.id)
            context.notes.user = identity.person.id
        }
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    static let requestID = Self("X-Request-Id")!  // allowed: a constant, valid header name
    static let idempotencyKey = Self("Idempotency-Key")!  // allowed: a constant, valid header name
    static let xFrameOptions = Self("X-Frame-Options")!  // allowed: a constant, valid header name
    static let referrerPolicy = Self("Referrer-Policy")!  // allowed: a constant, valid header name
}
