import LedgerCore

/// The vendor and the receipt number printed on a receipt (`Toko Maju`, `INV-0012`).
///
/// A new photo of a receipt already claimed has another SHA-256, but the same vendor and
/// number: R03 compares them by `key`, so that retyping a number differently (`inv 12` for
/// `INV-0012`) does not hide it.
public struct VendorReceipt: Hashable, Sendable, CustomStringConvertible {
    /// The shop, boat, lodging or supplier named on the receipt.
    public let vendor: String
    /// The number printed on the receipt, as the claimant typed it.
    public let number: String

    /// The longest receipt number kept: longer than any printed one.
    public static let numberLengthMax = 60

    /// - Throws: `ClaimError.vendorReceiptInvalid` (field `vendor` or `receiptNumber`) when
    ///   either has no letter or digit; `ClaimError.ledger` for text that breaks the text
    ///   rules (control characters, too long).
    public init(vendor: String, number: String) throws(ClaimError) {
        let vendor = TextRules.cleaned(vendor)
        let number = TextRules.cleaned(number)
        do throws(LedgerError) {
            try TextRules.check(vendor, field: "vendor", max: Limits.nameLengthMax)
            try TextRules.check(number, field: "receiptNumber", max: Self.numberLengthMax)
        } catch {
            throw .ledger(error)
        }
        guard !Self.runs(of: vendor).isEmpty else {
            throw .vendorReceiptInvalid(field: "vendor", reason: "the vendor '\(vendor)' has no letter or digit")
        }
        guard !Self.runs(of: number).isEmpty else {
            throw .vendorReceiptInvalid(field: "receiptNumber", reason: "the receipt number '\(number)' has no letter or digit")
        }
        self.init(stored: vendor, number: number)
    }

    /// A vendor receipt read back from storage, where it was checked when written: reading
    /// must not refuse what the rules of the day accepted.
    public init(stored vendor: String, number: String) {
        self.vendor = vendor
        self.number = number
    }

    /// What two receipts are compared by: the vendor's letters and digits, upper-cased, and
    /// the number's runs of letters and of digits, upper-cased, digits without leading
    /// zeros, joined by `-`. Case, spaces and punctuation are ignored, but they still
    /// separate numbers: `inv 12`, `INV-0012` and `INV0012` are `INV-12`, while `INV-10-5`
    /// (`INV-10-5`) is not `INV-105` (`INV-105`).
    public var key: String {
        let number = Self.runs(of: self.number).map { run in
            guard run.unicodeScalars.allSatisfy({ $0.properties.numericType != nil }) else { return run }
            let trimmed = run.drop { $0 == "0" }
            return trimmed.isEmpty ? "0" : String(trimmed)
        }
        return Self.runs(of: vendor).joined() + "|" + number.joined(separator: "-")
    }

    public var description: String { "\(vendor) no. \(number)" }

    /// The maximal runs of letters and of digits in `text`, upper-cased; anything else
    /// separates runs.
    private static func runs(of text: String) -> [String] {
        var runs: [String] = []
        var current = ""
        var currentIsDigits = false
        for scalar in text.uppercased().unicodeScalars {
            let isDigit = scalar.properties.numericType != nil
            guard isDigit || scalar.properties.isAlphabetic else {
                if !current.isEmpty { runs.append(current) }
                current = ""
                continue
            }
            if !current.isEmpty, isDigit != currentIsDigits {
                runs.append(current)
                current = ""
            }
            current.unicodeScalars.append(scalar)
            currentIsDigits = isDigit
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }
}
