import ArgumentParser
import LedgerCore
import LedgerStore

/// `neraca verify`: re-checks the hash chain, every entry's balance and the stored balances.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the hash chain and check every entry and balance; exit 1 naming the first problem.")

    @OptionGroup var store: StoreOptions

    func run() throws {
        let report = try store.openExisting().verify()
        guard report.passed else {
            Output.error("error: verify: \(report.problems.count) problem(s); first: \(report.problems[0])")
            for problem in report.problems.dropFirst() { Output.error("problem: \(problem)") }
            throw CommandFailure(nil)
        }
        Output.line("ok: \(report.entriesChecked) entries, \(report.postingsChecked) postings; chain head \(report.chainHead.hex)")
    }
}
