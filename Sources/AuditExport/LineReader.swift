import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file a line at a time through a large buffer: the verifier's way through files of
/// hundreds of megabytes without holding them.
final class LineReader {
    private let descriptor: Int32
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var atEnd = false
    private let chunk: Int
    /// Why reading stopped early: a read error, or a line longer than `lineBytesMax`.
    private(set) var failure: String?
    /// The longest line read: more than any row a bundle holds.
    static let lineBytesMax = 1 << 20

    /// - Returns: nil when the file cannot be opened.
    init?(path: String, chunkBytes: Int = 4 << 20) {
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        chunk = chunkBytes
        buffer = [UInt8](repeating: 0, count: chunkBytes)
    }

    deinit {
        close(descriptor)
    }

    /// The next line without its line feed, or nil at the end of the file. The bytes are
    /// valid until the next call.
    func next() -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[start..<end].firstIndex(of: 0x0A) {
                let line = buffer[start..<newline]
                start = newline + 1
                return line
            }
            if atEnd {
                guard start < end, failure == nil else { return nil }
                let line = buffer[start..<end]
                start = end
                return line
            }
            if end - start > Self.lineBytesMax {
                failure = "a line is longer than \(Self.lineBytesMax) bytes"
                atEnd = true
                return nil
            }
            fill()
        }
    }

    private func fill() {
        // Keep the partial line, grow the buffer when one line fills it.
        if start > 0 {
            buffer.withUnsafeMutableBytes { raw in
                guard let base = raw.baseAddress else { return }
                memmove(base, base + start, end - start)
            }
            end -= start
            start = 0
        }
        if end == buffer.count { buffer.append(contentsOf: [UInt8](repeating: 0, count: chunk)) }
        var count: Int
        repeat {
            count = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return read(descriptor, base + end, raw.count - end)
            }
        } while count < 0 && errno == EINTR
        if count < 0 { failure = "read error: " + String(cString: strerror(errno)) }
        if count <= 0 { atEnd = true } else { end += count }
    }
}

/// Splits one CSV line into its fields (quotes undone); nil for a malformed quote.
enum CSVLine {
    static func fields(_ line: ArraySlice<UInt8>) -> [String]? {
        var fields: [String] = []
        fields.reserveCapacity(24)
        var index = line.startIndex
        let end = line.endIndex
        while true {
            if index < end, line[index] == 0x22 {
                var value: [UInt8] = []
                index += 1
                while true {
                    guard index < end else { return nil }
                    if line[index] == 0x22 {
                        if index + 1 < end, line[index + 1] == 0x22 {
                            value.append(0x22)
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    value.append(line[index])
                    index += 1
                }
                fields.append(String(decoding: value, as: UTF8.self))
                guard index == end || line[index] == 0x2C else { return nil }
            } else {
                let fieldEnd = line[index..<end].firstIndex(of: 0x2C) ?? end
                fields.append(String(decoding: line[index..<fieldEnd], as: UTF8.self))
                index = fieldEnd
            }
            if index == end { return fields }
            index += 1  // the comma
            if index == end {
                fields.append("")
                return fields
            }
        }
    }
}
