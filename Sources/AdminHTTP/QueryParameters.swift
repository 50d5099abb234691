import FeeClaims
import Hummingbird
import LedgerCore

/// A request's query parameters, read strictly: each parameter is named in its error, and
/// a parameter the endpoint does not know is refused (a typo must not widen a filter).
struct Query {
    private let parameters: [String: String]

    /// - Throws: `APIError.queryInvalid` for a parameter not in `known` or given twice.
    init(_ request: Request, known: Set<String>) throws {
        var parameters: [String: String] = [:]
        for (key, value) in request.uri.queryParameters {
            let name = String(key)
            guard known.contains(name) else { throw APIError.queryInvalid(parameter: name, reason: "unknown parameter") }
            guard parameters[name] == nil else { throw APIError.queryInvalid(parameter: name, reason: "given twice") }
            parameters[name] = String(value)
        }
        self.parameters = parameters
    }

    func string(_ name: String) throws -> String? {
        guard let value = parameters[name] else { return nil }
        guard !value.isEmpty else { throw APIError.queryInvalid(parameter: name, reason: "is empty") }
        return value
    }

    func date(_ name: String) throws -> LedgerDate? {
        guard let text = try string(name) else { return nil }
        do { return try LedgerDate(parsing: text, field: name) } catch {
            throw APIError.queryInvalid(parameter: name, reason: "must be a date YYYY-MM-DD")
        }
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = try string(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.queryInvalid(
                parameter: name, reason: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func claimState(_ name: String) throws -> ClaimState? {
        guard let text = try string(name) else { return nil }
        guard let state = ClaimState(rawValue: text) else {
            throw APIError.queryInvalid(
                parameter: name, reason: "must be one of \(ClaimState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return state
    }
}

extension Parameters {
    /// A path parameter the route guarantees.
    func path(_ name: String) throws -> String {
        guard let value = get(name) else { throw APIError.notFound(path: name) }
        return value
    }
}
