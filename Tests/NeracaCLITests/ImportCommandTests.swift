import Foundation
import LedgerStore
import Testing

@Suite("neraca import")
struct ImportCommandTests {
    @Test func importsTheJournalSubsetWithTagsAndAnElidedAmount() throws {
        let ledger = try BangkitLedger()
        let journal = try ledger.directory.write("small.journal", """
            ; a small journal in the chart's own codes
            commodity IDR

            2024-03-15 * (PV-SBT-000123) Per diem monitoring visit   ; district: SBT
                ; budget-line: 2.1.3
                5-2200    450,000 IDR
                    ; activity: Monitoring
                1-1120

            2024-03-16 ! Bank charge
                5-8100    IDR 6500 ; party: BRI
                1-1110    -6500 IDR
            """)
        let result = ledger.run("import", "--format", "ledger", journal, "--author", "importer")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "imported 2 entries, 4 postings from \(journal)")
        let balances = try ledger.balances()
        #expect(balances["5-2200 IDR"] == "450000.00")
        #expect(balances["1-1120 IDR"] == "-450000.00")
        #expect(balances["5-8100 IDR"] == "6500.00")
        let shown = ledger.run("show", "JE-2024-000001", "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect(object["reference"] as? String == "PV-SBT-000123")
        #expect(object["source"] as? String == "import")
        #expect(object["author"] as? String == "importer")
        let postings = try #require(object["postings"] as? [[String: Any]])
        #expect(postings[0]["district"] as? String == "SBT")
        #expect(postings[0]["budgetLine"] as? String == "2.1.3")
        #expect(postings[0]["activity"] as? String == "Monitoring")
        #expect(postings[1]["district"] as? String == "SBT")
        #expect(postings[1]["activity"] == nil)
    }

    @Test func anErrorNamesFileAndLineAndImportsNothing() throws {
        let ledger = try BangkitLedger()
        let journal = try ledger.directory.write("bad.journal", """
            2024-03-15 Good entry
                5-2200    450000 IDR
                1-1120   -450000 IDR

            2024-03-16 Unknown account
                5-2200    1000 IDR
                9-9999   -1000 IDR
            """)
        let result = ledger.run("import", journal)
        #expect(result.status == 1)
        #expect(result.stderr == "error: \(journal):7: postings[1].account: account '9-9999' is not in the chart of accounts")
        #expect(try ledger.balances().isEmpty)
    }

    @Test func aSyntaxErrorNamesLineAndColumn() throws {
        let ledger = try BangkitLedger()
        let journal = try ledger.directory.write("syntax.journal", """
            2024-03-15 Entry
                5-2200    45x000 IDR
                1-1120
            """)
        let result = ledger.run("import", journal)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: \(journal):2:"), "\(result.stderr)")
        #expect(try ledger.balances().isEmpty)
    }

    @Test func unknownAccountsNeedCreateAccountsAndGetTheirTypeFromTheTopLevelName() throws {
        let ledger = try BangkitLedger()
        let journal = try ledger.directory.write("named.journal", """
            2024-04-01 Fuel
                Expenses:SBT:Travel:Fuel    150000 IDR
                Assets:Cash:SBT
            """)
        #expect(ledger.run("import", journal).stderr == "error: \(journal):2: postings[0].account: account 'Expenses:SBT:Travel:Fuel' is not in the chart of accounts")
        let created = ledger.run("import", "--create-accounts", journal)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.hasSuffix("created 7 accounts"))
        let balances = try ledger.balances()
        #expect(balances["Expenses:SBT:Travel:Fuel IDR"] == "150000.00")
        #expect(balances["Assets:Cash:SBT IDR"] == "-150000.00")

        let odd = try ledger.directory.write("odd.journal", """
            2024-04-02 Odd
                Stuff:Things    1 IDR
                Assets:Cash:SBT
            """)
        let refused = ledger.run("import", "--create-accounts", odd)
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("error: \(odd):2: account: cannot tell the type of 'Stuff:Things'"))
    }

    /// The acceptance check against the peer: same journal, same totals account by account.
    @Test func trialBalanceMatchesHledgerAccountByAccount() throws {
        let hledger = try #require(which("hledger"), "hledger is needed (scripts/test installs it)")
        let ledger = try BangkitLedger()
        let journal = try generateJournal(3_000, into: ledger.directory)
        let imported = ledger.run("import", "--create-accounts", journal)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.hasPrefix("imported 3000 entries, "))

        var ours: [String: Int64] = [:]
        for (key, value) in try ledger.balances() {
            let account = String(key.dropLast(4))
            let units: Int64 = try #require(minorUnits(value), "\(key) = \(value)")
            ours[account] = units
        }
        let peer = try runProcess(hledger, ["-f", journal, "bal", "-O", "csv", "--no-total"])
        #expect(peer.status == 0, "\(peer.stderr)")
        var theirs: [String: Int64] = [:]
        for line in peer.stdout.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            let amount = try #require(fields[1].split(separator: " ").first.flatMap { Int64($0) }, "\(line)")
            theirs[fields[0]] = amount * 100
        }
        #expect(theirs.count > 150)
        #expect(ours == theirs)
        #expect(ledger.run("verify").status == 0)
    }

    /// An import killed with SIGKILL midway leaves the ledger as it was; run again, it completes.
    @Test func anImportKilledMidwayLeavesNothingBehind() throws {
        let executable = try neracaExecutable()
        let ledger = try BangkitLedger()
        let transactions = 60_000
        let journal = try generateJournal(transactions, into: ledger.directory)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["import", "--db", ledger.db, "--create-accounts", "--progress", "5000", journal]
        let progress = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = progress
        try process.run()
        // Kill as soon as the import reports its first 5,000 entries: midway through its transaction.
        let firstReport = String(decoding: progress.fileHandleForReading.availableData, as: UTF8.self)
        let wasRunning = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(firstReport.hasPrefix("import: 5000 entries read"), "\(firstReport)")
        #expect(wasRunning, "the import finished before it could be killed; use a larger journal")
        #expect(process.terminationReason == .uncaughtSignal)

        let database = try LedgerDatabase(path: ledger.db)
        #expect(try database.summary().entries == 0)
        #expect(try database.verify().passed)

        let complete = ledger.run("import", "--create-accounts", journal)
        #expect(complete.status == 0, "\(complete.stderr)")
        #expect(try LedgerDatabase(path: ledger.db).summary().entries == transactions)
        #expect(ledger.run("verify").status == 0)
    }

    private func minorUnits(_ plain: String) -> Int64? {
        let parts = plain.split(separator: ".")
        guard parts.count == 2, let whole = Int64(parts[0]), let cents = Int64(parts[1]) else { return nil }
        return whole * 100 + (plain.hasPrefix("-") ? -cents : cents)
    }
}
