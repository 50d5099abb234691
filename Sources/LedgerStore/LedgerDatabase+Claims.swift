import Budgets
import FeeClaims
import FraudRules
import Foundation
import GRDB
import LedgerCore

/// What a claim action did.
public struct ClaimActionResult: Hashable, Sendable {
    public let number: ClaimNumber
    public let state: ClaimState
    /// Entries the action wrote (posting, payment, reversals).
    public let entries: [EntryNumber]
    /// Budget warnings raised by a commitment or a posting.
    public let budgetWarnings: [BudgetWarning]
    /// What is still owed after a payment.
    public let owed: Money?
    /// Anti-fraud findings the step recorded (flags to acknowledge, a hold), as `F-… R02: evidence`.
    public var findings: [String] = []
}

/// A claim with everything about it, for `claim show`.
public struct ClaimDetail: Sendable {
    public let snapshot: ClaimSnapshot
    public let lines: [ClaimLine]
    public let receipts: [Receipt]
    public let events: [ClaimEvent]
    public let entries: [(kind: String, number: EntryNumber)]
    /// Still owed to the claimant (zero before posting and once paid).
    public let owed: Money
}

/// A receipt file sent with a new claim (`createClaim`).
public struct ReceiptUpload: Sendable {
    public let bytes: [UInt8]
    public let fileName: String
    /// The vendor and number printed on the receipt, when the claimant gives them.
    public let vendorReceipt: VendorReceipt?

    public init(bytes: [UInt8], fileName: String, vendorReceipt: VendorReceipt? = nil) {
        self.bytes = bytes
        self.fileName = fileName
        self.vendorReceipt = vendorReceipt
    }
}

/// One row of `claim list`.
public struct ClaimSummary: Hashable, Sendable {
    public let number: ClaimNumber
    public let claimant: String
    public let state: ClaimState
    public let activity: String
    public let activityFrom: LedgerDate
    public let amount: Money
}

extension LedgerDatabase {
    // MARK: - People and policies

    /// Adds or updates people (by id); nobody is ever deleted, and every change is kept in
    /// the people's history with `changedBy`.
    /// - Returns: how many people were new or changed.
    /// - Throws: `LedgerError.districtUnknown` for a district the ledger lacks, `textEmpty`
    ///   for `changedBy`.
    @discardableResult
    public func importPeople(_ people: [Person], changedBy: String, now: Timestamp) throws -> Int {
        let changedBy = TextRules.cleaned(changedBy)
        try TextRules.check(changedBy, field: "changedBy", max: Limits.nameLengthMax)
        return try pool.write { db in
            let districts = try catalog(db).context.districts
            let current = try ClaimRecords.people(db)
            var changed = 0
            for (index, person) in people.enumerated() {
                if let district = person.district, !districts.contains(district) {
                    throw LedgerError.districtUnknown(field: "people[\(index)].district", code: district)
                }
                guard current[person.id] != person else { continue }
                changed += 1
                try db.cachedExecute(sql: """
                    INSERT INTO people (id, name, district, roles, supervisor, bank_account, active_from, active_to, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET name = excluded.name, district = excluded.district,
                        roles = excluded.roles, supervisor = excluded.supervisor, bank_account = excluded.bank_account,
                        active_from = excluded.active_from, active_to = excluded.active_to, updated_at = excluded.updated_at
                    """, arguments: [person.id, person.name, person.district,
                                     person.roles.sorted().map(\.rawValue).joined(separator: ";"), person.supervisor,
                                     person.bankAccount, person.activeFrom.description, person.activeTo?.description,
                                     now.millisecondsSince1970])
                try db.cachedExecute(sql: """
                    INSERT INTO people_changes (person_id, changed_at, changed_by, name, district, roles, supervisor,
                                                bank_account, active_from, active_to)
                    SELECT id, ?, ?, name, district, roles, supervisor, bank_account, active_from, active_to
                    FROM people WHERE id = ?
                    """, arguments: [now.millisecondsSince1970, changedBy, person.id])
            }
            return changed
        }
    }

    /// A person's changes, oldest first: who changed them, when, and to what.
    public func personHistory(_ id: String) throws -> [(changedAt: Timestamp, changedBy: String, person: Person)] {
        try pool.read { db in
            try db.cachedRows(sql: """
                SELECT person_id AS id, changed_at, changed_by, name, district, roles, supervisor, bank_account,
                       active_from, active_to
                FROM people_changes WHERE person_id = ? ORDER BY id
                """, arguments: [id]).map { row in
                (Timestamp(millisecondsSince1970: row["changed_at"]), row["changed_by"], try ClaimRecords.person(from: row))
            }
        }
    }

    public func people() throws -> [Person] {
        try pool.read { db in try ClaimRecords.people(db).values.sorted { $0.id < $1.id } }
    }

    /// Sets the approval matrix and/or the rates; each change is kept.
    /// - Throws: `LedgerError.accountUnknown` for an account the chart lacks.
    public func setClaimPolicies(matrix: ApprovalMatrix?, rates: RateTable?, setBy: String, now: Timestamp) throws {
        try pool.write { db in
            let chart = try catalog(db).context.chart
            if let rates {
                let accounts = [rates.payableAccount] + rates.categories.values.map(\.expenseAccount)
                    + rates.paymentAccounts.values.sorted()
                for code in accounts where chart.account(code: code) == nil {
                    throw LedgerError.accountUnknown(field: "rates", code: code)
                }
                try db.cachedExecute(sql: "INSERT INTO claim_policies (kind, document, set_at, set_by) VALUES ('rates', ?, ?, ?)",
                               arguments: [try ClaimPolicyDocuments.encode(rates), now.millisecondsSince1970, setBy])
            }
            if let matrix {
                try db.cachedExecute(sql: "INSERT INTO claim_policies (kind, document, set_at, set_by) VALUES ('approval-matrix', ?, ?, ?)",
                    arguments: [try ClaimPolicyDocuments.encode(matrix), now.millisecondsSince1970, setBy])
            }
        }
    }

    public func claimPolicies() throws -> (matrix: ApprovalMatrix?, rates: RateTable?) {
        try pool.read { db in
            (try ClaimRecords.policy("approval-matrix", db).map(ClaimPolicyDocuments.matrix),
             try ClaimRecords.policy("rates", db).map(ClaimPolicyDocuments.rates))
        }
    }

    // MARK: - Drafting

    /// Opens a draft claim for `header.claimant`, who must be the one acting, with `lines`
    /// and `receipts` if given: all in one transaction, so a refused line or receipt leaves
    /// no claim behind.
    /// - Parameter requestKey: the key of the form that asks (printable ASCII, at most 128
    ///   bytes): the claim the same claimant already created with it, with the same header,
    ///   lines and receipts, is returned instead of a new one, so a form sent twice (a double
    ///   tap, a retry on a weak connection) creates one claim.
    /// - Throws: `ClaimError` (unknown or inactive person, no claimant role, dates inverted,
    ///   a receipt refused, `requestKeyReused` for the key with other content), `LedgerError`
    ///   (unknown district, bad text, a malformed key).
    public func createClaim(
        _ header: ClaimHeader, lines: [ClaimLine] = [], receipts: [ReceiptUpload] = [], requestKey: String? = nil,
        by actor: String, date: LedgerDate, now: Timestamp
    ) throws -> ClaimNumber {
        let lines = try lines.map(Self.checkedLine)
        let receipts = try receipts.map { upload in (upload, try Self.checkReceipt(upload.bytes, fileName: upload.fileName)) }
        if let requestKey { try EntryValidator.checkIdempotencyKey(requestKey, field: "key") }
        let header = try Self.checkedHeader(header)
        return try groupCommit.write(pool) { [self] db in
            let catalog = try catalog(db)
            guard catalog.context.districts.contains(header.district) else {
                throw LedgerError.districtUnknown(field: "district", code: header.district)
            }
            let people = catalog.claims.people
            let rules = ClaimRules(matrix: ApprovalMatrix(levels: []), date: try Self.today(now)) { people[$0] }
            let claimant = try rules.activePerson(header.claimant, field: "claimant")
            guard actor == claimant.id else { throw ClaimError.notTheClaimant(claim: "a new claim", person: actor) }
            guard claimant.roles.contains(.claimant) else { throw ClaimError.roleMissing(person: claimant.id, role: .claimant) }
            if let requestKey, let earlier = try Self.claimCreated(by: claimant.id, requestKey: requestKey, in: db) {
                let loaded = try ClaimRecords.load(earlier, db)
                guard loaded.snapshot.header == header, loaded.lines == lines,
                      Set(loaded.receipts.map(\.sha256)) == Set(receipts.map { EntryHash.sha256(of: $0.0.bytes) })
                else { throw ClaimError.requestKeyReused(claim: earlier.description) }
                return earlier
            }
            let year = catalog.fiscalCalendar.fiscalYear(of: header.activityFrom)
            let sequence = (try db.cachedValue(Int.self, sql: """
                SELECT MAX(sequence) FROM claims WHERE district = ? AND fiscal_year = ?
                """, arguments: [header.district, year]) ?? 0) + 1
            let number = ClaimNumber(district: header.district, fiscalYear: year, sequence: sequence)
            try db.cachedExecute(sql: """
                INSERT INTO claims (district, fiscal_year, sequence, claimant, budget_line, activity, activity_from,
                                    activity_to, state, version, created_at, request_key)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'draft', 1, ?, ?)
                """, arguments: [header.district, year, sequence, header.claimant, header.budgetLine, header.activity,
                                 header.activityFrom.description, header.activityTo.description, now.millisecondsSince1970,
                                 requestKey])
            let id = db.lastInsertedRowID
            try Self.recordEvent(
                claimID: id, number: number, version: 1, action: "create", actor: actor, from: nil, to: .draft,
                comment: nil, versionHash: .genesis, now: now, in: db)
            for line in lines { try addClaimLine(line, to: number, by: actor, date: date, in: db) }
            for (upload, checked) in receipts {
                _ = try attachReceipt(upload.bytes, checked: checked, vendorReceipt: upload.vendorReceipt, to: number,
                                  by: actor, date: date, in: db)
            }
            return number
        }
    }

    /// A header's own checks, before any read: dates in order, the activity cleaned and fit
    /// for a posting dimension, a budget line code.
    private static func checkedHeader(_ header: ClaimHeader) throws -> ClaimHeader {
        guard header.activityFrom <= header.activityTo else {
            throw ClaimError.activityDatesInverted(from: header.activityFrom, to: header.activityTo)
        }
        var header = header
        header.activity = TextRules.cleaned(header.activity)
        // The activity becomes a posting dimension: it must fit one.
        try TextRules.check(header.activity, field: "activity", max: Limits.dimensionLengthMax)
        guard BudgetLine.isValidCode(header.budgetLine) else {
            throw BudgetError.lineReferenceInvalid(field: "budgetLine", value: header.budgetLine)
        }
        return header
    }

    /// Changes the activity, its dates and the budget line of a draft never submitted, by
    /// its claimant. Once submitted, a version is hashed with its header (and `verify`
    /// recomputes that hash), so a returned claim keeps its header: only its lines and
    /// receipts change. The district and the fiscal year are in the claim's number and stay.
    /// - Throws: `ClaimError.notTheClaimant`, `actionNotAllowed` (not a draft),
    ///   `activityDatesInverted`, `activityOutsideClaimYear`; `LedgerError`, `BudgetError`
    ///   for the text and the budget line code.
    public func editDraftHeader(_ number: ClaimNumber, activity: String, budgetLine: String, activityFrom: LedgerDate,
                                activityTo: LedgerDate, by actor: String, date: LedgerDate) throws {
        try pool.write { db in
            let loaded = try editable(number, by: actor, date: date, in: db)
            guard loaded.snapshot.state == .draft else {
                throw ClaimError.actionNotAllowed(claim: number.description, action: "given other details",
                                                  state: loaded.snapshot.state)
            }
            var header = loaded.snapshot.header
            header.activity = activity
            header.budgetLine = budgetLine
            header.activityFrom = activityFrom
            header.activityTo = activityTo
            header = try Self.checkedHeader(header)
            let year = try catalog(db).fiscalCalendar.fiscalYear(of: header.activityFrom)
            guard year == number.fiscalYear else {
                throw ClaimError.activityOutsideClaimYear(claim: number.description, date: header.activityFrom,
                                                          fiscalYear: number.fiscalYear)
            }
            try db.cachedExecute(sql: """
                UPDATE claims SET activity = ?, budget_line = ?, activity_from = ?, activity_to = ? WHERE id = ?
                """, arguments: [header.activity, header.budgetLine, header.activityFrom.description,
                                 header.activityTo.description, loaded.id])
        }
    }

    /// The claim `claimant` created with the form of `requestKey`, if any.
    private static func claimCreated(by claimant: String, requestKey: String, in db: Database) throws -> ClaimNumber? {
        try db.cachedRow(sql: "SELECT district, fiscal_year, sequence FROM claims WHERE claimant = ? AND request_key = ?",
                         arguments: [claimant, requestKey]).map { row in
            ClaimNumber(district: row["district"], fiscalYear: row["fiscal_year"], sequence: row["sequence"])
        }
    }

    /// A digest of a claim's lines as shown (category, quantity, rate, memo, in order): a
    /// form carries the digest of the lines it showed, and a change of lines is refused when
    /// they changed since (`ClaimError.linesChanged`).
    public static func linesDigest(_ lines: [ClaimLine]) -> String {
        let text = lines.map { line in
            [line.category.rawValue, String(line.quantity), String(line.unitRate.minorUnits), line.unitRate.currency.code,
             line.memo ?? ""].joined(separator: "\t")
        }.joined(separator: "\n")
        return EntryHash.sha256(of: Array(text.utf8)).hex
    }

    /// Adds a line to the claim's current version (a draft, or a returned claim's next version).
    /// - Throws: `ClaimError.rateAboveCeiling`, `quantityInvalid`, `actionNotAllowed`,
    ///   `roleMissing` (not the claimant), `LedgerError` for amounts.
    /// - Parameter expectedLines: the `linesDigest` of the lines the claimant saw; other lines
    ///   now are `ClaimError.linesChanged` (the same form sent twice adds its line once).
    public func addClaimLine(_ line: ClaimLine, to number: ClaimNumber, by actor: String, date: LedgerDate,
                             expectedLines: String? = nil) throws {
        let line = try Self.checkedLine(line)
        try pool.write { db in
            try addClaimLine(line, to: number, by: actor, date: date, expectedLines: expectedLines, in: db)
        }
    }

    /// A line's own checks, before any read: memo cleaned, quantity and rate positive, amount in range.
    private static func checkedLine(_ line: ClaimLine) throws -> ClaimLine {
        var line = line
        line.memo = line.memo.map(TextRules.cleaned).flatMap { $0.isEmpty ? nil : $0 }
        if let memo = line.memo { try TextRules.check(memo, field: "memo", max: Limits.memoLengthMax) }
        guard line.quantity > 0 else { throw ClaimError.quantityInvalid(field: "quantity", quantity: line.quantity) }
        guard line.unitRate.minorUnits > 0 else { throw ClaimError.unitRateNotPositive(field: "unitRate", unitRate: line.unitRate) }
        let amount = try line.amount()
        guard amount.minorUnits <= Limits.amountMinorUnitsMax else {
            throw LedgerError.amountAboveLimit(field: "unitRate", minorUnits: amount.minorUnits)
        }
        return line
    }

    /// `addClaimLine` inside a caller's transaction, `line` already checked.
    private func addClaimLine(_ line: ClaimLine, to number: ClaimNumber, by actor: String, date: LedgerDate,
                              expectedLines: String? = nil, in db: Database) throws {
        let loaded = try editable(number, by: actor, date: date, in: db)
        try Self.checkLines(loaded, expected: expectedLines, number: number)
        let base = try catalog(db).baseCurrency
        guard line.unitRate.currency == base else {
            throw LedgerError.currencyMismatch(field: "unitRate", expected: base, found: line.unitRate.currency)
        }
        guard loaded.lines.count < ClaimLimits.linesMax else {
            throw ClaimError.tooManyLines(claim: number.description, max: ClaimLimits.linesMax)
        }
        let total = try ClaimRecords.amount(of: loaded.lines + [line])
        guard total.minorUnits <= Limits.amountMinorUnitsMax else {
            throw LedgerError.amountAboveLimit(field: "unitRate", minorUnits: total.minorUnits)
        }
        try Self.checkCeiling(line, field: "unitRate", claim: loaded.snapshot, rates: try catalog(db).claims.requireRates())
        let position = (try db.cachedValue(Int.self, sql: """
            SELECT MAX(position) FROM claim_lines WHERE claim_id = ? AND version = ?
            """, arguments: [loaded.id, loaded.snapshot.version]) ?? -1) + 1
        try db.cachedExecute(sql: """
            INSERT INTO claim_lines (claim_id, version, position, category, quantity, unit_rate, currency, memo)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [loaded.id, loaded.snapshot.version, position, line.category.rawValue, line.quantity,
                             line.unitRate.minorUnits, line.unitRate.currency.code, line.memo])
    }

    /// Removes line `index` (0-based) of the claim's current, not yet submitted version.
    /// - Parameter expectedLines: the `linesDigest` of the lines the claimant saw; other lines
    ///   now are `ClaimError.linesChanged` (the same form sent twice removes one line, not two;
    ///   a second tab's change is not undone by a stale one).
    public func removeClaimLine(at index: Int, from number: ClaimNumber, by actor: String, date: LedgerDate,
                                expectedLines: String? = nil) throws {
        try pool.write { db in
            let loaded = try editable(number, by: actor, date: date, in: db)
            try Self.checkLines(loaded, expected: expectedLines, number: number)
            let positions = try db.cachedValues(Int.self, sql: """
                SELECT position FROM claim_lines WHERE claim_id = ? AND version = ? ORDER BY position
                """, arguments: [loaded.id, loaded.snapshot.version])
            guard positions.indices.contains(index) else {
                throw ClaimError.lineUnknown(claim: number.description, index: index < Int.max ? index + 1 : index)
            }
            try db.cachedExecute(sql: "DELETE FROM claim_lines WHERE claim_id = ? AND version = ? AND position = ?",
                           arguments: [loaded.id, loaded.snapshot.version, positions[index]])
        }
    }

    private static func checkLines(_ loaded: ClaimRecords.Loaded, expected: String?, number: ClaimNumber) throws {
        guard let expected, expected != linesDigest(loaded.lines) else { return }
        throw ClaimError.linesChanged(claim: number.description)
    }

    /// A receipt file's own checks, before any read: its cleaned name, and its type by its
    /// first bytes. A form that creates a claim with a receipt checks first, so that a
    /// refused file leaves no claim behind.
    /// - Throws: `LedgerError` for the name; `ClaimError.receiptEmpty`, `receiptTooLarge`,
    ///   `receiptNotAccepted`.
    public static func checkReceipt(_ bytes: [UInt8], fileName: String) throws -> (name: String, type: Receipt.MediaType) {
        let name = TextRules.cleaned(fileName)
        try TextRules.check(name, field: "fileName", max: Limits.nameLengthMax)
        guard !bytes.isEmpty else { throw ClaimError.receiptEmpty(fileName: name) }
        guard bytes.count <= Receipt.bytesMax else {
            throw ClaimError.receiptTooLarge(fileName: name, size: bytes.count, max: Receipt.bytesMax)
        }
        guard let type = Receipt.MediaType.detect(bytes) else { throw ClaimError.receiptNotAccepted(fileName: name) }
        return (name, type)
    }

    /// Attaches a receipt (PDF, JPEG or PNG by its first bytes, at most 10 MB), stored once
    /// by SHA-256, with the vendor and number printed on it when the claimant gives them.
    /// Attaching the same file again changes nothing.
    /// - Throws: `ClaimError.receiptNotAccepted`, `receiptTooLarge`, `receiptEmpty`;
    ///   `receiptAttachedWithOtherNumber` when the file is attached already with another
    ///   vendor receipt, or none.
    @discardableResult
    public func attachReceipt(
        _ bytes: [UInt8], fileName: String, vendorReceipt: VendorReceipt? = nil, to number: ClaimNumber, by actor: String,
        date: LedgerDate
    ) throws -> Receipt {
        let checked = try Self.checkReceipt(bytes, fileName: fileName)
        return try pool.write { db in
            try attachReceipt(bytes, checked: checked, vendorReceipt: vendorReceipt, to: number, by: actor, date: date,
                              in: db)
        }
    }

    /// `attachReceipt` inside a caller's transaction, the file already checked.
    private func attachReceipt(
        _ bytes: [UInt8], checked: (name: String, type: Receipt.MediaType), vendorReceipt: VendorReceipt?,
        to number: ClaimNumber, by actor: String, date: LedgerDate, in db: Database
    ) throws -> Receipt {
        let (name, type) = checked
        let digest = EntryHash.sha256(of: bytes)
        let loaded = try editable(number, by: actor, date: date, in: db)
        guard loaded.receipts.count < ClaimLimits.receiptsMax else {
            throw ClaimError.tooManyReceipts(claim: number.description, max: ClaimLimits.receiptsMax)
        }
        try db.cachedExecute(sql: """
            INSERT INTO receipts (sha256, media_type, size, content) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING
            """, arguments: [Data(digest.bytes), type.rawValue, bytes.count, Data(bytes)])
        if let attached = loaded.receipts.first(where: { $0.sha256 == digest }) {
            guard vendorReceipt == nil || attached.vendorReceipt?.key == vendorReceipt?.key else {
                throw ClaimError.receiptAttachedWithOtherNumber(
                    claim: number.description, fileName: attached.fileName, existing: attached.vendorReceipt)
            }
            return attached
        }
        try db.cachedExecute(sql: """
            INSERT INTO claim_receipts (claim_id, version, sha256, file_name, vendor, vendor_number, vendor_key)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [loaded.id, loaded.snapshot.version, Data(digest.bytes), name, vendorReceipt?.vendor,
                             vendorReceipt?.number, vendorReceipt?.key])
        return Receipt(sha256: digest, mediaType: type, size: bytes.count, fileName: name, vendorReceipt: vendorReceipt)
    }

    /// The bytes of a stored receipt.
    public func receiptContent(_ sha256: EntryHash) throws -> [UInt8]? {
        try pool.read { db in
            try db.cachedValue(Data.self, sql: "SELECT content FROM receipts WHERE sha256 = ?", arguments: [Data(sha256.bytes)])
                .map { Array($0) }
        }
    }

    // MARK: - Transitions

    /// Performs `action` on a claim in one transaction: the rules (state, roles, segregation
    /// of duties), the effects (budget commitment, entries, payment), the claim's new state
    /// and its event.
    /// - Parameters:
    ///   - date: the date of the entries the action writes. Who may act (active people,
    ///     delegations) is judged on the day of `now`, never on a date the caller chooses.
    ///   - expectedRevision: the claim revision the actor decided on; another is `claimChanged`.
    ///   - second: the second person of a reversal.
    ///   - payment: how much to pay (default: all that is owed); `paymentAccount` the bank or
    ///     cash account to pay from (default: the district's in the rates policy).
    ///   - adjustments: lines an approver lowers while approving; they make a new version of
    ///     the claim, which is what is approved, committed and later posted.
    /// - Throws: `ClaimError`, `LedgerError` (over budget, closed period…), `BudgetError`.
    @discardableResult
    public func act(
        _ action: ClaimAction, on number: ClaimNumber, by actor: String, comment: String? = nil, date: LedgerDate,
        now: Timestamp, expectedRevision: Int? = nil, second: String? = nil, payment: Money? = nil,
        paymentAccount: String? = nil, adjustments: [ClaimLineAdjustment] = [], acknowledgeFlags: Bool = false
    ) throws -> ClaimActionResult {
        let comment = comment.map(TextRules.cleaned).flatMap { $0.isEmpty ? nil : $0 }
        if let comment { try TextRules.check(comment, field: "comment", max: Limits.descriptionLengthMax) }
        do {
            // Submissions from many phones at once share their commits.
            return try groupCommit.write(pool) { [self] db in
                try actTransaction(
                    action, on: number, by: actor, comment: comment, date: date, now: now, expectedRevision: expectedRevision,
                    second: second, payment: payment, paymentAccount: paymentAccount, adjustments: adjustments,
                    acknowledgeFlags: acknowledgeFlags, in: db)
            }
        } catch let blocked as RulesBlocked {
            // The step is refused; the findings that refused it stay on the record.
            // Only what refused the step is recorded: the claim stays as it was.
            let refusing = blocked.findings.filter { $0.action == .block }
            let stored = try pool.write { db in try refusing.compactMap { try Self.record($0, now: now, in: db) } }
            let known = Dictionary(stored.map { ($0.finding.key, $0.id) }, uniquingKeysWith: { first, _ in first })
            throw ClaimError.blockedByRules(claim: number.description, findings: refusing.map {
                "\(known[$0.key].map { $0 + " " } ?? "")\($0.rule.rawValue): \($0.evidence)"
            })
        }
    }

    /// `act` inside its transaction.
    private func actTransaction(
        _ action: ClaimAction, on number: ClaimNumber, by actor: String, comment: String?, date: LedgerDate,
        now: Timestamp, expectedRevision: Int?, second: String?, payment: Money?, paymentAccount: String?,
        adjustments: [ClaimLineAdjustment], acknowledgeFlags: Bool, in db: Database
    ) throws -> ClaimActionResult {
        let loaded = try ClaimRecords.load(number, db)
        var claim = loaded.snapshot
        let claimCatalog = try catalog(db).claims
        let people = claimCatalog.people
        let rules = ClaimRules(matrix: try claimCatalog.requireMatrix(), date: try Self.today(now)) { people[$0] }
        // An approver's lowered lines: the approval is of the lowered claim.
        var loweredLines: [ClaimLine]?
        if !adjustments.isEmpty {
            guard action == .approve else {
                throw ClaimError.adjustmentInvalid(field: "lines", reason: "only an approval may change lines")
            }
            var lines = loaded.lines
            for adjustment in adjustments { lines = try adjustment.applied(to: lines, claim: number.description) }
            loweredLines = lines
            claim = claim.withAmount(try ClaimRecords.amount(of: lines))
        }
        var next = try rules.check(
            action, on: claim, by: actor, comment: comment, expectedRevision: expectedRevision, second: second)
        var ruleFindings: [Finding] = []
        var acknowledged: [String] = []
        if action == .approve {
            acknowledged = try Self.acknowledgeFlags(
                on: number, acknowledging: acknowledgeFlags, by: actor, now: now, in: db)
        }
        var entries: [EntryNumber] = []
        var warnings: [BudgetWarning] = []
        var owed: Money?
        var version = claim.version
        var eventVersion = claim.version
        var versionHash = try Self.versionHash(loaded, in: db)
        if let loweredLines {
            version += 1
            eventVersion = version
            try Self.writeVersion(claimID: loaded.id, from: claim.version, to: version, lines: loweredLines, in: db)
            versionHash = ClaimVersionHash.of(number, version: version, header: claim.header, lines: loweredLines,
                                              receipts: loaded.receipts)
        }
        let reference = number.description
        let budgetKey = BudgetLineKey(fiscalYear: number.fiscalYear, district: claim.header.district,
                                      code: claim.header.budgetLine)

        switch action {
        case .submit:
            try Self.checkSubmittable(loaded, rates: try claimCatalog.requireRates(), catalog: try catalog(db))
            ruleFindings = try checkRules(loaded, now: now, in: db)
        case .approve where next == .approved:
            if try catalog(db).budgets.years.contains(number.fiscalYear) {
                warnings = try commitBudget(claim.amount, on: budgetKey, reference: reference, now: now, in: db)
            }
        case .return:
            if claim.state == .approved { _ = try Self.releaseCommitment(reference: reference, now: now, in: db) }
            version += 1
            try Self.copyVersion(claimID: loaded.id, from: claim.version, to: version, in: db)
        case .reject, .withdraw:
            _ = try Self.releaseCommitment(reference: reference, now: now, in: db)
        case .post:
            let rates = try claimCatalog.requireRates()
            let year = try catalog(db).fiscalCalendar.fiscalYear(of: date)
            guard year == number.fiscalYear else {
                throw ClaimError.postingOutsideClaimYear(claim: reference, date: date, fiscalYear: number.fiscalYear)
            }
            // Released first, in this transaction: the posting takes the commitment's place.
            _ = try Self.releaseCommitment(reference: reference, now: now, in: db)
            let result = try post(
                try Self.postingEntry(loaded, rates: rates, actor: actor, date: date), now: now, in: db)
            try Self.recordEntry(result.number, claimID: loaded.id, kind: "posting", in: db)
            // What is owed is read from this account from now on, whatever later policies say.
            try db.cachedExecute(sql: "UPDATE claims SET payable_account = ? WHERE id = ?",
                                 arguments: [rates.payableAccount, loaded.id])
            entries.append(result.number)
            warnings = result.budgetWarnings
            owed = claim.amount
        case .pay:
            let rates = try claimCatalog.requireRates()
            let payable = loaded.payableAccount ?? rates.payableAccount
            let due = try ClaimRecords.owed(claimID: loaded.id, payableAccount: payable,
                                            currency: claim.amount.currency, db)
            let amount = payment ?? due
            guard amount.currency == due.currency else {
                throw LedgerError.currencyMismatch(field: "amount", expected: due.currency, found: amount.currency)
            }
            guard amount.minorUnits > 0 else { throw ClaimError.paymentNotPositive(claim: reference) }
            guard amount.minorUnits <= due.minorUnits else {
                throw ClaimError.paymentAboveOwed(claim: reference, owed: due, requested: amount)
            }
            guard let account = paymentAccount ?? rates.paymentAccounts[claim.header.district] else {
                throw ClaimError.paymentAccountMissing(district: claim.header.district)
            }
            // Only the bank and cash accounts the policy names pay claims.
            guard Set(rates.paymentAccounts.values).contains(account) else {
                throw ClaimError.paymentAccountNotAllowed(account: account, allowed: Set(rates.paymentAccounts.values).sorted())
            }
            let result = try post(
                Self.paymentEntry(loaded, amount: amount, account: account, payable: payable, actor: actor, date: date),
                now: now, in: db)
            try Self.recordEntry(result.number, claimID: loaded.id, kind: "payment", in: db)
            entries.append(result.number)
            // Read back from the ledger: "paid" is never decided apart from it.
            let left = try ClaimRecords.owed(claimID: loaded.id, payableAccount: payable, currency: due.currency, db)
            owed = left
            if left.isZero { next = .paid }
        case .reverse:
            // The posting is reversed; payments are not: money paid out stays paid, and
            // the claimant's payable then shows what they have to give back.
            for entry in try Self.claimEntries(claimID: loaded.id, in: db) where entry.kind == "posting" {
                let result = try reverse(
                    entry.number, reason: "\(reference) reversed", date: date,
                    author: actor, now: now, in: db)
                try Self.recordEntry(result.number, claimID: loaded.id, kind: "reversal", in: db)
                entries.append(result.number)
            }
        default:
            break
        }
        if action == .submit { versionHash = try Self.versionHash(loaded, in: db) }
        try db.cachedExecute(sql: """
            UPDATE claims SET state = ?, version = ?, held_from = ?, poster = COALESCE(?, poster) WHERE id = ?
            """, arguments: [next.rawValue, version, action == .hold ? claim.state.rawValue : nil,
                             action == .post ? actor : nil, loaded.id])
        let notes = [comment, second.map { "confirmed by \($0)" },
                     acknowledged.isEmpty ? nil : "acknowledged " + acknowledged.joined(separator: ", ")]
        try Self.recordEvent(
            claimID: loaded.id, number: number, version: eventVersion, action: action.rawValue, actor: actor,
            from: claim.state, to: next, comment: notes.compactMap { $0 }.joined(separator: "; ").nilIfEmpty,
            versionHash: versionHash,
            now: now, in: db)
        var recorded: [String] = []
        for finding in ruleFindings {
            if let stored = try Self.record(finding, now: now, in: db) {
                recorded.append("\(stored.id) \(finding.rule.rawValue) \(finding.action.rawValue): \(finding.evidence)")
            }
        }
        // A `hold` finding puts the submitted claim on hold, by the rules, on the record.
        if let holding = ruleFindings.filter({ $0.action == .hold }).nilIfEmpty {
            try db.cachedExecute(sql: "UPDATE claims SET state = 'on-hold', held_from = ? WHERE id = ?",
                                 arguments: [next.rawValue, loaded.id])
            try Self.recordEvent(
                claimID: loaded.id, number: number, version: eventVersion, action: ClaimAction.hold.rawValue,
                actor: "anti-fraud", from: next, to: .onHold,
                comment: holding.map { "\($0.rule.rawValue): \($0.evidence)" }.joined(separator: "; "),
                versionHash: versionHash, now: now, in: db)
            next = .onHold
        }
        var result = ClaimActionResult(number: number, state: next, entries: entries, budgetWarnings: warnings, owed: owed)
        result.findings = recorded
        return result
    }

    /// The anti-fraud rules for a claim being submitted, when a policy is set.
    /// - Throws: `RulesBlocked` when a finding's action is `block`.
    private func checkRules(_ loaded: ClaimRecords.Loaded, now: Timestamp, in db: Database) throws -> [Finding] {
        guard let policy = try FraudPolicyDocument.load(db, cache: cachedFraudPolicy) else { return [] }
        let catalog = try catalog(db)
        let claim = loaded.snapshot
        var byCategory: [String: Int64] = [:]
        for line in loaded.lines {
            let (sum, overflow) = byCategory[line.category.rawValue, default: 0].addingReportingOverflow(try line.amount().minorUnits)
            guard !overflow else { throw LedgerError.amountOverflow(field: "lines") }
            byCategory[line.category.rawValue] = sum
        }
        // Lateness counts from the first submission: a claim returned and resubmitted was filed then.
        let firstSubmission = try db.cachedValue(Int64.self, sql: """
            SELECT MIN(at) FROM claim_events WHERE claim_id = ? AND action = 'submit'
            """, arguments: [loaded.id]).map(Timestamp.init(millisecondsSince1970:)) ?? now
        let facts = ClaimFacts(
            number: claim.number.description, claimant: claim.header.claimant, district: claim.header.district,
            activity: claim.header.activity, activityFrom: claim.header.activityFrom, activityTo: claim.header.activityTo,
            submittedOn: try Self.today(firstSubmission), submittedAt: firstSubmission, isLive: true, amountsByCategory: byCategory, amount: claim.amount,
            receipts: loaded.receipts.map(\.sha256), vendorReceipts: loaded.receipts.compactMap(\.vendorReceipt),
            perDiemDays: loaded.lines.filter { $0.category == .perDiem }.reduce(0) { $0 &+ $1.quantity },
            highestUnitRates: loaded.lines.reduce(into: [:]) { highest, line in
                highest[line.category.rawValue] = max(highest[line.category.rawValue] ?? 0, line.unitRate.minorUnits)
            }, budgetLine: claim.header.budgetLine)
        let scanner = FraudScanner(policy: policy, approvalLimits: try catalog.claims.requireMatrix().levels.compactMap(\.limit),
                                   eligibility: try FraudFacts.eligibility(db), rates: catalog.claims.rates)
        let neighbours = try FraudFacts.neighbours(
            db, of: loaded.id, claimant: claim.header.claimant, activity: claim.header.activity,
            window: ClaimCheck(scanner: scanner).neighbourWindow(for: facts), currency: catalog.baseCurrency)
        // A finding a compliance officer dismissed (the same rule, action and subject), or the
        // wider finding it derives from (the shared account, the line), no longer stops the
        // claim: that is what dismissing it decided.
        let budgetLine = try budgetFigures(
            of: BudgetLineKey(fiscalYear: claim.number.fiscalYear, district: claim.header.district, code: claim.header.budgetLine),
            in: db)
        let overBudgetBlocks = budgetLine.map { catalog.budgets.policy.categories[$0.line.line.category]?.overBudget != .warn }
        let findings = try ClaimCheck(scanner: scanner).findings(
            for: facts, neighbours: neighbours, people: Array(catalog.claims.people.values), budgetLine: budgetLine,
            overBudgetBlocks: overBudgetBlocks ?? true
        ).filter { finding in
            try ([finding.key] + [finding.derivedFrom].compactMap { $0 }).allSatisfy { key in
                try db.cachedValue(String.self, sql: "SELECT status FROM findings WHERE key = ?", arguments: [key]) != "dismissed"
            }
        }
        if findings.contains(where: { $0.action == .block }) { throw RulesBlocked(findings: findings) }
        return findings
    }

    /// Open `flag` findings on the claim must be acknowledged by whoever approves it.
    /// - Returns: the findings acknowledged (recorded with the approver).
    /// - Throws: `ClaimError.flagsNotAcknowledged` when there are some and `acknowledging` is false.
    private static func acknowledgeFlags(
        on number: ClaimNumber, acknowledging: Bool, by actor: String, now: Timestamp, in db: Database
    ) throws -> [String] {
        let open = try db.cachedValues(Int64.self, sql: """
            SELECT id FROM findings WHERE subject = ? AND action = 'flag' AND status = 'open' ORDER BY id
            """, arguments: [number.description])
        guard !open.isEmpty else { return [] }
        let ids = open.map(FindingID.text)
        guard acknowledging else { throw ClaimError.flagsNotAcknowledged(claim: number.description, findings: ids) }
        for id in open {
            try db.cachedExecute(sql: "INSERT INTO finding_acknowledgements (finding_id, actor, at) VALUES (?, ?, ?)",
                                 arguments: [id, actor, now.millisecondsSince1970])
        }
        return ids
    }

    // MARK: - Reads

    /// Whose claim `number` is and where: what deciding who may see it needs, in one
    /// indexed read.
    /// - Throws: `ClaimError.claimUnknown`.
    public func claimOwner(_ number: ClaimNumber) throws -> (claimant: String, district: String) {
        try pool.read { db in
            guard let claimant = try db.cachedValue(String.self, sql: """
                SELECT claimant FROM claims WHERE district = ? AND fiscal_year = ? AND sequence = ?
                """, arguments: [number.district, number.fiscalYear, number.sequence])
            else { throw ClaimError.claimUnknown(number.description) }
            return (claimant, number.district)
        }
    }

    public func claim(_ number: ClaimNumber) throws -> ClaimDetail {
        try pool.read { db in try claimDetail(number, in: db) }
    }

    func claimDetail(_ number: ClaimNumber, in db: Database) throws -> ClaimDetail {
        let loaded = try ClaimRecords.load(number, db)
        let payable = try loaded.payableAccount ?? catalog(db).claims.rates?.payableAccount ?? ""
        return ClaimDetail(
            snapshot: loaded.snapshot, lines: loaded.lines, receipts: loaded.receipts,
            events: try ClaimRecords.events(claimID: loaded.id, number: number, db),
            entries: try Self.claimEntries(claimID: loaded.id, in: db).map { ($0.kind, $0.number) },
            owed: try ClaimRecords.owed(claimID: loaded.id, payableAccount: payable,
                                        currency: loaded.snapshot.amount.currency, db))
    }

    /// An earlier version's lines (versions start at 1).
    public func claimLines(_ number: ClaimNumber, version: Int) throws -> [ClaimLine] {
        try pool.read { db in
            let loaded = try ClaimRecords.load(number, db)
            return try ClaimRecords.lines(claimID: loaded.id, version: version, db)
        }
    }

    /// Claims, newest first, filtered by state, district, claimant and activity period.
    public func claims(
        state: ClaimState? = nil, district: String? = nil, claimant: String? = nil, from: LedgerDate? = nil,
        to: LedgerDate? = nil, limit: Int = 1_000
    ) throws -> [ClaimSummary] {
        try pool.read { db in
            var sql = """
                SELECT c.district, c.fiscal_year, c.sequence, c.claimant, c.state, c.activity, c.activity_from,
                       (SELECT COALESCE(SUM(l.quantity * l.unit_rate), 0) FROM claim_lines l
                        WHERE l.claim_id = c.id AND l.version = c.version) AS amount
                FROM claims c WHERE 1 = 1
                """
            var arguments: StatementArguments = []
            if let state { sql += " AND c.state = ?"; arguments += [state.rawValue] }
            if let district { sql += " AND c.district = ?"; arguments += [district] }
            if let claimant { sql += " AND c.claimant = ?"; arguments += [claimant] }
            if let from { sql += " AND c.activity_from >= ?"; arguments += [from.description] }
            if let to { sql += " AND c.activity_from <= ?"; arguments += [to.description] }
            sql += " ORDER BY c.id DESC LIMIT ?"
            arguments += [limit]
            let currency = try catalog(db).baseCurrency
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                let stateText: String = row["state"]
                guard let state = ClaimState(rawValue: stateText) else { throw StoreError.corrupt("a claim has state \(stateText)") }
                return ClaimSummary(
                    number: ClaimNumber(district: row["district"], fiscalYear: row["fiscal_year"], sequence: row["sequence"]),
                    claimant: row["claimant"], state: state, activity: row["activity"],
                    activityFrom: try LedgerDate(parsing: row["activity_from"] as String),
                    amount: Money(minorUnits: row["amount"], currency: currency))
            }
        }
    }

    // MARK: - Helpers

    /// The day of `now` (UTC): the day on which people's activity and delegations are judged.
    static func today(_ now: Timestamp) throws -> LedgerDate {
        guard let day = LedgerDate(dayNumber: Int(now.millisecondsSince1970 / 86_400_000)) else {
            throw StoreError.corrupt("the clock is outside 1900…9999")
        }
        return day
    }

    /// The claim, editable by `actor` now: its claimant, in draft or returned.
    private func editable(_ number: ClaimNumber, by actor: String, date: LedgerDate, in db: Database) throws
        -> ClaimRecords.Loaded {
        let loaded = try ClaimRecords.load(number, db)
        let people = try catalog(db).claims.people
        let rules = ClaimRules(matrix: ApprovalMatrix(levels: []), date: date) { people[$0] }
        let person = try rules.activePerson(actor)
        guard person.id == loaded.snapshot.header.claimant else {
            throw ClaimError.notTheClaimant(claim: number.description, person: person.id)
        }
        guard [.draft, .returned].contains(loaded.snapshot.state) else {
            throw ClaimError.actionNotAllowed(claim: number.description, action: "edited", state: loaded.snapshot.state)
        }
        return loaded
    }

    private static func checkCeiling(_ line: ClaimLine, field: String, claim: ClaimSnapshot, rates: RateTable) throws {
        guard let rate = rates.ceilingExceeded(by: line.unitRate, category: line.category, district: claim.header.district,
                                               year: claim.number.fiscalYear)
        else { return }
        throw ClaimError.rateAboveCeiling(field: field, category: line.category, unitRate: line.unitRate, ceiling: rate.unitRate)
    }

    private static func checkSubmittable(_ loaded: ClaimRecords.Loaded, rates: RateTable, catalog: LedgerCatalog) throws {
        let claim = loaded.snapshot
        guard !loaded.lines.isEmpty else { throw ClaimError.claimEmpty(claim: claim.number.description) }
        for (index, line) in loaded.lines.enumerated() {
            guard rates.categories[line.category] != nil else { throw ClaimError.categoryNotConfigured(category: line.category) }
            try checkCeiling(line, field: "lines[\(index)].unitRate", claim: claim, rates: rates)
        }
        if loaded.receipts.isEmpty,
           let needing = loaded.lines.first(where: { rates.categories[$0.category]?.receiptRequired == true }) {
            throw ClaimError.receiptMissing(claim: claim.number.description, category: needing.category)
        }
        let key = BudgetLineKey(fiscalYear: claim.number.fiscalYear, district: claim.header.district, code: claim.header.budgetLine)
        if catalog.budgets.years.contains(key.fiscalYear), catalog.budgets.lines[key] == nil {
            throw LedgerError.budgetLineUnknown(field: "budgetLine", line: key.description, fiscalYear: key.fiscalYear)
        }
    }

    private static func versionHash(_ loaded: ClaimRecords.Loaded, in db: Database) throws -> EntryHash {
        ClaimVersionHash.of(loaded.snapshot.number, version: loaded.snapshot.version, header: loaded.snapshot.header,
                            lines: loaded.lines, receipts: loaded.receipts)
    }

    /// Version `new` with `lines` (lowered by an approver) and version `old`'s receipts.
    private static func writeVersion(claimID: Int64, from old: Int, to new: Int, lines: [ClaimLine], in db: Database) throws {
        for (position, line) in lines.enumerated() {
            try db.cachedExecute(sql: """
                INSERT INTO claim_lines (claim_id, version, position, category, quantity, unit_rate, currency, memo)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [claimID, new, position, line.category.rawValue, line.quantity, line.unitRate.minorUnits,
                                 line.unitRate.currency.code, line.memo])
        }
        try db.cachedExecute(sql: """
            INSERT INTO claim_receipts (claim_id, version, sha256, file_name, vendor, vendor_number, vendor_key)
            SELECT claim_id, ?, sha256, file_name, vendor, vendor_number, vendor_key FROM claim_receipts
            WHERE claim_id = ? AND version = ?
            """, arguments: [new, claimID, old])
    }

    private static func copyVersion(claimID: Int64, from old: Int, to new: Int, in db: Database) throws {
        try db.cachedExecute(sql: """
            INSERT INTO claim_lines (claim_id, version, position, category, quantity, unit_rate, currency, memo)
            SELECT claim_id, ?, position, category, quantity, unit_rate, currency, memo FROM claim_lines
            WHERE claim_id = ? AND version = ?
            """, arguments: [new, claimID, old])
        try db.cachedExecute(sql: """
            INSERT INTO claim_receipts (claim_id, version, sha256, file_name, vendor, vendor_number, vendor_key)
            SELECT claim_id, ?, sha256, file_name, vendor, vendor_number, vendor_key FROM claim_receipts
            WHERE claim_id = ? AND version = ?
            """, arguments: [new, claimID, old])
    }

    /// Dr the categories' expense accounts (district, budget line, activity, party) / Cr claims payable.
    private static func postingEntry(
        _ loaded: ClaimRecords.Loaded, rates: RateTable, actor: String, date: LedgerDate
    ) throws -> EntryDraft {
        let claim = loaded.snapshot
        let header = claim.header
        var byAccount: [(account: String, amount: Money)] = []
        for line in loaded.lines {
            guard let accounting = rates.categories[line.category] else { throw ClaimError.categoryNotConfigured(category: line.category) }
            let amount = try line.amount()
            if let slot = byAccount.firstIndex(where: { $0.account == accounting.expenseAccount }) {
                byAccount[slot].amount = try byAccount[slot].amount.adding(amount)
            } else {
                byAccount.append((accounting.expenseAccount, amount))
            }
        }
        let expense = Dimensions(district: header.district, budgetLine: header.budgetLine, activity: header.activity,
                                 party: header.claimant)
        var postings = byAccount.map { PostingDraft(accountCode: $0.account, amount: $0.amount, dimensions: expense) }
        postings.append(PostingDraft(
            accountCode: rates.payableAccount, amount: try claim.amount.negated(),
            dimensions: Dimensions(district: header.district, party: header.claimant)))
        return EntryDraft(
            date: date, description: "Fee claim \(claim.number): \(header.activity)", reference: claim.number.description,
            source: .claim, author: actor, postings: postings)
    }

    /// Dr claims payable (party = claimant) / Cr the bank or cash account.
    private static func paymentEntry(
        _ loaded: ClaimRecords.Loaded, amount: Money, account: String, payable: String, actor: String, date: LedgerDate
    ) throws -> EntryDraft {
        let claim = loaded.snapshot
        return EntryDraft(
            date: date, description: "Payment of fee claim \(claim.number) to \(claim.header.claimant)",
            reference: claim.number.description, source: .claim, author: actor,
            postings: [
                PostingDraft(accountCode: payable, amount: amount,
                             dimensions: Dimensions(district: claim.header.district, party: claim.header.claimant)),
                PostingDraft(accountCode: account, amount: try amount.negated(),
                             dimensions: Dimensions(district: claim.header.district)),
            ])
    }

    private static func recordEntry(_ number: EntryNumber, claimID: Int64, kind: String, in db: Database) throws {
        try db.cachedExecute(sql: """
            INSERT INTO claim_entries (claim_id, entry_id, kind)
            SELECT ?, id, ? FROM entries WHERE fiscal_year = ? AND sequence = ?
            """, arguments: [claimID, kind, number.fiscalYear, number.sequence])
    }

    private static func claimEntries(claimID: Int64, in db: Database) throws -> [(kind: String, number: EntryNumber)] {
        try db.cachedRows(sql: """
            SELECT c.kind, e.fiscal_year, e.sequence FROM claim_entries c JOIN entries e ON e.id = c.entry_id
            WHERE c.claim_id = ? ORDER BY e.id
            """, arguments: [claimID]).map { ($0["kind"], EntryNumber(fiscalYear: $0["fiscal_year"], sequence: $0["sequence"])) }
    }

    private static func recordEvent(
        claimID: Int64, number: ClaimNumber, version: Int, action: String, actor: String, from: ClaimState?,
        to: ClaimState, comment: String?, versionHash: EntryHash, now: Timestamp, in db: Database
    ) throws {
        let sequence = (try db.cachedValue(Int.self, sql: "SELECT MAX(sequence) FROM claim_events WHERE claim_id = ?",
                                         arguments: [claimID]) ?? 0) + 1
        let event = ClaimEvent(claim: number, sequence: sequence, version: version, action: action, actor: actor, at: now,
                               from: from, to: to, comment: comment, versionHash: versionHash)
        let hash = event.hash(after: try ClaimRecords.chainHead(db))
        try db.cachedExecute(sql: """
            INSERT INTO claim_events (claim_id, sequence, version, action, actor, at, from_state, to_state, comment,
                                      version_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [claimID, sequence, version, action, actor, now.millisecondsSince1970, from?.rawValue,
                             to.rawValue, comment, Data(versionHash.bytes), Data(hash.bytes)])
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}

/// A claim step refused by `block` findings: carried out of the transaction so that the
/// findings can be recorded once it has rolled back.
struct RulesBlocked: Error {
    let findings: [Finding]
}

extension Array {
    fileprivate var nilIfEmpty: Self? { isEmpty ? nil : self }
}

