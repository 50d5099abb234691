/// The bound values of one entry's rows, encoded where the entry is prepared so that the
/// writer only binds and steps: integers inline, text and blobs in one byte buffer that the
/// statements read in place (no per-value copy or allocation on the writing thread).
struct EncodedRows: Sendable {
    enum Value: Sendable {
        case null
        case integer(Int64)
        case text(start: Int, count: Int)
        case blob(start: Int, count: Int)
    }

    private(set) var bytes: [UInt8] = []
    private(set) var values: [Value] = []

    init(valueCapacity: Int, byteCapacity: Int) {
        values.reserveCapacity(valueCapacity)
        bytes.reserveCapacity(byteCapacity)
    }

    mutating func append(_ value: Int64?) {
        values.append(value.map(Value.integer) ?? .null)
    }

    mutating func append(text: String?) {
        guard let text else { return values.append(.null) }
        let start = bytes.count
        bytes.append(contentsOf: text.utf8)
        values.append(.text(start: start, count: bytes.count - start))
    }

    mutating func append(blob: [UInt8]?) {
        guard let blob else { return values.append(.null) }
        let start = bytes.count
        bytes.append(contentsOf: blob)
        values.append(.blob(start: start, count: blob.count))
    }
}
