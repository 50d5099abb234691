import Foundation
import LedgerCore
import LedgerStore
import Testing

@Suite("Backups")
struct BackupTests {
    typealias T = TestLedger

    @Test func aBackupIsACompleteVerifiableLedger() throws {
        let ledger = try TestLedger()
        var numbers: [EntryNumber] = []
        for draft in [T.grant(1_000_000), T.conversion(), T.expense(150_000), T.expense(20_000, district: "MKS", key: "k-1")] {
            numbers.append(try ledger.db.post(draft, now: T.now).number)
        }
        numbers.append(try ledger.db.reverse(numbers[2], reason: "duplicate", date: T.date("2024-07-01"), author: "budi",
                                             now: T.now).number)
        _ = try ledger.db.close(T.period("2024-03"), by: "ani", now: T.now)
        let original = try ledger.db.summary()

        let path = ledger.siblingPath("backup.sqlite")
        try ledger.db.backup(to: path)
        #expect(FileManager.default.fileExists(atPath: path))

        let copy = try LedgerDatabase(path: path)
        let summary = try copy.summary()
        #expect(summary.name == original.name && summary.organisation == original.organisation)
        #expect(summary.baseCurrency == original.baseCurrency && summary.fiscalCalendar == original.fiscalCalendar)
        #expect(summary.accounts == original.accounts)
        #expect(summary.entries == 5 && summary.entries == original.entries)
        #expect(summary.postings == original.postings)
        #expect(summary.chainHead == original.chainHead)
        #expect(try Snapshot(copy) == Snapshot(ledger.db))
        let report = try copy.verify()
        #expect(report.passed && report.entriesChecked == 5 && report.chainHead == original.chainHead)
        for number in numbers {
            #expect(try copy.entry(number) == ledger.db.entry(number))
        }
        #expect(try copy.closedPeriods() == ledger.db.closedPeriods())
        #expect(try copy.accounts() == ledger.db.accounts())

        // The copy is independent of the original from now on, and keeps the idempotency keys.
        try ledger.db.post(T.expense(1), now: T.now)
        #expect(try copy.summary().entries == 5)
        #expect(try copy.post(T.expense(20_000, district: "MKS", key: "k-1"), now: T.now).replayed)
        #expect(try copy.post(T.expense(2), now: T.now).number == T.number(2024, 6))
    }

    @Test func aBackupNeverOverwritesAFile() throws {
        let ledger = try TestLedger()
        try ledger.db.post(T.expense(1), now: T.now)
        let path = ledger.siblingPath("existing.sqlite")
        let content = Data("not a ledger".utf8)
        try content.write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.backupDestinationExists(path: path)) { try ledger.db.backup(to: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == content)

        let second = ledger.siblingPath("second.sqlite")
        try ledger.db.backup(to: second)
        #expect(throws: StoreError.backupDestinationExists(path: second)) { try ledger.db.backup(to: second) }
        #expect(try LedgerDatabase(path: second).summary().entries == 1)
        // Nor onto the ledger itself.
        #expect(throws: StoreError.backupDestinationExists(path: ledger.path)) { try ledger.db.backup(to: ledger.path) }
        #expect(try ledger.db.verify().passed)
    }

    @Test func aBackupOfAnEmptyLedgerIsAnEmptyLedger() throws {
        let ledger = try TestLedger()
        let path = ledger.siblingPath("empty.sqlite")
        try ledger.db.backup(to: path)
        let copy = try LedgerDatabase(path: path)
        #expect(try copy.summary().entries == 0)
        #expect(try copy.summary().chainHead == .genesis)
        #expect(try copy.post(T.expense(5), now: T.now).number == T.number(2024, 1))
    }
}
