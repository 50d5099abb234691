import Budgets
import FeeClaims
import Foundation
import FraudRules
import GRDB
import LedgerCore
import Synchronization

/// A finding as stored: its id (`F-000001`), when it was found and where its triage stands.
public struct StoredFinding: Hashable, Sendable {
    public let id: String
    public let finding: Finding
    public let foundAt: Timestamp
    public let status: String
}

/// What a scan found.
public struct FraudScanResult: Sendable {
    /// Findings not known before this scan.
    public let new: [StoredFinding]
    /// Findings the scan found again (already on the record).
    public let known: Int
    public let claimsScanned: Int
}

extension LedgerDatabase {
    // MARK: - Policy

    public func setFraudPolicy(_ policy: FraudPolicy, setBy: String, now: Timestamp) throws {
        let setBy = TextRules.cleaned(setBy)
        try TextRules.check(setBy, field: "changedBy", max: Limits.nameLengthMax)
        try pool.write { db in
            try db.execute(sql: "INSERT INTO fraud_policies (document, set_at, set_by) VALUES (?, ?, ?)",
                           arguments: [try FraudPolicyDocument.encode(policy), now.millisecondsSince1970, setBy])
        }
    }

    public func fraudPolicy() throws -> FraudPolicy? {
        try pool.read { db in try FraudPolicyDocument.load(db, cache: cachedFraudPolicy) }
    }

    // MARK: - Scans

    /// Runs every enabled batch rule over a fiscal year's claims (one district's, or all),
    /// the people and the budget, and records what is new. A second scan adds nothing.
    /// - Throws: `FraudError.policyMissing`, `ClaimError.policyMissing` (no approval matrix).
    public func scanFraud(fiscalYear: Int, district: String? = nil, now: Timestamp) throws -> FraudScanResult {
        try pool.write { db in
            guard let policy = try FraudPolicyDocument.load(db, cache: cachedFraudPolicy) else { throw FraudError.policyMissing }
            let catalog = try catalog(db)
            let matrix = try catalog.claims.requireMatrix()
            let claims = try FraudFacts.claims(db, fiscalYear: fiscalYear, district: district, currency: catalog.baseCurrency)
            let budget = try budgetFigures(fiscalYear: fiscalYear, district: district, in: db)
            let findings = FraudScanner(
                policy: policy, approvalLimits: matrix.levels.compactMap(\.limit), eligibility: try FraudFacts.eligibility(db),
                rates: catalog.claims.rates, approvalLevels: matrix.levels
            ).scan(
                claims: claims, people: Array(catalog.claims.people.values), budget: budget,
                manualEntries: try FraudFacts.manualEntries(db, fiscalYear: fiscalYear, district: district),
                entryNumbering: [try FraudFacts.entryNumbering(db, fiscalYear: fiscalYear)]
            ) + (try Self.benfordFindings(policy, fiscalYear: fiscalYear, in: db))
            var new: [StoredFinding] = []
            for finding in findings {
                if let stored = try Self.record(finding, now: now, in: db) { new.append(stored) }
            }
            return FraudScanResult(new: new, known: findings.count - new.count, claimsScanned: claims.count)
        }
    }

    /// Benford's law over a fiscal year's expense amounts (debits to expense accounts), in
    /// one pass over the year's postings: memory does not grow with them.
    public func benford(fiscalYear: Int) throws -> (first: BenfordTest, firstTwo: BenfordTest) {
        try pool.read { db in try Self.benford(fiscalYear: fiscalYear, in: db) }
    }

    static func benford(fiscalYear: Int, in db: Database) throws -> (first: BenfordTest, firstTwo: BenfordTest) {
        var first: [Int: Int] = [:]
        var firstTwo: [Int: Int] = [:]
        let amounts = try Row.fetchCursor(db, sql: """
            SELECT p.amount, p.currency FROM entries e
            JOIN postings p ON p.entry_id = e.id JOIN accounts a ON a.id = p.account_id
            WHERE e.fiscal_year = ? AND a.type = 'expense' AND p.amount > 0
            """, arguments: [fiscalYear])
        var exponents: [String: Int] = [:]
        while let row = try amounts.next() {
            let code: String = row[1]
            let exponent = exponents[code] ?? Currency.known[code]?.exponent ?? 2
            exponents[code] = exponent
            let amount: Int64 = row[0]
            if let digit = BenfordTest.leading(amount, exponent: exponent, digits: .first) { first[digit, default: 0] += 1 }
            if let digits = BenfordTest.leading(amount, exponent: exponent, digits: .firstTwo) {
                firstTwo[digits, default: 0] += 1
            }
        }
        return (BenfordTest(digits: .first, counts: first), BenfordTest(digits: .firstTwo, counts: firstTwo))
    }

    /// R13: a finding when a test is not in close conformity or flags digits, with at least
    /// `minAmounts` amounts.
    static func benfordFindings(_ policy: FraudPolicy, fiscalYear: Int, in db: Database) throws -> [Finding] {
        guard let rule = policy.enabled(.r13) else { return [] }
        let tests = try benford(fiscalYear: fiscalYear, in: db)
        return [tests.first, tests.firstTwo].compactMap { test in
            guard test.amounts >= Int(rule.parameter("minAmounts", 1_000)) else { return nil }
            let flagged = test.rows.filter(\.flagged).map { String($0.digits) }
            guard test.conformity != .close || !flagged.isEmpty else { return nil }
            return Finding(
                rule: .r13, action: rule.action, subject: "\(fiscalYear) expense amounts, \(test.digits.rawValue)",
                subjectPerson: nil,
                evidence: "\(test.amounts) amounts, MAD \(String(format: "%.4f", test.mad)) (\(test.conformity.rawValue))"
                    + (flagged.isEmpty ? "" : "; z above 1.96 for \(flagged.joined(separator: ", "))"))
        }
    }

    /// Records `finding` unless the same one is on the record.
    /// - Returns: the stored finding when it is new.
    static func record(_ finding: Finding, now: Timestamp, in db: Database) throws -> StoredFinding? {
        try db.cachedExecute(sql: """
            INSERT INTO findings (key, rule, action, subject, subject_person, related, evidence, found_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING
            """, arguments: [finding.key, finding.rule.rawValue, finding.action.rawValue, finding.subject,
                             finding.subjectPerson, finding.related.joined(separator: ","), finding.evidence,
                             now.millisecondsSince1970])
        guard db.changesCount == 1 else { return nil }
        return StoredFinding(id: FindingID.text(db.lastInsertedRowID), finding: finding, foundAt: now, status: "open")
    }

    // MARK: - Triage

    /// The finding `id` (`F-000123`), or nil when there is none.
    public func finding(_ id: String) throws -> StoredFinding? {
        guard let rowID = FindingID.rowID(id) else { return nil }
        return try pool.read { db in
            try db.cachedRow(sql: "SELECT * FROM findings WHERE id = ?", arguments: [rowID]).map(FindingID.stored)
        }
    }

    /// A finding with its decisions and the approvers who acknowledged it: what its page shows.
    public func findingRecord(_ id: String) throws -> FindingRecord? {
        guard let rowID = FindingID.rowID(id) else { return nil }
        return try pool.read { db in
            guard let row = try db.cachedRow(sql: "SELECT * FROM findings WHERE id = ?", arguments: [rowID]) else { return nil }
            let decisions = try Row.fetchAll(db, sql: "SELECT * FROM finding_decisions WHERE finding_id = ? ORDER BY id",
                                             arguments: [rowID]).map { row in
                FindingRecord.Decision(decision: row["decision"], actor: row["actor"], reason: row["reason"],
                                       at: Timestamp(millisecondsSince1970: row["at"]))
            }
            let acknowledgements = try Row.fetchAll(
                db, sql: "SELECT actor, at FROM finding_acknowledgements WHERE finding_id = ? ORDER BY at, actor",
                arguments: [rowID]).map { row in (actor: row["actor"] as String, at: Timestamp(millisecondsSince1970: row["at"])) }
            return FindingRecord(finding: try FindingID.stored(row), decisions: decisions, acknowledgements: acknowledgements)
        }
    }

    /// How many findings have `status`: what the home page counts without reading them.
    public func findingCount(status: String) throws -> Int {
        try pool.read { db in
            try db.cachedValue(Int.self, sql: "SELECT COUNT(*) FROM findings WHERE status = ?", arguments: [status]) ?? 0
        }
    }

    /// Findings by id, of one `status` and/or about one `subject` (a claim number, an entry
    /// number) when given.
    public func findings(status: String? = nil, subject: String? = nil, limit: Int = 10_000) throws -> [StoredFinding] {
        try pool.read { db in
            var sql = "SELECT * FROM findings WHERE 1"
            var arguments: StatementArguments = []
            if let status {
                sql += " AND status = ?"
                arguments += [status]
            }
            if let subject {
                sql += " AND subject = ?"
                arguments += [subject]
            }
            sql += " ORDER BY id LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(FindingID.stored)
        }
    }

    public enum FindingDecision: String, Sendable {
        case dismiss = "dismissed"
        case escalate = "escalated"
    }

    /// Dismisses or escalates an open finding, on the record, by a compliance officer who is
    /// not its subject.
    /// - Throws: `FraudError.findingUnknown`, `findingAlreadyDecided`, `notComplianceOfficer`,
    ///   `ownFinding`, `reasonRequired`; `ClaimError.personUnknown` / `personInactive`.
    public func decide(
        _ decision: FindingDecision, finding id: String, reason: String, by actor: String, now: Timestamp
    ) throws {
        let reason = TextRules.cleaned(reason)
        let verb = decision == .dismiss ? "dismiss" : "escalate"
        guard !reason.isEmpty else { throw FraudError.reasonRequired(decision: verb) }
        try TextRules.check(reason, field: "reason", max: Limits.descriptionLengthMax)
        try pool.write { db in
            guard let rowID = FindingID.rowID(id),
                  let row = try db.cachedRow(sql: "SELECT * FROM findings WHERE id = ?", arguments: [rowID]) else {
                throw FraudError.findingUnknown(id)
            }
            let stored = try FindingID.stored(row)
            guard stored.status == "open" else { throw FraudError.findingAlreadyDecided(finding: id, status: stored.status) }
            let people = try catalog(db).claims.people
            let rules = ClaimRules(matrix: ApprovalMatrix(levels: []), date: try Self.today(now)) { people[$0] }
            let person = try rules.activePerson(actor)
            guard person.roles.contains(.complianceOfficer) else { throw FraudError.notComplianceOfficer(person: actor) }
            // Nobody decides about themselves: the subject, people named as related (R15), and
            // the claimants of related claims (the other half of a split or duplicate).
            var about = Set([stored.finding.subjectPerson].compactMap { $0 } + stored.finding.related)
            for related in stored.finding.related {
                guard let number = try? ClaimNumber(parsing: related) else { continue }
                if let claimant = try db.cachedValue(String.self, sql: """
                    SELECT claimant FROM claims WHERE district = ? AND fiscal_year = ? AND sequence = ?
                    """, arguments: [number.district, number.fiscalYear, number.sequence]) {
                    about.insert(claimant)
                }
            }
            guard !about.contains(actor) else { throw FraudError.ownFinding(finding: id, person: actor) }
            try db.cachedExecute(sql: "UPDATE findings SET status = ? WHERE id = ?", arguments: [decision.rawValue, rowID])
            try db.cachedExecute(sql: """
                INSERT INTO finding_decisions (finding_id, decision, actor, reason, at) VALUES (?, ?, ?, ?, ?)
                """, arguments: [rowID, decision.rawValue, actor, reason, now.millisecondsSince1970])
        }
    }
}

/// `F-000001` ↔ row id 1.
enum FindingID {
    static func text(_ rowID: Int64) -> String {
        let digits = String(rowID)
        return "F-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// The row id of `F-` and digits only (`F-+1` and `F- 1` are no finding's id).
    static func rowID(_ text: String) -> Int64? {
        guard text.hasPrefix("F-") else { return nil }
        let digits = text.dropFirst(2)
        guard (1...18).contains(digits.count), digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int64(digits)
    }

    static func stored(_ row: Row) throws -> StoredFinding {
        let ruleText: String = row["rule"]
        let actionText: String = row["action"]
        guard let rule = FraudRuleID(rawValue: ruleText), let action = FraudAction(rawValue: actionText) else {
            throw StoreError.corrupt("a finding has rule \(ruleText) or action \(actionText)")
        }
        let related: String = row["related"]
        let finding = Finding(
            rule: rule, action: action, subject: row["subject"], subjectPerson: row["subject_person"],
            related: related.isEmpty ? [] : related.split(separator: ",").map(String.init), evidence: row["evidence"])
        return StoredFinding(id: text(row["id"]), finding: finding,
                             foundAt: Timestamp(millisecondsSince1970: row["found_at"]), status: row["status"])
    }
}

/// The anti-fraud policy as a JSON document in `fraud_policies`; the newest is in force.
///
/// The document is `{"holidays": […], "rules": […]}`. Policies set before holidays were
/// kept are a bare list of rules, and are still read as such.
enum FraudPolicyDocument {
    private struct Rule: Codable {
        let id: String
        let nameEn: String
        let nameId: String
        let enabled: Bool
        let action: String
        let parameters: [String: Int64]
    }

    private struct Holiday: Codable {
        let date: String
        let kind: String
        let nameEn: String
        let nameId: String
    }

    private struct Document: Codable {
        let rules: [Rule]
        let holidays: [Holiday]
    }

    static func encode(_ policy: FraudPolicy) throws -> String {
        let rules = policy.rules.values.sorted { $0.id < $1.id }.map {
            Rule(id: $0.id.rawValue, nameEn: $0.nameEn, nameId: $0.nameId, enabled: $0.enabled, action: $0.action.rawValue,
                 parameters: $0.parameters)
        }
        let holidays = policy.holidays.values.sorted { $0.date < $1.date }.map {
            Holiday(date: $0.date.description, kind: $0.kind.rawValue, nameEn: $0.nameEn, nameId: $0.nameId)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(Document(rules: rules, holidays: holidays)), as: UTF8.self)
    }

    /// The policy in force, decoded once per policy set (every claim submission reads it).
    static func load(_ db: Database, cache: borrowing Mutex<(id: Int64, policy: FraudPolicy)?>) throws -> FraudPolicy? {
        guard let id = try db.cachedValue(Int64.self, sql: "SELECT MAX(id) FROM fraud_policies") else { return nil }
        if let cached = cache.withLock({ $0 }), cached.id == id { return cached.policy }
        guard let text = try db.cachedValue(String.self, sql: "SELECT document FROM fraud_policies WHERE id = ?",
                                            arguments: [id]) else { return nil }
        let policy = try decode(text)
        cache.withLock { $0 = (id, policy) }
        return policy
    }

    private static func decode(_ text: String) throws -> FraudPolicy {
        let data = Data(text.utf8)
        let document = text.hasPrefix("[")
            ? Document(rules: try JSONDecoder().decode([Rule].self, from: data), holidays: [])
            : try JSONDecoder().decode(Document.self, from: data)
        let rules = try document.rules.map { rule in
            guard let id = FraudRuleID(rawValue: rule.id), let action = FraudAction(rawValue: rule.action) else {
                throw StoreError.corrupt("the anti-fraud policy names rule \(rule.id) or action \(rule.action)")
            }
            return FraudRule(id: id, nameEn: rule.nameEn, nameId: rule.nameId, enabled: rule.enabled, action: action,
                             parameters: rule.parameters)
        }
        let holidays = try document.holidays.map { holiday in
            guard let kind = PublicHoliday.Kind(rawValue: holiday.kind) else {
                throw StoreError.corrupt("the anti-fraud policy has a holiday of kind \(holiday.kind)")
            }
            return PublicHoliday(date: try LedgerDate(parsing: holiday.date, field: "holiday"), kind: kind,
                                 nameEn: holiday.nameEn, nameId: holiday.nameId)
        }
        return FraudPolicy(rules: rules, holidays: holidays)
    }
}

/// The facts the batch rules read, in a few queries whatever the number of claims.
enum FraudFacts {
    /// The grant's dates (the earliest start and latest end of the funding sources; none when
    /// a source leaves its start or end open) and the closed periods with when each was
    /// closed: what R10 checks activities against.
    static func eligibility(_ db: Database) throws -> ClaimEligibility {
        let grant = try db.cachedRow(sql: """
            SELECT CASE WHEN COUNT(*) = COUNT(starts_on) THEN MIN(starts_on) END AS starts,
                   CASE WHEN COUNT(*) = COUNT(ends_on) THEN MAX(ends_on) END AS ends
            FROM funding_sources
            """)
        func date(_ text: String?) throws -> LedgerDate? {
            try text.map { text throws(LedgerError) in try LedgerDate(parsing: text, field: "funding source date") }
        }
        var closed: [Period: Timestamp] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT period, closed_at FROM closed_periods") {
            closed[try Period(parsing: row["period"])] = Timestamp(millisecondsSince1970: row["closed_at"])
        }
        return ClaimEligibility(grantStart: try date(grant?["starts"]), grantEnd: try date(grant?["ends"]), closedPeriods: closed)
    }

    static func claims(_ db: Database, fiscalYear: Int, district: String?, currency: Currency) throws -> [ClaimFacts] {
        var arguments: StatementArguments = [fiscalYear]
        if let district { arguments += [district] }
        return try claims(db, where: "c.fiscal_year = ?" + (district == nil ? "" : " AND c.district = ?"),
                          arguments: arguments, currency: currency)
    }

    /// The fiscal year's manual entries that touch budget lines (one district's, or all),
    /// with their authors.
    static func manualEntries(_ db: Database, fiscalYear: Int, district: String?) throws -> [ManualEntryFacts] {
        var lines: [EntryNumber: (author: String, lines: Set<BudgetLineKey>)] = [:]
        var arguments: StatementArguments = [fiscalYear]
        if let district { arguments += [district] }
        for row in try Row.fetchAll(db, sql: """
            SELECT DISTINCT e.sequence, e.author, p.district, p.budget_line FROM entries e
            JOIN postings p ON p.entry_id = e.id
            WHERE e.fiscal_year = ? AND e.source = 'manual' AND p.budget_line IS NOT NULL AND p.district IS NOT NULL
            """ + (district == nil ? "" : " AND p.district = ?"), arguments: arguments) {
            let number = EntryNumber(fiscalYear: fiscalYear, sequence: row["sequence"])
            let line = BudgetLineKey(fiscalYear: fiscalYear, district: row["district"], code: row["budget_line"])
            lines[number, default: (row["author"], [])].lines.insert(line)
        }
        return lines.sorted { $0.key < $1.key }.map {
            ManualEntryFacts(number: $0.key.description, author: $0.value.author, budgetLines: $0.value.lines)
        }
    }

    /// How many entries the fiscal year has against its highest number, and the first runs
    /// of missing numbers when they differ (found through the numbering index, only then).
    static func entryNumbering(_ db: Database, fiscalYear: Int) throws -> EntryNumberingFacts {
        let row = try db.cachedRow(sql: """
            SELECT COUNT(*) AS count, COALESCE(MAX(sequence), 0) AS highest FROM entries WHERE fiscal_year = ?
            """, arguments: [fiscalYear])
        let count: Int = row?["count"] ?? 0
        let highest: Int = row?["highest"] ?? 0
        guard count < highest else {
            return EntryNumberingFacts(fiscalYear: fiscalYear, count: count, highest: highest, missing: [])
        }
        // A run of missing numbers follows each number whose successor is absent (or starts at 1).
        let runs = try Row.fetchAll(db, sql: """
            SELECT 1 AS first, (SELECT MIN(sequence) FROM entries WHERE fiscal_year = ?1) - 1 AS last
            WHERE NOT EXISTS (SELECT 1 FROM entries WHERE fiscal_year = ?1 AND sequence = 1)
            UNION ALL
            SELECT e.sequence + 1, (SELECT MIN(n.sequence) FROM entries n WHERE n.fiscal_year = ?1 AND n.sequence > e.sequence) - 1
            FROM entries e WHERE e.fiscal_year = ?1 AND e.sequence < ?2
              AND NOT EXISTS (SELECT 1 FROM entries n WHERE n.fiscal_year = ?1 AND n.sequence = e.sequence + 1)
            ORDER BY 1 LIMIT ?3
            """, arguments: [fiscalYear, highest, FraudScanner.gapRangesMax + 1]).compactMap { row -> ClosedRange<Int>? in
            let first: Int = row["first"]
            let last: Int = row["last"]
            return first <= last ? first...last : nil
        }
        return EntryNumberingFacts(fiscalYear: fiscalYear, count: count, highest: highest, missing: runs)
    }

    /// Claims that may duplicate or split claim `claimID`: the same claimant or the same
    /// activity with an activity meeting `window` (`ClaimCheck.neighbourWindow`), or a
    /// shared receipt file or vendor receipt number at any date (current versions). Each
    /// part is read through its own index, so the cost follows the neighbours, not the
    /// number of claims on record.
    static func neighbours(
        _ db: Database, of claimID: Int64, claimant: String, activity: String, window: (from: LedgerDate, to: LedgerDate),
        currency: Currency
    ) throws -> [ClaimFacts] {
        let from = window.from.description
        let to = window.to.description
        return try claims(db, where: """
            c.id <> ? AND c.id IN (
                SELECT id FROM claims WHERE claimant = ? AND activity_to >= ? AND activity_from <= ?
                UNION
                SELECT id FROM claims WHERE lower(activity) = lower(?) AND activity_to >= ? AND activity_from <= ?
                UNION
                SELECT r.claim_id FROM claim_receipts r WHERE r.sha256 IN (
                    SELECT r2.sha256 FROM claim_receipts r2 JOIN claims c2 ON c2.id = r2.claim_id AND r2.version = c2.version
                    WHERE c2.id = ?)
                UNION
                SELECT r.claim_id FROM claim_receipts r WHERE r.vendor_key IN (
                    SELECT r2.vendor_key FROM claim_receipts r2 JOIN claims c2 ON c2.id = r2.claim_id AND r2.version = c2.version
                    WHERE c2.id = ? AND r2.vendor_key IS NOT NULL))
            """, arguments: [claimID, claimant, from, to, activity, from, to, claimID, claimID], currency: currency)
    }

    /// The facts of the claims matching `filter` (SQL over `claims c`), in four queries,
    /// prepared once per filter (each caller passes a fixed text).
    private static func claims(_ db: Database, where filter: String, arguments: StatementArguments, currency: Currency) throws
        -> [ClaimFacts] {
        var amounts: [Int64: [String: Int64]] = [:]
        var perDiemDays: [Int64: Int64] = [:]
        var highestUnitRates: [Int64: [String: Int64]] = [:]
        for row in try db.cachedRows(sql: """
            SELECT l.claim_id, l.category, SUM(l.quantity * l.unit_rate) AS amount, SUM(l.quantity) AS quantity,
                   MAX(l.unit_rate) AS highest
            FROM claim_lines l JOIN claims c ON c.id = l.claim_id AND l.version = c.version
            WHERE \(filter) GROUP BY l.claim_id, l.category
            """, arguments: arguments) {
            amounts[row["claim_id"], default: [:]][row["category"]] = row["amount"]
            highestUnitRates[row["claim_id"], default: [:]][row["category"]] = row["highest"]
            if (row["category"] as String) == "per-diem" { perDiemDays[row["claim_id"]] = row["quantity"] }
        }
        var receipts: [Int64: [EntryHash]] = [:]
        var vendorReceipts: [Int64: [VendorReceipt]] = [:]
        for row in try db.cachedRows(sql: """
            SELECT r.claim_id, r.sha256, r.vendor, r.vendor_number FROM claim_receipts r
            JOIN claims c ON c.id = r.claim_id AND r.version = c.version
            WHERE \(filter)
            """, arguments: arguments) {
            receipts[row["claim_id"], default: []].append(try EntryHash.stored(row["sha256"], "a receipt"))
            if let vendorReceipt = ClaimRecords.vendorReceipt(row) {
                vendorReceipts[row["claim_id"], default: []].append(vendorReceipt)
            }
        }
        var approvers: [Int64: [String]] = [:]
        for row in try db.cachedRows(sql: """
            SELECT e.claim_id, e.actor FROM claim_events e JOIN claims c ON c.id = e.claim_id
            WHERE e.action = 'approve' AND \(filter) ORDER BY e.sequence
            """, arguments: arguments) {
            approvers[row["claim_id"], default: []].append(row["actor"])
        }
        return try db.cachedRows(sql: """
            SELECT c.id, c.district, c.fiscal_year, c.sequence, c.claimant, c.budget_line, c.activity, c.activity_from,
                   c.activity_to,
                   c.state, (SELECT MIN(e.at) FROM claim_events e WHERE e.claim_id = c.id AND e.action = 'submit') AS submitted
            FROM claims c WHERE \(filter) ORDER BY c.id
            """, arguments: arguments).map { row in
            let id: Int64 = row["id"]
            let state: String = row["state"]
            let byCategory = amounts[id] ?? [:]
            let total = byCategory.values.reduce(Int64(0)) { $0.addingReportingOverflow($1).partialValue }
            let submitted: Int64? = row["submitted"]
            let number = ClaimNumber(district: row["district"], fiscalYear: row["fiscal_year"], sequence: row["sequence"])
            return ClaimFacts(
                number: number.description, claimant: row["claimant"], district: row["district"], activity: row["activity"],
                activityFrom: try LedgerDate(parsing: row["activity_from"] as String),
                activityTo: try LedgerDate(parsing: row["activity_to"] as String),
                submittedOn: submitted.flatMap { Timestamp(millisecondsSince1970: $0).utcDate },
                submittedAt: submitted.map(Timestamp.init(millisecondsSince1970:)),
                isLive: !["rejected", "withdrawn", "draft"].contains(state), amountsByCategory: byCategory,
                amount: Money(minorUnits: total, currency: currency), receipts: receipts[id] ?? [],
                vendorReceipts: vendorReceipts[id] ?? [],
                perDiemDays: perDiemDays[id] ?? 0, highestUnitRates: highestUnitRates[id] ?? [:], budgetLine: row["budget_line"],
                approvedBy: approvers[id] ?? [])
        }
    }
}
