import LedgerCore

/// One transition of a claim, on the record for good: who, when, from which state to
/// which, why, and the hash of the claim version it concerned. Events form a hash chain of
/// their own, across all claims, which `verify` recomputes.
public struct ClaimEvent: Hashable, Sendable {
    public let claim: ClaimNumber
    /// 1, 2, … within the claim.
    public let sequence: Int
    /// The claim version the event concerned (approvals count within a version).
    public let version: Int
    public let action: String
    public let actor: String
    public let at: Timestamp
    public let from: ClaimState?
    public let to: ClaimState
    public let comment: String?
    public let versionHash: EntryHash

    public init(
        claim: ClaimNumber, sequence: Int, version: Int, action: String, actor: String, at: Timestamp, from: ClaimState?,
        to: ClaimState, comment: String?, versionHash: EntryHash
    ) {
        self.claim = claim
        self.sequence = sequence
        self.version = version
        self.action = action
        self.actor = actor
        self.at = at
        self.from = from
        self.to = to
        self.comment = comment
        self.versionHash = versionHash
    }

    static let magic: [UInt8] = Array("NERACA-CLAIM-EVENT-1".utf8)

    /// The fixed byte layout the chain hashes: magic, claim number, sequence, version,
    /// action, actor, time, from, to, comment, version hash (see `CanonicalBytes`).
    public var canonicalBytes: [UInt8] {
        var bytes = CanonicalBytes(magic: Self.magic)
        bytes.text(claim.description)
        bytes.integer(Int64(sequence))
        bytes.integer(Int64(version))
        bytes.text(action)
        bytes.text(actor)
        bytes.integer(at.millisecondsSince1970)
        bytes.text(from?.rawValue)
        bytes.text(to.rawValue)
        bytes.text(comment)
        bytes.raw(versionHash.bytes)
        return bytes.bytes
    }

    /// This event's link in the chain after `previous`.
    public func hash(after previous: EntryHash) -> EntryHash {
        EntryHash.chained(previous: previous, canonical: canonicalBytes)
    }
}

/// The hash of a claim version: header and lines as submitted (what approvers decided on).
public enum ClaimVersionHash {
    /// - Parameter receipts: the version's receipts; their vendor numbers, when any were
    ///   given, are hashed after the files, so versions without them hash as they always did.
    public static func of(
        _ number: ClaimNumber, version: Int, header: ClaimHeader, lines: [ClaimLine], receipts: [Receipt]
    ) -> EntryHash {
        var bytes = CanonicalBytes(magic: Array("NERACA-CLAIM-VERSION-1".utf8))
        bytes.text(number.description)
        bytes.integer(Int64(version))
        bytes.text(header.claimant)
        bytes.text(header.district)
        bytes.text(header.budgetLine)
        bytes.text(header.activity)
        bytes.text(header.activityFrom.description)
        bytes.text(header.activityTo.description)
        bytes.integer(Int64(lines.count))
        for line in lines {
            bytes.text(line.category.rawValue)
            bytes.integer(line.quantity)
            bytes.text(line.unitRate.currency.code)
            bytes.integer(line.unitRate.minorUnits)
            bytes.text(line.memo)
        }
        bytes.integer(Int64(receipts.count))
        for receipt in receipts.map(\.sha256).sorted(by: { $0.hex < $1.hex }) { bytes.raw(receipt.bytes) }
        let vendorReceipts = receipts.compactMap { receipt in receipt.vendorReceipt.map { (receipt.sha256, $0) } }
            .sorted { ($0.0.hex, $0.1.key) < ($1.0.hex, $1.1.key) }
        if !vendorReceipts.isEmpty {
            bytes.integer(Int64(vendorReceipts.count))
            for (sha256, vendorReceipt) in vendorReceipts {
                bytes.raw(sha256.bytes)
                bytes.text(vendorReceipt.vendor)
                bytes.text(vendorReceipt.number)
            }
        }
        return EntryHash.chained(previous: .genesis, canonical: bytes.bytes)
    }
}

/// The byte layout of claim events and versions: integers as big-endian Int64; text as a
/// presence byte (0 for none), a big-endian UInt32 length and the UTF-8 bytes.
struct CanonicalBytes {
    private(set) var bytes: [UInt8]

    init(magic: [UInt8]) {
        bytes = magic
    }

    mutating func text(_ value: String?) {
        guard let value else { return bytes.append(0) }
        bytes.append(1)
        let utf8 = Array(value.utf8)
        withUnsafeBytes(of: UInt32(utf8.count).bigEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: utf8)
    }

    mutating func integer(_ value: Int64) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func raw(_ value: [UInt8]) {
        bytes.append(contentsOf: value)
    }
}

