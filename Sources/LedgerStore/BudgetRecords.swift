import Budgets
import GRDB
import LedgerCore

/// The SQL of budgets: reading lines, amounts, the policy, spending and commitments into
/// Budgets' values. Writes are in `LedgerDatabase+Budgets`.
enum BudgetRecords {
    /// Every line with its original and current amounts.
    static let selectLines = """
        SELECT l.id, l.fiscal_year, l.district, l.code, l.name_en, l.name_id, l.component, l.category, l.currency,
               (SELECT a.amount FROM budget_amounts a WHERE a.line_id = l.id
                ORDER BY a.revision_id ASC LIMIT 1) AS original,
               (SELECT a.amount FROM budget_amounts a WHERE a.line_id = l.id AND a.revision_id <= ?
                ORDER BY a.revision_id DESC LIMIT 1) AS revised
        FROM budget_lines l
        """

    /// Lines as of revision `revision` (the newest when nil); lines created later are left out.
    static func lines(
        _ db: Database, fiscalYear: Int? = nil, district: String? = nil, code: String? = nil,
        asOfRevision revision: Int64? = nil
    ) throws -> [(id: Int64, line: CurrentBudgetLine)] {
        var sql = selectLines + " WHERE revised IS NOT NULL"
        var arguments: StatementArguments = [revision ?? Int64.max]
        if let fiscalYear {
            sql += " AND l.fiscal_year = ?"
            arguments += [fiscalYear]
        }
        if let district {
            sql += " AND l.district = ?"
            arguments += [district]
        }
        if let code {
            sql += " AND l.code = ?"
            arguments += [code]
        }
        return try db.cachedRows(sql: sql, arguments: arguments).map { row in
            (id: row["id"], line: try line(from: row))
        }.sorted { $0.line.line.key < $1.line.line.key }
    }

    static func line(from row: Row) throws -> CurrentBudgetLine {
        let code: String = row["code"]
        let currencyCode: String = row["currency"]
        guard let currency = Currency.known[currencyCode] else {
            throw StoreError.corrupt("budget line \(code) has unknown currency \(currencyCode)")
        }
        guard let original: Int64 = row["original"], let revised: Int64 = row["revised"] else {
            throw StoreError.corrupt("budget line \(code) has no amount")
        }
        let key = BudgetLineKey(fiscalYear: row["fiscal_year"], district: row["district"], code: code)
        return CurrentBudgetLine(
            line: BudgetLine(
                key: key, nameEn: row["name_en"], nameId: row["name_id"], component: row["component"],
                category: row["category"], amount: Money(minorUnits: original, currency: currency)),
            revised: Money(minorUnits: revised, currency: currency))
    }

    static func policy(_ db: Database) throws -> BudgetPolicy {
        var categories: [String: CategoryRule] = [:]
        for row in try db.cachedRows(sql: "SELECT code, over_budget, warning_percent FROM budget_categories") {
            let code: String = row["code"]
            let actionText: String = row["over_budget"]
            guard let action = OverBudgetAction(rawValue: actionText) else {
                throw StoreError.corrupt("budget category \(code) has unknown action \(actionText)")
            }
            categories[code] = CategoryRule(overBudget: action, warningPercent: row["warning_percent"])
        }
        let accounts = try String.fetchSet(db, sql: "SELECT account_code FROM budget_unbudgeted_accounts")
        return BudgetPolicy(categories: categories, notBudgetedAccounts: accounts)
    }

    static func book(_ db: Database) throws -> BudgetBook {
        BudgetBook(lines: try lines(db).map(\.line), policy: try policy(db))
    }

    /// Net spending per budgeted line of `years`, in each line's currency.
    static func spent(_ db: Database, book: BudgetBook) throws -> [BudgetLineKey: Int64] {
        guard !book.years.isEmpty else { return [:] }
        var spent: [BudgetLineKey: Int64] = [:]
        let years = book.years.sorted().map(String.init).joined(separator: ",")
        for row in try Row.fetchAll(db, sql: """
            SELECT fiscal_year, district, budget_line, currency, SUM(debit) AS debit, SUM(credit) AS credit
            FROM budget_actuals WHERE fiscal_year IN (\(years))
            GROUP BY fiscal_year, district, budget_line, currency
            """) {
            let key = BudgetLineKey(fiscalYear: row["fiscal_year"], district: row["district"], code: row["budget_line"])
            guard let line = book.lines[key], line.revised.currency.code == (row["currency"] as String) else { continue }
            let debit: Int64 = row["debit"]
            let credit: Int64 = row["credit"]
            let (net, overflow) = debit.subtractingReportingOverflow(credit)
            guard !overflow else { throw LedgerError.amountOverflow(field: "budget.actual") }
            spent[key] = net
        }
        return spent
    }

    /// The net spending of one line, in its currency (the same sums as `spent(_:book:)`).
    static func spent(_ db: Database, line: CurrentBudgetLine) throws -> [BudgetLineKey: Int64] {
        let key = line.line.key
        guard let row = try db.cachedRow(sql: """
            SELECT COALESCE(SUM(debit), 0) AS debit, COALESCE(SUM(credit), 0) AS credit FROM budget_actuals
            WHERE fiscal_year = ? AND district = ? AND budget_line = ? AND currency = ?
            """, arguments: [key.fiscalYear, key.district, key.code, line.revised.currency.code]) else { return [:] }
        let debit: Int64 = row["debit"]
        let credit: Int64 = row["credit"]
        let (net, overflow) = debit.subtractingReportingOverflow(credit)
        guard !overflow else { throw LedgerError.amountOverflow(field: "budget.actual") }
        return [key: net]
    }

    /// The open commitments of one line.
    static func committed(_ db: Database, line key: BudgetLineKey) throws -> [BudgetLineKey: Int64] {
        let amount = try db.cachedValue(Int64.self, sql: """
            SELECT SUM(c.amount) FROM budget_commitments c JOIN budget_lines l ON l.id = c.line_id
            WHERE c.released_at IS NULL AND l.fiscal_year = ? AND l.district = ? AND l.code = ?
            """, arguments: [key.fiscalYear, key.district, key.code])
        return amount.map { [key: $0] } ?? [:]
    }

    /// Open commitments per line.
    static func committed(_ db: Database) throws -> [BudgetLineKey: Int64] {
        var committed: [BudgetLineKey: Int64] = [:]
        for row in try db.cachedRows(sql: """
            SELECT l.fiscal_year, l.district, l.code, SUM(c.amount) AS amount
            FROM budget_commitments c JOIN budget_lines l ON l.id = c.line_id
            WHERE c.released_at IS NULL GROUP BY l.id
            """) {
            let key = BudgetLineKey(fiscalYear: row["fiscal_year"], district: row["district"], code: row["code"])
            committed[key] = row["amount"]
        }
        return committed
    }

    /// Revisions of a year (or those touching one line), oldest first.
    static func revisions(_ db: Database, fiscalYear: Int, line: BudgetLineKey?) throws -> [BudgetRevision] {
        var sql = """
            SELECT r.id, r.fiscal_year, r.kind, r.reason, r.approved_by, r.approved_on, r.recorded_at,
                   l.district, l.code, l.currency, a.amount,
                   (SELECT b.amount FROM budget_amounts b WHERE b.line_id = a.line_id AND b.revision_id < a.revision_id
                    ORDER BY b.revision_id DESC LIMIT 1) AS before
            FROM budget_revisions r
            JOIN budget_amounts a ON a.revision_id = r.id
            JOIN budget_lines l ON l.id = a.line_id
            WHERE r.fiscal_year = ?
            """
        var arguments: StatementArguments = [fiscalYear]
        if let line {
            // Every change of the revisions that touched the line: both sides of a reallocation.
            sql += """
                 AND r.id IN (SELECT a2.revision_id FROM budget_amounts a2 JOIN budget_lines l2 ON l2.id = a2.line_id
                              WHERE l2.fiscal_year = ? AND l2.district = ? AND l2.code = ?)
                """
            arguments += [line.fiscalYear, line.district, line.code]
        }
        var revisions: [BudgetRevision] = []
        var current: (row: Row, changes: [BudgetRevision.Change])?
        func close() throws {
            guard let (row, changes) = current else { return }
            let kindText: String = row["kind"]
            guard let kind = BudgetRevision.Kind(rawValue: kindText) else {
                throw StoreError.corrupt("budget revision \(row["id"] as Int64) has unknown kind \(kindText)")
            }
            let approvedOn = try LedgerDate(parsing: row["approved_on"] as String, field: "approved_on")
            revisions.append(BudgetRevision(
                number: row["id"], fiscalYear: row["fiscal_year"], kind: kind, reason: row["reason"],
                approvedBy: row["approved_by"], approvedOn: approvedOn,
                recordedAt: Timestamp(millisecondsSince1970: row["recorded_at"]),
                changes: changes.sorted { $0.line < $1.line }))
        }
        for row in try Row.fetchAll(db, sql: sql + " ORDER BY r.id", arguments: arguments) {
            let id: Int64 = row["id"]
            if current.map({ ($0.row["id"] as Int64) != id }) ?? true {
                try close()
                current = (row, [])
            }
            let currencyCode: String = row["currency"]
            guard let currency = Currency.known[currencyCode] else {
                throw StoreError.corrupt("a budget line has unknown currency \(currencyCode)")
            }
            let key = BudgetLineKey(fiscalYear: row["fiscal_year"], district: row["district"], code: row["code"])
            let before: Int64? = row["before"]
            current?.changes.append(.init(
                line: key, before: before.map { Money(minorUnits: $0, currency: currency) },
                after: Money(minorUnits: row["amount"], currency: currency)))
        }
        try close()
        return revisions
    }

    /// Net spending per budget line (of the year's budget, in its currency) and month.
    static func monthlySpending(_ db: Database, fiscalYear: Int, district: String?) throws
        -> [(line: BudgetLineKey, month: Period, actual: Money)] {
        var sql = """
            SELECT a.district, a.budget_line, a.month, a.currency, SUM(a.debit) - SUM(a.credit) AS net
            FROM budget_actuals a
            JOIN budget_lines l ON l.fiscal_year = a.fiscal_year AND l.district = a.district
                AND l.code = a.budget_line AND l.currency = a.currency
            WHERE a.fiscal_year = ?
            """
        var arguments: StatementArguments = [fiscalYear]
        if let district {
            sql += " AND a.district = ?"
            arguments += [district]
        }
        sql += " GROUP BY a.district, a.budget_line, a.month, a.currency ORDER BY a.district, a.budget_line, a.month"
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            let currencyCode: String = row["currency"]
            guard let currency = Currency.known[currencyCode] else {
                throw StoreError.corrupt("budget actuals have unknown currency \(currencyCode)")
            }
            return (line: BudgetLineKey(fiscalYear: fiscalYear, district: row["district"], code: row["budget_line"]),
                    month: try Period(parsing: row["month"] as String, field: "month"),
                    actual: Money(minorUnits: row["net"], currency: currency))
        }
    }
}

