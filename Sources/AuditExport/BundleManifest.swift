import Foundation
import LedgerCore

/// `manifest.json`: what the bundle holds and the figures it must add up to. The verifier
/// trusts nothing else in the bundle without checking it against this.
public struct BundleManifest: Codable, Equatable, Sendable {
    /// One file: its SHA-256, size and, for tables, data rows (headers not counted).
    public struct File: Codable, Equatable, Sendable {
        public let path: String
        public let sha256: String
        public let bytes: Int64
        public let rows: Int?
    }

    /// The control totals of one currency over the year's journal.
    public struct ControlTotal: Codable, Equatable, Sendable {
        public let currency: String
        public let debit: String
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
    public let tool: String
    public let ledger: String
    public let organisation: String
    public let baseCurrency: String
    public let fiscalYear: Int
    public let periodStart: String
    public let periodEnd: String
    /// The only value that differs between two exports of the same ledger.
    public let generatedAt: String
    public let entries: Int
    public let postings: Int
    public let chain: Chain
    public let controlTotals: [ControlTotal]
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
