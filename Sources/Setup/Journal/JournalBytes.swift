/// Byte-level helpers of the journal reader, which works on UTF-8 bytes rather than
/// `Character`s for speed.
enum JournalBytes {
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let semicolon = UInt8(ascii: ";")

    @inline(__always)
    static func isBlank(_ byte: UInt8) -> Bool { byte == space || byte == tab }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// 1-based column of byte `offset` in `line`, counting Unicode scalars as editors do.
    static func column(of offset: Int, in line: UnsafeBufferPointer<UInt8>) -> Int {
        var column = 1
        var index = 0
        while index < offset && index < line.count {
            if line[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return column
    }

    /// First index at or after `index` that is not a space or tab.
    @inline(__always)
    static func skipBlanks(_ line: UnsafeBufferPointer<UInt8>, from index: Int, to end: Int) -> Int {
        var index = index
        while index < end && isBlank(line[index]) { index += 1 }
        return index
    }

    /// `end` moved back over trailing spaces and tabs.
    @inline(__always)
    static func trimBlanks(_ line: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        var end = end
        while end > start && isBlank(line[end - 1]) { end -= 1 }
        return end
    }

    /// True when the line holds only spaces and tabs.
    static func isBlankLine(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        skipBlanks(line, from: 0, to: line.count) == line.count
    }

    /// The bytes `start..<end` as a String, or nil when they are not valid UTF-8.
    static func string(_ line: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> String? {
        let bytes = UnsafeBufferPointer(rebasing: line[start..<end])
        var ascii = true
        for byte in bytes where byte >= 0x80 {
            ascii = false
            break
        }
        let text = String(decoding: bytes, as: UTF8.self)
        // Decoding repairs invalid sequences with U+FFFD; a repaired string differs from its bytes.
        guard ascii || text.utf8.elementsEqual(bytes) else { return nil }
        return text
    }

    /// True when `line[start..<end]` equals the ASCII `word`.
    static func equals(_ line: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, _ word: StaticString) -> Bool {
        guard end - start == word.utf8CodeUnitCount else { return false }
        let pointer = word.utf8Start
        for offset in 0..<(end - start) where line[start + offset] != pointer[offset] { return false }
        return true
    }
}
