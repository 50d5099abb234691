import ArgumentParser
import AuditExport
import Foundation
import LedgerCore
import LedgerStore

/// `neraca verify [BUNDLE]`: checks the database, or an audit bundle offline.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the hash chain and check every entry and balance; exit 1 naming the first problem.",
        discussion: """
            Without BUNDLE, checks the database (--db). With BUNDLE, the directory `neraca export` \
            wrote, checks it offline: every file against manifest.json, the hash chain from the \
            year's start head to its end head, every entry balanced, the trial balance against the \
            journal, the control totals and every receipt; each problem is named by file, row and field.
            """)

    @OptionGroup var store: StoreOptions

    @Argument(help: "An audit bundle written by `neraca export`: its directory, or its .zip.")
    var bundle: String?

    func run() throws {
        if let bundle { return try verifyBundle(bundle) }
        let report = try store.openExisting().verify()
        guard report.passed else {
            Output.error("error: verify: \(report.problems.count) problem(s); first: \(report.problems[0])")
            for problem in report.problems.dropFirst() { Output.error("problem: \(problem)") }
            throw CommandFailure(nil)
        }
        Output.line("ok: \(report.entriesChecked) entries, \(report.postingsChecked) postings; chain head \(report.chainHead.hex)")
    }

    private func verifyBundle(_ directory: String) throws {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory)
        guard exists, isDirectory.boolValue || directory.hasSuffix(".zip") else {
            throw CommandFailure("error: bundle: '\(directory)' is neither a bundle directory nor a bundle zip")
        }
        let result = BundleVerifier.verify(bundleAt: directory)
        guard result.passed else {
            let more = result.problemsNotShown > 0 ? " (\(result.problemsNotShown) more not shown)" : ""
            Output.error("error: verify: \(result.problems.count + result.problemsNotShown) problem(s) in \(directory)\(more)")
            for problem in result.problems { Output.error("problem: \(problem)") }
            throw CommandFailure(nil)
        }
        let manifest = result.manifest
        Output.line("ok: bundle \(manifest?.ledger ?? "") \(manifest?.fiscalYear ?? 0): \(manifest?.files.count ?? 0) files, "
            + "\(result.entriesChecked) entries")
        // In full: the start head is the end head of the year before, the end head what the
        // ledger's own `verify` prints, or the next year's start.
        Output.line("chain start \(manifest?.chain.startHead ?? "")")
        Output.line("chain end   \(manifest?.chain.endHead ?? "")")
    }
}
