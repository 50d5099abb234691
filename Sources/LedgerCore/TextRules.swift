import Foundation

/// The checks every free-text field passes: not empty, bounded, no control characters,
/// stored in Unicode NFC so that the same text always has the same bytes (and hash).
public enum TextRules {
    /// - Throws: `textEmpty`, `textTooLong` or `textHasControlCharacters` naming `field`.
    public static func check(_ text: String, field: String, max: Int) throws(LedgerError) {
        guard !text.isEmpty else { throw .textEmpty(field: field) }
        let length = text.count
        guard length <= max else { throw .textTooLong(field: field, length: length, max: max) }
        for scalar in text.unicodeScalars where scalar.properties.generalCategory == .control {
            throw .textHasControlCharacters(field: field)
        }
    }

    /// `text` in Unicode Normalization Form C; ASCII text is returned as is (already NFC).
    public static func nfc(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        return text.precomposedStringWithCanonicalMapping
    }

    /// `text` trimmed of surrounding white space and normalised to NFC.
    public static func cleaned(_ text: String) -> String {
        nfc(String(text.trimmingSpaces()))
    }
}
