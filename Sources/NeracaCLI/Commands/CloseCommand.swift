import ArgumentParser
import LedgerCore
import LedgerStore

/// `neraca close --period 2024-06`: closes a month's books.
struct CloseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close", abstract: "Close a month: entries dated in it are refused from then on.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var author: AuthorOptions

    @Option(name: .long, help: "The month to close, YYYY-MM.")
    var period: Period

    func run() throws {
        let closed = try store.openExisting().close(period, by: author.resolved, now: Clock.now())
        Output.line("period \(closed.period) closed by \(closed.closedBy) at \(closed.closedAt); chain head \(closed.chainHead.hex)")
    }
}
