import Foundation
import LedgerCore
import LedgerStore
import NeracaTestSupport
import Synchronization
import Testing

/// An import writes through a rollback journal when it has the file to itself (each page
/// written once), and stays in WAL mode, readable by others, when it does not.
@Suite("Import journal modes")
struct ImportJournalModeTests {
    typealias T = TestLedger
    static let entries = 2_500

    /// Posts more entries than one hand-over (2,048), so that the writer has started inserting,
    /// then waits (up to a few seconds) for `condition` to hold while the import is still open.
    private static func postThenWait(
        _ session: ImportSession, until condition: () throws -> Bool
    ) throws -> Bool {
        for amount in 1...Self.entries { try session.post(T.expense(Int64(amount))) }
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return false
    }

    @Test func anImportAloneUsesARollbackJournalAndLeavesTheFileInWALMode() throws {
        let ledger = try TestLedger()
        let journal = ledger.path + "-journal"
        let sawJournal = Mutex(false)
        let summary = try ledger.db.importEntries(now: T.now) { session in
            let seen = try Self.postThenWait(session) { FileManager.default.fileExists(atPath: journal) }
            sawJournal.withLock { $0 = seen }
        }
        #expect(summary.entries == Self.entries)
        #expect(sawJournal.withLock { $0 }, "no rollback journal while the import was writing")
        #expect(!FileManager.default.fileExists(atPath: journal))
        #expect(try SQLiteShell.run(ledger.path, "PRAGMA journal_mode").output == "wal\n")
        #expect(try ledger.db.summary().entries == Self.entries)
        #expect(try ledger.db.verify().passed)
    }

    @Test func anImportBesideAnotherOpenHandleStaysInWALModeWhileTheOtherReads() throws {
        let ledger = try TestLedger()
        try ledger.db.post(T.expense(7), now: T.now)
        let other = try LedgerDatabase(path: ledger.path)
        #expect(try other.summary().entries == 1)
        let readsDuringImport = Mutex<[Int]>([])
        let journal = ledger.path + "-journal"
        let journalDuringImport = Mutex(false)
        _ = try ledger.db.importEntries(now: T.now) { session in
            _ = try Self.postThenWait(session) {
                // In WAL mode this read returns at once, seeing the ledger as before the import.
                let entries = try other.summary().entries
                readsDuringImport.withLock { $0.append(entries) }
                return true
            }
            journalDuringImport.withLock { $0 = FileManager.default.fileExists(atPath: journal) }
        }
        #expect(!journalDuringImport.withLock { $0 })
        #expect(readsDuringImport.withLock { $0 } == [1])
        #expect(try other.summary().entries == Self.entries + 1)
        #expect(try SQLiteShell.run(ledger.path, "PRAGMA journal_mode").output == "wal\n")
        #expect(try other.verify().passed)
    }
}
