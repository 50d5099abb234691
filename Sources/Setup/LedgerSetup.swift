import LedgerCore

/// A ledger's setup as loaded from `Ledgers/<name>/`: organisation, machine name, base
/// currency, fiscal calendar, districts, funding sources and chart of accounts.
///
/// It is LedgerCore's `LedgerProfile` under the name the Setup module's callers think in,
/// so that what `LedgerSetupLoader.load(directory:)` returns can be handed unchanged to the
/// store that creates a ledger from it (`LedgerDatabase.initialize(_:now:)`). `District`
/// and `FundingSource` are likewise LedgerCore's types.
public typealias LedgerSetup = LedgerProfile
