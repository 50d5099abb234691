/// A typed identifier: `ID<Account>` and `ID<JournalEntry>` cannot be mixed up.
///
/// The raw integer is the storage row id; only LedgerStore creates IDs from raw values.
public struct ID<Entity>: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: Int64

    public init(rawValue: Int64) {
        self.rawValue = rawValue
    }

    public var description: String { String(rawValue) }

    public static func < (lhs: ID, rhs: ID) -> Bool { lhs.rawValue < rhs.rawValue }
}
