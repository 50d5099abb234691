import LedgerCore

/// Reads a journal in the common subset of the ledger/hledger format, one item at a time,
/// in memory that does not grow with the file.
///
/// Supported: transactions `YYYY-MM-DD [*|!] [(CODE)] description [; comment]` (also
/// `YYYY/MM/DD`) with indented postings `ACCOUNT  AMOUNT` (the account name ends at two
/// spaces, a tab or ` ;`); amounts such as `-117772 IDR`, `IDR 1000`, `1,250.50 USD`,
/// `Rp 1.000` or a bare number in the default currency; at most one posting per
/// transaction without amount, filled with what balances it; `account` and `commodity`
/// directives; `;` `#` `*` `%` `|` comment lines at the top level, indented `;` comments,
/// and `comment … end comment` blocks. Tags written `; key: value` (hledger style, several
/// separated by commas) on the transaction line or on comment lines right after it apply to
/// the whole transaction; on a posting line or comment lines after it, to that posting,
/// overriding the transaction's. The tags `district`, `budget-line`, `activity`,
/// `funding-source` and `party` become the postings' `Dimensions`, and `exchange-rate`
/// (`USD/IDR 15650.25`) the entry's rate; other tags are ignored. A blank line ends a
/// transaction.
///
/// Everything else (`P`, `include`, `alias`, periodic and automated transactions, prices,
/// balance assertions, virtual postings…) is refused with a precise `JournalError`, never
/// silently skipped: an import must mean exactly what the file says.
///
/// Built for large imports: the file is read in chunks into one buffer and parsed as bytes,
/// account names are interned, and plain amounts are converted without `Money.parse`.
/// After an error the reader stops: every later `next()` throws the same error.
public final class JournalReader {
    /// Bytes read from the file at a time.
    public static let defaultChunkBytes = 1 << 20

    /// The path or name given when opening, as it appears in errors.
    public let file: String
    /// The currency of amounts written without one.
    public let defaultCurrency: Currency

    // State shared with the parsing extensions (JournalReader+Lines.swift).
    var lines: LineSource
    var amounts: AmountScanner
    var accountNames = AccountNameTable()
    private var failure: JournalError?
    /// True after an `account` or `commodity` line, until a blank or unindented line.
    var afterDirective = false

    /// The transaction being read, nil between transactions.
    var header: Header?
    var postings: [JournalPosting] = []
    /// Column of each posting's account, for errors found when the transaction ends.
    var postingColumns: [Int] = []
    var elidedIndex: Int?
    /// Per-currency sums, reused from one transaction to the next.
    var sumCurrencies: [Currency] = []
    var sums: [Int64] = []

    /// What the transaction line and its tags said.
    struct Header {
        var location: InputLocation
        var date: LedgerDate
        var status: JournalTransaction.Status
        var code: String?
        var description: String
        var dimensions = Dimensions.none
        var exchangeRate: JournalTransaction.LocatedText?
    }

    /// Opens the journal at `path`.
    /// - Parameters:
    ///   - defaultCurrency: the currency of amounts written without one.
    ///   - chunkBytes: bytes read at a time (memory used is this plus the longest line allowed).
    /// - Throws: `fileUnreadable` with the system's reason.
    public init(path: String, defaultCurrency: Currency = .idr, chunkBytes: Int = JournalReader.defaultChunkBytes)
        throws(JournalError)
    {
        file = path
        self.defaultCurrency = defaultCurrency
        lines = try LineSource(path: path, chunkBytes: chunkBytes)
        amounts = AmountScanner(defaultCurrency: defaultCurrency)
    }

    /// Reads a journal held in memory (tests, uploads), through the same code as a file.
    /// - Parameter file: the name errors give for it.
    public init(
        bytes: [UInt8], file: String = "<journal>", defaultCurrency: Currency = .idr,
        chunkBytes: Int = JournalReader.defaultChunkBytes
    ) {
        self.file = file
        self.defaultCurrency = defaultCurrency
        lines = LineSource(bytes: bytes, file: file, chunkBytes: chunkBytes)
        amounts = AmountScanner(defaultCurrency: defaultCurrency)
    }

    /// Reads a journal given as text.
    public convenience init(
        text: String, file: String = "<journal>", defaultCurrency: Currency = .idr,
        chunkBytes: Int = JournalReader.defaultChunkBytes
    ) {
        self.init(bytes: Array(text.utf8), file: file, defaultCurrency: defaultCurrency, chunkBytes: chunkBytes)
    }

    /// The 1-based number of the last line read, for progress reports.
    public var lineNumber: Int { lines.lineNumber }

    /// The next declaration or transaction, or nil at the end of the journal.
    /// - Throws: the first `JournalError` in the file; unbalanced transactions at their line.
    public func next() throws(JournalError) -> JournalItem? {
        if let failure { throw failure }
        do throws(JournalError) {
            return try advance()
        } catch {
            failure = error
            throw error
        }
    }

    private func advance() throws(JournalError) -> JournalItem? {
        while let line = try lines.nextLine() {
            if JournalBytes.isBlankLine(line) {
                afterDirective = false
                if header != nil { return .transaction(try finish()) }
                continue
            }
            let first = line[0]
            if JournalBytes.isBlank(first) {
                try indented(line)
                continue
            }
            if header != nil {
                lines.unread()
                return .transaction(try finish())
            }
            afterDirective = false
            if JournalBytes.isDigit(first) {
                try begin(line)
                continue
            }
            switch first {
            case UInt8(ascii: ";"), UInt8(ascii: "#"), UInt8(ascii: "*"), UInt8(ascii: "%"), UInt8(ascii: "|"):
                continue
            default:
                if let item = try directive(line) { return item }
            }
        }
        if header != nil { return .transaction(try finish()) }
        return nil
    }

    // MARK: Locations

    func here(_ offset: Int, in line: UnsafeBufferPointer<UInt8>) -> InputLocation {
        InputLocation(file: file, line: lines.lineNumber, column: JournalBytes.column(of: offset, in: line))
    }
}
