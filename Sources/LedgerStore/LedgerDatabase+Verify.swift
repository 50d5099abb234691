import FeeClaims
import Foundation
import GRDB
import LedgerCore

/// One thing `verify` found wrong, precise enough to find the row.
public enum VerificationProblem: Hashable, Sendable, CustomStringConvertible {
    /// The stored hash is not SHA-256(previous hash ‖ canonical bytes): the entry, one of
    /// its postings, or its predecessor's hash was changed after posting.
    case hashMismatch(entry: EntryNumber, stored: EntryHash, recomputed: EntryHash)
    case unbalancedEntry(entry: EntryNumber, currency: String, differenceMinorUnits: Int64)
    case tooFewPostings(entry: EntryNumber, count: Int)
    case numberingBroken(fiscalYear: Int, expected: Int, found: Int)
    case balanceMismatch(account: String, currency: String, storedNet: Int64, postingsNet: Int64)
    case dailyBalanceMismatch(account: String, currency: String, day: String)
    /// A claim event's stored hash is not the chain's: the event, or one before it, was altered.
    case claimEventHashMismatch(claim: String, sequence: Int)
    /// A claim's stored state is not where its events lead.
    case claimStateMismatch(claim: String, stored: String, events: String)
    /// A submitted claim version's header, lines or receipts differ from what its events hashed.
    case claimVersionAltered(claim: String, version: Int)
    /// A claim's rows cannot be read back (a bad state, line or amount).
    case claimUnreadable(claim: String, reason: String)
    /// A claim marked paid still owes, or one marked posted owes nothing, by its ledger entries.
    case claimOwedMismatch(claim: String, state: String, owed: Int64)
    /// The spending kept per budget line and month differs from the expense postings.
    case budgetActualMismatch(fiscalYear: Int, district: String, budgetLine: String, month: String)
    case entryInClosedPeriod(entry: EntryNumber, period: String)
    /// The chain head recorded when a period was closed is no longer in the journal:
    /// entries were removed or rewritten after the close.
    case closedPeriodHeadMissing(period: String, lastEntryRowID: Int64)

    case unreadableEntry(rowID: Int64, reason: String)
    /// A posting whose entry or account does not exist (inserted behind the store's back,
    /// with foreign keys off).
    case orphanPosting(entryRowID: Int64, line: Int, missing: OrphanedBy)

    public enum OrphanedBy: String, Sendable {
        case entry
        case account
    }
    case sqliteIntegrity(String)

    public var description: String {
        switch self {
        case .hashMismatch(let entry, let stored, let recomputed):
            return "\(entry): stored hash \(stored.hex.prefix(16))… differs from recomputed \(recomputed.hex.prefix(16))…: the entry or its postings were altered after posting"
        case .unbalancedEntry(let entry, let currency, let difference):
            return "\(entry): postings in \(currency) sum to \(difference) minor units, not zero"
        case .tooFewPostings(let entry, let count):
            return "\(entry): has \(count) posting(s), at least 2 are required"
        case .numberingBroken(let year, let expected, let found):
            return "fiscal year \(year): expected entry number \(expected), found \(found) (a gap or a repeat)"
        case .balanceMismatch(let account, let currency, let stored, let computed):
            return "account \(account) \(currency): stored balance \(stored) differs from the postings' sum \(computed)"
        case .dailyBalanceMismatch(let account, let currency, let day):
            return "account \(account) \(currency): daily balance of \(day) differs from the postings"
        case .claimEventHashMismatch(let claim, let sequence):
            return "\(claim): event \(sequence) does not match the claim events' hash chain (altered after it was recorded)"
        case .claimStateMismatch(let claim, let stored, let events):
            return "\(claim): stored state \(stored) differs from \(events), where its events lead"
        case .claimVersionAltered(let claim, let version):
            return "\(claim): version \(version) no longer matches the hash its events recorded (lines, receipts or header altered)"
        case .claimUnreadable(let claim, let reason):
            return "\(claim): cannot be read back: \(reason)"
        case .claimOwedMismatch(let claim, let state, let owed):
            return "\(claim): is \(state) but its entries leave \(owed) minor units owed"
        case .budgetActualMismatch(let year, let district, let line, let month):
            return "budget line \(district)/\(line) (\(year)): spending of \(month) differs from the expense postings"
        case .entryInClosedPeriod(let entry, let period):
            return "\(entry): dated in period \(period) but posted after it was closed"
        case .closedPeriodHeadMissing(let period, let rowID):
            return "period \(period): the chain head recorded at its close (entry row \(rowID)) is no longer in the journal"
        case .unreadableEntry(let rowID, let reason):
            return "entry row \(rowID): \(reason)"
        case .orphanPosting(let entryRowID, let line, let missing):
            return "posting \(line) of entry row \(entryRowID): its \(missing.rawValue) does not exist"
        case .sqliteIntegrity(let message):
            return "SQLite integrity check: \(message)"
        }
    }
}

/// The outcome of `verify`: what was checked and the problems found, in journal order.
public struct VerificationReport: Sendable {
    public let entriesChecked: Int
    public let postingsChecked: Int
    public let chainHead: EntryHash
    /// At most `problemsMax`, the first one being the earliest in the journal.
    public let problems: [VerificationProblem]
    public var passed: Bool { problems.isEmpty }

    public static let problemsMax = 100
}

extension LedgerDatabase {
    /// Re-checks the whole ledger from its rows: the hash chain entry by entry, every entry
    /// balanced per currency, gapless numbering, stored balances against the postings,
    /// closed periods untouched, and SQLite's own integrity check.
    ///
    /// Reads in one snapshot; memory is bounded by the number of accounts and days, not entries.
    public func verify() throws -> VerificationReport {
        try pool.read { db in
            var problems: [VerificationProblem] = []
            func report(_ problem: VerificationProblem) {
                if problems.count < VerificationReport.problemsMax { problems.append(problem) }
            }
            for message in try String.fetchAll(db, sql: "PRAGMA quick_check") where message != "ok" {
                report(.sqliteIntegrity(message))
            }
            let catalog = try catalog(db)

            var previous = EntryHash.genesis
            var expectedSequence: [Int: Int] = [:]
            // Nets per (account, currency) with wrapping arithmetic: tampered rows must be
            // reported, never abort the check with an overflow.
            var postingNets: [BalanceKey: Int64] = [:]
            var entriesChecked = 0
            var postingsChecked = 0
            var canonical: [UInt8] = []

            let entries = try Row.fetchCursor(db, sql: EntryReader.selectEntries + " ORDER BY e.id")
            // LEFT JOIN: a posting whose account is gone must be reported, not skipped.
            let postings = try Row.fetchCursor(db, sql: """
                SELECT p.*, a.code AS account_code FROM postings p LEFT JOIN accounts a ON a.id = p.account_id
                ORDER BY p.entry_id, p.line
                """)
            func nextPosting() throws -> (entryID: Int64, row: Row)? {
                try postings.next().map { (entryID: $0["entry_id"] as Int64, row: $0.copy()) }
            }
            var pendingPosting = try nextPosting()

            while let row = try entries.next() {
                let rowID: Int64 = row["id"]
                let rawNumber = EntryNumber(fiscalYear: row["fiscal_year"], sequence: row["sequence"])
                var postingRows: [PostingDraft] = []
                while let pending = pendingPosting, pending.entryID <= rowID {
                    let line: Int = pending.row["line"]
                    if pending.entryID < rowID {
                        report(.orphanPosting(entryRowID: pending.entryID, line: line, missing: .entry))
                    } else if (pending.row["account_code"] as String?) == nil {
                        report(.orphanPosting(entryRowID: pending.entryID, line: line, missing: .account))
                    } else {
                        let posting = try EntryReader.decodePosting(pending.row)
                        postingRows.append(posting)
                        let key = BalanceKey(accountID: pending.row["account_id"], currency: posting.amount.currency.code)
                        postingNets[key, default: 0] &+= posting.amount.minorUnits
                    }
                    pendingPosting = try nextPosting()
                }
                entriesChecked += 1
                postingsChecked += postingRows.count

                let expected = expectedSequence[rawNumber.fiscalYear, default: 1]
                let numbering: VerificationProblem? = rawNumber.sequence == expected ? nil
                    : .numberingBroken(fiscalYear: rawNumber.fiscalYear, expected: expected, found: rawNumber.sequence)
                expectedSequence[rawNumber.fiscalYear] = rawNumber.sequence + 1

                let entry: PostedEntry
                do {
                    entry = try EntryReader.decode(entry: row, postings: postingRows)
                } catch {
                    report(.unreadableEntry(rowID: rowID, reason: "\(error)"))
                    numbering.map(report)
                    // The next entry chains from this row's stored hash, intact or not.
                    if let stored = try? EntryHash.stored(row["hash"], "entry row \(rowID)") { previous = stored }
                    continue
                }
                canonical.removeAll(keepingCapacity: true)
                CanonicalEncoding.appendEntry(
                    entry.draft, number: entry.number, postedAt: entry.postedAt, reverses: entry.reverses, to: &canonical)
                let recomputed = EntryHash.chained(previous: previous, canonical: canonical)
                if recomputed != entry.hash {
                    report(.hashMismatch(entry: entry.number, stored: entry.hash, recomputed: recomputed))
                }
                previous = entry.hash
                numbering.map(report)

                if postingRows.count < 2 { report(.tooFewPostings(entry: entry.number, count: postingRows.count)) }
                var sums: [String: Int64] = [:]
                for posting in postingRows {
                    sums[posting.amount.currency.code, default: 0] &+= posting.amount.minorUnits
                }
                for (currency, sum) in sums.sorted(by: { $0.key < $1.key }) where sum != 0 {
                    report(.unbalancedEntry(entry: entry.number, currency: currency, differenceMinorUnits: sum))
                }
            }

            while let pending = pendingPosting {
                report(.orphanPosting(entryRowID: pending.entryID, line: pending.row["line"], missing: .entry))
                pendingPosting = try nextPosting()
            }

            try checkClosedPeriods(db, report: report)
            try checkBalances(db, catalog: catalog, postingNets: postingNets, report: report)
            try checkDailyBalances(db, catalog: catalog, report: report)
            try checkBudgetActuals(db, report: report)
            try checkClaimEvents(db, report: report)
            return VerificationReport(
                entriesChecked: entriesChecked, postingsChecked: postingsChecked, chainHead: previous, problems: problems)
        }
    }

    private func checkBalances(
        _ db: Database, catalog: LedgerCatalog, postingNets: [BalanceKey: Int64], report: (VerificationProblem) -> Void
    ) throws {
        var stored: [BalanceKey: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT account_id, currency, debit, credit FROM balances") {
            let debit: Int64 = row["debit"]
            let credit: Int64 = row["credit"]
            stored[BalanceKey(accountID: row["account_id"], currency: row["currency"])] = debit &- credit
        }
        let keys = Set(stored.keys).union(postingNets.keys).sorted {
            ($0.accountID, $0.currency) < ($1.accountID, $1.currency)
        }
        for key in keys {
            let fromPostings = postingNets[key] ?? 0
            let storedNet = stored[key] ?? 0
            if fromPostings != storedNet {
                report(.balanceMismatch(
                    account: catalog.accountCodes[key.accountID] ?? "#\(key.accountID)", currency: key.currency,
                    storedNet: storedNet, postingsNet: fromPostings))
            }
        }
    }

    /// Each close recorded the chain head: that entry must still be there with that hash.
    private func checkClosedPeriods(_ db: Database, report: (VerificationProblem) -> Void) throws {
        for row in try Row.fetchAll(db, sql: """
            SELECT c.period, c.last_entry_id, c.chain_head, e.hash FROM closed_periods c
            LEFT JOIN entries e ON e.id = c.last_entry_id ORDER BY c.period
            """) {
            let recorded: Data = row["chain_head"]
            let lastID: Int64 = row["last_entry_id"]
            let current: Data? = row["hash"]
            let intact = lastID == 0 ? recorded == Data(EntryHash.genesis.bytes) : current == recorded
            if !intact { report(.closedPeriodHeadMissing(period: row["period"], lastEntryRowID: lastID)) }
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT e.fiscal_year, e.sequence, c.period FROM closed_periods c
            JOIN entries e ON e.id > c.last_entry_id AND substr(e.entry_date, 1, 7) = c.period
            ORDER BY e.id LIMIT 100
            """) {
            report(.entryInClosedPeriod(
                entry: EntryNumber(fiscalYear: row["fiscal_year"], sequence: row["sequence"]), period: row["period"]))
        }
    }

    private func checkDailyBalances(_ db: Database, catalog: LedgerCatalog, report: (VerificationProblem) -> Void) throws {
        let computed = """
            SELECT p.account_id, p.currency, COALESCE(p.district, '') AS district, e.entry_date AS day,
                   SUM(CASE WHEN p.amount > 0 THEN p.amount ELSE 0 END) AS debit,
                   SUM(CASE WHEN p.amount < 0 THEN -p.amount ELSE 0 END) AS credit
            FROM postings p JOIN entries e ON e.id = p.entry_id
            GROUP BY p.account_id, p.currency, COALESCE(p.district, ''), e.entry_date
            """
        let stored = "SELECT account_id, currency, district, day, debit, credit FROM daily_balances"
        for row in try Row.fetchAll(db, sql: """
            SELECT DISTINCT account_id, currency, day FROM (
                SELECT * FROM (\(stored) EXCEPT \(computed))
                UNION ALL
                SELECT * FROM (\(computed) EXCEPT \(stored)))
            ORDER BY account_id, currency, day LIMIT 20
            """) {
            let accountID: Int64 = row["account_id"]
            report(.dailyBalanceMismatch(
                account: catalog.accountCodes[accountID] ?? "#\(accountID)", currency: row["currency"], day: row["day"]))
        }
    }

    private func checkBudgetActuals(_ db: Database, report: (VerificationProblem) -> Void) throws {
        let computed = """
            SELECT e.fiscal_year, p.district, p.budget_line, substr(e.entry_date, 1, 7) AS month, p.currency,
                   SUM(CASE WHEN p.amount > 0 THEN p.amount ELSE 0 END) AS debit,
                   SUM(CASE WHEN p.amount < 0 THEN -p.amount ELSE 0 END) AS credit
            FROM postings p JOIN entries e ON e.id = p.entry_id JOIN accounts a ON a.id = p.account_id
            WHERE a.type = 'expense' AND p.district IS NOT NULL AND p.budget_line IS NOT NULL
            GROUP BY e.fiscal_year, p.district, p.budget_line, substr(e.entry_date, 1, 7), p.currency
            """
        let stored = "SELECT fiscal_year, district, budget_line, month, currency, debit, credit FROM budget_actuals"
        for row in try Row.fetchAll(db, sql: """
            SELECT DISTINCT fiscal_year, district, budget_line, month FROM (
                SELECT * FROM (\(stored) EXCEPT \(computed))
                UNION ALL
                SELECT * FROM (\(computed) EXCEPT \(stored)))
            ORDER BY fiscal_year, district, budget_line, month LIMIT 20
            """) {
            report(.budgetActualMismatch(
                fiscalYear: row["fiscal_year"], district: row["district"], budgetLine: row["budget_line"],
                month: row["month"]))
        }
    }

    /// Recomputes the claim events' chain; the first break is reported (later events chain
    /// from the stored hashes, so one altered event is named once).
    private func checkClaimEvents(_ db: Database, report: (VerificationProblem) -> Void) throws {
        var previous = EntryHash.genesis
        let events = try Row.fetchCursor(db, sql: """
            SELECT e.*, c.district, c.fiscal_year, c.sequence AS claim_sequence FROM claim_events e
            LEFT JOIN claims c ON c.id = e.claim_id ORDER BY e.id
            """)
        while let row = try events.next() {
            let number = ClaimNumber(district: row["district"] ?? "?", fiscalYear: row["fiscal_year"] ?? 0,
                                     sequence: row["claim_sequence"] ?? 0)
            let stored = try EntryHash.stored(row["hash"], "claim event \(row["id"] as Int64)")
            if let event = try? ClaimRecords.event(from: row, number: number), event.hash(after: previous) == stored {
                previous = stored
                continue
            }
            report(.claimEventHashMismatch(claim: number.description, sequence: row["sequence"]))
            previous = stored
        }
        try checkClaimStates(db, report: report)
    }

    /// Each claim's state is its last event's, and each submitted version still hashes to
    /// what its events recorded.
    private func checkClaimStates(_ db: Database, report: (VerificationProblem) -> Void) throws {
        for row in try Row.fetchAll(db, sql: """
            SELECT c.id, c.district, c.fiscal_year, c.sequence, c.state,
                   (SELECT e.to_state FROM claim_events e WHERE e.claim_id = c.id ORDER BY e.sequence DESC LIMIT 1) AS last
            FROM claims c ORDER BY c.id
            """) {
            let number = ClaimNumber(district: row["district"], fiscalYear: row["fiscal_year"], sequence: row["sequence"])
            let stored: String = row["state"]
            let last: String? = row["last"]
            if last != stored { report(.claimStateMismatch(claim: number.description, stored: stored, events: last ?? "none")) }
            let claimID: Int64 = row["id"]
            let versions = try Row.fetchAll(db, sql: """
                SELECT DISTINCT version, version_hash FROM claim_events WHERE claim_id = ? AND action IN ('submit', 'approve')
                """, arguments: [claimID])
            let loaded: ClaimRecords.Loaded
            do {
                loaded = try ClaimRecords.load(number, db)
            } catch {
                report(.claimUnreadable(claim: number.description, reason: "\(error)"))
                continue
            }
            // Paid and posted follow from what the claim's entries leave on its payable.
            if let payable = loaded.payableAccount, stored == "paid" || stored == "posted" {
                let owed = try ClaimRecords.owed(claimID: claimID, payableAccount: payable,
                                                 currency: loaded.snapshot.amount.currency, db).minorUnits
                if (stored == "paid") != (owed == 0) {
                    report(.claimOwedMismatch(claim: number.description, state: stored, owed: owed))
                }
            }
            for version in versions {
                let versionNumber: Int = version["version"]
                let recorded = try EntryHash.stored(version["version_hash"], "claim \(number) version hash")
                let lines = try ClaimRecords.lines(claimID: claimID, version: versionNumber, db)
                let receipts = try ClaimRecords.receipts(claimID: claimID, version: versionNumber, db)
                let recomputed = ClaimVersionHash.of(number, version: versionNumber, header: loaded.snapshot.header,
                                                     lines: lines, receipts: receipts)
                if recomputed != recorded { report(.claimVersionAltered(claim: number.description, version: versionNumber)) }
            }
        }
    }

}

