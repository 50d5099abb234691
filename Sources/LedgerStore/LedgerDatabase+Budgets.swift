import Budgets
import GRDB
import LedgerCore

extension LedgerDatabase {
    // MARK: - Policy

    /// The budget policy in force (empty until one is set).
    public func budgetPolicy() throws -> BudgetPolicy {
        try pool.read { db in try BudgetRecords.policy(db) }
    }

    /// Replaces the budget policy, on the record (who, when, the policy as set).
    /// - Throws: `BudgetError.warningPercentInvalid`, `categoryInUse` (a category budget
    ///   lines use is missing), `invalid(accountUnknown)` for a not-budgeted account that is
    ///   not in the chart, `invalid(text…)` for `changedBy`.
    public func setBudgetPolicy(_ policy: BudgetPolicy, changedBy: String, now: Timestamp) throws {
        let changedBy = try Self.cleanedName(changedBy, field: "changedBy")
        for (code, rule) in policy.categories.sorted(by: { $0.key < $1.key }) {
            guard BudgetLine.isValidCode(code) else { throw BudgetError.categoryInvalid(field: "categories", value: code) }
            guard BudgetPolicy.warningPercentRange.contains(rule.warningPercent) else {
                throw BudgetError.warningPercentInvalid(field: "categories.\(code).warning-level", value: rule.warningPercent)
            }
        }
        try pool.write { db in
            let catalog = try catalog(db)
            for code in policy.notBudgetedAccounts.sorted() where catalog.accountIDs[code] == nil {
                throw BudgetError.invalid(.accountUnknown(field: "not-budgeted-accounts", code: code))
            }
            for used in try db.cachedValues(String.self, sql: "SELECT DISTINCT category FROM budget_lines ORDER BY category")
            where policy.categories[used] == nil {
                throw BudgetError.categoryInUse(field: "categories", category: used)
            }
            let kept = policy.categories.keys.sorted()
            try db.execute(
                sql: "DELETE FROM budget_categories WHERE code NOT IN (\(databaseQuestionMarks(count: max(kept.count, 1))))",
                arguments: StatementArguments(kept.isEmpty ? [""] : kept))
            for code in kept {
                guard let rule = policy.categories[code] else { continue }
                try db.cachedExecute(sql: """
                    INSERT INTO budget_categories (code, over_budget, warning_percent) VALUES (?, ?, ?)
                    ON CONFLICT (code) DO UPDATE SET over_budget = excluded.over_budget,
                        warning_percent = excluded.warning_percent
                    """, arguments: [code, rule.overBudget.rawValue, rule.warningPercent])
            }
            try db.cachedExecute(sql: "DELETE FROM budget_unbudgeted_accounts")
            for code in policy.notBudgetedAccounts.sorted() {
                try db.cachedExecute(sql: "INSERT INTO budget_unbudgeted_accounts (account_code) VALUES (?)", arguments: [code])
            }
            try db.cachedExecute(sql: "INSERT INTO budget_policy_changes (changed_at, changed_by, policy) VALUES (?, ?, ?)",
                arguments: [now.millisecondsSince1970, changedBy, Self.describe(policy)])
        }
    }

    /// The policy as one rule per line, for the record of its changes.
    static func describe(_ policy: BudgetPolicy) -> String {
        let categories = policy.categories.sorted { $0.key < $1.key }.map { code, rule in
            "category \(code): \(rule.overBudget.rawValue), warning at \(rule.warningPercent) %"
        }
        let accounts = policy.notBudgetedAccounts.sorted().map { "not budgeted: \($0)" }
        return (categories + accounts).joined(separator: "\n")
    }

    // MARK: - Lines and revisions

    /// Adds lines to a year's budget in one revision: `original` for the year's first
    /// lines, `addition` afterwards. All lines or none.
    /// - Throws: `BudgetError` naming the line (`lines[3].category`): `noLines`,
    ///   `lineDuplicate`, `districtUnknown`, `categoryUnknown`, `amountNegative`,
    ///   `lineReferenceInvalid` (a code with `/` or spaces), `invalid(text…)`.
    @discardableResult
    public func loadBudget(_ lines: [BudgetLine], approval: BudgetApproval, now: Timestamp) throws -> BudgetRevision {
        guard let fiscalYear = lines.first?.key.fiscalYear else { throw BudgetError.noLines }
        guard BudgetLine.fiscalYears.contains(fiscalYear) else {
            throw BudgetError.fiscalYearInvalid(field: "year", value: fiscalYear)
        }
        let approval = try approval.validated()
        var cleaned: [BudgetLine] = []
        var seen: Set<BudgetLineKey> = []
        for (index, line) in lines.enumerated() {
            let line = try Self.validated(line, field: "lines[\(index)]")
            guard line.key.fiscalYear == fiscalYear else {
                throw BudgetError.fiscalYearMismatch(field: "lines[\(index)].year", expected: fiscalYear, found: line.key.fiscalYear)
            }
            guard seen.insert(line.key).inserted else { throw BudgetError.lineDuplicate(field: "lines[\(index)]", line: line.key) }
            cleaned.append(line)
        }
        return try pool.write { db in
            let catalog = try catalog(db)
            let policy = catalog.budgets.policy
            for (index, line) in cleaned.enumerated() {
                guard catalog.context.districts.contains(line.key.district) else {
                    throw BudgetError.districtUnknown(field: "lines[\(index)].district", code: line.key.district)
                }
                guard policy.categories[line.category] != nil else {
                    throw BudgetError.categoryUnknown(
                        field: "lines[\(index)].category", category: line.category, known: policy.categories.keys.sorted())
                }
                guard catalog.budgets.lines[line.key] == nil else {
                    throw BudgetError.lineDuplicate(field: "lines[\(index)]", line: line.key)
                }
            }
            let kind: BudgetRevision.Kind = catalog.budgets.years.contains(fiscalYear) ? .addition : .original
            let revision = try Self.insertRevision(kind, fiscalYear: fiscalYear, approval: approval, now: now, in: db)
            for line in cleaned {
                try db.cachedExecute(sql: """
                    INSERT INTO budget_lines (fiscal_year, district, code, name_en, name_id, component, category, currency)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [fiscalYear, line.key.district, line.key.code, line.nameEn, line.nameId,
                                     line.component, line.category, line.amount.currency.code])
                try Self.insertAmount(line.amount.minorUnits, lineID: db.lastInsertedRowID, revision: revision, in: db)
            }
            return BudgetRevision(
                number: revision, fiscalYear: fiscalYear, kind: kind, reason: approval.reason,
                approvedBy: approval.approvedBy, approvedOn: approval.approvedOn, recordedAt: now,
                changes: cleaned.map { .init(line: $0.key, before: nil, after: $0.amount) })
        }
    }

    /// Raises or lowers one line to `amount`, as a revision on the record.
    /// - Throws: `BudgetError.lineUnknown`, `amountNegative`, `amountUnchanged`,
    ///   `revisedBelowUsed` (below what is spent and committed), `invalid(currencyMismatch)`.
    @discardableResult
    public func reviseBudget(
        _ key: BudgetLineKey, to amount: Money, approval: BudgetApproval, now: Timestamp
    ) throws -> BudgetRevision {
        let approval = try approval.validated()
        return try pool.write { db in
            let (lineID, current) = try Self.currentLine(key, field: "line", in: db)
            try Self.checkCurrency(amount, of: current, field: "amount")
            guard !amount.isNegative else { throw BudgetError.amountNegative(field: "amount", amount: amount) }
            guard amount != current.revised else { throw BudgetError.amountUnchanged(field: "amount", line: key) }
            if amount.minorUnits < current.revised.minorUnits {
                try Self.checkNotBelowUsed(amount, line: current, field: "amount", in: db)
            }
            let kind: BudgetRevision.Kind = amount.minorUnits > current.revised.minorUnits ? .increase : .decrease
            let revision = try Self.insertRevision(kind, fiscalYear: key.fiscalYear, approval: approval, now: now, in: db)
            try Self.insertAmount(amount.minorUnits, lineID: lineID, revision: revision, in: db)
            return BudgetRevision(
                number: revision, fiscalYear: key.fiscalYear, kind: kind, reason: approval.reason,
                approvedBy: approval.approvedBy, approvedOn: approval.approvedOn, recordedAt: now,
                changes: [.init(line: key, before: current.revised, after: amount)])
        }
    }

    /// Moves `amount` from one line to another of the same year and currency, as one
    /// revision: the year's total does not change.
    /// - Throws: `BudgetError.reallocationToSameLine`, `reallocationAcrossYears`,
    ///   `lineUnknown`, `reallocationChangesTotal`, `reallocationAmountNotPositive`,
    ///   `amountNegative` / `revisedBelowUsed` for the line given up, `invalid(currencyMismatch)`.
    @discardableResult
    public func moveBudget(
        _ amount: Money, from: BudgetLineKey, to: BudgetLineKey, approval: BudgetApproval, now: Timestamp
    ) throws -> BudgetRevision {
        guard from != to else { throw BudgetError.reallocationToSameLine(line: from) }
        guard from.fiscalYear == to.fiscalYear else { throw BudgetError.reallocationAcrossYears(from: from, to: to) }
        let approval = try approval.validated()
        return try pool.write { db in
            let (fromID, source) = try Self.currentLine(from, field: "from", in: db)
            let (toID, target) = try Self.currentLine(to, field: "to", in: db)
            guard source.revised.currency == target.revised.currency else {
                throw BudgetError.reallocationChangesTotal(
                    from: from, to: to, fromCurrency: source.revised.currency, toCurrency: target.revised.currency)
            }
            try Self.checkCurrency(amount, of: source, field: "amount")
            guard amount.minorUnits > 0 else { throw BudgetError.reallocationAmountNotPositive(field: "amount") }
            let sourceAfter: Money
            let targetAfter: Money
            do throws(LedgerError) {
                sourceAfter = try source.revised.subtracting(amount, field: "amount")
                targetAfter = try target.revised.adding(amount, field: "amount")
            } catch {
                throw BudgetError.invalid(error)
            }
            guard !sourceAfter.isNegative else { throw BudgetError.amountNegative(field: "amount", amount: sourceAfter) }
            try Self.checkNotBelowUsed(sourceAfter, line: source, field: "amount", in: db)
            let revision = try Self.insertRevision(.reallocation, fiscalYear: from.fiscalYear, approval: approval, now: now, in: db)
            try Self.insertAmount(sourceAfter.minorUnits, lineID: fromID, revision: revision, in: db)
            try Self.insertAmount(targetAfter.minorUnits, lineID: toID, revision: revision, in: db)
            return BudgetRevision(
                number: revision, fiscalYear: from.fiscalYear, kind: .reallocation, reason: approval.reason,
                approvedBy: approval.approvedBy, approvedOn: approval.approvedOn, recordedAt: now,
                changes: [.init(line: from, before: source.revised, after: sourceAfter),
                          .init(line: to, before: target.revised, after: targetAfter)])
        }
    }

    // MARK: - Reads

    /// A year's lines with their amounts as of `revision` (the newest when nil): old
    /// versions of the budget stay readable.
    public func budgetLines(fiscalYear: Int, district: String? = nil, asOfRevision revision: Int64? = nil) throws
        -> [CurrentBudgetLine] {
        try pool.read { db in
            try BudgetRecords.lines(db, fiscalYear: fiscalYear, district: district, asOfRevision: revision).map(\.line)
        }
    }

    /// The revisions of a year (or of one line), oldest first, with each line's amount
    /// before and after.
    public func budgetRevisions(fiscalYear: Int, line: BudgetLineKey? = nil) throws -> [BudgetRevision] {
        try pool.read { db in try BudgetRecords.revisions(db, fiscalYear: fiscalYear, line: line) }
    }

    /// Budget against actual and committed for each line of a year (one district's, or all).
    public func budgetFigures(fiscalYear: Int, district: String? = nil) throws -> [BudgetLineFigures] {
        try pool.read { db in try budgetFigures(fiscalYear: fiscalYear, district: district, in: db) }
    }

    /// `budgetFigures` inside a caller's access (a fraud scan).
    func budgetFigures(fiscalYear: Int, district: String?, in db: Database) throws -> [BudgetLineFigures] {
        let lines = try BudgetRecords.lines(db, fiscalYear: fiscalYear, district: district)
        let book = BudgetBook(lines: lines.map(\.line), policy: .empty)
        return try figures(of: lines.map(\.line), spent: try BudgetRecords.spent(db, book: book),
                           committed: try BudgetRecords.committed(db))
    }

    /// The figures of one line, or nil when the year has no such line: what every claim
    /// submission reads (R16), so only that line's rows are read.
    func budgetFigures(of key: BudgetLineKey, in db: Database) throws -> BudgetLineFigures? {
        guard let line = try BudgetRecords.lines(db, fiscalYear: key.fiscalYear, district: key.district, code: key.code)
            .first?.line else { return nil }
        return try figures(of: [line], spent: try BudgetRecords.spent(db, line: line),
                           committed: try BudgetRecords.committed(db, line: key)).first
    }

    private func figures(
        of lines: [CurrentBudgetLine], spent: [BudgetLineKey: Int64], committed: [BudgetLineKey: Int64]
    ) throws -> [BudgetLineFigures] {
        return try lines.map { line in
            let currency = line.revised.currency
            return BudgetLineFigures(line: line, figures: try BudgetFigures(
                original: line.line.amount, revised: line.revised,
                actual: Money(minorUnits: spent[line.line.key] ?? 0, currency: currency),
                committed: Money(minorUnits: committed[line.line.key] ?? 0, currency: currency)))
        }
    }

    /// Net spending per budget line and month of a year, in each line's currency.
    public func budgetMonthlySpending(fiscalYear: Int, district: String? = nil) throws
        -> [(line: BudgetLineKey, month: Period, actual: Money)] {
        try pool.read { db in try BudgetRecords.monthlySpending(db, fiscalYear: fiscalYear, district: district) }
    }

    // MARK: - Commitments (filled by approved claims)

    /// Holds `amount` of a line's budget for `reference` (an approved claim) until it is
    /// posted or released. Checked against the budget like a posting.
    /// - Returns: the warnings the commitment raises.
    /// - Throws: `LedgerError.overBudget` (under `block`), `budgetLineUnknown`,
    ///   `budgetCurrencyMismatch`; `BudgetError.commitmentDuplicate`, `amountNegative`,
    ///   `invalid(amountIsZero)`.
    @discardableResult
    public func commitBudget(
        _ amount: Money, on key: BudgetLineKey, reference: String, now: Timestamp
    ) throws -> [BudgetWarning] {
        let reference = try Self.cleanedName(reference, field: "reference")
        guard !amount.isZero else { throw BudgetError.invalid(.amountIsZero(field: "amount")) }
        guard !amount.isNegative else { throw BudgetError.amountNegative(field: "amount", amount: amount) }
        return try pool.write { db in try commitBudget(amount, on: key, reference: reference, now: now, in: db) }
    }

    /// `commitBudget` inside a caller's transaction (a claim's approval).
    func commitBudget(
        _ amount: Money, on key: BudgetLineKey, reference: String, now: Timestamp, in db: Database
    ) throws -> [BudgetWarning] {
        if try db.cachedValue(Bool.self, sql: """
            SELECT EXISTS (SELECT 1 FROM budget_commitments WHERE reference = ? AND released_at IS NULL)
            """, arguments: [reference]) == true {
            throw BudgetError.commitmentDuplicate(reference: reference)
        }
        let book = try catalog(db).budgets
        var budgetGuard = BudgetGuard(
            book: book, spent: try BudgetRecords.spent(db, book: book), committed: try BudgetRecords.committed(db))
        let warnings = try budgetGuard.admitCommitment(amount, on: key, field: "amount")
        let (lineID, _) = try Self.currentLine(key, field: "line", in: db)
        try db.cachedExecute(sql: "INSERT INTO budget_commitments (reference, line_id, amount, committed_at) VALUES (?, ?, ?, ?)",
            arguments: [reference, lineID, amount.minorUnits, now.millisecondsSince1970])
        return warnings
    }

    /// Gives back what `reference` held (the claim was posted, rejected or withdrawn).
    /// - Throws: `BudgetError.commitmentUnknown` when there is no open commitment by that name.
    public func releaseBudgetCommitment(reference: String, now: Timestamp) throws {
        let reference = TextRules.cleaned(reference)
        return try pool.write { db in
            guard try Self.releaseCommitment(reference: reference, now: now, in: db) else {
                throw BudgetError.commitmentUnknown(reference: reference)
            }
        }
    }

    /// Releases the open commitment `reference` inside a caller's transaction.
    /// - Returns: false when there was none.
    static func releaseCommitment(reference: String, now: Timestamp, in db: Database) throws -> Bool {
        try db.cachedExecute(sql: "UPDATE budget_commitments SET released_at = ? WHERE reference = ? AND released_at IS NULL",
            arguments: [now.millisecondsSince1970, reference])
        return db.changesCount == 1
    }

    // MARK: - Helpers

    private static func cleanedName(_ text: String, field: String) throws(BudgetError) -> String {
        let cleaned = TextRules.cleaned(text)
        do {
            try TextRules.check(cleaned, field: field, max: Limits.nameLengthMax)
        } catch {
            throw .invalid(error)
        }
        return cleaned
    }

    /// The line with its text cleaned and checked.
    static func validated(_ line: BudgetLine, field: String) throws(BudgetError) -> BudgetLine {
        var clean = line
        let code = TextRules.cleaned(line.key.code)
        let district = TextRules.cleaned(line.key.district)
        guard BudgetLine.isValidCode(code) else {
            throw .lineReferenceInvalid(field: field + ".code", value: line.key.code)
        }
        clean.key = BudgetLineKey(fiscalYear: line.key.fiscalYear, district: district, code: code)
        clean.nameEn = TextRules.cleaned(line.nameEn)
        clean.nameId = TextRules.cleaned(line.nameId)
        clean.component = TextRules.cleaned(line.component)
        clean.category = TextRules.cleaned(line.category)
        do {
            try TextRules.check(clean.nameEn, field: field + ".nameEn", max: Limits.descriptionLengthMax)
            try TextRules.check(clean.nameId, field: field + ".nameId", max: Limits.descriptionLengthMax)
            try TextRules.check(clean.component, field: field + ".component", max: Limits.descriptionLengthMax)
            try TextRules.check(clean.category, field: field + ".category", max: Limits.dimensionLengthMax)
        } catch {
            throw .invalid(error)
        }
        guard !line.amount.isNegative else { throw .amountNegative(field: field + ".amount", amount: line.amount) }
        return clean
    }

    private static func currentLine(_ key: BudgetLineKey, field: String, in db: Database) throws
        -> (id: Int64, line: CurrentBudgetLine) {
        guard let row = try Row.fetchOne(
            db, sql: BudgetRecords.selectLines + " WHERE l.fiscal_year = ? AND l.district = ? AND l.code = ?",
            arguments: [Int64.max, key.fiscalYear, key.district, key.code])
        else { throw BudgetError.lineUnknown(field: field, line: key) }
        return (row["id"], try BudgetRecords.line(from: row))
    }

    private static func checkCurrency(_ amount: Money, of line: CurrentBudgetLine, field: String) throws(BudgetError) {
        guard amount.currency == line.revised.currency else {
            throw .invalid(.currencyMismatch(field: field, expected: line.revised.currency, found: amount.currency))
        }
    }

    /// A line may not be budgeted below what it has spent and committed.
    private static func checkNotBelowUsed(_ amount: Money, line: CurrentBudgetLine, field: String, in db: Database) throws {
        let book = BudgetBook(lines: [line], policy: .empty)
        let key = line.line.key
        let actual = try BudgetRecords.spent(db, book: book)[key] ?? 0
        let committed = try BudgetRecords.committed(db)[key] ?? 0
        let (used, overflow) = actual.addingReportingOverflow(committed)
        guard !overflow else { throw BudgetError.invalid(.amountOverflow(field: field)) }
        if amount.minorUnits < used {
            let currency = amount.currency
            throw BudgetError.revisedBelowUsed(
                field: field, line: key, revised: amount, actual: Money(minorUnits: actual, currency: currency),
                committed: Money(minorUnits: committed, currency: currency))
        }
    }

    private static func insertRevision(
        _ kind: BudgetRevision.Kind, fiscalYear: Int, approval: BudgetApproval, now: Timestamp, in db: Database
    ) throws -> Int64 {
        try db.cachedExecute(sql: """
            INSERT INTO budget_revisions (fiscal_year, kind, reason, approved_by, approved_on, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [fiscalYear, kind.rawValue, approval.reason, approval.approvedBy,
                             approval.approvedOn.description, now.millisecondsSince1970])
        return db.lastInsertedRowID
    }

    private static func insertAmount(_ minorUnits: Int64, lineID: Int64, revision: Int64, in db: Database) throws {
        try db.cachedExecute(sql: "INSERT INTO budget_amounts (line_id, revision_id, amount) VALUES (?, ?, ?)",
            arguments: [lineID, revision, minorUnits])
    }
}

/// One posting behind a budget line's spending: what a drill-down from a budget figure lists.
public struct BudgetPosting: Hashable, Sendable {
    public let entry: EntryNumber
    public let date: LedgerDate
    public let description: String
    public let account: String
    /// Positive spends the line, negative gives back (a refund, a reversal).
    public let amount: Money
}

/// A page of `BudgetPosting`s, and where the next page starts.
public struct BudgetPostingPage: Sendable {
    public let postings: [BudgetPosting]
    /// Pass as `after` for the next page; nil on the last page.
    public let next: BudgetPostingCursor?
}

/// Where a page of budget postings ended: a posting's place in the journal.
public struct BudgetPostingCursor: Hashable, Sendable, CustomStringConvertible {
    public let entryID: Int64
    public let line: Int64

    public init(entryID: Int64, line: Int64) {
        self.entryID = entryID
        self.line = line
    }

    /// `"entryID-line"`, as `description` writes it; nil for anything else.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let entryID = Int64(parts[0]), let line = Int64(parts[1]), entryID >= 0, line >= 0
        else { return nil }
        self.init(entryID: entryID, line: line)
    }

    public var description: String { "\(entryID)-\(line)" }
}

extension LedgerDatabase {
    /// The postings summed into the spending of budget line `budgetLine` of `district` in
    /// `fiscalYear`, in journal order: expense postings carrying both dimensions, in the
    /// line's currency (the ledger's base currency for a line not budgeted), the same rows
    /// `budgetFigures` adds up (and `verify` recomputes), so a figure and its drill-down
    /// agree. A page reads the year's postings once (~0.1 s for a year of 360,000 entries):
    /// no index of its own slows every posting down.
    public func budgetPostings(fiscalYear: Int, district: String, budgetLine: String,
                               after: BudgetPostingCursor? = nil, limit: Int) throws -> BudgetPostingPage {
        let limit = max(1, min(limit, 1_000))
        return try pool.read { db in
            let line = try BudgetRecords.lines(db, fiscalYear: fiscalYear, district: district, code: budgetLine).first
            let currency = try line?.line.revised.currency ?? catalog(db).baseCurrency
            let rows = try Row.fetchAll(db, sql: """
                SELECT p.entry_id, p.line, p.amount, p.currency, a.code AS account_code,
                       e.fiscal_year, e.sequence, e.entry_date, e.description
                FROM postings p JOIN entries e ON e.id = p.entry_id JOIN accounts a ON a.id = p.account_id
                WHERE e.fiscal_year = ? AND p.district = ? AND p.budget_line = ? AND a.type = 'expense'
                  AND p.currency = ? AND (p.entry_id, p.line) > (?, ?)
                ORDER BY p.entry_id, p.line LIMIT ?
                """, arguments: [fiscalYear, district, budgetLine, currency.code, after?.entryID ?? 0, after?.line ?? -1,
                                 limit + 1])
            var postings: [BudgetPosting] = []
            var last: BudgetPostingCursor?
            for row in rows.prefix(limit) {
                let currencyCode: String = row["currency"]
                guard let currency = Currency.known[currencyCode] else {
                    throw StoreError.corrupt("a posting has unknown currency \(currencyCode)")
                }
                let dateText: String = row["entry_date"]
                guard let date = try? LedgerDate(parsing: dateText) else {
                    throw StoreError.corrupt("entry id \(row["entry_id"] as Int64) has an invalid date")
                }
                postings.append(BudgetPosting(
                    entry: EntryNumber(fiscalYear: row["fiscal_year"], sequence: row["sequence"]), date: date,
                    description: row["description"], account: row["account_code"],
                    amount: Money(minorUnits: row["amount"], currency: currency)))
                last = BudgetPostingCursor(entryID: row["entry_id"], line: row["line"])
            }
            return BudgetPostingPage(postings: postings, next: rows.count > limit ? last : nil)
        }
    }
}
