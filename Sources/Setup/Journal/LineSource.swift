#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LedgerCore

/// The bytes of a journal, handed out one line at a time from one fixed buffer, so that
/// reading a 168 MB journal needs no more memory than reading a small one.
///
/// The buffer holds `chunkBytes + Limits.inputLineLengthMax + 1` bytes; the file is read
/// `chunkBytes` at a time, an unfinished line is moved to the front before the next read,
/// and a line that cannot fit is refused. A line handed out stays valid until the next
/// call to `nextLine()`.
struct LineSource: ~Copyable {
    private enum Origin {
        case file(Int32)
        case memory([UInt8])
    }

    let file: String
    private let origin: Origin
    private var memoryOffset = 0
    private let buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private let chunkBytes: Int
    private let lineBytesMax: Int
    /// First unconsumed byte and end of valid bytes in `buffer`.
    private var start = 0
    private var end = 0
    private var atEndOfInput = false
    private var lastLineStart = 0
    /// 1-based number of the line last handed out.
    private(set) var lineNumber = 0

    /// Opens `path` for reading.
    /// - Throws: `fileUnreadable` with the system's reason.
    init(path: String, chunkBytes: Int, lineBytesMax: Int = Limits.inputLineLengthMax) throws(JournalError) {
        var descriptor: Int32
        repeat {
            descriptor = open(path, O_RDONLY)
        } while descriptor < 0 && errno == EINTR
        guard descriptor >= 0 else {
            throw .fileUnreadable(InputLocation(file: path, line: 0), reason: String(cString: strerror(errno)))
        }
        self.init(file: path, origin: .file(descriptor), chunkBytes: chunkBytes, lineBytesMax: lineBytesMax)
    }

    /// Reads from bytes in memory, through the same buffer and code path as a file.
    init(bytes: [UInt8], file: String, chunkBytes: Int, lineBytesMax: Int = Limits.inputLineLengthMax) {
        self.init(file: file, origin: .memory(bytes), chunkBytes: chunkBytes, lineBytesMax: lineBytesMax)
    }

    private init(file: String, origin: Origin, chunkBytes: Int, lineBytesMax: Int) {
        precondition(chunkBytes > 0 && lineBytesMax > 0, "buffer sizes must be positive")
        self.file = file
        self.origin = origin
        self.chunkBytes = chunkBytes
        self.lineBytesMax = lineBytesMax
        capacity = chunkBytes + lineBytesMax + 1
        buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    }

    deinit {
        buffer.deallocate()
        if case .file(let descriptor) = origin { _ = close(descriptor) }
    }

    /// The next line without its `\n` (and without a `\r` before it), or nil at the end.
    /// - Throws: `lineTooLong`, `fileUnreadable` when reading fails.
    mutating func nextLine() throws(JournalError) -> UnsafeBufferPointer<UInt8>? {
        while true {
            let pending = end - start
            if pending > 0, let newline = memchr(buffer + start, Int32(UInt8(ascii: "\n")), pending) {
                let lineEnd = buffer.distance(to: newline.assumingMemoryBound(to: UInt8.self))
                return try takeLine(upTo: lineEnd, next: lineEnd + 1)
            }
            if atEndOfInput {
                guard pending > 0 else { return nil }
                return try takeLine(upTo: end, next: end)
            }
            guard pending <= lineBytesMax else {
                throw .lineTooLong(InputLocation(file: file, line: lineNumber + 1), max: lineBytesMax)
            }
            try refill()
        }
    }

    /// Hands the line last returned back, so the next `nextLine()` returns it again.
    mutating func unread() {
        start = lastLineStart
        lineNumber -= 1
    }

    private mutating func takeLine(upTo lineEnd: Int, next: Int) throws(JournalError) -> UnsafeBufferPointer<UInt8> {
        lineNumber += 1
        var length = lineEnd - start
        guard length <= lineBytesMax else {
            throw .lineTooLong(InputLocation(file: file, line: lineNumber), max: lineBytesMax)
        }
        if length > 0, buffer[start + length - 1] == UInt8(ascii: "\r") { length -= 1 }
        var first = start
        if lineNumber == 1, length >= 3, buffer[first] == 0xEF, buffer[first + 1] == 0xBB, buffer[first + 2] == 0xBF {
            first += 3  // a UTF-8 byte-order mark
            length -= 3
        }
        lastLineStart = start
        start = next
        return UnsafeBufferPointer(start: buffer + first, count: length)
    }

    /// Moves the unfinished line to the front and reads up to `chunkBytes` more.
    private mutating func refill() throws(JournalError) {
        let pending = end - start
        if start > 0 {
            if pending > 0 { memmove(buffer, buffer + start, pending) }
            lastLineStart -= start
            start = 0
            end = pending
        }
        let room = min(chunkBytes, capacity - end)
        switch origin {
        case .file(let descriptor):
            var count: Int
            repeat {
                count = read(descriptor, buffer + end, room)
            } while count < 0 && errno == EINTR
            guard count >= 0 else {
                throw .fileUnreadable(InputLocation(file: file, line: lineNumber + 1), reason: String(cString: strerror(errno)))
            }
            if count == 0 { atEndOfInput = true }
            end += count
        case .memory(let bytes):
            let count = min(room, bytes.count - memoryOffset)
            if count == 0 {
                atEndOfInput = true
            } else {
                bytes.withUnsafeBufferPointer { source in
                    guard let base = source.baseAddress else { return }
                    (buffer + end).update(from: base + memoryOffset, count: count)
                }
                memoryOffset += count
                end += count
            }
        }
    }
}
