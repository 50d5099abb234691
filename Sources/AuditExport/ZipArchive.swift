import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The ZIP container of `export --zip` and `verify BUNDLE.zip`: entries stored as they are
/// (no compression, so nothing but the bytes themselves to trust), CRC-32 checked, fixed
/// times so that two exports zip to the same bytes. Without ZIP64: a bundle zip stays under
/// 4 GiB and 65,535 files, which a year of a program's books does.
enum ZipArchive {
    /// Why a zip could not be written or read.
    enum Failure: Error, Equatable {
        case tooLarge(String)
        case unreadable(String)
        case notStored(path: String)
        case crcMismatch(path: String)
        case unsafePath(String)
    }

    private static let flags: UInt16 = 0x0800  // UTF-8 names
    private static let dosDate: UInt16 = 0x0021  // 1980-01-01, the earliest a zip can say

    /// Zips every file of `directory` (paths relative to it, in order) into `archive`.
    static func write(directory: String, paths: [String], to archive: String) throws {
        guard paths.count < 0xFFFF else { throw Failure.tooLarge("\(paths.count) files") }
        let output = try Output(path: archive)
        var central: [UInt8] = []
        for path in paths {
            let offset = output.offset
            guard offset < 0xFFFF_FFFF else { throw Failure.tooLarge(archive) }
            let name = Array(path.utf8)
            var header: [UInt8] = []
            header.le32(0x0403_4B50); header.le16(20); header.le16(flags); header.le16(0); header.le16(0); header.le16(dosDate)
            header.le32(0); header.le32(0); header.le32(0); header.le16(UInt16(name.count)); header.le16(0)
            try output.write(header + name)
            var crc = CRC32()
            var size: UInt64 = 0
            try forEachChunk(of: directory + "/" + path) { chunk in
                crc.update(chunk)
                size += UInt64(chunk.count)
                try output.write(chunk)
            }
            guard size < 0xFFFF_FFFF else { throw Failure.tooLarge(path) }
            // The CRC and sizes go back into the local header: readers that stream a zip
            // (Java's ZipInputStream) refuse stored entries sized after their data.
            var sizes: [UInt8] = []
            sizes.le32(crc.value); sizes.le32(UInt32(size)); sizes.le32(UInt32(size))
            try output.write(sizes, at: offset + 14)
            central.le32(0x0201_4B50); central.le16(0x031E); central.le16(20); central.le16(flags); central.le16(0)
            central.le16(0); central.le16(dosDate); central.le32(crc.value); central.le32(UInt32(size)); central.le32(UInt32(size))
            central.le16(UInt16(name.count)); central.le16(0); central.le16(0); central.le16(0); central.le16(0)
            central.le32(UInt32(0o100644) << 16); central.le32(UInt32(offset))
            central.append(contentsOf: name)
        }
        let centralOffset = output.offset
        guard centralOffset < 0xFFFF_FFFF else { throw Failure.tooLarge(archive) }
        var end: [UInt8] = []
        end.le32(0x0605_4B50); end.le16(0); end.le16(0); end.le16(UInt16(paths.count)); end.le16(UInt16(paths.count))
        end.le32(UInt32(central.count)); end.le32(UInt32(centralOffset)); end.le16(0)
        try output.write(central + end)
        try output.close()
    }

    /// Unpacks `archive` into `directory`, checking every entry's CRC-32. The archive is
    /// mapped, not read into memory.
    static func extract(_ archive: String, to directory: String) throws {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: archive), options: .alwaysMapped) else {
            throw Failure.unreadable(archive)
        }
        try data.withUnsafeBytes { bytes in try extract(bytes, to: directory) }
    }

    private static func extract(_ bytes: UnsafeRawBufferPointer, to directory: String) throws {
        guard bytes.count >= 22, let end = stride(from: bytes.count - 22, through: max(0, bytes.count - 22 - 0xFFFF), by: -1)
            .first(where: { bytes.le32(at: $0) == 0x0605_4B50 }) else { throw Failure.unreadable("no end of central directory") }
        let count = Int(bytes.le16(at: end + 10))
        var cursor = Int(bytes.le32(at: end + 16))
        var entries: [(path: String, crc: UInt32, start: Int, size: Int)] = []
        for _ in 0..<count {
            guard cursor + 46 <= bytes.count, bytes.le32(at: cursor) == 0x0201_4B50 else { throw Failure.unreadable("central directory") }
            let method = bytes.le16(at: cursor + 10)
            let crc = bytes.le32(at: cursor + 16)
            let size = Int(bytes.le32(at: cursor + 20))
            let nameLength = Int(bytes.le16(at: cursor + 28))
            let extraLength = Int(bytes.le16(at: cursor + 30))
            let commentLength = Int(bytes.le16(at: cursor + 32))
            let local = Int(bytes.le32(at: cursor + 42))
            guard cursor + 46 + nameLength <= bytes.count else { throw Failure.unreadable("central directory") }
            let path = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(cursor + 46)..<(cursor + 46 + nameLength)]),
                              as: UTF8.self)
            cursor += 46 + nameLength + extraLength + commentLength
            guard !path.hasPrefix("/"), !path.split(separator: "/").contains(".."), !path.isEmpty else {
                throw Failure.unsafePath(path)
            }
            if path.hasSuffix("/") { continue }
            guard method == 0 else { throw Failure.notStored(path: path) }
            guard local + 30 <= bytes.count, bytes.le32(at: local) == 0x0403_4B50 else { throw Failure.unreadable(path) }
            let start = local + 30 + Int(bytes.le16(at: local + 26)) + Int(bytes.le16(at: local + 28))
            guard start + size <= bytes.count else { throw Failure.unreadable(path) }
            entries.append((path, crc, start, size))
        }
        // Entries may not overlap or repeat: what is unpacked is never more than the archive.
        var lastEnd = 0
        var paths: Set<String> = []
        for entry in entries.sorted(by: { $0.start < $1.start }) {
            guard entry.start >= lastEnd, paths.insert(entry.path).inserted else { throw Failure.unreadable("\(entry.path) overlaps") }
            lastEnd = entry.start + entry.size
        }
        for entry in entries {
            let content = UnsafeRawBufferPointer(rebasing: bytes[entry.start..<(entry.start + entry.size)])
            var check = CRC32()
            check.update(content)
            guard check.value == entry.crc else { throw Failure.crcMismatch(path: entry.path) }
            let target = directory + "/" + entry.path
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            let output = try Output(path: target)
            try output.write(content)
            try output.close()
        }
    }

    private static func forEachChunk(of path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw Failure.unreadable(path) }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return read(descriptor, base, raw.count)
            }
            guard count > 0 else { return }
            try buffer.withUnsafeBytes { raw in try body(UnsafeRawBufferPointer(rebasing: raw[0..<count])) }
        }
    }

    /// The archive being written, with its running offset.
    private final class Output {
        private let descriptor: Int32
        private(set) var offset: UInt64 = 0

        init(path: String) throws {
            descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard descriptor >= 0 else { throw Failure.unreadable(path) }
        }

        func write(_ bytes: [UInt8]) throws {
            try bytes.withUnsafeBytes { try write($0) }
        }

        func write(_ raw: UnsafeRawBufferPointer) throws {
            guard let base = raw.baseAddress else { return }
            var done = 0
            while done < raw.count {
                let written = Glibc.write(descriptor, base + done, raw.count - done)
                guard written > 0 else { throw Failure.unreadable("write failed") }
                done += written
            }
            offset += UInt64(raw.count)
        }

        /// Overwrites bytes already written, at `position`.
        func write(_ bytes: [UInt8], at position: UInt64) throws {
            let written = bytes.withUnsafeBytes { raw in pwrite(descriptor, raw.baseAddress, raw.count, off_t(position)) }
            guard written == bytes.count else { throw Failure.unreadable("write failed") }
        }

        func close() throws {
            let synced = fsync(descriptor)
            let closed = Glibc.close(descriptor)
            guard synced == 0, closed == 0 else { throw Failure.unreadable("the archive could not be saved") }
        }
    }
}

/// CRC-32 (IEEE 802.3, as zip uses it), a table byte at a time.
struct CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    private var state: UInt32 = 0xFFFF_FFFF

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var crc = state
        Self.table.withUnsafeBufferPointer { table in
            for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        }
        state = crc
    }

    var value: UInt32 { state ^ 0xFFFF_FFFF }
}

extension [UInt8] {
    mutating func le16(_ value: UInt16) {
        append(UInt8(value & 0xFF)); append(UInt8(value >> 8))
    }

    mutating func le32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }
}

extension UnsafeRawBufferPointer {
    func le16(at index: Int) -> UInt16 {
        guard index >= 0, index + 2 <= count else { return 0 }
        return UInt16(self[index]) | UInt16(self[index + 1]) << 8
    }

    func le32(at index: Int) -> UInt32 {
        guard index >= 0, index + 4 <= count else { return 0 }
        return (0..<4).reduce(UInt32(0)) { $0 | UInt32(self[index + $1]) << UInt32(8 * $1) }
    }
}
