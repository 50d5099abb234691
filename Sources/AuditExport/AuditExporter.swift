import Budgets
import FeeClaims
import Foundation
import FraudRules
import LedgerCore
import LedgerStore

/// Writes one fiscal year as an audit bundle: the journal (CSV and JSON Lines), accounts,
/// trial balance, general ledger per account, budget against actual, claims with their
/// events and receipts, findings with their triage, an hledger journal, an FEC file, the
/// chain links, a README and `manifest.json`.
///
/// Everything is read in one read transaction (a consistent snapshot) and streamed: memory
/// does not grow with the journal. Two exports of the same ledger are byte-identical but
/// for the manifest's `generatedAt`.
public struct AuditExporter {
    let database: LedgerDatabase
    let toolVersion: String

    public init(database: LedgerDatabase, toolVersion: String) {
        self.database = database
        self.toolVersion = toolVersion
    }

    /// What an export wrote.
    public struct Summary: Sendable {
        /// The manifest written as `manifest.json`.
        public let manifest: BundleManifest
        /// The bundle directory.
        public let directory: String
        /// `DIRECTORY.zip`, when asked for.
        public let zip: String?
    }

    /// Writes the bundle of `fiscalYear` into `directory` (created; it must not hold files),
    /// and with `zip` also `DIRECTORY.zip` holding the same files.
    /// - Throws: `ExportError`, and the store's errors.
    public func export(fiscalYear: Int, to directory: String, zip: Bool = false, now: Timestamp) throws -> Summary {
        let archive = (directory.hasSuffix("/") ? String(directory.dropLast()) : directory) + ".zip"
        if zip, FileManager.default.fileExists(atPath: archive) { throw ExportError.outputNotEmpty(path: archive) }
        try Self.prepare(directory)
        let manifest = try database.withExportReader { reader in
            try BundleWriting(reader: reader, directory: directory, fiscalYear: fiscalYear).write(toolVersion: toolVersion, now: now)
        }
        let data = try manifest.encoded()
        guard FileManager.default.createFile(atPath: directory + "/" + BundleManifest.fileName, contents: data) else {
            throw ExportError.cannotWrite(path: directory + "/" + BundleManifest.fileName, reason: "the file cannot be created")
        }
        guard zip else { return Summary(manifest: manifest, directory: directory, zip: nil) }
        do {
            try ZipArchive.write(directory: directory, paths: (manifest.files.map(\.path) + [BundleManifest.fileName]).sorted(),
                                 to: archive)
        } catch {
            try? FileManager.default.removeItem(atPath: archive)  // never leave half a zip
            throw ExportError.cannotWrite(path: archive, reason: "\(error)")
        }
        return Summary(manifest: manifest, directory: directory, zip: archive)
    }

    /// Creates `directory` and its sub-directories, refusing one that holds files.
    static func prepare(_ directory: String) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue, (try? manager.contentsOfDirectory(atPath: directory))?.isEmpty == true else {
                throw ExportError.outputNotEmpty(path: directory)
            }
        }
        do {
            for sub in ["", "/" + BundleLayout.generalLedger, "/" + BundleLayout.receipts] {
                try manager.createDirectory(atPath: directory + sub, withIntermediateDirectories: true)
            }
        } catch {
            throw ExportError.cannotWrite(path: directory, reason: error.localizedDescription)
        }
    }
}

/// The names of the bundle's files and directories.
enum BundleLayout {
    static let journalCSV = "journal.csv"
    static let journalJSONL = "journal.jsonl"
    static let accounts = "accounts.csv"
    static let trialBalance = "trial-balance.csv"
    static let generalLedger = "general-ledger"
    static let budget = "budget-vs-actual.csv"
    static let claims = "claims.csv"
    static let claimEvents = "claim-events.csv"
    static let receipts = "receipts"
    static let findings = "findings.csv"
    static let ledgerJournal = "ledger.journal"
    static let fec = "fec.txt"
    static let chainLinks = "chain-links.csv"
    static let readme = "README.txt"

    static let accountColumns = [
        "code", "name_en", "name_id", "type", "parent", "currency", "opens_on", "closes_on", "general_ledger_file",
    ]
    static let trialBalanceColumns = [
        "account", "account_name", "currency", "opening_debit", "opening_credit", "debit", "credit", "closing_debit",
        "closing_credit",
    ]
    static let generalLedgerColumns = ["entry", "line", "date", "description", "reference", "currency", "debit", "credit", "balance"]
    static let budgetColumns = [
        "fiscal_year", "district", "line", "name_en", "component", "category", "currency", "original", "revised", "actual",
        "committed", "available",
    ]
    static let claimColumns = [
        "claim", "claimant", "district", "budget_line", "activity", "activity_from", "activity_to", "state", "version",
        "amount", "currency", "approvals", "receipts",
    ]
    static let claimEventColumns = ["claim", "sequence", "version", "action", "actor", "at", "from", "to", "comment", "version_hash"]
    static let findingColumns = [
        "finding", "rule", "action", "subject", "subject_person", "related", "evidence", "found_at", "status", "decisions",
        "acknowledged_by",
    ]
    static let chainLinkColumns = ["after", "entry", "canonical_bytes", "entry_hash"]
    /// The files every bundle has (besides `general-ledger/` and `receipts/`).
    static let required = [
        journalCSV, journalJSONL, accounts, trialBalance, budget, claims, claimEvents, findings, ledgerJournal, fec,
        chainLinks, readme,
    ]
    static let fecColumns = [
        "JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib", "CompAuxNum", "CompAuxLib",
        "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet", "ValidDate", "Montantdevise",
        "Idevise",
    ]

    /// The general-ledger file of an account code: the code itself when it is made of ASCII
    /// letters, digits, `.`, `-` and `_`; otherwise those characters with `_` for the others
    /// and the first 8 hex digits of the code's SHA-256, so that two codes never share a file.
    static func generalLedgerFile(_ code: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_".unicodeScalars)
        let safe = String(code.unicodeScalars.map { allowed.contains($0) ? Character($0) : "_" })
        guard safe != code || code.isEmpty || code.hasPrefix(".") else { return generalLedger + "/" + code + ".csv" }
        return generalLedger + "/" + safe + "-" + EntryHash.sha256(of: Array(code.utf8)).hex.prefix(8) + ".csv"
    }

    /// The FEC journal code and label of an entry source.
    static func fecJournal(_ source: EntrySource) -> (code: String, label: String) {
        switch source {
        case .manual: return ("MAN", "Manual entries")
        case .claim: return ("CLM", "Fee claims")
        case .import: return ("IMP", "Imported entries")
        case .reversal: return ("REV", "Reversals")
        case .closing: return ("CLO", "Closing entries")
        }
    }
}
