import Foundation
import LedgerCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One file of a bundle being written: buffered, and hashed, sized and counted as it goes,
/// so that the manifest needs no second reading.
///
/// A writer that does not `keepOpen` opens its file only to flush: the general ledger has
/// a file per account, more than a process may hold open at once.
final class BundleFileWriter {
    /// The path inside the bundle (`general-ledger/1-1100.csv`).
    let relativePath: String
    private let fullPath: String
    private let keepOpen: Bool
    private let flushAt: Int
    private var descriptor: Int32 = -1
    private var buffer: [UInt8] = []
    private var digest = StreamingSHA256()
    private(set) var bytes: Int64 = 0
    /// Data rows written (a header row is not counted).
    private(set) var rows = 0

    /// Creates the file, empty.
    /// - Throws: `ExportError.cannotWrite`.
    init(directory: String, relativePath: String, keepOpen: Bool = true, bufferBytes: Int = 1 << 20) throws {
        self.relativePath = relativePath
        self.fullPath = directory + "/" + relativePath
        self.keepOpen = keepOpen
        self.flushAt = bufferBytes
        buffer.reserveCapacity(bufferBytes + 4096)
        descriptor = open(fullPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw ExportError.cannotWrite(path: fullPath, reason: String(cString: strerror(errno))) }
        if !keepOpen {
            close(descriptor)
            descriptor = -1
        }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    @inline(__always) func append(_ byte: UInt8) {
        buffer.append(byte)
    }

    func append(_ text: String) {
        buffer.append(contentsOf: text.utf8)
    }

    func append(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    /// Ends a data row.
    func endRow() throws {
        buffer.append(UInt8(ascii: "\n"))
        rows += 1
        if buffer.count >= flushAt { try flush() }
    }

    /// Ends the header row (not counted).
    func endHeader() throws {
        buffer.append(UInt8(ascii: "\n"))
    }

    /// Writes a whole file's bytes (a receipt) and counts no rows.
    func write(contents: [UInt8]) throws {
        buffer.append(contentsOf: contents)
        try flush()
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        if descriptor < 0 {
            descriptor = open(fullPath, O_WRONLY | O_APPEND)
            guard descriptor >= 0 else { throw ExportError.cannotWrite(path: fullPath, reason: String(cString: strerror(errno))) }
        }
        try buffer.withUnsafeBytes { raw in
            digest.update(raw)
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(descriptor, base + offset, raw.count - offset)
                guard written > 0 else {
                    throw ExportError.cannotWrite(path: fullPath, reason: String(cString: strerror(errno)))
                }
                offset += written
            }
        }
        bytes += Int64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
        if !keepOpen {
            close(descriptor)
            descriptor = -1
        }
    }

    /// Flushes, syncs and closes the file.
    /// - Returns: its manifest entry.
    func finish(countsRows: Bool = true) throws -> BundleManifest.File {
        try flush()
        if descriptor < 0 { descriptor = open(fullPath, O_WRONLY | O_APPEND) }
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
            descriptor = -1
        }
        return BundleManifest.File(path: relativePath, sha256: digest.finalize().hex, bytes: bytes,
                                   rows: countsRows ? rows : nil)
    }
}

/// Field and number formatting shared by the bundle's writers and the verifier, so that
/// what the verifier recomputes is byte for byte what the exporter wrote.
enum BundleText {
    /// A CSV field: quoted when it holds a comma, quote or line break, quotes doubled.
    static func csv(_ text: String, into out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            guard bytes.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
                out.append(contentsOf: bytes)
                return
            }
            out.append(0x22)
            for byte in bytes {
                if byte == 0x22 { out.append(0x22) }
                out.append(byte)
            }
            out.append(0x22)
        }
    }

    /// A JSON string, quotes included.
    static func json(_ text: String, into out: inout [UInt8]) {
        out.append(0x22)
        var text = text
        text.withUTF8 { bytes in
            guard bytes.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else {
                out.append(contentsOf: bytes)
                return
            }
            for byte in bytes {
                switch byte {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: out.append(contentsOf: [0x5C, 0x72])
                case 0x09: out.append(contentsOf: [0x5C, 0x74])
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                default: out.append(byte)
                }
            }
        }
        out.append(0x22)
    }

    /// A field of a tab-separated or one-line file: line breaks and tabs become spaces (the
    /// text rules keep them out of stored text; this only makes sure).
    static func oneLine(_ text: String, into out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            guard bytes.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else {
                out.append(contentsOf: bytes)
                return
            }
            for byte in bytes { out.append(byte == 0x09 || byte == 0x0A || byte == 0x0D ? 0x20 : byte) }
        }
    }

    /// `minorUnits` as `Money.plainDecimal` writes it, with `mark` as decimal mark, appended
    /// without building strings (the export writes millions of amounts).
    static func decimal(_ minorUnits: Int64, exponent: Int, mark: UInt8 = 0x2E, into out: inout [UInt8]) {
        if minorUnits < 0 { out.append(0x2D) }
        var magnitude = minorUnits.magnitude
        var digits: [UInt8] = []
        digits.reserveCapacity(24)
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        while digits.count <= exponent { digits.append(UInt8(ascii: "0")) }
        for index in stride(from: digits.count - 1, through: 0, by: -1) {
            out.append(digits[index])
            if index == exponent, exponent > 0 { out.append(mark) }
        }
    }

    /// `20240610`.
    static func compactDate(_ date: LedgerDate, into out: inout [UInt8]) {
        decimal(Int64(date.year * 10_000 + date.month * 100 + date.day), exponent: 0, into: &out)
    }

    /// `2024-06-10T12:00:00.000Z`.
    static func iso(_ timestamp: Timestamp) -> String {
        let millis = timestamp.millisecondsSince1970
        let days = Int((millis >= 0 ? millis : millis - 86_399_999) / 86_400_000)
        let inDay = Int(millis - Int64(days) * 86_400_000)
        let date = LedgerDate(dayNumber: days)?.description ?? "0000-00-00"
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return date + "T" + pad(inDay / 3_600_000, 2) + ":" + pad(inDay / 60_000 % 60, 2) + ":"
            + pad(inDay / 1_000 % 60, 2) + "." + pad(inDay % 1_000, 3) + "Z"
    }

}
