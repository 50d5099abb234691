import Crypto

/// The fixed byte layout an entry is hashed from. Changing it breaks every existing chain,
/// so it is versioned by its magic prefix and documented in `docs/canonical-bytes.md`.
///
/// Layout (version 1), every integer big-endian:
/// - `text` = u32 byte length, then the UTF-8 bytes of the NFC text;
/// - `optional text` = u8 0 when absent, or u8 1 followed by `text`;
/// - `i64` = eight bytes two's complement.
///
/// entry = "NERACA-ENTRY-1" (14 bytes) · text number · i64 postedAt (ms since epoch) ·
///         optional text reverses · body
/// body  = text date (YYYY-MM-DD) · text description · optional text reference · text source ·
///         text author · optional text idempotencyKey · optional text exchangeRate ·
///         u32 posting count · postings
/// posting = text accountCode · i64 amount (minor units) · text currency · optional text
///         district · budgetLine · activity · fundingSource · party · memo (each optional text)
public enum CanonicalEncoding {
    public static let entryMagic: [UInt8] = Array("NERACA-ENTRY-1".utf8)

    /// Canonical bytes of a posted entry, appended to `buffer` (reused on hot paths).
    public static func appendEntry(
        _ draft: EntryDraft, number: EntryNumber, postedAt: Timestamp, reverses: EntryNumber?,
        to buffer: inout [UInt8]
    ) {
        buffer.append(contentsOf: entryMagic)
        appendText(number.description, to: &buffer)
        appendInt64(postedAt.millisecondsSince1970, to: &buffer)
        appendOptionalText(reverses?.description, to: &buffer)
        appendBody(draft, to: &buffer)
    }

    /// Canonical bytes of what a draft says, without number or time: two drafts with equal
    /// bodies are the same request (idempotency).
    public static func appendBody(_ draft: EntryDraft, to buffer: inout [UInt8]) {
        appendText(draft.date.description, to: &buffer)
        appendText(draft.description, to: &buffer)
        appendOptionalText(draft.reference, to: &buffer)
        appendText(draft.source.rawValue, to: &buffer)
        appendText(draft.author, to: &buffer)
        appendOptionalText(draft.idempotencyKey, to: &buffer)
        appendOptionalText(draft.exchangeRate?.description, to: &buffer)
        appendUInt32(UInt32(draft.postings.count), to: &buffer)
        for posting in draft.postings {
            appendText(posting.accountCode, to: &buffer)
            appendInt64(posting.amount.minorUnits, to: &buffer)
            appendText(posting.amount.currency.code, to: &buffer)
            let dimensions = posting.dimensions
            appendOptionalText(dimensions.district, to: &buffer)
            appendOptionalText(dimensions.budgetLine, to: &buffer)
            appendOptionalText(dimensions.activity, to: &buffer)
            appendOptionalText(dimensions.fundingSource, to: &buffer)
            appendOptionalText(dimensions.party, to: &buffer)
            appendOptionalText(posting.memo, to: &buffer)
        }
    }

    /// SHA-256 of the body: the fingerprint compared when an idempotency key comes back.
    public static func bodyDigest(_ draft: EntryDraft) -> EntryHash {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(256)
        appendBody(draft, to: &buffer)
        return EntryHash(bytes: Array(SHA256.hash(data: buffer)))
    }

    static func appendText(_ text: String, to buffer: inout [UInt8]) {
        let normalized = TextRules.nfc(text)
        appendUInt32(UInt32(normalized.utf8.count), to: &buffer)
        buffer.append(contentsOf: normalized.utf8)
    }

    static func appendOptionalText(_ text: String?, to buffer: inout [UInt8]) {
        if let text {
            buffer.append(1)
            appendText(text, to: &buffer)
        } else {
            buffer.append(0)
        }
    }

    static func appendInt64(_ value: Int64, to buffer: inout [UInt8]) {
        let bits = UInt64(bitPattern: value)
        for shift in stride(from: 56, through: 0, by: -8) {
            buffer.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift)))
        }
    }

    static func appendUInt32(_ value: UInt32, to buffer: inout [UInt8]) {
        for shift in stride(from: 24, through: 0, by: -8) {
            buffer.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
        }
    }
}

/// SHA-256 over bytes that come in pieces: a file written or read a buffer at a time, so
/// that hashing a large file never holds it whole.
public struct StreamingSHA256 {
    private var hasher = SHA256()

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: bytes)
    }

    public mutating func update(_ bytes: [UInt8]) {
        hasher.update(data: bytes)
    }

    public func finalize() -> EntryHash {
        EntryHash(bytes: Array(hasher.finalize()))
    }
}

/// A SHA-256 digest: an entry's link in the hash chain, or a content fingerprint.
public struct EntryHash: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        precondition(bytes.count == 32, "a SHA-256 digest has 32 bytes")
        self.bytes = bytes
    }

    /// The previous hash of the very first entry: 32 zero bytes.
    public static let genesis = EntryHash(bytes: Array(repeating: 0, count: 32))

    /// The plain SHA-256 of `bytes` (a receipt file's identity).
    public static func sha256(of bytes: [UInt8]) -> EntryHash {
        EntryHash(bytes: Array(SHA256.hash(data: bytes)))
    }

    /// `SHA-256(previous ‖ canonical)`: the next link of the chain.
    public static func chained(previous: EntryHash, canonical: [UInt8]) -> EntryHash {
        var hasher = SHA256()
        hasher.update(data: previous.bytes)
        hasher.update(data: canonical)
        return EntryHash(bytes: Array(hasher.finalize()))
    }

    /// Lower-case hexadecimal, 64 characters.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses 64 hexadecimal characters; nil otherwise.
    public init?(hex: String) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var index = 0
        while index < 64 {
            guard let high = EntryHash.nibble(utf8[index]), let low = EntryHash.nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.bytes = bytes
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    public var description: String { hex }
}

/// Which fiscal year a date belongs to. A fiscal year is named after the calendar year in
/// which it ends (July 2024 – June 2025 is fiscal 2025); with `startMonth` 1 it is the
/// calendar year.
public struct FiscalCalendar: Hashable, Sendable {
    public let startMonth: Int

    public init(startMonth: Int) {
        precondition((1...12).contains(startMonth), "start month must be 1...12")
        self.startMonth = startMonth
    }

    public static let calendarYear = FiscalCalendar(startMonth: 1)

    public func fiscalYear(of date: LedgerDate) -> Int {
        startMonth == 1 || date.month < startMonth ? date.year : date.year + 1
    }

    /// The first day of fiscal year `year`, or nil outside the years dates can have.
    public func firstDay(ofFiscalYear year: Int) -> LedgerDate? {
        LedgerDate(year: startMonth == 1 ? year : year - 1, month: startMonth, day: 1)
    }

    /// The last day of fiscal year `year`, or nil outside the years dates can have.
    public func lastDay(ofFiscalYear year: Int) -> LedgerDate? {
        let endMonth = startMonth == 1 ? 12 : startMonth - 1
        return LedgerDate(year: year, month: endMonth, day: LedgerDate.daysIn(month: endMonth, year: year))
    }
}
