/// Every bound the ledger enforces, in one place, named with the qualifier last.
///
/// Limits are checked at input so that no loop, buffer or amount can grow without bound
/// (TigerBeetle's TIGER_STYLE: "put a limit on everything").
public enum Limits {
    /// Postings one journal entry may carry. Payroll-style entries stay far below this.
    public static let postingsPerEntryMax = 500
    /// Entries one batch (`neraca post` of a JSON array) may carry.
    public static let entriesPerBatchMax = 100_000
    /// Largest absolute posting amount in minor units: 10^15, that is Rp 10 trillion or
    /// USD 10 trillion — far above any real posting, far below `Int64.max`, so that
    /// millions of postings can be summed without overflow in practice.
    public static let amountMinorUnitsMax: Int64 = 1_000_000_000_000_000
    /// Characters in an entry description.
    public static let descriptionLengthMax = 500
    /// Characters in a reference (receipt number, claim number, voucher code).
    public static let referenceLengthMax = 100
    /// Characters in an author or party name.
    public static let nameLengthMax = 100
    /// Characters in an idempotency key.
    public static let idempotencyKeyLengthMax = 128
    /// Characters in a dimension value (district, budget line, activity, funding source).
    public static let dimensionLengthMax = 64
    /// Characters in an account code.
    public static let accountCodeLengthMax = 200
    /// Characters in an account name.
    public static let accountNameLengthMax = 200
    /// Characters in a posting memo.
    public static let memoLengthMax = 500
    /// Depth of the account tree (root accounts have depth 1).
    public static let accountDepthMax = 12
    /// Characters in a text line of any input file (journal, CSV, YAML line).
    public static let inputLineLengthMax = 64 * 1024
}
