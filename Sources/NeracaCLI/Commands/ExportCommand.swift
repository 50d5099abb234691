import ArgumentParser
import AuditExport
import Foundation
import LedgerStore

/// `neraca export --year Y --out DIR`: the audit bundle of a fiscal year.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a fiscal year as an audit bundle: journal, trial balance, general ledger, budget, claims, findings, hledger and FEC files, manifest.",
        discussion: "The directory must be new or empty. Check the bundle with `neraca verify DIR`.")

    /// What `manifest.json` names as the tool.
    static let toolVersion = "neraca 0.6"

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "The fiscal year.")
    var year: Int

    @Option(name: .long, help: "The bundle directory to create.")
    var out: String

    @Flag(name: .long, help: "Also write DIR.zip holding the bundle (stored, not compressed).")
    var zip = false

    func validate() throws {
        guard (1900...9999).contains(year) else { throw ValidationError("--year \(year) is not a year of four digits") }
    }

    func run() throws {
        let summary = try AuditExporter(database: try store.openExisting(), toolVersion: Self.toolVersion)
            .export(fiscalYear: year, to: out, zip: zip, now: Clock.now())
        let manifest = summary.manifest
        Output.line("exported \(manifest.ledger) \(manifest.fiscalYear) to \(out): \(manifest.entries) entries, "
            + "\(manifest.postings) postings, \(manifest.files.count) files; chain end \(manifest.chain.endHead)")
        if let archive = summary.zip { Output.line("zipped to \(archive)") }
    }
}
