import FeeClaims
import Foundation
import GRDB
import LedgerCore

/// The SQL of fee claims: reading people, policies and claims into FeeClaims' values.
/// Writes are in `LedgerDatabase+Claims`.
enum ClaimRecords {
    static func people(_ db: Database) throws -> [String: Person] {
        var people: [String: Person] = [:]
        for row in try db.cachedRows(sql: "SELECT * FROM people") {
            let person = try self.person(from: row)
            people[person.id] = person
        }
        return people
    }

    static func person(from row: Row) throws -> Person {
        let id: String = row["id"]
        var roles: Set<Role> = []
        for name in (row["roles"] as String).split(separator: ";") {
            guard let role = Role(rawValue: String(name)) else { throw StoreError.corrupt("person \(id) has unknown role \(name)") }
            roles.insert(role)
        }
        let activeTo: String? = row["active_to"]
        return Person(
            id: id, name: row["name"], district: row["district"], roles: roles, supervisor: row["supervisor"],
            bankAccount: row["bank_account"], activeFrom: try LedgerDate(parsing: row["active_from"] as String),
            activeTo: try activeTo.map { text throws(LedgerError) in try LedgerDate(parsing: text) })
    }

    static func policy(_ kind: String, _ db: Database) throws -> String? {
        try db.cachedValue(String.self, sql: "SELECT document FROM claim_policies WHERE kind = ? ORDER BY id DESC LIMIT 1",
                            arguments: [kind])
    }

    /// A claim's row, lines of its current version, approvals and revision.
    struct Loaded {
        let id: Int64
        let snapshot: ClaimSnapshot
        let lines: [ClaimLine]
        let receipts: [Receipt]
        /// The payable account the claim was posted to, once posted.
        let payableAccount: String?
    }

    /// The sum of the lines' amounts.
    static func amount(of lines: [ClaimLine]) throws -> Money {
        var amount = Money.zero(lines.first?.unitRate.currency ?? .idr)
        for line in lines { amount = try amount.adding(try line.amount(), field: "amount") }
        return amount
    }

    static func load(_ number: ClaimNumber, _ db: Database) throws -> Loaded {
        guard let row = try db.cachedRow(sql: """
            SELECT * FROM claims WHERE district = ? AND fiscal_year = ? AND sequence = ?
            """, arguments: [number.district, number.fiscalYear, number.sequence])
        else { throw ClaimError.claimUnknown(number.description) }
        let id: Int64 = row["id"]
        let version: Int = row["version"]
        let stateText: String = row["state"]
        guard let state = ClaimState(rawValue: stateText) else { throw StoreError.corrupt("claim \(number) has state \(stateText)") }
        let heldText: String? = row["held_from"]
        let header = ClaimHeader(
            claimant: row["claimant"], district: row["district"], budgetLine: row["budget_line"], activity: row["activity"],
            activityFrom: try LedgerDate(parsing: row["activity_from"] as String),
            activityTo: try LedgerDate(parsing: row["activity_to"] as String))
        let lines = try self.lines(claimID: id, version: version, db)
        let amount = try amount(of: lines)
        // Approvals since the claim was last submitted or returned: an approver lowering
        // lines makes a new version, and the earlier levels' approvals still hold for the
        // lower amount; a return starts the round again.
        let approvals = try db.cachedValues(String.self, sql: """
            SELECT actor FROM claim_events WHERE claim_id = ?1 AND action = 'approve'
              AND sequence > (SELECT COALESCE(MAX(sequence), 0) FROM claim_events
                              WHERE claim_id = ?1 AND action IN ('submit', 'return'))
            ORDER BY sequence
            """, arguments: [id])
        let everApproved = try db.cachedValues(String.self, sql: """
            SELECT DISTINCT actor FROM claim_events WHERE claim_id = ? AND action = 'approve'
            """, arguments: [id])
        let revision = try db.cachedValue(Int.self, sql: "SELECT COUNT(*) FROM claim_events WHERE claim_id = ?", arguments: [id]) ?? 0
        let snapshot = ClaimSnapshot(
            number: number, header: header, state: state, version: version, revision: revision, amount: amount,
            approvals: approvals, everApproved: Set(everApproved), poster: row["poster"],
            heldFrom: heldText.flatMap(ClaimState.init(rawValue:)))
        return Loaded(id: id, snapshot: snapshot, lines: lines, receipts: try receipts(claimID: id, version: version, db),
                      payableAccount: row["payable_account"])
    }

    static func lines(claimID: Int64, version: Int, _ db: Database) throws -> [ClaimLine] {
        try db.cachedRows(sql: """
            SELECT category, quantity, unit_rate, currency, memo FROM claim_lines
            WHERE claim_id = ? AND version = ? ORDER BY position
            """, arguments: [claimID, version]).map { row in
            let categoryText: String = row["category"]
            let currencyCode: String = row["currency"]
            guard let category = ClaimCategory(rawValue: categoryText), let currency = Currency.known[currencyCode] else {
                throw StoreError.corrupt("a claim line has category \(categoryText) or currency \(currencyCode)")
            }
            return ClaimLine(category: category, quantity: row["quantity"],
                             unitRate: Money(minorUnits: row["unit_rate"], currency: currency), memo: row["memo"])
        }
    }

    static func receipts(claimID: Int64, version: Int, _ db: Database) throws -> [Receipt] {
        try db.cachedRows(sql: """
            SELECT r.sha256, r.media_type, r.size, c.file_name, c.vendor, c.vendor_number
            FROM claim_receipts c JOIN receipts r ON r.sha256 = c.sha256
            WHERE c.claim_id = ? AND c.version = ? ORDER BY c.file_name
            """, arguments: [claimID, version]).map { row in
            let typeText: String = row["media_type"]
            guard let type = Receipt.MediaType(rawValue: typeText) else { throw StoreError.corrupt("a receipt has type \(typeText)") }
            return Receipt(sha256: try EntryHash.stored(row["sha256"], "a receipt"), mediaType: type, size: row["size"],
                           fileName: row["file_name"], vendorReceipt: vendorReceipt(row))
        }
    }

    /// The vendor receipt stored on a `claim_receipts` row, or nil when it has none.
    static func vendorReceipt(_ row: Row) -> VendorReceipt? {
        guard let vendor: String = row["vendor"], let number: String = row["vendor_number"] else { return nil }
        return VendorReceipt(stored: vendor, number: number)
    }

    static func events(claimID: Int64, number: ClaimNumber, _ db: Database) throws -> [ClaimEvent] {
        try db.cachedRows(sql: "SELECT * FROM claim_events WHERE claim_id = ? ORDER BY sequence", arguments: [claimID])
            .map { try event(from: $0, number: number) }
    }

    static func event(from row: Row, number: ClaimNumber) throws -> ClaimEvent {
        let toText: String = row["to_state"]
        let fromText: String? = row["from_state"]
        guard let to = ClaimState(rawValue: toText) else { throw StoreError.corrupt("a claim event has state \(toText)") }
        return ClaimEvent(
            claim: number, sequence: row["sequence"], version: row["version"], action: row["action"], actor: row["actor"],
            at: Timestamp(millisecondsSince1970: row["at"]), from: fromText.flatMap(ClaimState.init(rawValue:)), to: to,
            comment: row["comment"], versionHash: try EntryHash.stored(row["version_hash"], "a claim event"))
    }

    /// What is still owed on the claim: the credit balance of its entries on the payable.
    static func owed(claimID: Int64, payableAccount: String, currency: Currency, _ db: Database) throws -> Money {
        let sum = try db.cachedValue(Int64.self, sql: """
            SELECT COALESCE(SUM(p.amount), 0) FROM claim_entries c
            JOIN postings p ON p.entry_id = c.entry_id JOIN accounts a ON a.id = p.account_id
            WHERE c.claim_id = ? AND a.code = ? AND p.currency = ?
            """, arguments: [claimID, payableAccount, currency.code]) ?? 0
        return Money(minorUnits: -sum, currency: currency)
    }

    /// The last event hash of the chain, across all claims.
    static func chainHead(_ db: Database) throws -> EntryHash {
        guard let data = try db.cachedValue(Data.self, sql: "SELECT hash FROM claim_events ORDER BY id DESC LIMIT 1") else {
            return .genesis
        }
        return try EntryHash.stored(data, "the last claim event")
    }
}
