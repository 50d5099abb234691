import FeeClaims
import FraudRules
import LedgerCore
import Testing

/// R03's second half: the same vendor receipt number on two claims, whatever the photo.
@Suite("R03 vendor receipt numbers")
struct VendorReceiptTests {
    typealias F = FraudFixtures

    static func receipt(_ vendor: String, _ number: String) throws -> VendorReceipt {
        try VendorReceipt(vendor: vendor, number: number)
    }

    static func claim(_ sequence: Int, by claimant: String = F.claimant, file: UInt8, _ receipts: [VendorReceipt]) -> ClaimFacts {
        let base = F.claim(sequence, by: claimant, on: "2024-03-0\(sequence)", amounts: ["lodging": F.rp(350_000)])
        return ClaimFacts(
            number: base.number, claimant: claimant, district: base.district, activity: base.activity,
            activityFrom: base.activityFrom, activityTo: base.activityTo, submittedOn: base.submittedOn, isLive: true,
            amountsByCategory: base.amountsByCategory, amount: base.amount, receipts: [F.receipt(file)],
            vendorReceipts: receipts)
    }

    @Test func theSameVendorNumberUnderAnotherPhotoIsBlocked() throws {
        let claims = [
            Self.claim(1, file: 1, [try Self.receipt("Penginapan Bula Indah", "INV-0012")]),
            Self.claim(2, by: "P-SBT-002", file: 2, [try Self.receipt("penginapan  bula indah", "inv 12")]),
        ]
        let findings = F.scanner(.r03).scan(claims)
        #expect(findings.count == 1)
        let finding = try #require(findings.first)
        #expect(finding.rule == .r03 && finding.action == .block && finding.subject == F.number(2))
        #expect(finding.subjectPerson == "P-SBT-002" && finding.related == [F.number(1)])
        #expect(finding.evidence == "receipt penginapan  bula indah no. inv 12 is also on \(F.number(1))")
    }

    @Test func anotherVendorOrAnotherNumberIsFine() throws {
        let claims = [
            Self.claim(1, file: 1, [try Self.receipt("Penginapan Bula Indah", "INV-0012")]),
            Self.claim(2, file: 2, [try Self.receipt("Toko Maju", "INV-0012")]),  // the same number, another vendor
            Self.claim(3, file: 3, [try Self.receipt("Penginapan Bula Indah", "INV-0120")]),  // a trailing zero counts
            // The same receipt twice on one claim (front and back) is one receipt.
            Self.claim(4, file: 4, [try Self.receipt("Kapal Geser", "7"), try Self.receipt("Kapal Geser", "007")]),
        ]
        #expect(F.scanner(.r03).scan(claims).isEmpty)
    }

    @Test func theKeyIgnoresCaseSpacesAndLeadingZerosButNotWhereNumbersSplit() throws {
        #expect(try Self.receipt("Toko Maju", "INV/2024-0012").key == "TOKOMAJU|INV-2024-12")
        #expect(try Self.receipt(" toko  maju. ", "0012").key == "TOKOMAJU|12")
        #expect(try Self.receipt("Toko Maju", "000").key == "TOKOMAJU|0")
        for same in ["inv 12", "INV0012", "Inv.12", "INV-0012"] {
            #expect(try Self.receipt("toko maju", same).key == Self.receipt("Toko Maju", "INV-0012").key, "\(same)")
        }
        // Different receipts stay different: a trailing zero, or digits split otherwise.
        #expect(try Self.receipt("Warung Bu Sri", "12").key != Self.receipt("Warung Bu Sri", "120").key)
        #expect(try Self.receipt("Warung Bu Sri", "INV-10-5").key != Self.receipt("Warung Bu Sri", "INV-105").key)
        #expect(try Self.receipt("Warung Bu Sri", "1-23").key != Self.receipt("Warung Bu Sri", "12-3").key)
    }

    @Test func aVendorOrNumberWithNothingToCompareIsRefused() {
        #expect(throws: ClaimError.vendorReceiptInvalid(field: "receiptNumber",
                                                        reason: "the receipt number '--/--' has no letter or digit")) {
            try Self.receipt("Toko Maju", "--/--")
        }
        #expect(throws: ClaimError.vendorReceiptInvalid(field: "vendor", reason: "the vendor '-' has no letter or digit")) {
            try Self.receipt("-", "12")
        }
        #expect(throws: ClaimError.ledger(.textEmpty(field: "receiptNumber"))) { try Self.receipt("Toko Maju", "   ") }
        let long = String(repeating: "9", count: VendorReceipt.numberLengthMax + 1)
        #expect(throws: ClaimError.ledger(.textTooLong(field: "receiptNumber", length: long.count,
                                                       max: VendorReceipt.numberLengthMax))) {
            try Self.receipt("Toko Maju", long)
        }
        #expect(throws: ClaimError.ledger(.textHasControlCharacters(field: "vendor"))) {
            try Self.receipt("Toko\u{0007}Maju", "12")
        }
    }
}
