import ArgumentParser
import LedgerCore
import LedgerStore

/// `neraca show JE-2024-000123`: one entry with its postings, hash and reversal links.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print one entry by its number.")

    @OptionGroup var store: StoreOptions

    @Argument(help: "The entry number, e.g. JE-2024-000123.")
    var number: String

    @Option(name: .long, help: "table or json.")
    var format: OutputFormat = .table

    @Option(name: .long, help: "Language of amounts: en or id.")
    var lang: AmountLocale = .en

    func run() throws {
        let parsed = try EntryNumber(parsing: number)
        guard let entry = try store.openExisting().entry(parsed) else {
            throw LedgerError.entryNotFound(number: number)
        }
        switch format {
        case .json, .csv:
            Output.line(try JSONOutput.string(EntryJSON(entry)))
        case .table:
            let draft = entry.draft
            Output.line("\(entry.number)  \(draft.date)  \(draft.description)")
            Output.line("reference: \(draft.reference ?? "-")   source: \(draft.source.rawValue)   author: \(draft.author)")
            Output.line("posted at: \(entry.postedAt)   hash: \(entry.hash.hex)")
            if let rate = draft.exchangeRate { Output.line("exchange rate: \(rate)") }
            if let reverses = entry.reverses { Output.line("reverses: \(reverses)") }
            if let reversedBy = entry.reversedBy { Output.line("reversed by: \(reversedBy)") }
            var table = TextTable(
                headers: ["Account", "Debit", "Credit", "District", "Budget line", "Activity", "Funding", "Party", "Memo"],
                rightAligned: [1, 2])
            for posting in draft.postings {
                let amount = posting.amount
                let dimensions = posting.dimensions
                table.append([
                    posting.accountCode,
                    amount.minorUnits > 0 ? amount.formatted(lang) : "",
                    amount.minorUnits < 0 ? Money(minorUnits: -amount.minorUnits, currency: amount.currency).formatted(lang) : "",
                    dimensions.district ?? "", dimensions.budgetLine ?? "", dimensions.activity ?? "",
                    dimensions.fundingSource ?? "", dimensions.party ?? "", posting.memo ?? "",
                ])
            }
            Output.line(table.render())
        }
    }
}

/// The JSON shape of an entry: the input format of `neraca post` plus what posting added.
struct EntryJSON: Encodable {
    struct Posting: Encodable {
        let account: String
        let amount: String
        let currency: String
        let district: String?
        let budgetLine: String?
        let activity: String?
        let fundingSource: String?
        let party: String?
        let memo: String?
    }

    let number: String
    let date: String
    let description: String
    let reference: String?
    let source: String
    let author: String
    let idempotencyKey: String?
    let exchangeRate: String?
    let postedAt: String
    let reverses: String?
    let reversedBy: String?
    let hash: String
    let postings: [Posting]

    init(_ entry: PostedEntry) {
        let draft = entry.draft
        number = entry.number.description
        date = draft.date.description
        description = draft.description
        reference = draft.reference
        source = draft.source.rawValue
        author = draft.author
        idempotencyKey = draft.idempotencyKey
        exchangeRate = draft.exchangeRate?.description
        postedAt = entry.postedAt.description
        reverses = entry.reverses?.description
        reversedBy = entry.reversedBy?.description
        hash = entry.hash.hex
        postings = draft.postings.map {
            Posting(account: $0.accountCode, amount: $0.amount.plainDecimal, currency: $0.amount.currency.code,
                    district: $0.dimensions.district, budgetLine: $0.dimensions.budgetLine,
                    activity: $0.dimensions.activity, fundingSource: $0.dimensions.fundingSource,
                    party: $0.dimensions.party, memo: $0.memo)
        }
    }
}
