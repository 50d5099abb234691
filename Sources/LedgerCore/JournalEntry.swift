/// Where an entry came from. Recorded on the entry and covered by its hash.
public enum EntrySource: String, Sendable, CaseIterable, Codable {
    case manual
    case claim
    case `import`
    case reversal
    case closing
}

/// A gapless entry number within a fiscal year: `JE-2024-000123`.
public struct EntryNumber: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let fiscalYear: Int
    public let sequence: Int

    public init(fiscalYear: Int, sequence: Int) {
        self.fiscalYear = fiscalYear
        self.sequence = sequence
    }

    /// Parses `JE-YYYY-NNNNNN` (six or more digits).
    /// - Throws: `LedgerError.entryNotFound` for text that cannot be a number.
    public init(parsing text: String) throws(LedgerError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let isDigits = { (part: Substring) in part.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } }
        guard parts.count == 3, parts[0] == "JE", parts[1].count == 4, (6...12).contains(parts[2].count),
              isDigits(parts[1]), isDigits(parts[2]),
              let year = Int(parts[1]), let sequence = Int(parts[2]), sequence > 0
        else { throw .entryNotFound(number: text) }
        self.init(fiscalYear: year, sequence: sequence)
    }

    public var description: String { "JE-\(fiscalYear)-" + LedgerDate.pad(sequence, 6) }

    public static func < (lhs: EntryNumber, rhs: EntryNumber) -> Bool {
        (lhs.fiscalYear, lhs.sequence) < (rhs.fiscalYear, rhs.sequence)
    }
}

/// The exchange rate an entry in several currencies was converted at, e.g. `USD/IDR 15650.25`:
/// one unit of `base` is worth `rate` units of `quote`. Kept as exact decimal text.
public struct ExchangeRate: Hashable, Sendable, CustomStringConvertible {
    public let base: Currency
    public let quote: Currency
    /// Positive decimal text with at most 12 decimals, no grouping: `15650.25`.
    public let rate: String

    /// Parses `BASE/QUOTE RATE`.
    /// - Throws: `LedgerError.exchangeRateInvalid`.
    public init(parsing text: String) throws(LedgerError) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        let pair = parts.first.map { $0.split(separator: "/") } ?? []
        guard parts.count == 2, pair.count == 2,
              let base = Currency.known[String(pair[0])], let quote = Currency.known[String(pair[1])],
              base != quote, ExchangeRate.isPositiveDecimal(parts[1])
        else { throw .exchangeRateInvalid(value: text) }
        self.base = base
        self.quote = quote
        self.rate = String(parts[1])
    }

    public var description: String { "\(base.code)/\(quote.code) \(rate)" }

    private static func isPositiveDecimal(_ text: Substring) -> Bool {
        let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(pieces.count), let whole = pieces.first, !whole.isEmpty, whole.count <= 15,
              whole.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        if pieces.count == 2 {
            guard !pieces[1].isEmpty, pieces[1].count <= 12, pieces[1].allSatisfy({ $0.isASCII && $0.isNumber })
            else { return false }
        }
        return text.contains(where: { $0 != "0" && $0 != "." })
    }
}

/// One line of an entry: an amount to one account, positive for a debit, negative for a credit.
public struct PostingDraft: Hashable, Sendable {
    public var accountCode: String
    public var amount: Money
    public var dimensions: Dimensions
    public var memo: String?

    public init(accountCode: String, amount: Money, dimensions: Dimensions = .none, memo: String? = nil) {
        self.accountCode = accountCode
        self.amount = amount
        self.dimensions = dimensions
        self.memo = memo
    }
}

/// An entry as submitted for posting: not yet numbered, hashed or stored.
public struct EntryDraft: Hashable, Sendable {
    public var date: LedgerDate
    public var description: String
    /// Receipt, voucher or claim number.
    public var reference: String?
    public var source: EntrySource
    /// Who records it (a person's id or login).
    public var author: String
    /// Posting twice with the same key and content returns the first entry.
    public var idempotencyKey: String?
    /// Required when the postings use more than one currency.
    public var exchangeRate: ExchangeRate?
    public var postings: [PostingDraft]

    public init(
        date: LedgerDate, description: String, reference: String? = nil, source: EntrySource = .manual,
        author: String, idempotencyKey: String? = nil, exchangeRate: ExchangeRate? = nil,
        postings: [PostingDraft]
    ) {
        self.date = date
        self.description = description
        self.reference = reference
        self.source = source
        self.author = author
        self.idempotencyKey = idempotencyKey
        self.exchangeRate = exchangeRate
        self.postings = postings
    }
}

/// A posted, numbered and hashed entry, as read back from the store.
public struct PostedEntry: Hashable, Sendable {
    public let id: ID<PostedEntry>
    public let number: EntryNumber
    public let draft: EntryDraft
    public let postedAt: Timestamp
    /// The entry this one reverses, for reversal entries.
    public let reverses: EntryNumber?
    /// The entry that reversed this one, if any (not covered by the hash: it comes later).
    public let reversedBy: EntryNumber?
    /// SHA-256(previous hash ‖ canonical bytes).
    public let hash: EntryHash

    public init(
        id: ID<PostedEntry>, number: EntryNumber, draft: EntryDraft, postedAt: Timestamp,
        reverses: EntryNumber?, reversedBy: EntryNumber?, hash: EntryHash
    ) {
        self.id = id
        self.number = number
        self.draft = draft
        self.postedAt = postedAt
        self.reverses = reverses
        self.reversedBy = reversedBy
        self.hash = hash
    }
}
