import ArgumentParser
import Budgets
import LedgerCore
import LedgerStore

/// `neraca budget report --year Y`: budget against actual, committed and available.
struct BudgetReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Budget vs actual: budget, revised, actual, committed, available, % used, variance.",
        discussion: """
            --by line (default) and --by component give a row per line or component, a total per
            district and one for the program; --by month gives spending per month against the
            year's revised budget (the burn rate).
            """)

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "The fiscal year.")
    var year: Int

    @Option(name: .long, help: "Only this district.")
    var district: String?

    @Option(name: .long, help: "line, component or month.")
    var by: BudgetReport.Grouping = .line

    @Option(name: .long, help: "table, csv or json.")
    var format: OutputFormat = .table

    @Option(name: .long, help: "Language of names and amounts in tables: en or id.")
    var lang: AmountLocale = .en

    func run() throws {
        let database = try store.openExisting()
        if let district, try !database.districts().contains(where: { $0.code == district }) {
            throw LedgerError.districtUnknown(field: "district", code: district)
        }
        let lines = try database.budgetFigures(fiscalYear: year, district: district)
        switch by {
        case .line, .component:
            let report = by == .line
                ? try BudgetReport.byLine(lines, fiscalYear: year) : try BudgetReport.byComponent(lines, fiscalYear: year)
            Output.line(try BudgetReportRendering.render(report, grouping: by, format: format, locale: lang))
        case .month:
            let rows = try BudgetMonthRow.rows(
                lines: lines, monthly: try database.budgetMonthlySpending(fiscalYear: year, district: district))
            Output.line(try BudgetReportRendering.render(rows, year: year, format: format, locale: lang))
        }
    }
}

extension BudgetReport.Grouping: ExpressibleByArgument {}

enum BudgetReportRendering {
    static func render(
        _ report: BudgetReport, grouping: BudgetReport.Grouping, format: OutputFormat, locale: AmountLocale
    ) throws -> String {
        switch format {
        case .table:
            let id = locale == .id
            let withCode = grouping == .line
            let figureHeaders = id
                ? ["Mata uang", "Pagu awal", "Pagu revisi", "Realisasi", "Komitmen", "Sisa", "% terpakai", "Selisih"]
                : ["Currency", "Budget", "Revised", "Actual", "Committed", "Available", "% used", "Variance"]
            let leading = (id ? ["Kab."] : ["District"]) + (withCode ? [id ? "Kode" : "Code"] : [])
                + [id ? "Uraian" : "Name"]
            var table = TextTable(
                headers: leading + figureHeaders, rightAligned: Set((leading.count + 1)..<(leading.count + figureHeaders.count)))
            for row in report.rows {
                let figures = row.figures
                let name: String
                switch row.kind {
                case .line, .component: name = (id ? row.nameId : row.name) ?? ""
                case .districtTotal: name = id ? "Jumlah \(row.district ?? "")" : "Total \(row.district ?? "")"
                case .programTotal: name = id ? "Jumlah program" : "Program total"
                }
                let district = row.kind == .programTotal ? "" : row.district ?? ""
                table.append([district] + (withCode ? [row.code ?? ""] : []) + [name] + [
                    figures.currency.code,
                    figures.original.formattedNumber(locale), figures.revised.formattedNumber(locale),
                    figures.actual.formattedNumber(locale), figures.committed.formattedNumber(locale),
                    figures.available.formattedNumber(locale), BudgetRendering.percent(figures.usedPerMille, locale),
                    figures.variance.formattedNumber(locale),
                ])
            }
            return table.render()
        case .csv:
            var rows = [CSV.row(["year", "row", "district", "code", "name", "name_id", "currency", "budget", "revised",
                                 "actual", "committed", "available", "used_percent", "variance"])]
            for row in report.rows {
                let figures = row.figures
                rows.append(CSV.row([
                    String(report.fiscalYear), row.kind.rawValue, row.district ?? "", row.code ?? "", row.name ?? "",
                    row.nameId ?? "", figures.currency.code, figures.original.plainDecimal, figures.revised.plainDecimal,
                    figures.actual.plainDecimal, figures.committed.plainDecimal, figures.available.plainDecimal,
                    BudgetRendering.percent(figures.usedPerMille), figures.variance.plainDecimal,
                ]))
            }
            return rows.joined(separator: "\n")
        case .json:
            return try JSONOutput.string(BudgetReportJSON(report))
        }
    }

    static func render(_ rows: [BudgetMonthRow], year: Int, format: OutputFormat, locale: AmountLocale) throws -> String {
        switch format {
        case .table:
            let id = locale == .id
            var table = TextTable(
                headers: id ? ["Kab.", "Bulan", "Mata uang", "Realisasi", "Kumulatif", "Pagu revisi", "% terpakai"]
                    : ["District", "Month", "Currency", "Actual", "Cumulative", "Revised budget", "% used"],
                rightAligned: [3, 4, 5, 6])
            for row in rows {
                table.append([row.district ?? "Program", row.month.description, row.actual.currency.code,
                              row.actual.formattedNumber(locale), row.cumulative.formattedNumber(locale),
                              row.revised.formattedNumber(locale), BudgetRendering.percent(row.cumulativePerMille, locale)])
            }
            return table.render()
        case .csv:
            var lines = [CSV.row(["year", "district", "month", "currency", "actual", "cumulative", "revised",
                                  "cumulative_used_percent"])]
            for row in rows {
                lines.append(CSV.row([String(year), row.district ?? "", row.month.description, row.actual.currency.code,
                                      row.actual.plainDecimal, row.cumulative.plainDecimal, row.revised.plainDecimal,
                                      BudgetRendering.percent(row.cumulativePerMille)]))
            }
            return lines.joined(separator: "\n")
        case .json:
            return try JSONOutput.string(rows.map(BudgetMonthJSON.init))
        }
    }
}

struct BudgetReportJSON: Encodable {
    struct Row: Encodable {
        let row: String
        let district: String?
        let code: String?
        let name: String?
        let nameId: String?
        let currency: String
        let budget: String
        let revised: String
        let actual: String
        let committed: String
        let available: String
        let usedPercent: String?
        let variance: String
    }

    let year: Int
    let rows: [Row]

    init(_ report: BudgetReport) {
        year = report.fiscalYear
        rows = report.rows.map { row in
            let figures = row.figures
            let percent = BudgetRendering.percent(figures.usedPerMille)
            return Row(row: row.kind.rawValue, district: row.district, code: row.code, name: row.name,
                       nameId: row.nameId, currency: figures.currency.code, budget: figures.original.plainDecimal,
                       revised: figures.revised.plainDecimal, actual: figures.actual.plainDecimal,
                       committed: figures.committed.plainDecimal, available: figures.available.plainDecimal,
                       usedPercent: percent.isEmpty ? nil : percent, variance: figures.variance.plainDecimal)
        }
    }
}

struct BudgetMonthJSON: Encodable {
    let district: String?
    let month: String
    let currency: String
    let actual: String
    let cumulative: String
    let revised: String
    let cumulativeUsedPercent: String?

    init(_ row: BudgetMonthRow) {
        district = row.district
        month = row.month.description
        currency = row.actual.currency.code
        actual = row.actual.plainDecimal
        cumulative = row.cumulative.plainDecimal
        revised = row.revised.plainDecimal
        let percent = BudgetRendering.percent(row.cumulativePerMille)
        cumulativeUsedPercent = percent.isEmpty ? nil : percent
    }
}
