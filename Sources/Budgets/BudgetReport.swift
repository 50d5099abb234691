import LedgerCore

/// One budget line with its figures: the unit every report is built from.
public struct BudgetLineFigures: Hashable, Sendable {
    public let line: CurrentBudgetLine
    public let figures: BudgetFigures

    public init(line: CurrentBudgetLine, figures: BudgetFigures) {
        self.line = line
        self.figures = figures
    }
}

/// Budget against actual for a fiscal year, grouped by line or by component, with a total
/// per district and for the whole program (per currency, should lines differ in currency).
public struct BudgetReport: Hashable, Sendable {
    public enum Grouping: String, Sendable, CaseIterable {
        case line, component, month
    }

    public struct Row: Hashable, Sendable {
        public enum Kind: String, Hashable, Sendable {
            case line, component
            case districtTotal = "district-total"
            case programTotal = "program-total"
        }

        public let kind: Kind
        /// nil on program totals.
        public let district: String?
        /// The line code, on line rows.
        public let code: String?
        /// The line's name, the component, or nil on totals.
        public let name: String?
        /// The line's name in Bahasa Indonesia (the component's name on component rows).
        public let nameId: String?
        public let figures: BudgetFigures
    }

    public let fiscalYear: Int
    public let rows: [Row]

    /// Lines in order (district, then code), each district followed by its total, then
    /// the program total.
    /// - Throws: `amountOverflow` when a total passes `Int64.max`.
    public static func byLine(_ lines: [BudgetLineFigures], fiscalYear: Int) throws(LedgerError) -> BudgetReport {
        try grouped(lines, fiscalYear: fiscalYear) { district, lines throws(LedgerError) in
            lines.sorted { $0.line.line.key < $1.line.line.key }.map {
                Row(kind: .line, district: district, code: $0.line.line.key.code, name: $0.line.line.nameEn,
                    nameId: $0.line.line.nameId, figures: $0.figures)
            }
        }
    }

    /// Components per district (in order of name), each district followed by its total,
    /// then the program total.
    public static func byComponent(_ lines: [BudgetLineFigures], fiscalYear: Int) throws(LedgerError) -> BudgetReport {
        try grouped(lines, fiscalYear: fiscalYear) { district, lines throws(LedgerError) in
            var rows: [Row] = []
            let components = Dictionary(grouping: lines) { ComponentKey(name: $0.line.line.component, currency: $0.figures.currency) }
            for key in components.keys.sorted(by: { ($0.name, $0.currency.code) < ($1.name, $1.currency.code) }) {
                let figures = try sum(components[key] ?? [], currency: key.currency)
                rows.append(Row(kind: .component, district: district, code: nil, name: key.name, nameId: key.name,
                                figures: figures))
            }
            return rows
        }
    }

    private struct ComponentKey: Hashable {
        let name: String
        let currency: Currency
    }

    private static func grouped(
        _ lines: [BudgetLineFigures], fiscalYear: Int,
        rowsOf: (String, [BudgetLineFigures]) throws(LedgerError) -> [Row]
    ) throws(LedgerError) -> BudgetReport {
        var rows: [Row] = []
        let byDistrict = Dictionary(grouping: lines) { $0.line.line.key.district }
        for district in byDistrict.keys.sorted() {
            let districtLines = byDistrict[district] ?? []
            rows += try rowsOf(district, districtLines)
            for (_, total) in try totals(districtLines) {
                rows.append(Row(kind: .districtTotal, district: district, code: nil, name: nil, nameId: nil, figures: total))
            }
        }
        for (_, total) in try totals(lines) {
            rows.append(Row(kind: .programTotal, district: nil, code: nil, name: nil, nameId: nil, figures: total))
        }
        return BudgetReport(fiscalYear: fiscalYear, rows: rows)
    }

    /// Sums per currency, in currency-code order.
    static func totals(_ lines: [BudgetLineFigures]) throws(LedgerError) -> [(Currency, BudgetFigures)] {
        let byCurrency = Dictionary(grouping: lines) { $0.figures.currency }
        var result: [(Currency, BudgetFigures)] = []
        for currency in byCurrency.keys.sorted() {
            result.append((currency, try sum(byCurrency[currency] ?? [], currency: currency)))
        }
        return result
    }

    static func sum(_ lines: [BudgetLineFigures], currency: Currency) throws(LedgerError) -> BudgetFigures {
        var total = BudgetFigures.zero(currency)
        for line in lines { total = try total.adding(line.figures) }
        return total
    }
}

/// Spending per month against the year's revised budget: the burn rate.
public struct BudgetMonthRow: Hashable, Sendable {
    /// nil on program rows.
    public let district: String?
    public let month: Period
    /// Net expense postings on the district's (or program's) budget lines in the month.
    public let actual: Money
    /// From the start of the fiscal year to the end of the month.
    public let cumulative: Money
    /// The revised budget of the district (or program) for the year.
    public let revised: Money

    /// `cumulative / revised` in tenths of a percent, half-even; nil for a zero budget.
    public var cumulativePerMille: Int64? { BudgetFigures.perMille(cumulative.minorUnits, of: revised.minorUnits) }

    /// Rows per district then for the program, one per month that has spending.
    /// - Parameter monthly: net spending per line and month.
    /// - Throws: `amountOverflow`.
    public static func rows(
        lines: [BudgetLineFigures], monthly: [(line: BudgetLineKey, month: Period, actual: Money)]
    ) throws(LedgerError) -> [BudgetMonthRow] {
        let budgeted = Dictionary(lines.map { ($0.line.line.key, $0) }, uniquingKeysWith: { first, _ in first })
        struct Scope: Hashable { let district: String?; let currency: Currency }
        var revised: [Scope: Money] = [:]
        for line in lines {
            for scope in [Scope(district: line.line.line.key.district, currency: line.figures.currency),
                          Scope(district: nil, currency: line.figures.currency)] {
                revised[scope] = try (revised[scope] ?? .zero(scope.currency)).adding(line.figures.revised)
            }
        }
        // A report for one district needs no program rows repeating it.
        let oneDistrict = Set(lines.map(\.line.line.key.district)).count <= 1
        var spent: [Scope: [Period: Money]] = [:]
        for item in monthly where budgeted[item.line] != nil {
            for scope in [Scope(district: item.line.district, currency: item.actual.currency)]
                + (oneDistrict ? [] : [Scope(district: nil, currency: item.actual.currency)]) {
                let before = spent[scope, default: [:]][item.month] ?? .zero(scope.currency)
                spent[scope, default: [:]][item.month] = try before.adding(item.actual)
            }
        }
        var rows: [BudgetMonthRow] = []
        let scopes = spent.keys.sorted {
            ($0.district == nil ? 1 : 0, $0.district ?? "", $0.currency.code) < ($1.district == nil ? 1 : 0, $1.district ?? "", $1.currency.code)
        }
        for scope in scopes {
            var cumulative = Money.zero(scope.currency)
            for (month, actual) in (spent[scope] ?? [:]).sorted(by: { $0.key < $1.key }) {
                cumulative = try cumulative.adding(actual)
                rows.append(BudgetMonthRow(
                    district: scope.district, month: month, actual: actual, cumulative: cumulative,
                    revised: revised[scope] ?? .zero(scope.currency)))
            }
        }
        return rows
    }
}
