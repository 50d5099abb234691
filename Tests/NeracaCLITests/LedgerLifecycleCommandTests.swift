import Foundation
import Testing

@Suite("neraca reverse, close, verify, backup")
struct LedgerLifecycleCommandTests {
    let samplePath = repositoryRoot.appendingPathComponent("examples/sample-entries.json").path

    @Test func reversalRestoresBalancesAndCannotBeRepeated() throws {
        let ledger = try BangkitLedger()
        #expect(ledger.run("post", "--file", samplePath).status == 0)
        let before = try ledger.balances()
        let reversed = ledger.run("reverse", "JE-2024-000005", "--reason", "Invoice paid twice", "--date", "2024-02-06")
        #expect(reversed.status == 0, "\(reversed.stderr)")
        #expect(reversed.stdout.hasPrefix("JE-2024-000006 reverses JE-2024-000005 "))
        let after = try ledger.balances()
        #expect(after["5-3100 IDR"] == nil)
        #expect(after["1-1110 IDR"] == "263000000.00")
        #expect(before["5-3100 IDR"] == "4750000.00")
        let again = ledger.run("reverse", "JE-2024-000005", "--reason", "again", "--date", "2024-02-06")
        #expect(again.stderr == "error: entry: JE-2024-000005 was already reversed by JE-2024-000006")
        let ofReversal = ledger.run("reverse", "JE-2024-000006", "--reason", "undo", "--date", "2024-02-07")
        #expect(ofReversal.stderr.hasPrefix("error: entry: JE-2024-000006 is itself a reversal"))
        let blank = ledger.run("reverse", "JE-2024-000004", "--reason", "  ", "--date", "2024-02-07")
        #expect(blank.stderr == "error: reason: must not be empty")
    }

    @Test func aClosedPeriodRefusesEntriesDatedInIt() throws {
        let ledger = try BangkitLedger()
        #expect(ledger.run("post", "--file", samplePath).status == 0)
        let closed = ledger.run("close", "--period", "2024-01", "--author", "finance.lead")
        #expect(closed.status == 0, "\(closed.stderr)")
        #expect(closed.stdout.hasPrefix("period 2024-01 closed by finance.lead"))
        let late = try ledger.post("""
            {"date": "2024-01-31", "description": "Late receipt", "postings": [
              {"account": "5-2100", "amount": "100000"}, {"account": "1-1110", "amount": "-100000"}]}
            """)
        #expect(late.status == 1)
        #expect(late.stderr.hasPrefix("error: date: period 2024-01 is closed"))
        #expect(ledger.run("close", "--period", "2024-01").stderr == "error: period: period 2024-01 is already closed")
        #expect(ledger.run("close", "--period", "2999-01").stderr == "error: period: period 2999-01 has not ended yet and cannot be closed")
        let reversalIntoClosed = ledger.run("reverse", "JE-2024-000004", "--reason", "wrong", "--date", "2024-01-30")
        #expect(reversalIntoClosed.stderr.hasPrefix("error: date: period 2024-01 is closed"))
        #expect(ledger.run("verify").status == 0)
    }

    @Test func verifyNamesTheFirstEntryAlteredBehindTheStoresBack() throws {
        let sqlite = try #require(which("sqlite3"), "sqlite3 is needed (scripts/test installs it)")
        let ledger = try BangkitLedger()
        #expect(ledger.run("post", "--file", samplePath).status == 0)
        let good = ledger.run("verify")
        #expect(good.status == 0)
        #expect(good.stdout.hasPrefix("ok: 5 entries, 13 postings; chain head "))

        let refused = try runProcess(sqlite, [ledger.db, "UPDATE postings SET amount = amount + 100 WHERE line = 0;"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("append-only"))

        let tamper = try runProcess(sqlite, [ledger.db, """
            DROP TRIGGER postings_no_update;
            UPDATE postings SET amount = amount + 100000
            WHERE line = 0 AND entry_id = (SELECT id FROM entries WHERE sequence = 3);
            """])
        #expect(tamper.status == 0, "\(tamper.stderr)")
        let bad = ledger.run("verify")
        #expect(bad.status == 1)
        let firstLine = try #require(bad.stderr.split(separator: "\n").first)
        #expect(firstLine.hasPrefix("error: verify: 4 problem(s); first: JE-2024-000003: stored hash "))
        #expect(bad.stderr.contains("problem: JE-2024-000003: postings in IDR sum to 100000 minor units, not zero"))
        #expect(bad.stderr.contains("problem: account 1-1120 IDR: stored balance"))
    }

    @Test func backupWritesAVerifiableCopyAndNeverOverwrites() throws {
        let ledger = try BangkitLedger()
        #expect(ledger.run("post", "--file", samplePath).status == 0)
        let copy = ledger.directory.path("copy.sqlite")
        #expect(ledger.run("backup", copy).status == 0)
        let verified = neraca("verify", "--db", copy)
        #expect(verified.status == 0)
        #expect(verified.stdout == ledger.run("verify").stdout)
        let again = ledger.run("backup", copy)
        #expect(again.status == 1)
        #expect(again.stderr == "error: '\(copy)' already exists: choose a new file for the backup")
    }
}
