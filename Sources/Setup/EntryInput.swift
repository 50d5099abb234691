import Foundation
import LedgerCore

/// Why a JSON entry file was refused before validation: malformed JSON, an unknown or
/// missing field, a value of the wrong kind.
public enum EntryInputError: Error, Equatable, Sendable, CustomStringConvertible {
    case notJSON(detail: String)
    case unknownField(path: String)
    case missingField(path: String)
    case wrongType(path: String, expected: String)
    case invalid(path: String, error: LedgerError)
    case empty
    case tooLarge(bytes: Int, max: Int)

    /// The field at fault as a path (`postings[1].amount`), or `input` for the whole body.
    public var field: String {
        switch self {
        case .unknownField(let path), .missingField(let path), .wrongType(let path, _): return path.isEmpty ? "input" : path
        case .invalid(let path, let error): return path.isEmpty ? error.field : path + "." + error.field
        case .notJSON, .empty, .tooLarge: return "input"
        }
    }

    /// Why the field is refused, without the field's name.
    public var message: String {
        switch self {
        case .notJSON(let detail): return "not valid JSON: \(detail)"
        case .unknownField: return "unknown field"
        case .missingField: return "required field is missing"
        case .wrongType(_, let expected): return "must be \(expected)"
        case .invalid(_, let error): return error.message
        case .empty: return "no entries given"
        case .tooLarge(let bytes, let max): return "\(bytes) bytes exceed the limit of \(max)"
        }
    }

    public var description: String {
        switch self {
        case .notJSON(let detail): return "input: not valid JSON: \(detail)"
        case .unknownField(let path): return "\(path): unknown field"
        case .missingField(let path): return "\(path): required field is missing"
        case .wrongType(let path, let expected): return "\(path): must be \(expected)"
        case .invalid(let path, let error):
            let field = path.isEmpty ? error.field : path + "." + error.field
            return "\(field): \(error.message)"
        case .empty: return "input: no entries given"
        case .tooLarge(let bytes, let max): return "input: \(bytes) bytes exceed the limit of \(max)"
        }
    }
}

/// The JSON format `neraca post` and `POST /api/v1/entries` read, documented in README.md:
/// one entry object, an array of entries, or `{"entries": [...]}` for a batch.
///
/// Decoding is strict: unknown fields are refused (a typo must not silently drop a
/// dimension), amounts are strings or whole numbers, never floating point.
public enum EntryInput {
    public static let bytesMax = 256 * 1024 * 1024

    /// Decodes `data` into drafts; `defaultAuthor` fills entries without an author.
    public static func drafts(from data: Data, defaultAuthor: String, defaultCurrency: Currency) throws(EntryInputError) -> [EntryDraft] {
        let file = try decode(EntryFile.self, from: data, defaultAuthor: defaultAuthor, defaultCurrency: defaultCurrency)
        guard !file.drafts.isEmpty else { throw .empty }
        return file.drafts
    }

    /// Decodes `data` as one entry object (not an array, not a batch): what the API posts.
    public static func draft(from data: Data, defaultAuthor: String, defaultCurrency: Currency) throws(EntryInputError) -> EntryDraft {
        try decode(EntryDraftInput.self, from: data, defaultAuthor: defaultAuthor, defaultCurrency: defaultCurrency).draft
    }

    private static func decode<Value: Decodable>(
        _ type: Value.Type, from data: Data, defaultAuthor: String, defaultCurrency: Currency
    ) throws(EntryInputError) -> Value {
        guard data.count <= bytesMax else { throw .tooLarge(bytes: data.count, max: bytesMax) }
        let decoder = JSONDecoder()
        decoder.userInfo[EntryFile.contextKey] = EntryFile.Context(defaultAuthor: defaultAuthor, defaultCurrency: defaultCurrency)
        do {
            return try decoder.decode(type, from: data)
        } catch let error as EntryInputError {
            throw error
        } catch let DecodingError.keyNotFound(key, context) {
            throw .missingField(path: path(context.codingPath + [key]))
        } catch let DecodingError.valueNotFound(_, context) {
            throw .missingField(path: path(context.codingPath))
        } catch let DecodingError.typeMismatch(type, context) {
            throw .wrongType(path: path(context.codingPath), expected: describe(type))
        } catch let DecodingError.dataCorrupted(context) {
            throw .notJSON(detail: context.underlyingError.map { "\($0)" } ?? context.debugDescription)
        } catch {
            throw .notJSON(detail: "\(error)")
        }
    }

    /// `entries[3].postings[0].amount`, from a decoder's coding path.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is [Any].Type, is Array<EntryDraftInput>.Type, is Array<PostingDraftInput>.Type: return "an array"
        default: return "an object"
        }
    }
}

/// A coding key for any field name, so unknown fields can be listed.
struct AnyKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }

    init(_ name: String) { self.init(stringValue: name) }
}

/// The top level: one entry, an array of entries, or `{"entries": [...]}`.
private struct EntryFile: Decodable {
    struct Context {
        let defaultAuthor: String
        let defaultCurrency: Currency
    }

    static let contextKey = CodingUserInfoKey(rawValue: "neraca.entryInput")!  // allowed: a constant, valid key

    let drafts: [EntryDraft]

    init(from decoder: any Decoder) throws {
        if var array = try? decoder.unkeyedContainer() {
            var drafts: [EntryDraft] = []
            while !array.isAtEnd { drafts.append(try array.decode(EntryDraftInput.self).draft) }
            self.drafts = drafts
            return
        }
        let object = try decoder.container(keyedBy: AnyKey.self)
        if object.contains(AnyKey("entries")) {
            if let other = object.allKeys.map(\.stringValue).filter({ $0 != "entries" }).sorted().first {
                throw EntryInputError.unknownField(path: other)
            }
            drafts = try object.decode([EntryDraftInput].self, forKey: AnyKey("entries")).map(\.draft)
        } else {
            drafts = [try EntryDraftInput(from: decoder).draft]
        }
    }
}

/// One entry object of the JSON format.
struct EntryDraftInput: Decodable {
    static let keys: Set<String> = [
        "date", "description", "reference", "author", "idempotencyKey", "exchangeRate", "postings", "source",
    ]

    let draft: EntryDraft

    init(from decoder: any Decoder) throws {
        let (object, path, context) = try strictObject(decoder, allowed: Self.keys)
        let dateText = try object.decode(String.self, forKey: AnyKey("date"))
        let date: LedgerDate
        do { date = try LedgerDate(parsing: dateText, field: "date") } catch {
            throw EntryInputError.invalid(path: path, error: error)
        }
        var exchangeRate: ExchangeRate?
        if let rateText = try object.decodeIfPresent(String.self, forKey: AnyKey("exchangeRate")) {
            do { exchangeRate = try ExchangeRate(parsing: rateText) } catch {
                throw EntryInputError.invalid(path: path, error: error)
            }
        }
        var source = EntrySource.manual
        if let sourceText = try object.decodeIfPresent(String.self, forKey: AnyKey("source")) {
            guard let parsed = EntrySource(rawValue: sourceText), parsed == .manual || parsed == .import else {
                throw EntryInputError.wrongType(path: join(path, "source"), expected: "\"manual\" or \"import\"")
            }
            source = parsed
        }
        let postings = try object.decode([PostingDraftInput].self, forKey: AnyKey("postings")).map(\.posting)
        draft = EntryDraft(
            date: date, description: try object.decode(String.self, forKey: AnyKey("description")),
            reference: try object.decodeIfPresent(String.self, forKey: AnyKey("reference")), source: source,
            author: try object.decodeIfPresent(String.self, forKey: AnyKey("author")) ?? context.defaultAuthor,
            idempotencyKey: try object.decodeIfPresent(String.self, forKey: AnyKey("idempotencyKey")),
            exchangeRate: exchangeRate, postings: postings)
    }
}

/// One posting object of the JSON format.
struct PostingDraftInput: Decodable {
    static let keys: Set<String> = [
        "account", "amount", "currency", "district", "budgetLine", "activity", "fundingSource", "party", "memo",
    ]

    let posting: PostingDraft

    init(from decoder: any Decoder) throws {
        let (object, path, context) = try strictObject(decoder, allowed: Self.keys)
        var currency = context.defaultCurrency
        if let code = try object.decodeIfPresent(String.self, forKey: AnyKey("currency")) {
            do { currency = try Currency(isoCode: code) } catch { throw EntryInputError.invalid(path: path, error: error) }
        }
        let amountText = try Self.amountText(object, path: path)
        let amount: Money
        do {
            amount = try Money.parse(amountText, currency: currency, locale: .en, field: "amount")
        } catch {
            throw EntryInputError.invalid(path: path, error: error)
        }
        posting = PostingDraft(
            accountCode: try object.decode(String.self, forKey: AnyKey("account")), amount: amount,
            dimensions: Dimensions(
                district: try object.decodeIfPresent(String.self, forKey: AnyKey("district")),
                budgetLine: try object.decodeIfPresent(String.self, forKey: AnyKey("budgetLine")),
                activity: try object.decodeIfPresent(String.self, forKey: AnyKey("activity")),
                fundingSource: try object.decodeIfPresent(String.self, forKey: AnyKey("fundingSource")),
                party: try object.decodeIfPresent(String.self, forKey: AnyKey("party"))),
            memo: try object.decodeIfPresent(String.self, forKey: AnyKey("memo")))
    }

    /// The amount as text: a JSON string, or a whole JSON number (never a fraction or a boolean).
    private static func amountText(_ object: KeyedDecodingContainer<AnyKey>, path: String) throws -> String {
        let key = AnyKey("amount")
        guard object.contains(key) else { throw EntryInputError.missingField(path: join(path, "amount")) }
        if let text = try? object.decode(String.self, forKey: key) { return text }
        if (try? object.decode(Bool.self, forKey: key)) == nil, let whole = try? object.decode(Int64.self, forKey: key) {
            return String(whole)
        }
        throw EntryInputError.wrongType(
            path: join(path, "amount"), expected: "a string such as \"1250000.50\" or a whole number")
    }
}

/// The object being decoded, its path and the decoding context, after refusing any field
/// not in `allowed`.
private func strictObject(
    _ decoder: any Decoder, allowed: Set<String>
) throws -> (object: KeyedDecodingContainer<AnyKey>, path: String, context: EntryFile.Context) {
    let object = try decoder.container(keyedBy: AnyKey.self)
    let path = EntryInput.path(decoder.codingPath)
    if let unknown = object.allKeys.map(\.stringValue).filter({ !allowed.contains($0) }).sorted().first {
        throw EntryInputError.unknownField(path: join(path, unknown))
    }
    guard let context = decoder.userInfo[EntryFile.contextKey] as? EntryFile.Context else {
        throw EntryInputError.notJSON(detail: "decoder context missing")
    }
    return (object, path, context)
}

private func join(_ path: String, _ key: String) -> String {
    path.isEmpty ? key : path + "." + key
}
