import Foundation
import LedgerCore

/// `manifest.json`: what the bundle holds and the figures it must add up to. The verifier
/// trusts nothing else in the bundle without checking it against this.
public struct BundleManifest: Codable, Equatable, Sendable {
    /// One file: its SHA-256, size and, for tables, data rows (headers not counted).
    public struct File: Codable, Equatable, Sendable {
        /// The path inside the bundle, with `/` between directories.
        public let path: String
        /// Lower-case hexadecimal SHA-256 of the file's bytes.
        public let sha256: String
        public let bytes: Int64
        /// Data rows (a header row not counted); nil for files that are not tables.
        public let rows: Int?
    }

    /// The control totals of one currency over the year's journal.
    public struct ControlTotal: Codable, Equatable, Sendable {
        /// ISO 4217 code.
        public let currency: String
        /// The year's debits in that currency, as a plain decimal.
        public let debit: String
        /// The year's credits in that currency, as a plain decimal.
        public let credit: String
        /// Entries with a posting in this currency.
        public let entries: Int
        public let postings: Int
    }

    public struct Chain: Codable, Equatable, Sendable {
        /// The hash before the year's first entry.
        public let startHead: String
        /// The hash of the year's last entry.
        public let endHead: String
    }

    /// `neraca-audit-bundle-1`: the layout version of the bundle.
    public let format: String
    /// The program and version that wrote it (`neraca 0.6`).
    public let tool: String
    /// The ledger's machine name and its organisation.
    public let ledger: String
    public let organisation: String
    public let baseCurrency: String
    public let fiscalYear: Int
    /// The fiscal year's first and last days, `YYYY-MM-DD`.
    public let periodStart: String
    public let periodEnd: String
    /// The only value that differs between two exports of the same ledger.
    public let generatedAt: String
    /// Entries and postings of the year's journal.
    public let entries: Int
    public let postings: Int
    public let chain: Chain
    /// One per currency the journal uses, in code order.
    public let controlTotals: [ControlTotal]
    /// Every file but the manifest, in path order.
    public let files: [File]

    public static let formatName = "neraca-audit-bundle-1"
    public static let fileName = "manifest.json"

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }
}

/// Why an export could not be written.
public enum ExportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The output directory exists and is not empty: a bundle is never written over files.
    case outputNotEmpty(path: String)
    case cannotWrite(path: String, reason: String)
    /// The year has no first or last day (outside 1900…9999).
    case yearInvalid(Int)
    case receiptMissing(sha256: String)

    public var field: String {
        switch self {
        case .outputNotEmpty, .cannotWrite: return "out"
        case .yearInvalid: return "year"
        case .receiptMissing: return "receipt"
        }
    }

    public var message: String {
        switch self {
        case .outputNotEmpty(let path): return "'\(path)' is not empty: export into a new or empty directory"
        case .cannotWrite(let path, let reason): return "cannot write '\(path)': \(reason)"
        case .yearInvalid(let year): return "\(year) is not a fiscal year the ledger can have"
        case .receiptMissing(let sha): return "receipt \(sha) is referenced by a claim but not stored"
        }
    }

    public var description: String { "\(field): \(message)" }
}
