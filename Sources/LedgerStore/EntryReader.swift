import Foundation
import GRDB
import LedgerCore

/// Rebuilds `PostedEntry` values from `entries` and `postings` rows, exactly as they were
/// hashed, so that reads and `verify` see the same thing.
enum EntryReader {
    /// Every entry column, with the numbers of the entry it reverses and of the entry that
    /// reversed it; callers append their WHERE / ORDER BY.
    static let selectEntries = """
        SELECT e.id, e.fiscal_year, e.sequence, e.entry_date, e.posted_at, e.description, e.reference, e.source,
               e.author, e.idempotency_key, e.exchange_rate, e.hash,
               r.fiscal_year AS reverses_year, r.sequence AS reverses_sequence,
               rb.fiscal_year AS reversed_by_year, rb.sequence AS reversed_by_sequence
        FROM entries e
        LEFT JOIN entries r ON r.id = e.reverses_id
        LEFT JOIN entries rb ON rb.reverses_id = e.id
        """

    static func entry(number: EntryNumber, in db: Database) throws -> PostedEntry? {
        guard let row = try Row.fetchOne(
            db, sql: selectEntries + " WHERE e.fiscal_year = ? AND e.sequence = ?",
            arguments: [number.fiscalYear, number.sequence]) else { return nil }
        let postings = try Row.fetchAll(db, sql: """
            SELECT p.*, a.code AS account_code FROM postings p JOIN accounts a ON a.id = p.account_id
            WHERE p.entry_id = ? ORDER BY p.line
            """, arguments: [row["id"] as Int64])
        return try decode(entry: row, postings: postings.map(decodePosting))
    }

    static func decode(entry row: Row, postings: [PostingDraft]) throws -> PostedEntry {
        let id: Int64 = row["id"]
        let dateText: String = row["entry_date"]
        let sourceText: String = row["source"]
        guard let date = try? LedgerDate(parsing: dateText), let source = EntrySource(rawValue: sourceText) else {
            throw StoreError.corrupt("entry id \(id) has an invalid date or source")
        }
        var exchangeRate: ExchangeRate?
        if let rateText: String = row["exchange_rate"] {
            exchangeRate = try? ExchangeRate(parsing: rateText)
            if exchangeRate == nil { throw StoreError.corrupt("entry id \(id) has an invalid exchange rate") }
        }
        let draft = EntryDraft(
            date: date, description: row["description"], reference: row["reference"], source: source,
            author: row["author"], idempotencyKey: row["idempotency_key"], exchangeRate: exchangeRate,
            postings: postings)
        let reverses = entryNumber(year: row["reverses_year"], sequence: row["reverses_sequence"])
        let reversedBy = entryNumber(year: row["reversed_by_year"], sequence: row["reversed_by_sequence"])
        return PostedEntry(
            id: ID(rawValue: id), number: EntryNumber(fiscalYear: row["fiscal_year"], sequence: row["sequence"]),
            draft: draft, postedAt: Timestamp(millisecondsSince1970: row["posted_at"]), reverses: reverses,
            reversedBy: reversedBy, hash: try EntryHash.stored(row["hash"], "entry id \(id)"))
    }

    private static func entryNumber(year: Int?, sequence: Int?) -> EntryNumber? {
        guard let year, let sequence else { return nil }
        return EntryNumber(fiscalYear: year, sequence: sequence)
    }

    static func decodePosting(_ row: Row) throws -> PostingDraft {
        let currencyCode: String = row["currency"]
        guard let currency = Currency.known[currencyCode] else {
            throw StoreError.corrupt("a posting has unknown currency \(currencyCode)")
        }
        return PostingDraft(
            accountCode: row["account_code"], amount: Money(minorUnits: row["amount"], currency: currency),
            dimensions: Dimensions(
                district: row["district"], budgetLine: row["budget_line"], activity: row["activity"],
                fundingSource: row["funding_source"], party: row["party"]),
            memo: row["memo"])
    }
}
