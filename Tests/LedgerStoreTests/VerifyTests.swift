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

    /// A planted trigger that swaps one row the store writes for another (BEFORE INSERT:
    /// write the altered row, then skip the original), so that counts stay plausible.
    struct Substitution: CustomTestStringConvertible, Sendable {
        let name: String
        let sql: String
        let refusal: String
        var testDescription: String { name }

        static func posting(_ name: String, entryID: String = "NEW.entry_id", line: String = "NEW.line",
                            accountID: String = "NEW.account_id", refusal: String) -> Substitution {
            Substitution(name: name, sql: """
                CREATE TRIGGER planted BEFORE INSERT ON postings WHEN NEW.amount = 50000
                BEGIN INSERT INTO postings (entry_id, line, account_id, amount, currency)
                      VALUES (\(entryID), \(line), \(accountID), NEW.amount, NEW.currency);
                      SELECT RAISE(IGNORE); END;
                """, refusal: refusal)
        }

        static let all: [Substitution] = [
            .posting("a posting moved to an entry that does not exist", entryID: "NEW.entry_id + 1000",
                     refusal: "do not match their entries"),
            .posting("a posting moved to an earlier entry", entryID: "1", line: "NEW.line + 50",
                     refusal: "do not match their entries"),
            .posting("a posting naming an account that does not exist", accountID: "9999",
                     refusal: "names an account that does not exist"),
            Substitution(name: "an entry stored under another id", sql: """
                CREATE TRIGGER planted BEFORE INSERT ON entries WHEN NEW.sequence = 3
                BEGIN INSERT INTO entries (id, fiscal_year, sequence, entry_date, posted_at, description, reference,
                          source, author, idempotency_key, body_digest, exchange_rate, reverses_id, hash)
                      VALUES (NEW.id + 100, NEW.fiscal_year, NEW.sequence, NEW.entry_date, NEW.posted_at,
                          NEW.description, NEW.reference, NEW.source, NEW.author, NEW.idempotency_key,
                          NEW.body_digest, NEW.exchange_rate, NEW.reverses_id, NEW.hash);
                      SELECT RAISE(IGNORE); END;
                """, refusal: "are not the"),
            Substitution(name: "an entry reversing one that does not exist", sql: """
                CREATE TRIGGER planted BEFORE INSERT ON entries WHEN NEW.sequence = 3
                BEGIN INSERT INTO entries (id, fiscal_year, sequence, entry_date, posted_at, description, reference,
                          source, author, idempotency_key, body_digest, exchange_rate, reverses_id, hash)
                      VALUES (NEW.id, NEW.fiscal_year, NEW.sequence, NEW.entry_date, NEW.posted_at,
                          NEW.description, NEW.reference, NEW.source, NEW.author, NEW.idempotency_key,
                          NEW.body_digest, NEW.exchange_rate, 999999, NEW.hash);
                      SELECT RAISE(IGNORE); END;
                """, refusal: "reverses an entry that does not exist"),
            Substitution(name: "a daily balance for an account that does not exist", sql: """
                CREATE TRIGGER planted AFTER INSERT ON daily_balances WHEN NEW.debit = 50000
                BEGIN INSERT INTO daily_balances (account_id, currency, district, day, debit, credit)
                      VALUES (9999, NEW.currency, NEW.district, NEW.day, NEW.debit, NEW.credit); END;
                """, refusal: "a row of daily_balances refers to a row that does not exist"),
        ]
    }

    /// Imports run with SQLite's foreign-key enforcement off and prove the same by counting:
    /// every dangling or displaced row is refused, nothing is kept, and the connection
    /// enforces foreign keys again for the writes that follow.
    @Test(arguments: Substitution.all)
    func anImportWhoseRowsDoNotHoldTogetherIsNotCommitted(_ substitution: Substitution) throws {
        let ledger = try TestLedger()
        try ledger.db.post(T.expense(10_000, on: "2024-06-01"), now: T.now)
        try ledger.db.post(T.expense(20_000, on: "2024-06-02"), now: T.now)
        let before = try Snapshot(ledger.db)
        let shell = try SQLiteShell.run(ledger.path, substitution.sql)
        try #require(shell.status == 0, "\(shell.errorOutput)")
        let error = #expect(throws: StoreError.self) {
            try ledger.db.importEntries(now: T.now) { session in
                try session.post(T.expense(50_000, on: "2024-06-05"))
                try session.post(T.expense(60_000, on: "2024-06-06"))
            }
        }
        #expect(error?.description.contains(substitution.refusal) == true, "\(String(describing: error))")
        #expect(try Snapshot(ledger.db) == before)
        #expect(try ledger.db.verify().passed)
    }

    /// After an import, the same handle's ordinary posts are checked by SQLite's foreign keys
    /// again: a dangling posting is refused by SQLite itself, before the store's read-back.
    @Test func foreignKeysAreEnforcedAgainAfterAnImport() throws {
        let ledger = try TestLedger()
        _ = try ledger.db.importEntries(now: T.now) { session in try session.post(T.expense(10_000)) }
        let before = try Snapshot(ledger.db)
        let shell = try SQLiteShell.run(ledger.path, Substitution.all[0].sql)
        try #require(shell.status == 0, "\(shell.errorOutput)")
        #expect {
            try ledger.db.post(T.expense(50_000), now: T.now)
        } throws: { error in
            !(error is StoreError) && String(describing: error).contains("FOREIGN KEY constraint failed")
        }
        #expect(try Snapshot(ledger.db) == before)
    }

    /// Account ids normally form one run, which lets the read-back test a range; with a gap
    /// (an account added behind the store's back) each posting's account is looked up.
    @Test func accountIdsWithAGapAreCheckedOneByOne() throws {
        let ledger = try TestLedger()
        let shell = try SQLiteShell.run(ledger.path, """
            INSERT INTO accounts (id, code, name_en, name_id, type, created_at)
            VALUES (500, '5-9000', 'Added behind the back', 'Ditambah', 'expense', 0);
            """)
        try #require(shell.status == 0, "\(shell.errorOutput)")
        let summary = try ledger.db.importEntries(now: T.now) { session in
            try session.post(T.expense(10_000))
            try session.post(T.expense(20_000, account: "5-9000"))
        }
        #expect(summary.entries == 2)
        let planted = try SQLiteShell.run(ledger.path, Substitution.posting(
            "", accountID: "499", refusal: "").sql)
        try #require(planted.status == 0, "\(planted.errorOutput)")
        let before = try Snapshot(ledger.db)
        let error = #expect(throws: StoreError.self) {
            try ledger.db.importEntries(now: T.now) { session in try session.post(T.expense(50_000)) }
        }
        #expect(error?.description.contains("names an account that does not exist") == true)
        #expect(try Snapshot(ledger.db) == before)
    }
}

