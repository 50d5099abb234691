import ArgumentParser
import LedgerCore
import LedgerStore

/// `neraca balance`: the trial balance, with debit and credit columns and their totals.
struct BalanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "balance", abstract: "Print the trial balance (debit and credit columns, totals per currency).")

    @OptionGroup var store: StoreOptions

    @Option(name: .customLong("as-of"), help: "Balances at the end of this day (YYYY-MM-DD).")
    var asOf: LedgerDate?

    @Option(name: .long, help: "Only postings of this district.")
    var district: String?

    @Option(name: .long, help: "table, csv or json.")
    var format: OutputFormat = .table

    @Option(name: .long, help: "Language of names and amounts in tables: en or id.")
    var lang: AmountLocale = .en

    func run() throws {
        let balance = try store.openExisting().trialBalance(asOf: asOf, district: district)
        Output.line(try TrialBalanceReport.render(balance, format: format, locale: lang))
    }
}

extension OutputFormat: ExpressibleByArgument {}

/// Renders a trial balance in each output format.
enum TrialBalanceReport {
    static func render(_ balance: TrialBalance, format: OutputFormat, locale: AmountLocale) throws -> String {
        switch format {
        case .table:
            var table = TextTable(
                headers: locale == .id ? ["Akun", "Nama", "Mata uang", "Debit", "Kredit"]
                    : ["Account", "Name", "Currency", "Debit", "Credit"],
                rightAligned: [3, 4])
            for line in balance.lines {
                table.append([
                    line.accountCode, locale == .id ? line.accountNameId : line.accountNameEn, line.debit.currency.code,
                    line.debit.isZero ? "" : line.debit.formattedNumber(locale),
                    line.credit.isZero ? "" : line.credit.formattedNumber(locale),
                ])
            }
            for total in balance.totals {
                table.append([locale == .id ? "Jumlah" : "Total", "", total.currency.code,
                              total.debit.formattedNumber(locale), total.credit.formattedNumber(locale)])
            }
            return table.render()
        case .csv:
            var lines = [CSV.row(["account", "name", "type", "currency", "debit", "credit", "balance"])]
            for line in balance.lines {
                lines.append(CSV.row([
                    line.accountCode, line.accountNameEn, line.accountType.rawValue, line.debit.currency.code,
                    line.debit.plainDecimal, line.credit.plainDecimal, line.net.plainDecimal,
                ]))
            }
            return lines.joined(separator: "\n")
        case .json:
            return try JSONOutput.string(TrialBalanceJSON(balance))
        }
    }
}

/// The JSON shape of a trial balance: amounts as plain decimal strings.
struct TrialBalanceJSON: Encodable {
    struct Line: Encodable {
        let account: String
        let name: String
        let nameId: String
        let type: String
        let currency: String
        let debit: String
        let credit: String
        let balance: String
    }

    struct Total: Encodable {
        let currency: String
        let debit: String
        let credit: String
    }

    let asOf: String?
    let district: String?
    let lines: [Line]
    let totals: [Total]

    init(_ balance: TrialBalance) {
        asOf = balance.asOf?.description
        district = balance.district
        lines = balance.lines.map {
            Line(account: $0.accountCode, name: $0.accountNameEn, nameId: $0.accountNameId, type: $0.accountType.rawValue,
                 currency: $0.debit.currency.code, debit: $0.debit.plainDecimal, credit: $0.credit.plainDecimal,
                 balance: $0.net.plainDecimal)
        }
        totals = balance.totals.map {
            Total(currency: $0.currency.code, debit: $0.debit.plainDecimal, credit: $0.credit.plainDecimal)
        }
    }
}
