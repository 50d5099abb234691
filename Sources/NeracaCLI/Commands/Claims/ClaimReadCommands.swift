import ArgumentParser
import FeeClaims
import LedgerCore
import LedgerStore

/// `neraca claim show`: lines, receipts, approvals, entries and the event trail.
struct ClaimShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a claim and its trail.")

    @OptionGroup var store: StoreOptions

    @Argument(help: "The claim, FC-DISTRICT-YEAR-NNNN.")
    var claim: ClaimNumber

    func run() throws {
        let detail = try store.openExisting().claim(claim)
        let claim = detail.snapshot
        let header = claim.header
        Output.line("\(claim.number)  \(claim.state.rawValue)  version \(claim.version)  revision \(claim.revision)")
        Output.line("claimant \(header.claimant)  district \(header.district)  budget line \(header.budgetLine)")
        Output.line("activity \(header.activity), \(header.activityFrom) to \(header.activityTo)")
        var table = TextTable(headers: ["#", "Category", "Quantity", "Unit", "Rate", "Amount", "Memo"], rightAligned: [2, 4, 5])
        for (index, line) in detail.lines.enumerated() {
            table.append([String(index + 1), line.category.rawValue, String(line.quantity), line.unit,
                          line.unitRate.formattedNumber(.en), (try? line.amount().formattedNumber(.en)) ?? "overflow",
                          line.memo ?? ""])
        }
        Output.line(table.render())
        Output.line("total \(claim.amount.formatted(.en))  owed \(detail.owed.formatted(.en))")
        for receipt in detail.receipts {
            Output.line("receipt \(receipt.fileName)  \(receipt.mediaType.rawValue)  \(receipt.size) bytes  \(receipt.sha256.hex)"
                + (receipt.vendorReceipt.map { "  \($0.description)" } ?? ""))
        }
        if !claim.approvals.isEmpty { Output.line("approved by " + claim.approvals.joined(separator: ", ")) }
        for entry in detail.entries { Output.line("entry \(entry.number) (\(entry.kind))") }
        Output.line(ClaimHistoryCommand.render(detail.events))
    }
}

/// `neraca claim history`: the event trail.
struct ClaimHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "A claim's event trail.")

    @OptionGroup var store: StoreOptions

    @Argument(help: "The claim, FC-DISTRICT-YEAR-NNNN.")
    var claim: ClaimNumber

    func run() throws {
        Output.line(Self.render(try store.openExisting().claim(claim).events))
    }

    static func render(_ events: [ClaimEvent]) -> String {
        var table = TextTable(headers: ["#", "Action", "By", "From", "To", "Comment", "Version hash"])
        for event in events {
            table.append([String(event.sequence), event.action, event.actor, event.from?.rawValue ?? "", event.to.rawValue,
                          event.comment ?? "", String(event.versionHash.hex.prefix(16))])
        }
        return table.render()
    }
}

/// `neraca claim list`: claims by state, district, claimant and period.
struct ClaimListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List claims.")

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "draft, submitted, returned, approved, on-hold, rejected, withdrawn, posted, paid, reversed.")
    var state: String?

    @Option(name: .long, help: "Only this district.")
    var district: String?

    @Option(name: .long, help: "Only this claimant.")
    var claimant: String?

    @Option(name: .long, help: "Activities from this date.")
    var from: LedgerDate?

    @Option(name: .long, help: "Activities up to this date.")
    var to: LedgerDate?

    @Option(name: .long, help: "table or csv.")
    var format: OutputFormat = .table

    func run() throws {
        let wanted = try state.map { text in
            guard let state = ClaimState(rawValue: text) else {
                throw CommandFailure("error: state: '\(text)' is not a claim state")
            }
            return state
        }
        let claims = try store.openExisting().claims(state: wanted, district: district, claimant: claimant, from: from, to: to)
        let headers = ["claim", "claimant", "state", "activity", "from", "amount"]
        let rows = claims.map {
            [$0.number.description, $0.claimant, $0.state.rawValue, $0.activity, $0.activityFrom.description,
             format == .table ? $0.amount.formattedNumber(.en) : $0.amount.plainDecimal]
        }
        if format == .table {
            var table = TextTable(headers: headers, rightAligned: [5])
            rows.forEach { table.append($0) }
            Output.line(table.render())
        } else {
            Output.line(([headers] + rows).map(CSV.row).joined(separator: "\n"))
        }
    }
}
