import Foundation
import LedgerCore
import LedgerStore
import NeracaTestSupport
import Testing

@Suite("Verification and tampering")
struct VerifyTests {
    typealias T = TestLedger

    /// Five entries in 2024; entry 3 debits transport Rp 3.000 (SBT) on 2024-06-15.
    static func ledgerWithFiveEntries() throws -> (TestLedger, [PostResult]) {
        let ledger = try TestLedger()
        let drafts = [
            T.grant(1_000_000, on: "2024-02-01"),
            T.expense(150_000, on: "2024-03-10", description: "Honorarium March"),
            T.expense(300_000, on: "2024-06-15", account: "5-1200"),
            T.expense(50_000, on: "2024-06-15", account: "5-1200", district: "SBD"),
            T.conversion(on: "2024-06-20"),
        ]
        var results: [PostResult] = []
        for draft in drafts { results.append(try ledger.db.post(draft, now: T.now)) }
        return (ledger, results)
    }

    static func recomputedHash(of number: EntryNumber, previous: EntryHash, in db: LedgerDatabase) throws -> EntryHash {
        let entry = try #require(try db.entry(number))
        var canonical: [UInt8] = []
        CanonicalEncoding.appendEntry(entry.draft, number: entry.number, postedAt: entry.postedAt, reverses: entry.reverses,
                                      to: &canonical)
        return EntryHash.chained(previous: previous, canonical: canonical)
    }

    @Test func aGoodLedgerPasses() throws {
        let (ledger, results) = try Self.ledgerWithFiveEntries()
        _ = try ledger.db.close(T.period("2024-02"), by: "ani", now: T.now)
        try ledger.db.reverse(results[1].number, reason: "duplicate", date: T.date("2024-07-01"), author: "budi", now: T.now)
        let report = try ledger.db.verify()
        #expect(report.passed)
        #expect(report.problems.isEmpty)
        #expect(report.entriesChecked == 6)
        #expect(report.postingsChecked == 2 + 2 + 2 + 2 + 4 + 2)
        #expect(report.chainHead == (try ledger.db.summary().chainHead))
    }

    @Test func anEmptyLedgerPasses() throws {
        let ledger = try TestLedger()
        let report = try ledger.db.verify()
        #expect(report.passed && report.entriesChecked == 0 && report.postingsChecked == 0)
        #expect(report.chainHead == .genesis)
    }

    @Test func anAlteredAmountIsFoundAtItsEntry() throws {
        let (ledger, results) = try Self.ledgerWithFiveEntries()
        let shell = try SQLiteShell.run(ledger.path, """
            DROP TRIGGER postings_no_update;
            UPDATE postings SET amount = amount + 100 WHERE entry_id = (SELECT id FROM entries WHERE sequence = 3) AND line = 0;
            """)
        try #require(shell.status == 0, "\(shell.errorOutput)")
        let report = try ledger.db.verify()
        #expect(!report.passed)
        let recomputed = try Self.recomputedHash(of: results[2].number, previous: results[1].hash, in: ledger.db)
        #expect(report.problems.first == .hashMismatch(entry: T.number(2024, 3), stored: results[2].hash, recomputed: recomputed))
        #expect(report.problems.contains(.unbalancedEntry(entry: T.number(2024, 3), currency: "IDR", differenceMinorUnits: 100)))
        #expect(report.problems.contains(.balanceMismatch(
            account: "5-1200", currency: "IDR", storedNet: 350_000, postingsNet: 350_100)))
        #expect(report.problems.contains(.dailyBalanceMismatch(account: "5-1200", currency: "IDR", day: "2024-06-15")))
        // Only entry 3 is named: the chain continues from its stored hash.
        let named = report.problems.compactMap { problem -> EntryNumber? in
            if case .hashMismatch(let entry, _, _) = problem { return entry }
            return nil
        }
        #expect(named == [T.number(2024, 3)])
        #expect(report.chainHead == results[4].hash)
        #expect(report.problems.first?.description.hasPrefix("JE-2024-000003: stored hash") == true)
    }

    @Test func anEditedDescriptionIsFoundAtItsEntry() throws {
        let (ledger, results) = try Self.ledgerWithFiveEntries()
        let shell = try SQLiteShell.run(ledger.path, """
            DROP TRIGGER entries_no_update;
            UPDATE entries SET description = 'Honorarium March (corrected)' WHERE sequence = 2;
            """)
        try #require(shell.status == 0, "\(shell.errorOutput)")
        let recomputed = try Self.recomputedHash(of: results[1].number, previous: results[0].hash, in: ledger.db)
        #expect(recomputed != results[1].hash)
        #expect(try ledger.db.verify().problems
                == [.hashMismatch(entry: T.number(2024, 2), stored: results[1].hash, recomputed: recomputed)])
    }

    @Test func aRenumberedEntryBreaksTheNumbering() throws {
        let (ledger, _) = try Self.ledgerWithFiveEntries()
        let shell = try SQLiteShell.run(ledger.path, "DROP TRIGGER entries_no_update; UPDATE entries SET sequence = 9 WHERE sequence = 2;")
        try #require(shell.status == 0, "\(shell.errorOutput)")
        let problems = try ledger.db.verify().problems
        guard case .hashMismatch(let entry, _, _) = problems.first else {
            Issue.record("expected a hash mismatch first, got \(problems)")
            return
        }
        #expect(entry == T.number(2024, 9))
        #expect(problems.contains(.numberingBroken(fiscalYear: 2024, expected: 2, found: 9)))
    }

    @Test func aDeletedPostingIsFound() throws {
        let (ledger, results) = try Self.ledgerWithFiveEntries()
        let shell = try SQLiteShell.run(ledger.path, """
            DROP TRIGGER postings_no_delete;
            DELETE FROM postings WHERE entry_id = (SELECT id FROM entries WHERE sequence = 4) AND line = 1;
            """)
        try #require(shell.status == 0, "\(shell.errorOutput)")
        let problems = try ledger.db.verify().problems
        let recomputed = try Self.recomputedHash(of: results[3].number, previous: results[2].hash, in: ledger.db)
        #expect(Array(problems.prefix(3)) == [
            .hashMismatch(entry: T.number(2024, 4), stored: results[3].hash, recomputed: recomputed),
            .tooFewPostings(entry: T.number(2024, 4), count: 1),
            .unbalancedEntry(entry: T.number(2024, 4), currency: "IDR", differenceMinorUnits: 50_000),
        ])
        #expect(problems.contains(.balanceMismatch(
            account: "1-1100", currency: "IDR", storedNet: 1_565_025_000 - 500_000, postingsNet: 1_565_025_000 - 450_000)))
    }

    /// The triggers refuse UPDATE and DELETE, but nothing stops an INSERT into an old
    /// entry behind the store's back; the hash chain catches it.
    @Test func aPostingSlippedIntoAnOldEntryIsFound() throws {
        let (ledger, results) = try Self.ledgerWithFiveEntries()
        let shell = try SQLiteShell.run(ledger.path, """
            INSERT INTO postings (entry_id, line, account_id, amount, currency)
            SELECT e.id, 2, a.id, 1, 'IDR' FROM entries e, accounts a WHERE e.sequence = 2 AND a.code = '5-1100';
            """)
        try #require(shell.status == 0, "\(shell.errorOutput)")
        let problems = try ledger.db.verify().problems
        let recomputed = try Self.recomputedHash(of: results[1].number, previous: results[0].hash, in: ledger.db)
        #expect(problems.first == .hashMismatch(entry: T.number(2024, 2), stored: results[1].hash, recomputed: recomputed))
        #expect(problems.contains(.unbalancedEntry(entry: T.number(2024, 2), currency: "IDR", differenceMinorUnits: 1)))
    }

    @Test func anAlteredStoredBalanceIsFound() throws {
        let (ledger, _) = try Self.ledgerWithFiveEntries()
        let shell = try SQLiteShell.run(ledger.path, """
            UPDATE balances SET debit = debit + 1 WHERE currency = 'IDR'
              AND account_id = (SELECT id FROM accounts WHERE code = '5-1100');
            """)
        try #require(shell.status == 0, "\(shell.errorOutput)")
        #expect(try ledger.db.verify().problems
                == [.balanceMismatch(account: "5-1100", currency: "IDR", storedNet: 150_001, postingsNet: 150_000)])
        #expect(try nets(ledger.db.trialBalance())["5-1100|IDR"] == 150_001, "the trial balance reads the stored balances")
    }

    @Test func anAlteredDailyBalanceIsFound() throws {
        let (ledger, _) = try Self.ledgerWithFiveEntries()
        let shell = try SQLiteShell.run(ledger.path, """
            UPDATE daily_balances SET credit = credit + 1 WHERE day = '2024-03-10'
              AND account_id = (SELECT id FROM accounts WHERE code = '5-1100');
            """)
        try #require(shell.status == 0, "\(shell.errorOutput)")
        #expect(try ledger.db.verify().problems == [.dailyBalanceMismatch(account: "5-1100", currency: "IDR", day: "2024-03-10")])
    }

    /// An entry that cannot be decoded is reported; the intact entries after it must not be
    /// accused too (the chain continues from the unreadable entry's stored hash).
    @Test func anUnreadableEntryIsNamedAloneAndTheChainContinues() throws {
        let (ledger, _) = try Self.ledgerWithFiveEntries()
        let shell = try SQLiteShell.run(ledger.path, """
            DROP TRIGGER entries_no_update;
            UPDATE entries SET exchange_rate = 'about 15k' WHERE sequence = 2;
            """)
        try #require(shell.status == 0, "\(shell.errorOutput)")
        let problems = try ledger.db.verify().problems
        guard case .unreadableEntry(let rowID, _) = problems.first else {
            Issue.record("expected an unreadable entry first, got \(problems)")
            return
        }
        #expect(rowID == 2)
        #expect(problems.count == 1, "only row 2 is damaged, got \(problems.map(\.description))")
    }

    /// Postings slipped in with amounts whose sum passes `Int64` must be reported like any
    /// other tampering, not abort the verification.
    @Test func hugeSlippedInPostingsAreReportedNotThrown() throws {
        let (ledger, results) = try Self.ledgerWithFiveEntries()
        let shell = try SQLiteShell.run(ledger.path, """
            INSERT INTO postings (entry_id, line, account_id, amount, currency)
            SELECT e.id, 2, a.id, 9223372036854775807, 'IDR' FROM entries e, accounts a
            WHERE e.sequence IN (2, 3) AND a.code = '5-1100';
            """)
        try #require(shell.status == 0, "\(shell.errorOutput)")
        let report = try ledger.db.verify()
        guard case .hashMismatch(let entry, let stored, _) = report.problems.first else {
            Issue.record("expected a hash mismatch first, got \(report.problems)")
            return
        }
        #expect(entry == T.number(2024, 2) && stored == results[1].hash)
    }

    static let rebuildDerivedTables = """
        DELETE FROM balances;
        INSERT INTO balances (account_id, currency, debit, credit)
          SELECT account_id, currency, SUM(CASE WHEN amount > 0 THEN amount ELSE 0 END),
                 SUM(CASE WHEN amount < 0 THEN -amount ELSE 0 END)
          FROM postings GROUP BY account_id, currency;
        DELETE FROM daily_balances;
        INSERT INTO daily_balances (account_id, currency, district, day, debit, credit)
          SELECT p.account_id, p.currency, COALESCE(p.district, ''), e.entry_date,
                 SUM(CASE WHEN p.amount > 0 THEN p.amount ELSE 0 END), SUM(CASE WHEN p.amount < 0 THEN -p.amount ELSE 0 END)
          FROM postings p JOIN entries e ON e.id = p.entry_id
          GROUP BY p.account_id, p.currency, COALESCE(p.district, ''), e.entry_date;
        """

    @Test func rebuildingTheDerivedTablesFromIntactPostingsChangesNothing() throws {
        let (ledger, _) = try Self.ledgerWithFiveEntries()
        let before = try Snapshot(ledger.db)
        let shell = try SQLiteShell.run(ledger.path, Self.rebuildDerivedTables)
        try #require(shell.status == 0, "\(shell.errorOutput)")
        #expect(try Snapshot(ledger.db) == before)
        #expect(try ledger.db.verify().passed)
    }

    @Test func anEntryInsideAPeriodClosedBeforeItIsFound() throws {
        let ledger = try TestLedger()
        let posted = try ledger.db.post(T.expense(1_000, on: "2024-06-10"), now: T.now)
        // A closing row claiming June was closed before any entry was posted.
        let shell = try SQLiteShell.run(ledger.path, """
            INSERT INTO closed_periods (period, closed_at, closed_by, chain_head, last_entry_id)
            VALUES ('2024-06', 0, 'mallory', zeroblob(32), 0);
            """)
        try #require(shell.status == 0, "\(shell.errorOutput)")
        #expect(try ledger.db.verify().problems.contains(.entryInClosedPeriod(entry: posted.number, period: "2024-06")))
    }

    /// A closed period records the chain head and last entry at closing time: the anchor that
    /// makes removing the newest entries detectable. `verify` must check it.
    @Test func removingEntriesBehindAClosedPeriodsRecordedHeadIsFound() throws {
        let ledger = try TestLedger()
        for day in ["2024-05-02", "2024-05-03", "2024-05-04"] {
            try ledger.db.post(T.expense(10_000, on: day), now: T.now)
        }
        let closed = try ledger.db.close(T.period("2024-05"), by: "ani", now: T.now)
        #expect(closed.chainHead == (try ledger.db.summary().chainHead))
        let shell = try SQLiteShell.run(ledger.path, """
            DROP TRIGGER postings_no_delete;
            DROP TRIGGER entries_no_delete;
            DELETE FROM postings WHERE entry_id = (SELECT MAX(id) FROM entries);
            DELETE FROM entries WHERE id = (SELECT MAX(id) FROM entries);
            """ + Self.rebuildDerivedTables)
        try #require(shell.status == 0, "\(shell.errorOutput)")
        #expect(try ledger.db.summary().entries == 2)
        #expect(try ledger.db.closedPeriods().first?.chainHead == closed.chainHead, "the anchor is still recorded")
        let report = try ledger.db.verify()
        #expect(report.chainHead != closed.chainHead)
        #expect(!report.passed, "JE-2024-000003, the head recorded when 2024-05 was closed, is gone")
    }

    /// The sqlite3 shell runs with foreign keys off: postings can be slipped in for an entry
    /// or an account that does not exist. They change no entry's hash, so `verify` must find
    /// them itself.
    @Test func postingsWithoutTheirEntryOrAccountAreFound() throws {
        let (ledger, _) = try Self.ledgerWithFiveEntries()
        let shell = try SQLiteShell.run(ledger.path, """
            INSERT INTO postings (entry_id, line, account_id, amount, currency) VALUES (999, 0, 1, 5, 'IDR');
            INSERT INTO postings (entry_id, line, account_id, amount, currency)
            SELECT id, 7, 9999, 5, 'IDR' FROM entries WHERE sequence = 1;
            """)
        try #require(shell.status == 0, "\(shell.errorOutput)")
        let problems = try ledger.db.verify().problems
        let entryOne = try #require(try ledger.db.entry(T.number(2024, 1))).id.rawValue
        #expect(problems.contains(.orphanPosting(entryRowID: entryOne, line: 7, missing: .account)))
        #expect(problems.contains(.orphanPosting(entryRowID: 999, line: 0, missing: .entry)))
    }

    /// An entry moved to another date behind the store's back, with the derived tables
    /// rebuilt to match, still breaks the chain: the date is covered by the hash.
    @Test func anEntryDateMovedBehindTheStoresBackIsFound() throws {
        let (ledger, results) = try Self.ledgerWithFiveEntries()
        let shell = try SQLiteShell.run(ledger.path, """
            DROP TRIGGER entries_no_update;
            UPDATE entries SET entry_date = '2024-01-05' WHERE sequence = 3;
            """ + Self.rebuildDerivedTables)
        try #require(shell.status == 0, "\(shell.errorOutput)")
        #expect(try ledger.db.register(account: "5-1200").lines.first { $0.number == results[2].number }?.date
                == T.date("2024-01-05"))
        let problems = try ledger.db.verify().problems
        guard case .hashMismatch(let entry, _, _) = problems.first else {
            Issue.record("expected a hash mismatch first, got \(problems)")
            return
        }
        #expect(entry == results[2].number)
    }

    // MARK: - The triggers

    static let forbidden: [(sql: String, message: String)] = [
        ("UPDATE postings SET amount = amount + 100 WHERE entry_id = (SELECT id FROM entries WHERE sequence = 3) AND line = 0;",
         "postings are append-only"),
        ("DELETE FROM postings WHERE line = 1;", "postings are append-only"),
        ("UPDATE entries SET description = 'x' WHERE sequence = 2;", "entries are append-only"),
        ("UPDATE entries SET hash = zeroblob(32);", "entries are append-only"),
        ("DELETE FROM entries WHERE sequence = 5;", "entries are append-only"),
        ("UPDATE closed_periods SET closed_by = 'mallory';", "a closed period stays closed"),
        ("DELETE FROM closed_periods;", "a closed period stays closed"),
        ("DELETE FROM accounts WHERE code = '5-1300';", "accounts are never deleted"),
        ("UPDATE accounts SET code = '5-9999' WHERE code = '5-1100';", "an account keeps its code, type and parent"),
        ("UPDATE accounts SET type = 'income' WHERE code = '5-1100';", "an account keeps its code, type and parent"),
        ("UPDATE accounts SET parent_id = NULL WHERE code = '5-1100';", "an account keeps its code, type and parent"),
        ("BEGIN; UPDATE balances SET debit = debit + 100; UPDATE postings SET amount = amount + 100; COMMIT;",
         "postings are append-only"),
    ]

    @Test(arguments: forbidden)
    func theSchemaRefusesToRewriteHistory(sql: String, message: String) throws {
        let (ledger, _) = try Self.ledgerWithFiveEntries()
        _ = try ledger.db.close(T.period("2024-01"), by: "ani", now: T.now)
        let before = try Snapshot(ledger.db)
        let shell = try SQLiteShell.run(ledger.path, sql)
        #expect(shell.status != 0)
        #expect(shell.errorOutput.contains(message), "\(shell.errorOutput)")
        #expect(try Snapshot(ledger.db) == before)
        #expect(try ledger.db.verify().passed)
        #expect(try ledger.db.closedPeriods().map(\.closedBy) == ["ani"])
    }
}

// MARK: - The store's own read-back

@Suite("Read-back check after writing")
struct ReadBackTests {
    typealias T = TestLedger

    /// A trigger planted behind the store's back adds a posting to every entry it writes:
    /// the store's check after the write must refuse to commit, and nothing is kept.
    @Test func anEntryThatDoesNotBalanceOnceStoredIsNotCommitted() throws {
        let ledger = try TestLedger()
        try ledger.db.post(T.expense(10_000, on: "2024-06-01"), now: T.now)
        let before = try Snapshot(ledger.db)
        let shell = try SQLiteShell.run(ledger.path, """
            CREATE TRIGGER planted AFTER INSERT ON postings WHEN NEW.line = 0
            BEGIN INSERT INTO postings (entry_id, line, account_id, amount, currency)
                  VALUES (NEW.entry_id, 99, NEW.account_id, 1, NEW.currency); END;
            """)
        try #require(shell.status == 0, "\(shell.errorOutput)")
        #expect(throws: StoreError.self) { try ledger.db.post(T.expense(20_000, on: "2024-06-02"), now: T.now) }
        #expect(throws: StoreError.self) {
            try ledger.db.post(batch: [T.expense(30_000, on: "2024-06-03"), T.expense(40_000, on: "2024-06-04")], now: T.now)
        }
        #expect(throws: StoreError.self) {
            try ledger.db.importEntries(now: T.now) { session in try session.post(T.expense(50_000, on: "2024-06-05")) }
        }
        #expect(try Snapshot(ledger.db) == before)
        #expect(try ledger.db.verify().passed)
    }
}
