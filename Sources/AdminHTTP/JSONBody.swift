import Foundation
import Hummingbird
import LedgerCore
import NIOCore

/// Request and response bodies as JSON.
///
/// Requests are read strictly, field by field (`JSONFields`): a field the endpoint does
/// not know is refused by name, as is a missing one or one of the wrong kind, so a typo
/// never silently drops a value. Amounts travel as decimal strings, never as floating point.
enum JSONBody {
    /// The largest JSON body accepted.
    static let bytesMax = 1024 * 1024

    /// The request's body, at most `limit` bytes.
    /// - Throws: `APIError.bodyTooLarge`, `mediaTypeUnsupported` when `requireJSON` and the
    ///   content type is not JSON.
    static func collect(_ request: inout Request, limit: Int = bytesMax, requireJSON: Bool = true) async throws -> ByteBuffer {
        if requireJSON {
            let type = request.headers[.contentType]?.lowercased() ?? ""
            guard type.hasPrefix("application/json") else { throw APIError.mediaTypeUnsupported(expected: "application/json") }
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw APIError.bodyTooLarge(limit: limit)
        }
        do {
            return try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError.bodyTooLarge(limit: limit)
        }
    }

    /// The body as an object whose fields are read one by one.
    static func object(_ request: inout Request) async throws -> JSONFields {
        let buffer = try await collect(&request)
        return try JSONFields(parsing: Data(buffer.readableBytesView))
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// `value` as JSON bytes. Our response types always encode; should one ever fail, the
    /// body says so instead of crashing the server.
    static func encode(_ value: some Encodable) -> ByteBuffer {
        do {
            return ByteBuffer(bytes: try encoder.encode(value))
        } catch {
            return ByteBuffer(string: #"{"error":"the response could not be encoded"}"#)
        }
    }

    /// A JSON response with `status`.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: encode(value)))
    }
}

/// Any JSON value, decoded without loss: numbers are kept whole or marked as fractions
/// (which no field of this API accepts).
enum JSONValue: Decodable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    /// A number with a fraction or exponent, or out of Int64's range.
    case otherNumber
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .integer(value) }
        else if (try? container.decode(Double.self)) != nil { self = .otherNumber }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    var kind: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer, .otherNumber: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// A JSON object read field by field. Each accessor names the field in its error
/// (`lines[2].quantity`); `finish()` refuses the fields nobody read.
struct JSONFields: Sendable {
    let path: String
    private let values: [String: JSONValue]
    private var read: Set<String> = []

    init(parsing data: Data) throws {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw APIError.fieldInvalid(field: "body", reason: "not valid JSON")
        }
        try self.init(value, path: "")
    }

    init(_ value: JSONValue, path: String) throws {
        guard case .object(let values) = value else {
            throw APIError.fieldInvalid(field: path.isEmpty ? "body" : path, reason: "must be an object, not \(value.kind)")
        }
        self.path = path
        self.values = values
    }

    private func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The value of `key`, marked as read; nil when absent or null.
    private mutating func value(_ key: String) -> JSONValue? {
        read.insert(key)
        guard let value = values[key] else { return nil }
        if case .null = value { return nil }
        return value
    }

    mutating func optionalString(_ key: String) throws -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else {
            throw APIError.fieldInvalid(field: name(key), reason: "must be a string, not \(value.kind)")
        }
        return text
    }

    mutating func string(_ key: String) throws -> String {
        guard let text = try optionalString(key) else { throw APIError.fieldInvalid(field: name(key), reason: "is required") }
        return text
    }

    mutating func optionalInteger(_ key: String) throws -> Int64? {
        guard let value = value(key) else { return nil }
        switch value {
        case .integer(let number): return number
        case .otherNumber: throw APIError.fieldInvalid(field: name(key), reason: "must be a whole number")
        default: throw APIError.fieldInvalid(field: name(key), reason: "must be a whole number, not \(value.kind)")
        }
    }

    mutating func integer(_ key: String) throws -> Int64 {
        guard let number = try optionalInteger(key) else { throw APIError.fieldInvalid(field: name(key), reason: "is required") }
        return number
    }

    mutating func optionalBool(_ key: String) throws -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let flag) = value else {
            throw APIError.fieldInvalid(field: name(key), reason: "must be true or false, not \(value.kind)")
        }
        return flag
    }

    mutating func optionalDate(_ key: String) throws -> LedgerDate? {
        guard let text = try optionalString(key) else { return nil }
        do { return try LedgerDate(parsing: text, field: name(key)) } catch {
            throw APIError.fieldInvalid(field: name(key), reason: "must be a date YYYY-MM-DD")
        }
    }

    mutating func date(_ key: String) throws -> LedgerDate {
        guard let date = try optionalDate(key) else { throw APIError.fieldInvalid(field: name(key), reason: "is required") }
        return date
    }

    /// An amount in `currency`: a plain decimal string (`"1250000.50"`: digits, one point,
    /// no separators or symbols) or a whole number of units.
    mutating func optionalMoney(_ key: String, currency: Currency) throws -> Money? {
        guard let value = value(key) else { return nil }
        let text: String
        switch value {
        case .string(let string) where Self.isPlainDecimal(string): text = string
        case .integer(let number): text = String(number)
        default:
            throw APIError.fieldInvalid(field: name(key), reason: "must be a decimal string such as \"1250000.50\"")
        }
        do { return try Money.parse(text, currency: currency, locale: .en, field: name(key)) } catch {
            throw APIError.fieldInvalid(field: name(key), reason: error.message)
        }
    }

    mutating func money(_ key: String, currency: Currency) throws -> Money {
        guard let money = try optionalMoney(key, currency: currency) else {
            throw APIError.fieldInvalid(field: name(key), reason: "is required")
        }
        return money
    }

    /// `-?digits(.digits)?`, the one written form of an amount in the API.
    private static func isPlainDecimal(_ text: String) -> Bool {
        var digits = Substring(text)
        if digits.hasPrefix("-") { digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }
    }

    /// The objects of the array `key` (empty when absent).
    mutating func objects(_ key: String) throws -> [JSONFields] {
        guard let value = value(key) else { return [] }
        guard case .array(let items) = value else {
            throw APIError.fieldInvalid(field: name(key), reason: "must be an array, not \(value.kind)")
        }
        return try items.enumerated().map { index, item in try JSONFields(item, path: "\(name(key))[\(index)]") }
    }

    /// Refuses the first field (in name order) that no accessor read.
    func finish() throws {
        if let unknown = values.keys.filter({ !read.contains($0) }).sorted().first {
            throw APIError.fieldInvalid(field: name(unknown), reason: "unknown field")
        }
    }
}
