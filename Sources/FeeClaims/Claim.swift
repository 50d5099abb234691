import LedgerCore

/// Where a claim stands. `paid` follows from the claims-payable balance of the claim's
/// entries: the store sets it when a payment leaves nothing owed, never on its own.
public enum ClaimState: String, Hashable, Sendable, CaseIterable {
    case draft, submitted, returned, approved
    case onHold = "on-hold"
    case rejected, withdrawn, posted, paid, reversed

    /// No action leads out of these.
    public var isFinal: Bool { self == .rejected || self == .withdrawn || self == .reversed }
}

/// `FC-SBD-2024-0001`: district, fiscal year of the activity, and a sequence per both.
public struct ClaimNumber: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let district: String
    public let fiscalYear: Int
    public let sequence: Int

    public init(district: String, fiscalYear: Int, sequence: Int) {
        self.district = district
        self.fiscalYear = fiscalYear
        self.sequence = sequence
    }

    /// Reads `FC-DISTRICT-YYYY-NNNN`.
    /// - Throws: `ClaimError.claimNumberInvalid`.
    public init(parsing text: String) throws(ClaimError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, parts[0] == "FC", !parts[1].isEmpty, parts[2].count == 4,
              let year = Int(parts[2]), let sequence = Int(parts[3]), sequence > 0, parts[3].count >= 4
        else { throw .claimNumberInvalid(text) }
        self.init(district: parts[1], fiscalYear: year, sequence: sequence)
    }

    public var description: String {
        let digits = String(sequence)
        return "FC-\(district)-\(fiscalYear)-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    public static func < (lhs: ClaimNumber, rhs: ClaimNumber) -> Bool {
        (lhs.fiscalYear, lhs.district, lhs.sequence) < (rhs.fiscalYear, rhs.district, rhs.sequence)
    }
}

/// One line of a claim: `quantity` units at `unitRate`; `amount` is their product.
public struct ClaimLine: Hashable, Sendable {
    public var category: ClaimCategory
    public var quantity: Int64
    public var unitRate: Money
    public var memo: String?

    public init(category: ClaimCategory, quantity: Int64, unitRate: Money, memo: String? = nil) {
        self.category = category
        self.quantity = quantity
        self.unitRate = unitRate
        self.memo = memo
    }

    public var unit: String { category.unit }

    /// `quantity × unitRate`.
    /// - Throws: `amountOverflow`.
    public func amount() throws(LedgerError) -> Money {
        try unitRate.multiplied(by: quantity, field: "unitRate")
    }
}

/// What a claim asks to be paid for: who, where, which budget line, which activity and when.
public struct ClaimHeader: Hashable, Sendable {
    public var claimant: String
    public var district: String
    public var budgetLine: String
    public var activity: String
    public var activityFrom: LedgerDate
    public var activityTo: LedgerDate

    public init(
        claimant: String, district: String, budgetLine: String, activity: String, activityFrom: LedgerDate,
        activityTo: LedgerDate
    ) {
        self.claimant = claimant
        self.district = district
        self.budgetLine = budgetLine
        self.activity = activity
        self.activityFrom = activityFrom
        self.activityTo = activityTo
    }
}

/// A receipt file, stored once by its SHA-256 whatever the number of claims it is attached to.
public struct Receipt: Hashable, Sendable {
    public enum MediaType: String, Hashable, Sendable, CaseIterable {
        case pdf = "application/pdf"
        case jpeg = "image/jpeg"
        case png = "image/png"

        /// The type its first bytes say it is, or nil: the file name and claimed type are
        /// never trusted.
        public static func detect(_ bytes: [UInt8]) -> MediaType? {
            if bytes.starts(with: Array("%PDF-".utf8)) { return .pdf }
            if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
            if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
            return nil
        }
    }

    /// 10 MB: a phone photo or a scanned page, not a video.
    public static let bytesMax = 10 * 1024 * 1024

    public let sha256: EntryHash
    public let mediaType: MediaType
    public let size: Int
    public let fileName: String
    /// The vendor and number printed on the receipt, when the claimant gave them.
    public let vendorReceipt: VendorReceipt?

    public init(sha256: EntryHash, mediaType: MediaType, size: Int, fileName: String, vendorReceipt: VendorReceipt? = nil) {
        self.sha256 = sha256
        self.mediaType = mediaType
        self.size = size
        self.fileName = fileName
        self.vendorReceipt = vendorReceipt
    }
}

/// An approver's change to one line while approving: a lower quantity or unit rate, never
/// a higher one (DESIGN: "approval may lower a line, never raise it").
public struct ClaimLineAdjustment: Hashable, Sendable {
    /// The line, 0-based.
    public var index: Int
    public var quantity: Int64?
    public var unitRate: Money?

    public init(index: Int, quantity: Int64? = nil, unitRate: Money? = nil) {
        self.index = index
        self.quantity = quantity
        self.unitRate = unitRate
    }

    /// `lines` with this adjustment applied.
    /// - Throws: `lineUnknown`, `adjustmentInvalid` (nothing lowered, a zero or higher value,
    ///   another currency).
    public func applied(to lines: [ClaimLine], claim: String) throws(ClaimError) -> [ClaimLine] {
        guard lines.indices.contains(index) else {
            throw .lineUnknown(claim: claim, index: index < Int.max ? index + 1 : index)
        }
        var line = lines[index]
        let field = "lines[\(index + 1)]"
        guard quantity != nil || unitRate != nil else { throw .adjustmentInvalid(field: field, reason: "nothing to lower") }
        if let quantity {
            guard quantity > 0, quantity <= line.quantity else {
                throw .adjustmentInvalid(field: field + ".quantity", reason: "\(quantity) is not between 1 and \(line.quantity)")
            }
            line.quantity = quantity
        }
        if let unitRate {
            guard unitRate.currency == line.unitRate.currency, unitRate.minorUnits > 0,
                  unitRate.minorUnits <= line.unitRate.minorUnits else {
                throw .adjustmentInvalid(
                    field: field + ".unitRate",
                    reason: "\(unitRate.formatted(.en)) is not above zero and at most \(line.unitRate.formatted(.en))")
            }
            line.unitRate = unitRate
        }
        var lowered = lines
        lowered[index] = line
        return lowered
    }
}
