import Budgets
import LedgerCore

/// Reads a budget file (`Ledgers/<name>/budget-YYYY.csv`) into budget lines for one fiscal
/// year, refusing any bad row with its line number.
///
/// Columns, in this order, with this header: `district,code,name_en,name_id,component,
/// category,amount[,currency]`. `amount` is in the line's currency, in major units with a
/// `.` for decimals and no thousands separators, symbol or currency (`450000000`,
/// `12500.50`), and anything else is refused; `currency` is an
/// ISO 4217 code and defaults to the ledger's base currency.
public enum BudgetFileLoader {
    public static let columns = ["district", "code", "name_en", "name_id", "component", "category", "amount"]
    public static let optionalColumn = "currency"
    /// Lines one budget file may hold.
    public static let linesMax = 10_000

    /// What the rows are checked against, besides their own shape.
    public struct Context: Sendable {
        public var fiscalYear: Int
        public var baseCurrency: Currency
        /// The ledger's district codes.
        public var districts: Set<String>
        /// The policy's categories.
        public var categories: Set<String>

        public init(fiscalYear: Int, baseCurrency: Currency, districts: Set<String>, categories: Set<String>) {
            self.fiscalYear = fiscalYear
            self.baseCurrency = baseCurrency
            self.districts = districts
            self.categories = categories
        }
    }

    /// The file's lines, each with the place it was read from.
    /// - Throws: `SetupError` at the file, the header or the row: `csvSyntax`,
    ///   `csvHeaderInvalid`, `csvFieldCount`, `emptyValue`, `codeInvalid`, `textInvalid`,
    ///   `amountInvalid`, `currencyUnknown`, `duplicateCode`, `budgetRejected`
    ///   (unknown district or category, negative amount), `tooManyItems`.
    public static func load(path: String, context: Context) throws(SetupError) -> [(line: BudgetLine, location: InputLocation)] {
        let records = try CSVReader.records(try YAMLFile.read(path: path), file: path)
        guard let header = records.first else {
            throw .emptyValue(InputLocation(file: path, line: 1), field: "header")
        }
        let names = header.fields.map { TextRules.cleaned($0).lowercased() }
        let hasCurrency = names == columns + [optionalColumn]
        guard names == columns || hasCurrency else {
            throw .csvHeaderInvalid(InputLocation(file: path, line: header.line), expected: columns + [optionalColumn],
                                    found: header.fields)
        }
        guard records.count - 1 <= linesMax else {
            throw .tooManyItems(InputLocation(file: path, line: 0), field: "lines", count: records.count - 1, max: linesMax)
        }
        var lines: [(line: BudgetLine, location: InputLocation)] = []
        var seen: Set<BudgetLineKey> = []
        for record in records.dropFirst() {
            let location = InputLocation(file: path, line: record.line)
            guard record.fields.count == names.count else {
                throw .csvFieldCount(location, expected: names.count, found: record.fields.count)
            }
            let line = try readLine(record, hasCurrency: hasCurrency, context: context, location: location)
            guard seen.insert(line.key).inserted else {
                throw .duplicateCode(location, field: "code", code: line.key.description)
            }
            lines.append((line, location))
        }
        guard !lines.isEmpty else { throw .budgetRejected(InputLocation(file: path, line: 0), field: "lines", reason: .noLines) }
        return lines
    }

    private static func readLine(
        _ record: CSVReader.Record, hasCurrency: Bool, context: Context, location: InputLocation
    ) throws(SetupError) -> BudgetLine {
        func value(_ column: Int, _ name: String) throws(SetupError) -> String {
            let text = TextRules.cleaned(record.fields[column])
            guard !text.isEmpty else { throw .emptyValue(location, field: name) }
            return text
        }
        func text(_ column: Int, _ name: String, max: Int) throws(SetupError) -> String {
            let text = try value(column, name)
            try YAMLMapping.checkText(text, at: location, field: name, max: max)
            return text
        }
        let district = try value(0, "district")
        guard context.districts.contains(district) else {
            throw .budgetRejected(location, field: "district", reason: .districtUnknown(field: "district", code: district))
        }
        let code = try value(1, "code")
        guard BudgetLine.isValidCode(code)
        else { throw .codeInvalid(location, field: "code", value: code) }
        let category = try value(5, "category")
        guard context.categories.contains(category) else {
            throw .budgetRejected(location, field: "category", reason: .categoryUnknown(
                field: "category", category: category, known: context.categories.sorted()))
        }
        var currency = context.baseCurrency
        if hasCurrency {
            currency = try YAMLMapping.currency(try value(7, "currency"), at: location, field: "currency")
        }
        let amount = try plainAmount(try value(6, "amount"), currency: currency, location: location)
        guard !amount.isNegative else {
            throw .budgetRejected(location, field: "amount", reason: .amountNegative(field: "amount", amount: amount))
        }
        return BudgetLine(
            key: BudgetLineKey(fiscalYear: context.fiscalYear, district: district, code: code),
            nameEn: try text(2, "name_en", max: Limits.descriptionLengthMax),
            nameId: try text(3, "name_id", max: Limits.descriptionLengthMax),
            component: try text(4, "component", max: Limits.descriptionLengthMax),
            category: category, amount: amount)
    }

    /// The amount in the file's one notation: major units, `.` for decimals, no grouping,
    /// symbol or currency (`450000000`, `12500.50`). Anything else is refused — a budget
    /// file read with the wrong decimal mark would be off by a factor of a hundred.
    /// - Throws: `amountInvalid` with the reason the general parser gives, or the first
    ///   character outside the notation.
    private static func plainAmount(_ text: String, currency: Currency, location: InputLocation) throws(SetupError) -> Money {
        var bytes = text
        if let amount = bytes.withUTF8({ Money.plainDecimal($0, currency: currency) }) { return amount }
        let reason: AmountParseError
        do {
            _ = try Money.parse(text, currency: currency, field: "amount")
            // Readable in some notation, but not in this file's one.
            let first = text.first { !("0"..."9").contains($0) && $0 != "." && $0 != "-" } ?? text.first ?? " "
            reason = .unexpectedCharacter(first)
        } catch {
            guard case .amountInvalid(_, _, let parseReason) = error else {
                throw .amountInvalid(location, field: "amount", reason: error)
            }
            reason = parseReason
        }
        throw .amountInvalid(location, field: "amount", reason: .amountInvalid(field: "amount", text: text, reason: reason))
    }
}
