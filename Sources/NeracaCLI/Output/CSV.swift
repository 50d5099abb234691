import Foundation

/// RFC 4180 CSV: fields with commas, quotes or line breaks are quoted, quotes doubled.
enum CSV {
    static func row(_ fields: [String]) -> String {
        fields.map(quote).joined(separator: ",")
    }

    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
