import ArgumentParser
import LedgerCore
import LedgerStore

/// `neraca register ACCOUNT`: an account's postings with a running balance.
struct RegisterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register", abstract: "Print an account's postings with the running balance.")

    @OptionGroup var store: StoreOptions

    @Argument(help: "The account code.")
    var account: String

    @Option(name: .long, help: "First day (YYYY-MM-DD); earlier postings form the opening balance.")
    var from: LedgerDate?

    @Option(name: .long, help: "Last day (YYYY-MM-DD).")
    var to: LedgerDate?

    @Option(name: .long, help: "table, csv or json.")
    var format: OutputFormat = .table

    @Option(name: .long, help: "Language of amounts in tables: en or id.")
    var lang: AmountLocale = .en

    func validate() throws {
        if let from, let to, to < from {
            throw ValidationError("--to \(to) is before --from \(from)")
        }
    }

    func run() throws {
        let register = try store.openExisting().register(account: account, from: from, to: to)
        switch format {
        case .table:
            var table = TextTable(
                headers: ["Date", "Entry", "Description", "Reference", "Amount", "Balance"], rightAligned: [4, 5])
            for opening in register.openingBalances {
                table.append([from?.description ?? "", "", "Opening balance", "", "", opening.formatted(lang)])
            }
            for line in register.lines {
                table.append([line.date.description, line.number.description, line.description, line.reference ?? "",
                              line.amount.formatted(lang), line.runningBalance.formatted(lang)])
            }
            Output.line("\(register.account.code)  \(lang == .id ? register.account.nameId : register.account.nameEn)")
            Output.line(table.render())
        case .csv:
            Output.line(CSV.row(["date", "entry", "description", "reference", "currency", "amount", "balance",
                                 "district", "budget_line", "activity", "funding_source", "party"]))
            for line in register.lines {
                let dimensions = line.dimensions
                Output.line(CSV.row([
                    line.date.description, line.number.description, line.description, line.reference ?? "",
                    line.amount.currency.code, line.amount.plainDecimal, line.runningBalance.plainDecimal,
                    dimensions.district ?? "", dimensions.budgetLine ?? "", dimensions.activity ?? "",
                    dimensions.fundingSource ?? "", dimensions.party ?? "",
                ]))
            }
        case .json:
            Output.line(try JSONOutput.string(RegisterJSON(register)))
        }
    }
}

/// The JSON shape of a register.
struct RegisterJSON: Encodable {
    struct Line: Encodable {
        let date: String
        let entry: String
        let description: String
        let reference: String?
        let currency: String
        let amount: String
        let balance: String
        let district: String?
        let budgetLine: String?
    }

    let account: String
    let opening: [String: String]
    let lines: [Line]

    init(_ register: AccountRegister) {
        account = register.account.code
        opening = Dictionary(uniqueKeysWithValues: register.openingBalances.map { ($0.currency.code, $0.plainDecimal) })
        lines = register.lines.map {
            Line(date: $0.date.description, entry: $0.number.description, description: $0.description,
                 reference: $0.reference, currency: $0.amount.currency.code, amount: $0.amount.plainDecimal,
                 balance: $0.runningBalance.plainDecimal, district: $0.dimensions.district,
                 budgetLine: $0.dimensions.budgetLine)
        }
    }
}
