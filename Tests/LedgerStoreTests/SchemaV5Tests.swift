import FeeClaims
import Foundation
import FraudRules
import LedgerCore
import LedgerStore
import NeracaTestSupport
import Testing

/// What v5 (vendor receipt numbers) must not disturb: version hashes of claims recorded
/// before it, databases migrated from v4 with claims and receipts in them, and anti-fraud
/// policies stored before holidays were kept.
@Suite("Schema v5 and what came before it")
struct SchemaV5Tests {
    typealias T = TestLedger
    typealias L = ClaimLedger

    /// The hash of a version without vendor receipts, as the layout has always produced it
    /// (before v5 added them): a change to the layout breaks every recorded claim.
    @Test func aVersionWithoutVendorReceiptsHashesAsItAlwaysDid() throws {
        let number = ClaimNumber(district: "SBT", fiscalYear: 2024, sequence: 7)
        let header = ClaimHeader(claimant: "fac.sbt", district: "SBT", budgetLine: "2.1.3", activity: "Village facilitation",
                                 activityFrom: T.date("2024-06-03"), activityTo: T.date("2024-06-05"))
        let lines = [ClaimLine(category: .honorarium, quantity: 4, unitRate: T.idr(25_000_000), memo: "4 sessions"),
                     ClaimLine(category: .transport, quantity: 1, unitRate: T.idr(15_000_000))]
        let receipt = Receipt(sha256: EntryHash.sha256(of: Array("boat ticket".utf8)), mediaType: .pdf, size: 11,
                              fileName: "boat.pdf")
        let hash = ClaimVersionHash.of(number, version: 2, header: header, lines: lines, receipts: [receipt])
        // Computed from the layout of ClaimEvent.swift by a separate Python script:
        // sha256(32 zero bytes ‖ "NERACA-CLAIM-VERSION-1" ‖ fields ‖ 1 ‖ receipt sha256).
        #expect(hash.hex == "e666dd92b83d70186f7750735ee319d285922aa605c56e7d6cdd2b02e9994798")
        // With a vendor receipt the version hashes otherwise, and the vendor number counts.
        let withVendor = Receipt(sha256: receipt.sha256, mediaType: .pdf, size: 11, fileName: "boat.pdf",
                                 vendorReceipt: try VendorReceipt(vendor: "KM Sabuk Nusantara", number: "B-0012"))
        let otherNumber = Receipt(sha256: receipt.sha256, mediaType: .pdf, size: 11, fileName: "boat.pdf",
                                  vendorReceipt: try VendorReceipt(vendor: "KM Sabuk Nusantara", number: "B-0013"))
        let vendorHash = ClaimVersionHash.of(number, version: 2, header: header, lines: lines, receipts: [withVendor])
        #expect(vendorHash != hash)
        #expect(ClaimVersionHash.of(number, version: 2, header: header, lines: lines, receipts: [otherNumber]) != vendorHash)
    }

    /// A claim with a receipt, taken back to v4 (the vendor columns and v5's indexes gone,
    /// the migration forgotten), then opened: v5 is applied over it and nothing changes.
    @Test func aV4DatabaseWithClaimsMigratesAndStillVerifies() throws {
        let claims = try ClaimLedger()
        let number = try claims.draft(by: "fac.sbt")
        try claims.db.addClaimLine(ClaimLine(category: .transport, quantity: 1, unitRate: T.idr(15_000_000)), to: number,
                                   by: "fac.sbt", date: L.day)
        try claims.db.attachReceipt(ClaimRefusalTests.pdf("ticket"), fileName: "ticket.pdf", to: number, by: "fac.sbt",
                                    date: L.day)
        try claims.act(.submit, number, by: "fac.sbt")
        let before = try claims.db.claim(number)
        let shell = try SQLiteShell.run(claims.ledger.path, """
            DROP INDEX claim_receipts_by_vendor_key; DROP INDEX entries_manual_by_year;
            ALTER TABLE claim_receipts DROP COLUMN vendor_key;
            ALTER TABLE claim_receipts DROP COLUMN vendor_number;
            ALTER TABLE claim_receipts DROP COLUMN vendor;
            DELETE FROM grdb_migrations WHERE identifier = 'v5-vendor-receipts';
            """)
        try #require(shell.status == 0, "\(shell.errorOutput)")
        let reopened = try LedgerDatabase(path: claims.ledger.path)
        #expect(try reopened.verify().passed)
        let after = try reopened.claim(number)
        #expect(after.receipts == before.receipts && after.receipts.first?.vendorReceipt == nil)
        #expect(after.events.map(\.versionHash) == before.events.map(\.versionHash))
    }

    /// Policies set before holidays were kept are a bare JSON list of rules: still read.
    @Test func aPolicyStoredAsABareListOfRulesIsStillRead() throws {
        let claims = try ClaimLedger()
        let shell = try SQLiteShell.run(claims.ledger.path, """
            INSERT INTO fraud_policies (document, set_at, set_by) VALUES (
              '[{"action":"flag","enabled":true,"id":"R11","nameEn":"Weekend","nameId":"Akhir pekan","parameters":{}}]',
              0, 'compliance');
            """)
        try #require(shell.status == 0, "\(shell.errorOutput)")
        let policy = try #require(try LedgerDatabase(path: claims.ledger.path).fraudPolicy())
        #expect(policy.rules[.r11]?.action == .flag && policy.rules[.r11]?.nameId == "Akhir pekan")
        #expect(policy.holidays.isEmpty)
    }
}
