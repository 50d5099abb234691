import Budgets
import FeeClaims
import GRDB
import LedgerCore

/// The reference data every write needs: the chart of accounts with row ids, districts,
/// funding sources, the fiscal calendar, the budgets in force. Loaded once and reused until `catalog_version`
/// changes (any process adding an account bumps it through a trigger).
struct LedgerCatalog: Sendable {
    let version: Int64
    let context: ValidationContext
    let fiscalCalendar: FiscalCalendar
    let baseCurrency: Currency
    let accountIDs: [String: Int64]
    let accountCodes: [Int64: String]
    let budgets: BudgetBook
    /// The people list and the claim policies (nil until set).
    let claims: ClaimCatalog

    static func currentVersion(_ db: Database) throws -> Int64 {
        guard let version = try db.cachedValue(Int64.self, sql: "SELECT catalog_version FROM ledger_meta WHERE id = 1") else {
            throw StoreError.notInitialized
        }
        return version
    }

    static func load(_ db: Database) throws -> LedgerCatalog {
        guard let meta = try db.cachedRow(sql: "SELECT catalog_version, base_currency, fiscal_start_month FROM ledger_meta WHERE id = 1")
        else { throw StoreError.notInitialized }
        var chart = ChartOfAccounts()
        var ids: [String: Int64] = [:]
        var codes: [Int64: String] = [:]
        let rows = try db.cachedRows(sql: """
            SELECT a.id, a.code, a.name_en, a.name_id, a.type, p.code AS parent_code, a.currency, a.opens_on, a.closes_on
            FROM accounts a LEFT JOIN accounts p ON p.id = a.parent_id ORDER BY a.id
            """)
        for row in rows {
            let account = try AccountRecord.account(from: row)
            do {
                try chart.add(account, field: "accounts")
            } catch {
                throw StoreError.corrupt("account \(account.code) in the database is invalid: \(error.message)")
            }
            let id: Int64 = row["id"]
            ids[account.code] = id
            codes[id] = account.code
        }
        let districts = try String.fetchSet(db, sql: "SELECT code FROM districts")
        let sources = try String.fetchSet(db, sql: "SELECT code FROM funding_sources")
        let currencyCode: String = meta["base_currency"]
        guard let baseCurrency = Currency.known[currencyCode] else {
            throw StoreError.corrupt("base currency \(currencyCode) is unknown")
        }
        let startMonth: Int = meta["fiscal_start_month"]
        return LedgerCatalog(
            version: meta["catalog_version"],
            context: ValidationContext(chart: chart, districts: districts, fundingSources: sources),
            fiscalCalendar: FiscalCalendar(startMonth: startMonth),
            baseCurrency: baseCurrency,
            accountIDs: ids,
            accountCodes: codes,
            budgets: try BudgetRecords.book(db),
            claims: try ClaimCatalog.load(db))
    }
}

/// Decoding of `accounts` rows into `Account` values.
enum AccountRecord {
    static func account(from row: Row) throws -> Account {
        let code: String = row["code"]
        let typeText: String = row["type"]
        guard let type = AccountType(rawValue: typeText) else {
            throw StoreError.corrupt("account \(code) has unknown type \(typeText)")
        }
        var currency: Currency?
        if let currencyCode: String = row["currency"] {
            guard let known = Currency.known[currencyCode] else {
                throw StoreError.corrupt("account \(code) has unknown currency \(currencyCode)")
            }
            currency = known
        }
        return Account(
            code: code, nameEn: row["name_en"], nameId: row["name_id"], type: type,
            parentCode: row["parent_code"], currency: currency,
            opensOn: try date(row["opens_on"], code: code), closesOn: try date(row["closes_on"], code: code))
    }

    private static func date(_ text: String?, code: String) throws -> LedgerDate? {
        guard let text else { return nil }
        do {
            return try LedgerDate(parsing: text)
        } catch {
            throw StoreError.corrupt("account \(code) has an invalid date \(text)")
        }
    }
}

/// What claim actions read on every step, cached with the catalogue.
struct ClaimCatalog: Sendable {
    let people: [String: Person]
    let matrix: ApprovalMatrix?
    let rates: RateTable?

    static func load(_ db: Database) throws -> ClaimCatalog {
        ClaimCatalog(
            people: try ClaimRecords.people(db),
            matrix: try ClaimRecords.policy("approval-matrix", db).map(ClaimPolicyDocuments.matrix),
            rates: try ClaimRecords.policy("rates", db).map(ClaimPolicyDocuments.rates))
    }

    func requireMatrix() throws(ClaimError) -> ApprovalMatrix {
        guard let matrix else { throw .policyMissing("approval matrix") }
        return matrix
    }

    func requireRates() throws(ClaimError) -> RateTable {
        guard let rates else { throw .policyMissing("rates") }
        return rates
    }
}

