import GRDB
import LedgerCore

/// Inserts one account row; shared by ledger creation and by imports that create accounts.
enum AccountInsert {
    /// - Parameter id: the row id to use; nil lets SQLite choose the next one.
    static func insert(_ account: Account, id: Int64? = nil, parentID: Int64?, now: Timestamp, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO accounts (id, code, name_en, name_id, type, parent_id, currency, opens_on, closes_on, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                id, account.code, account.nameEn, account.nameId, account.type.rawValue, parentID,
                account.currency?.code, account.opensOn?.description, account.closesOn?.description,
                now.millisecondsSince1970,
            ])
    }
}

extension LedgerCatalog {
    /// This catalogue with one more account (the chart validates it again).
    func adding(_ account: Account, id: Int64, field: String) throws(LedgerError) -> LedgerCatalog {
        var context = self.context
        try context.chart.add(account, field: field)
        var ids = accountIDs
        ids[account.code] = id
        var codes = accountCodes
        codes[id] = account.code
        return LedgerCatalog(
            version: version + 1, context: context, fiscalCalendar: fiscalCalendar, baseCurrency: baseCurrency,
            accountIDs: ids, accountCodes: codes, budgets: budgets, claims: claims)
    }
}
