import Foundation
import LedgerCore

/// Why a JSON entry file was refused before validation: malformed JSON, an unknown or
/// missing field, a value of the wrong kind.
enum EntryInputError: Error, Equatable, CustomStringConvertible {
    case notJSON(detail: String)
    case unknownField(path: String)
    case missingField(path: String)
    case wrongType(path: String, expected: String)
    case invalid(path: String, error: LedgerError)
    case empty
    case tooLarge(bytes: Int, max: Int)

    var description: String {
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

/// The JSON format `neraca post` reads, documented in README.md:
/// one entry object, an array of entries, or `{"entries": [...]}` for a batch.
///
/// Decoding is strict: unknown fields are refused (a typo must not silently drop a
/// dimension), amounts are strings or integers, never floating point.
enum EntryInput {
    static let bytesMax = 256 * 1024 * 1024

    static let entryKeys: Set<String> = [
        "date", "description", "reference", "author", "idempotencyKey", "exchangeRate", "postings", "source",
    ]
    static let postingKeys: Set<String> = [
        "account", "amount", "currency", "district", "budgetLine", "activity", "fundingSource", "party", "memo",
    ]

    /// Decodes `data` into drafts; `defaultAuthor` fills entries without an author.
    static func drafts(from data: Data, defaultAuthor: String, defaultCurrency: Currency) throws(EntryInputError) -> [EntryDraft] {
        guard data.count <= bytesMax else { throw .tooLarge(bytes: data.count, max: bytesMax) }
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw .notJSON(detail: (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "syntax error")
        }
        let items: [Any]
        let prefix: String
        if let array = root as? [Any] {
            items = array
            prefix = "entries"
        } else if let object = root as? [String: Any], object.keys.contains("entries") {
            guard object.count == 1 else {
                throw .unknownField(path: object.keys.filter { $0 != "entries" }.sorted().first ?? "input")
            }
            guard let array = object["entries"] as? [Any] else { throw .wrongType(path: "entries", expected: "an array") }
            items = array
            prefix = "entries"
        } else {
            items = [root]
            prefix = ""
        }
        guard !items.isEmpty else { throw .empty }
        var drafts: [EntryDraft] = []
        drafts.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            let path = prefix.isEmpty ? "" : "\(prefix)[\(index)]"
            drafts.append(try draft(item, path: path, defaultAuthor: defaultAuthor, defaultCurrency: defaultCurrency))
        }
        return drafts
    }

    private static func draft(_ item: Any, path: String, defaultAuthor: String, defaultCurrency: Currency) throws(EntryInputError) -> EntryDraft {
        let object = try objectValue(item, path: path.isEmpty ? "entry" : path)
        try refuseUnknownKeys(object, allowed: entryKeys, path: path)
        let dateText = try requiredString(object, "date", path: path)
        let date: LedgerDate
        do { date = try LedgerDate(parsing: dateText, field: "date") } catch { throw .invalid(path: path, error: error) }
        var exchangeRate: ExchangeRate?
        if let rateText = try optionalString(object, "exchangeRate", path: path) {
            do { exchangeRate = try ExchangeRate(parsing: rateText) } catch { throw .invalid(path: path, error: error) }
        }
        var source = EntrySource.manual
        if let sourceText = try optionalString(object, "source", path: path) {
            guard let parsed = EntrySource(rawValue: sourceText), parsed == .manual || parsed == .import else {
                throw .wrongType(path: join(path, "source"), expected: "\"manual\" or \"import\"")
            }
            source = parsed
        }
        guard let postingItems = object["postings"] else { throw .missingField(path: join(path, "postings")) }
        guard let postingArray = postingItems as? [Any] else { throw .wrongType(path: join(path, "postings"), expected: "an array") }
        var postings: [PostingDraft] = []
        for (index, postingItem) in postingArray.enumerated() {
            postings.append(try posting(postingItem, path: join(path, "postings[\(index)]"), defaultCurrency: defaultCurrency))
        }
        return EntryDraft(
            date: date, description: try requiredString(object, "description", path: path),
            reference: try optionalString(object, "reference", path: path), source: source,
            author: try optionalString(object, "author", path: path) ?? defaultAuthor,
            idempotencyKey: try optionalString(object, "idempotencyKey", path: path),
            exchangeRate: exchangeRate, postings: postings)
    }

    private static func posting(_ item: Any, path: String, defaultCurrency: Currency) throws(EntryInputError) -> PostingDraft {
        let object = try objectValue(item, path: path)
        try refuseUnknownKeys(object, allowed: postingKeys, path: path)
        var currency = defaultCurrency
        if let code = try optionalString(object, "currency", path: path) {
            do { currency = try Currency(isoCode: code) } catch { throw .invalid(path: path, error: error) }
        }
        guard let rawAmount = object["amount"] else { throw .missingField(path: join(path, "amount")) }
        let amountText: String
        if let text = rawAmount as? String {
            amountText = text
        } else if !(rawAmount is Bool), let number = rawAmount as? NSNumber, isWholeNumber(number.stringValue) {
            amountText = number.stringValue
        } else {
            throw .wrongType(path: join(path, "amount"), expected: "a string such as \"1250000.50\" or a whole number")
        }
        let amount: Money
        do {
            amount = try Money.parse(amountText, currency: currency, locale: .en, field: "amount")
        } catch {
            throw .invalid(path: path, error: error)
        }
        return PostingDraft(
            accountCode: try requiredString(object, "account", path: path), amount: amount,
            dimensions: Dimensions(
                district: try optionalString(object, "district", path: path),
                budgetLine: try optionalString(object, "budgetLine", path: path),
                activity: try optionalString(object, "activity", path: path),
                fundingSource: try optionalString(object, "fundingSource", path: path),
                party: try optionalString(object, "party", path: path)),
            memo: try optionalString(object, "memo", path: path))
    }

    /// True for `-?[0-9]+`: a JSON number without fraction or exponent.
    private static func isWholeNumber(_ text: String) -> Bool {
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        return !digits.isEmpty && digits.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    private static func objectValue(_ item: Any, path: String) throws(EntryInputError) -> [String: Any] {
        guard let object = item as? [String: Any] else { throw .wrongType(path: path, expected: "an object") }
        return object
    }

    private static func refuseUnknownKeys(_ object: [String: Any], allowed: Set<String>, path: String) throws(EntryInputError) {
        if let unknown = object.keys.filter({ !allowed.contains($0) }).sorted().first {
            throw .unknownField(path: join(path, unknown))
        }
    }

    private static func requiredString(_ object: [String: Any], _ key: String, path: String) throws(EntryInputError) -> String {
        guard let value = object[key], !(value is NSNull) else { throw .missingField(path: join(path, key)) }
        guard let text = value as? String else { throw .wrongType(path: join(path, key), expected: "a string") }
        return text
    }

    private static func optionalString(_ object: [String: Any], _ key: String, path: String) throws(EntryInputError) -> String? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let text = value as? String else { throw .wrongType(path: join(path, key), expected: "a string") }
        return text
    }

    private static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : path + "." + key
    }
}
