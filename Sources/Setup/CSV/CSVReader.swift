/// A CSV file (RFC 4180) as records of fields, each record with the line it starts on.
///
/// Fields are separated by commas; a field in double quotes may hold commas, line breaks
/// and doubled quotes (`""`). CRLF and LF line ends are both accepted, a leading UTF-8
/// byte-order mark (spreadsheet exports) is skipped, and blank lines are ignored.
struct CSVReader {
    struct Record {
        /// 1-based line of the record's first character.
        let line: Int
        let fields: [String]
    }

    /// Splits `text` into records.
    /// - Throws: `SetupError.csvSyntax` at the line of an unclosed quote or of text after a
    ///   closing quote.
    static func records(_ text: String, file: String) throws(SetupError) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quoteOpenedOn = 0
        var afterClosingQuote = false
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            afterClosingQuote = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields.removeAll(keepingCapacity: true)
        }

        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                        afterClosingQuote = true
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
            } else {
                switch byte {
                case UInt8(ascii: ","):
                    endField()
                case UInt8(ascii: "\n"):
                    endRecord()
                    line += 1
                    recordLine = line
                case UInt8(ascii: "\r") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n"):
                    break  // the LF that follows ends the record
                case UInt8(ascii: "\"") where field.isEmpty && !afterClosingQuote:
                    inQuotes = true
                    quoteOpenedOn = line
                default:
                    guard !afterClosingQuote else {
                        throw .csvSyntax(InputLocation(file: file, line: line), problem: "text after a closing quote")
                    }
                    field.append(byte)
                }
            }
            index += 1
        }
        guard !inQuotes else {
            throw .csvSyntax(InputLocation(file: file, line: quoteOpenedOn), problem: "a quote opened here is never closed")
        }
        if !field.isEmpty || !fields.isEmpty || afterClosingQuote { endRecord() }
        return records
    }
}
