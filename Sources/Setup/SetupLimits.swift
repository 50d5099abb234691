/// Bounds on what a ledger setup may contain, checked while loading so that a runaway or
/// hostile file cannot exhaust memory (TIGER_STYLE: "put a limit on everything").
/// The journal reader's bounds are LedgerCore's `Limits` (line length, postings per entry).
public enum SetupLimits {
    /// Bytes of one setup file (`ledger.yaml`, `accounts.yaml`).
    public static let setupFileBytesMax = 8 * 1024 * 1024
    /// Districts and offices of one ledger.
    public static let districtsMax = 1_000
    /// Funding sources (grants) of one ledger.
    public static let fundingSourcesMax = 1_000
    /// Accounts of one chart.
    public static let accountsMax = 20_000
    /// Characters of a ledger's machine name (`bangkit`).
    public static let ledgerNameLengthMax = 64
    /// Distinct account names the journal reader keeps interned; past this it still reads
    /// correctly, only without sharing the strings.
    public static let journalAccountNamesInternedMax = 100_000
}
