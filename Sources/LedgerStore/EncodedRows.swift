/// Entry and posting rows encoded where they are prepared, so that the writer only binds
/// and steps: integers inline, text and blobs in one byte buffer that the statements read in
/// place. Entry rows and posting rows are kept apart, so that many of each go into one
/// multi-row INSERT — all entries first, then their postings, which satisfies the foreign key.
struct EncodedRows: Sendable {
    enum Value: Sendable {
        case null
        case integer(Int64)
        case text(start: Int, count: Int)
        case blob(start: Int, count: Int)
    }

    /// Which table a value belongs to.
    enum Table {
        case entries
        case postings
    }

    private(set) var bytes: [UInt8] = []
    /// `EntryWriter.entryColumnCount` values per entry row.
    private(set) var entryValues: [Value] = []
    /// `EntryWriter.postingColumnCount` values per posting row.
    private(set) var postingValues: [Value] = []
    /// The row id of the first entry, for the writer's read-back check.
    private(set) var firstEntryID: Int64?

    init() {}

    var entryCount: Int { entryValues.count / EntryWriter.entryColumnCount }
    var postingCount: Int { postingValues.count / EntryWriter.postingColumnCount }
    var isEmpty: Bool { entryValues.isEmpty }

    /// Starts an entry row with its id (the first column).
    mutating func beginEntry(id: Int64) {
        if firstEntryID == nil { firstEntryID = id }
        entryValues.append(.integer(id))
    }

    mutating func append(_ value: Int64?, to table: Table) {
        add(value.map(Value.integer) ?? .null, to: table)
    }

    mutating func append(text: String?, to table: Table) {
        guard let text else { return add(.null, to: table) }
        let start = bytes.count
        bytes.append(contentsOf: text.utf8)
        add(.text(start: start, count: bytes.count - start), to: table)
    }

    mutating func append(blob: [UInt8]?, to table: Table) {
        guard let blob else { return add(.null, to: table) }
        let start = bytes.count
        bytes.append(contentsOf: blob)
        add(.blob(start: start, count: blob.count), to: table)
    }

    private mutating func add(_ value: Value, to table: Table) {
        switch table {
        case .entries: entryValues.append(value)
        case .postings: postingValues.append(value)
        }
    }
}
