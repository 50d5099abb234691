import Foundation

/// The checks every free-text field passes: not empty, bounded, no control characters,
/// stored in Unicode NFC so that the same text always has the same bytes (and hash).
public enum TextRules {
    /// Unicode scalars one character may average (letters with a few combining marks).
    public static let scalarsPerCharacterMax = 4

    /// - Throws: `textEmpty`, `textTooLong` or `textHasControlCharacters` naming `field`.
    ///
    /// `field` is only evaluated when the text is refused, so callers on hot paths can
    /// describe it without building a string for every valid value.
    public static func check(_ text: String, field: @autoclosure () -> String, max: Int) throws(LedgerError) {
        guard !text.isEmpty else { throw .textEmpty(field: field()) }
        if isPrintableASCII(text) {
            // Fast path: one byte per character, and no control character possible.
            guard text.utf8.count <= max else { throw .textTooLong(field: field(), length: text.utf8.count, max: max) }
            return
        }
        let length = text.count
        guard length <= max else { throw .textTooLong(field: field(), length: length, max: max) }
        // A character may carry any number of combining marks: bound the scalars too, so
        // a "one-character" text cannot be megabytes long.
        let scalars = text.unicodeScalars.count
        guard scalars <= max * scalarsPerCharacterMax else {
            throw .textTooLong(field: field(), length: scalars / scalarsPerCharacterMax, max: max)
        }
        for scalar in text.unicodeScalars where scalar.properties.generalCategory == .control {
            throw .textHasControlCharacters(field: field())
        }
    }

    /// `text` in Unicode Normalization Form C; ASCII text is returned as is (already NFC).
    public static func nfc(_ text: String) -> String {
        if allBytes(of: text, satisfy: { $0 < 0x80 }) { return text }
        return text.precomposedStringWithCanonicalMapping
    }

    /// `text` trimmed of surrounding white space and normalised to NFC.
    public static func cleaned(_ text: String) -> String {
        if let first = text.utf8.first, let last = text.utf8.last, isPrintableASCIIByte(first), first != 0x20,
           isPrintableASCIIByte(last), last != 0x20, isPrintableASCII(text) {
            return text  // already trimmed and NFC
        }
        return nfc(String(text.trimmingSpaces()))
    }

    /// True when every byte is printable ASCII (space to tilde).
    static func isPrintableASCII(_ text: String) -> Bool {
        allBytes(of: text, satisfy: isPrintableASCIIByte)
    }

    /// True when every UTF-8 byte of `text` satisfies `predicate`. Reads native strings'
    /// storage directly: these scans run several times for every imported posting.
    private static func allBytes(of text: String, satisfy predicate: (UInt8) -> Bool) -> Bool {
        if let result = text.utf8.withContiguousStorageIfAvailable({ $0.allSatisfy(predicate) }) {
            return result
        }
        return text.utf8.allSatisfy(predicate)
    }

    private static func isPrintableASCIIByte(_ byte: UInt8) -> Bool { byte >= 0x20 && byte < 0x7f }
}
