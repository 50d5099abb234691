import Foundation

/// A `multipart/form-data` body (RFC 7578) split into its parts: what a phone's browser
/// sends when a claimant attaches a receipt photo.
struct MultipartForm {
    struct Part {
        let name: String
        let fileName: String?
        let content: ArraySlice<UInt8>
    }

    let parts: [Part]

    /// - Throws: `APIError.mediaTypeUnsupported` for another content type,
    ///   `fieldInvalid(field: "body")` for a body that is not well-formed multipart.
    init(contentType: String?, body: [UInt8]) throws {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data"),
              let boundary = Self.boundary(contentType) else {
            throw APIError.mediaTypeUnsupported(expected: "multipart/form-data with a boundary")
        }
        let delimiter = Array("--\(boundary)".utf8)
        var positions = Self.occurrences(of: delimiter, in: body)
        guard positions.count >= 2 else { throw APIError.fieldInvalid(field: "body", reason: "not a multipart body") }
        var parts: [Part] = []
        // Each part runs from after a delimiter line to the CRLF before the next delimiter.
        let last = positions.removeLast()
        guard body[(last + delimiter.count)...].starts(with: Array("--".utf8)) else {
            throw APIError.fieldInvalid(field: "body", reason: "the multipart body has no closing boundary")
        }
        for (index, position) in positions.enumerated() {
            let start = position + delimiter.count
            let end = index + 1 < positions.count ? positions[index + 1] : last
            guard body[start...].starts(with: [13, 10]), end >= start + 2 else {
                throw APIError.fieldInvalid(field: "body", reason: "a multipart boundary is not followed by a line break")
            }
            var section = body[(start + 2)..<end]
            guard section.count >= 2, section.suffix(2).elementsEqual([13, 10]) else {
                throw APIError.fieldInvalid(field: "body", reason: "a multipart part does not end with a line break")
            }
            section = section.dropLast(2)
            guard let headerEnd = Self.occurrences(of: [13, 10, 13, 10], in: Array(section)).first else {
                throw APIError.fieldInvalid(field: "body", reason: "a multipart part has no header")
            }
            let headerText = String(decoding: section.prefix(headerEnd), as: UTF8.self)
            let content = section.dropFirst(headerEnd + 4)
            guard let disposition = Self.header("content-disposition", in: headerText),
                  let name = Self.parameter("name", in: disposition) else {
                throw APIError.fieldInvalid(field: "body", reason: "a multipart part has no form field name")
            }
            parts.append(Part(name: name, fileName: Self.parameter("filename", in: disposition), content: content))
        }
        self.parts = parts
    }

    /// The text of the field `name`, or nil when absent.
    func text(_ name: String) throws -> String? {
        let matching = parts.filter { $0.name == name }
        guard let part = matching.first else { return nil }
        guard matching.count == 1 else { throw APIError.fieldInvalid(field: name, reason: "given twice") }
        guard let text = String(validating: Array(part.content), as: UTF8.self) else {
            throw APIError.fieldInvalid(field: name, reason: "is not UTF-8 text")
        }
        return text
    }

    private static func boundary(_ contentType: String) -> String? {
        guard let value = parameter("boundary", in: contentType), (1...70).contains(value.count) else { return nil }
        return value
    }

    /// A header's value from a part's header block (names compared without case).
    private static func header(_ name: String, in block: String) -> String? {
        for line in block.components(separatedBy: "\r\n") {
            let pieces = line.split(separator: ":", maxSplits: 1)
            if pieces.count == 2, pieces[0].trimmingCharacters(in: .whitespaces).lowercased() == name {
                return pieces[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// `name=value` or `name="value"` among `;`-separated parameters.
    private static func parameter(_ name: String, in value: String) -> String? {
        for item in value.split(separator: ";").dropFirst() {
            let pieces = item.split(separator: "=", maxSplits: 1)
            guard pieces.count == 2, pieces[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
            var text = pieces[1].trimmingCharacters(in: .whitespaces)
            if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { text = String(text.dropFirst().dropLast()) }
            return text
        }
        return nil
    }

    /// Where `needle` starts in `haystack`, each occurrence.
    private static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> [Int] {
        guard !needle.isEmpty, haystack.count >= needle.count else { return [] }
        var found: [Int] = []
        var index = 0
        let first = needle[0]
        while index <= haystack.count - needle.count {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) {
                found.append(index)
                index += needle.count
            } else {
                index += 1
            }
        }
        return found
    }

    private static func occurrences(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> [Int] {
        occurrences(of: needle, in: Array(haystack))
    }
}
