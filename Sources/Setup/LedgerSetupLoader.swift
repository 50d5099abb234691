import LedgerCore
import Yams

/// Loads a ledger's setup from its directory (`Ledgers/<name>/`): `ledger.yaml` for the
/// organisation, currency, calendar, districts and funding sources, and `accounts.yaml`
/// for the chart of accounts.
///
/// Setups are data, never code, so that another program can use Neraca unchanged; the
/// loader therefore refuses anything doubtful (unknown keys, wrong shapes, bad dates,
/// unknown currencies, an invalid chart) with an error naming file, line, column and field,
/// rather than guessing.
public enum LedgerSetupLoader {
    /// The file holding the organisation, currency, calendar, districts and funding sources.
    public static let ledgerFileName = "ledger.yaml"
    /// The file holding the chart of accounts.
    public static let accountsFileName = "accounts.yaml"

    /// Reads and validates `directory/ledger.yaml` and `directory/accounts.yaml`.
    /// - Throws: the first `SetupError` found; `ledger.yaml` is checked before `accounts.yaml`.
    public static func load(directory: String) throws(SetupError) -> LedgerSetup {
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        let ledgerPath = base + "/" + ledgerFileName
        let accountsPath = base + "/" + accountsFileName
        let header = try readLedger(YAMLFile.root(path: ledgerPath), file: ledgerPath)
        let chart = try readChart(YAMLFile.root(path: accountsPath), file: accountsPath)
        return LedgerSetup(
            name: header.name, organisation: header.organisation, baseCurrency: header.baseCurrency,
            fiscalCalendar: header.fiscalCalendar, districts: header.districts,
            fundingSources: header.fundingSources, chart: chart)
    }
}
