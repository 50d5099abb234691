import LedgerCore

/// A dated journal transaction as read from the file: header, tags and postings, already
/// balanced per currency (a left-out amount filled in).
///
/// It keeps the journal's own terms (account names, line numbers); `entryDraft(author:)`
/// turns it into the `EntryDraft` that LedgerCore validates and the store posts.
public struct JournalTransaction: Hashable, Sendable {
    /// The clearing mark after the date.
    public enum Status: Hashable, Sendable {
        case unmarked
        /// `!`
        case pending
        /// `*`
        case cleared
    }

    /// A tag value with where it was written, for errors found after reading.
    public struct LocatedText: Hashable, Sendable {
        public var value: String
        public var location: InputLocation

        public init(value: String, location: InputLocation) {
            self.value = value
            self.location = location
        }
    }

    /// The transaction's line (column 1).
    public var location: InputLocation
    public var date: LedgerDate
    public var status: Status
    /// The `(CODE)` after the status: a voucher or receipt number.
    public var code: String?
    /// The text after date, status and code, up to a `;` comment; may be empty.
    public var description: String
    /// The dimensions tagged on the transaction itself (its line's comment and the comment
    /// lines before the first posting); each posting's `dimensions` already include them.
    public var dimensions: Dimensions
    /// The `exchange-rate:` tag, if any, e.g. `USD/IDR 15650.25`.
    public var exchangeRate: LocatedText?
    public var postings: [JournalPosting]

    public init(
        location: InputLocation, date: LedgerDate, status: Status = .unmarked, code: String? = nil,
        description: String, dimensions: Dimensions = .none, exchangeRate: LocatedText? = nil,
        postings: [JournalPosting]
    ) {
        self.location = location
        self.date = date
        self.status = status
        self.code = code
        self.description = description
        self.dimensions = dimensions
        self.exchangeRate = exchangeRate
        self.postings = postings
    }
}
