import Budgets
import LedgerCore
import LedgerStore

/// How budget lines, revisions and reports are printed, in each output format.
enum BudgetRendering {
    /// The line `key` as it stands.
    /// - Throws: `BudgetError.lineUnknown` naming `field`.
    static func line(_ key: BudgetLineKey, in database: LedgerDatabase, field: String) throws -> CurrentBudgetLine {
        guard let line = try database.budgetLines(fiscalYear: key.fiscalYear, district: key.district)
            .first(where: { $0.line.key == key }) else {
            throw BudgetError.lineUnknown(field: field, line: key)
        }
        return line
    }

    /// One line per revision: number, kind, approval, then each line's before → after.
    static func describe(_ revision: BudgetRevision) -> String {
        var text = "revision \(revision.number) (\(revision.fiscalYear), \(revision.kind.rawValue)): \(revision.reason);"
            + " approved by \(revision.approvedBy) on \(revision.approvedOn)"
        for change in revision.changes {
            let before = change.before.map { $0.formatted(.en) } ?? "new"
            text += "\n  \(change.line): \(before) -> \(change.after.formatted(.en))"
        }
        return text
    }

    static func lines(_ lines: [CurrentBudgetLine], format: OutputFormat, locale: AmountLocale) throws -> String {
        switch format {
        case .table:
            var table = TextTable(
                headers: locale == .id
                    ? ["Kab.", "Kode", "Nama", "Komponen", "Kategori", "Mata uang", "Pagu awal", "Pagu revisi"]
                    : ["District", "Code", "Name", "Component", "Category", "Currency", "Budget", "Revised"],
                rightAligned: [6, 7])
            for current in lines {
                let line = current.line
                table.append([line.key.district, line.key.code, locale == .id ? line.nameId : line.nameEn,
                              line.component, line.category, line.amount.currency.code,
                              line.amount.formattedNumber(locale), current.revised.formattedNumber(locale)])
            }
            return table.render()
        case .csv:
            var rows = [CSV.row(["year", "district", "code", "name_en", "name_id", "component", "category", "currency",
                                 "budget", "revised"])]
            for current in lines {
                let line = current.line
                rows.append(CSV.row([String(line.key.fiscalYear), line.key.district, line.key.code, line.nameEn, line.nameId,
                                     line.component, line.category, line.amount.currency.code, line.amount.plainDecimal,
                                     current.revised.plainDecimal]))
            }
            return rows.joined(separator: "\n")
        case .json:
            return try JSONOutput.string(lines.map(BudgetLineJSON.init))
        }
    }

    /// `93.5` for 935 per mille (`93,5` in Indonesian); empty for a zero budget. CSV and
    /// JSON always use `.`.
    static func percent(_ perMille: Int64?, _ locale: AmountLocale = .en) -> String {
        guard let perMille else { return "" }
        let sign = perMille < 0 ? "-" : ""
        let magnitude = perMille.magnitude
        return "\(sign)\(magnitude / 10)\(locale == .id ? "," : ".")\(magnitude % 10)"
    }
}

struct BudgetLineJSON: Encodable {
    let year: Int
    let district: String
    let code: String
    let nameEn: String
    let nameId: String
    let component: String
    let category: String
    let currency: String
    let budget: String
    let revised: String

    init(_ current: CurrentBudgetLine) {
        let line = current.line
        year = line.key.fiscalYear
        district = line.key.district
        code = line.key.code
        nameEn = line.nameEn
        nameId = line.nameId
        component = line.component
        category = line.category
        currency = line.amount.currency.code
        budget = line.amount.plainDecimal
        revised = current.revised.plainDecimal
    }
}
