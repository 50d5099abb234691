import AuditExport
import Budgets
import FeeClaims
import FraudRules
import Foundation
import Hummingbird
import LedgerCore
import LedgerStore
import NIOCore
import Setup

/// An error as the API answers it: RFC 9457 problem details with a stable `code` (the core
/// error's case name), the `field` at fault and a message in the user's language.
///
/// This is the one place where errors meet HTTP statuses. Nothing of SQL, file paths or
/// stack traces reaches a response: an error this type does not know is a 500 with a
/// generic message, and its details go to the log only.
struct Problem: Sendable, Equatable {
    let status: HTTPResponse.Status
    let code: String
    let field: String?
    /// The reason in English, as the core states it.
    let detail: String
    /// Seconds to wait, for 429.
    var retryAfterSeconds: Int?

    /// Whether the error is one the server did not expect (logged with its details).
    var isServerFault: Bool { status.code >= 500 }

    init(status: HTTPResponse.Status, code: String, field: String?, detail: String, retryAfterSeconds: Int? = nil) {
        self.status = status
        self.code = code
        self.field = field
        self.detail = detail
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The problem for any error a handler threw.
    init(presenting error: any Error) {
        switch error {
        case let error as APIError: self = Problem.api(error)
        case let error as ClaimError: self = Problem.claim(error)
        case let error as LedgerError: self = Problem.ledger(error)
        case let error as BudgetError:
            if case .invalid(let inner) = error { self = Problem.ledger(inner); return }
            self.init(status: .badRequest, code: ErrorCode.of(error), field: error.field, detail: error.message)
        case let error as FraudError: self = Problem.fraud(error)
        case let error as UserError:
            let status: HTTPResponse.Status = if case .userExists = error { .conflict } else { .badRequest }
            self.init(status: status, code: ErrorCode.of(error), field: error.field, detail: error.message)
        case let error as EntryInputError:
            let status: HTTPResponse.Status = if case .tooLarge = error { .contentTooLarge } else { .badRequest }
            self.init(status: status, code: ErrorCode.of(error), field: error.field, detail: error.message)
        case let error as ExportError:
            self.init(status: .badRequest, code: ErrorCode.of(error), field: error.field, detail: error.message)
        case let error as StoreError:
            if case .notInitialized = error {
                self.init(status: .serviceUnavailable, code: "notInitialized", field: nil, detail: error.description)
            } else {
                self.init(status: .internalServerError, code: "internal", field: nil, detail: Problem.internalDetail)
            }
        case is NIOTooManyBytesError:
            self.init(status: .contentTooLarge, code: "bodyTooLarge", field: nil, detail: "the request body is too large")
        case let error as HTTPError where error.status == .notFound:
            self = Problem.api(.notFound(path: ""))
        case let error as HTTPError where error.status == .methodNotAllowed:
            self = Problem.api(.methodNotAllowed(method: ""))
        case let error as HTTPError where error.status == .contentTooLarge:
            self.init(status: .contentTooLarge, code: "bodyTooLarge", field: nil, detail: "the request body is too large")
        default:
            self.init(status: .internalServerError, code: "internal", field: nil, detail: Problem.internalDetail)
        }
    }

    static let internalDetail = "the server could not complete the request; it is logged with the request id"

    private static func api(_ error: APIError) -> Problem {
        let code = ErrorCode.of(error)
        switch error {
        case .unauthenticated:
            return Problem(status: .unauthorized, code: code, field: nil, detail: "log in or send a bearer token")
        case .sessionExpired:
            return Problem(status: .unauthorized, code: code, field: nil, detail: "the session has ended: log in again")
        case .loginFailed:
            return Problem(status: .unauthorized, code: code, field: nil, detail: "the login name or password is wrong")
        case .tooManyLoginAttempts(let seconds):
            return Problem(status: .tooManyRequests, code: code, field: nil,
                           detail: "too many failed logins: try again in \(seconds) seconds", retryAfterSeconds: seconds)
        case .roleForbidden(let action):
            return Problem(status: .forbidden, code: code, field: nil, detail: "your roles do not allow \(action)")
        case .claimOutOfScope(let claim):
            return Problem(status: .forbidden, code: code, field: "claim",
                           detail: "claim \(claim) is another claimant's or another district's")
        case .notFound(let path):
            return Problem(status: .notFound, code: code, field: nil,
                           detail: path.isEmpty ? "no such resource" : "no such resource: \(path)")
        case .methodNotAllowed(let method):
            return Problem(status: .methodNotAllowed, code: code, field: nil, detail: "method \(method) is not allowed here")
        case .fieldInvalid(let field, let reason):
            return Problem(status: .badRequest, code: code, field: field, detail: reason)
        case .bodyTooLarge(let limit):
            return Problem(status: .contentTooLarge, code: code, field: nil, detail: "the request body exceeds \(limit) bytes")
        case .mediaTypeUnsupported(let expected):
            return Problem(status: .unsupportedMediaType, code: code, field: nil, detail: "send \(expected)")
        case .headerInvalid(let header, let reason):
            return Problem(status: .badRequest, code: code, field: header, detail: reason)
        case .queryInvalid(let parameter, let reason):
            return Problem(status: .badRequest, code: code, field: parameter, detail: reason)
        case .reversalNeedsSecondLogin(let claim):
            return Problem(status: .forbidden, code: code, field: "second",
                           detail: "reversing \(claim) needs the second person to confirm with their own login, which the API"
                               + " does not offer yet: reverse it with `neraca claim reverse` with the second person present")
        case .blockedByRules(let claim, let findings):
            return Problem(status: .conflict, code: code, field: nil,
                           detail: "the anti-fraud rules refused this step on \(claim)"
                               + (findings.isEmpty ? "" : " (\(findings.joined(separator: ", ")))")
                               + "; a compliance officer reviews the findings")
        case .notReady(let reason):
            return Problem(status: .serviceUnavailable, code: code, field: nil, detail: reason)
        }
    }

    private static func claim(_ error: ClaimError) -> Problem {
        if case .ledger(let inner) = error { return ledger(inner) }
        let status: HTTPResponse.Status
        switch error {
        case .claimUnknown, .lineUnknown: status = .notFound
        case .claimChanged, .linesChanged, .requestKeyReused, .actionNotAllowed, .blockedByRules, .flagsNotAcknowledged: status = .conflict
        // Segregation of duties and roles: the person may not do this.
        case .roleMissing, .ownClaim, .approverCannotPostOrPay, .approverCannotDecideHold, .notTheClaimant,
             .posterCannotPay, .alreadyApproved, .approverWrongDistrict, .approverOverLimit, .secondPersonLacksRole:
            status = .forbidden
        case .personInactive: status = .forbidden
        case .policyMissing, .categoryNotConfigured, .paymentAccountMissing: status = .unprocessableContent
        default: status = .badRequest
        }
        return Problem(status: status, code: ErrorCode.of(error), field: error.field, detail: error.message)
    }

    private static func ledger(_ error: LedgerError) -> Problem {
        let status: HTTPResponse.Status
        switch error {
        case .entryNotFound: status = .notFound
        case .entryAlreadyReversed, .idempotencyKeyReused: status = .conflict
        case .overBudget, .periodClosed, .periodAlreadyClosed, .periodNotEnded, .accountClosed, .accountNotYetOpen:
            status = .unprocessableContent
        default: status = .badRequest
        }
        return Problem(status: status, code: ErrorCode.of(error), field: error.field, detail: error.message)
    }

    private static func fraud(_ error: FraudError) -> Problem {
        let status: HTTPResponse.Status
        switch error {
        case .findingUnknown: status = .notFound
        case .findingAlreadyDecided: status = .conflict
        case .notComplianceOfficer, .ownFinding: status = .forbidden
        case .policyMissing: status = .unprocessableContent
        default: status = .badRequest
        }
        return Problem(status: status, code: ErrorCode.of(error), field: error.field, detail: error.message)
    }

    /// The `application/problem+json` response, titled and worded in `language`.
    func response(language: Language, requestID: String) -> Response {
        var body = ProblemBody(
            type: "about:blank", title: ProblemText.title(status, language), status: Int(status.code), code: code,
            field: field, detail: detail, message: ProblemText.message(self, language), requestId: requestID)
        if status == .internalServerError { body.field = nil }
        var headers: HTTPFields = [.contentType: "application/problem+json", .contentLanguage: language.rawValue]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"neraca\"" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: JSONBody.encode(body)))
    }
}

/// The problem document's fields (RFC 9457 plus `code`, `field`, `message`, `requestId`).
struct ProblemBody: Codable, Sendable {
    var type: String
    var title: String
    var status: Int
    var code: String
    var field: String?
    var detail: String
    var message: String
    var requestId: String
}

/// The stable code of a core error: the name of its enum case (`claimChanged`), which
/// scripts can match on while the English message may be reworded.
enum ErrorCode {
    static func of(_ error: some Error) -> String {
        let mirror = Mirror(reflecting: error)
        // A case with associated values reflects as one child labelled with the case name.
        if mirror.displayStyle == .enum, let label = mirror.children.first?.label { return label }
        // A case without: its name is what String(describing:) prints, unless the type
        // describes itself; those few cases are named here.
        switch error {
        case let error as StoreError where error == .notInitialized: return "notInitialized"
        case let error as EntryInputError where error == .empty: return "empty"
        default: return String(describing: error)
        }
    }
}
