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
    /// action, actor, time, from, to, comment, version hash (integers big-endian Int64, text
    /// as a presence byte, a big-endian UInt32 length and UTF-8).
    public var canonicalBytes: [UInt8] {
        var bytes = Self.magic
        func text(_ value: String?) {
            guard let value else { return bytes.append(0) }
            bytes.append(1)
            let utf8 = Array(value.utf8)
            withUnsafeBytes(of: UInt32(utf8.count).bigEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: utf8)
        }
        text(claim.description)
        withUnsafeBytes(of: Int64(sequence).bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: Int64(version).bigEndian) { bytes.append(contentsOf: $0) }
        text(action)
        text(actor)
        withUnsafeBytes(of: at.millisecondsSince1970.bigEndian) { bytes.append(contentsOf: $0) }
        text(from?.rawValue)
        text(to.rawValue)
        text(comment)
        bytes.append(contentsOf: versionHash.bytes)
        return bytes
    }

    /// This event's link in the chain after `previous`.
    public func hash(after previous: EntryHash) -> EntryHash {
        EntryHash.chained(previous: previous, canonical: canonicalBytes)
    }
}

/// The hash of a claim version: header and lines as submitted (what approvers decided on).
public enum ClaimVersionHash {
    public static func of(
        _ number: ClaimNumber, version: Int, header: ClaimHeader, lines: [ClaimLine], receipts: [EntryHash]
    ) -> EntryHash {
        var bytes = Array("NERACA-CLAIM-VERSION-1".utf8)
        func text(_ value: String?) {
            guard let value else { return bytes.append(0) }
            bytes.append(1)
            let utf8 = Array(value.utf8)
            withUnsafeBytes(of: UInt32(utf8.count).bigEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: utf8)
        }
        func integer(_ value: Int64) { withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) } }
        text(number.description)
        integer(Int64(version))
        text(header.claimant)
        text(header.district)
        text(header.budgetLine)
        text(header.activity)
        text(header.activityFrom.description)
        text(header.activityTo.description)
        integer(Int64(lines.count))
        for line in lines {
            text(line.category.rawValue)
            integer(line.quantity)
            text(line.unitRate.currency.code)
            integer(line.unitRate.minorUnits)
            text(line.memo)
        }
        integer(Int64(receipts.count))
        for receipt in receipts.sorted(by: { $0.hex < $1.hex }) { bytes.append(contentsOf: receipt.bytes) }
        return EntryHash.chained(previous: .genesis, canonical: bytes)
    }
}
