import AuditExport
import Foundation
import LedgerCore
import Testing

/// `neraca export` and `neraca verify BUNDLE` on the reference ledger with a year before it,
/// a late entry of that year, a paid claim with receipts and a triaged finding.
@Suite("neraca export and verify")
struct ExportCommandTests {
    let ledger: BangkitLedger
    let bundle: String

    init() throws {
        ledger = try BangkitLedger()
        let root = repositoryRoot.path
        // 2023: grant money received, so that 2024 opens with balances.
        try Self.require(try ledger.post(Self.entry(date: "2023-12-20", key: "2023-grant", amount: "10000.00")))
        for arguments in [
            ["budget", "policy", "--db", ledger.db, "--file", root + "/Policies/budget.yaml"],
            ["budget", "import", "--db", ledger.db, root + "/Ledgers/bangkit/budget-2024.csv", "--year", "2024",
             "--approved-by", "Director", "--approved-on", "2024-01-05"],
            ["post", "--db", ledger.db, "--file", root + "/examples/sample-entries.json", "--author", "finance"],
            ["people", "import", "--db", ledger.db, root + "/Ledgers/bangkit/people.csv"],
            ["claim", "policy", "--db", ledger.db, "--approval-matrix", root + "/Policies/approval-matrix.yaml",
             "--rates", root + "/Policies/rates.yaml"],
        ] {
            try Self.require(neraca(arguments))
        }
        // A late 2023 entry, posted after 2024's: the chain passes through it.
        try Self.require(try ledger.post(Self.entry(date: "2023-12-28", key: "2023-late", amount: "500.00")))
        // A claim with two receipts, paid.
        let new = neraca("claim", "new", "--db", ledger.db, "--as", "P-SBT-003", "--district", "SBT", "--budget-line", "1.1",
                         "--activity", "Village facilitation Desa Kilmury", "--from", "2024-03-04", "--to", "2024-03-06",
                         "--date", "2024-03-07")
        try Self.require(new)
        let claim = String(new.stdout.split(separator: " ")[0])
        let one = try ledger.directory.write("boat.pdf", "%PDF-1.7\nboat ticket Bula-Geser\n%%EOF\n")
        let two = try ledger.directory.write("bus.pdf", "%PDF-1.7\nbus ticket Geser-Bula\n%%EOF\n")
        for arguments in [
            ["line", claim, "--as", "P-SBT-003", "--category", "transport", "--quantity", "2", "--rate", "150000"],
            ["attach", claim, one, "--as", "P-SBT-003", "--vendor", "KM Sabuk Nusantara", "--receipt-number", "B-12"],
            ["attach", claim, two, "--as", "P-SBT-003"],
            ["submit", claim, "--as", "P-SBT-003", "--date", "2024-03-07"],
            ["approve", claim, "--as", "P-SBT-001", "--date", "2024-03-08"],
            ["post", claim, "--as", "P-SBT-002", "--date", "2024-03-09"],
            ["pay", claim, "--as", "P-MKS-004", "--date", "2024-03-11"],
        ] {
            try Self.require(neraca(["claim", arguments[0], "--db", ledger.db] + Array(arguments.dropFirst())))
        }
        bundle = ledger.directory.path("bundle-2024")
        try Self.require(ledger.run("export", "--year", "2024", "--out", bundle))
    }

    static func require(_ result: CLIResult, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try #require(result.status == 0, "\(result.stderr)", sourceLocation: sourceLocation)
    }

    static func entry(date: String, key: String, amount: String) -> String {
        """
        {"entries": [{"date": "\(date)", "description": "Grant money \(key)", "idempotencyKey": "\(key)",
          "postings": [{"account": "1-1210", "amount": "\(amount)", "currency": "USD"},
                       {"account": "4-1100", "amount": "-\(amount)", "currency": "USD"}]}]}
        """
    }

    /// A copy of the bundle to damage.
    func copy(_ name: String) throws -> String {
        let path = ledger.directory.path(name)
        try FileManager.default.copyItem(atPath: bundle, toPath: path)
        return path
    }

    func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    func write(_ lines: [String], to path: String) throws {
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    func problems(_ directory: String) -> [BundleProblem] {
        BundleVerifier(directory: directory).verify().problems
    }

    // MARK: - The bundle as written

    @Test func theBundleVerifiesAndHoldsEveryFile() throws {
        let verified = ledger.run("verify", bundle)
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.hasPrefix("ok: bundle bangkit 2024: "))
        let manifest = try #require(BundleVerifier(directory: bundle).verify().manifest)
        let paths = Set(manifest.files.map(\.path))
        for file in ["journal.csv", "journal.jsonl", "accounts.csv", "trial-balance.csv", "budget-vs-actual.csv", "claims.csv",
                     "claim-events.csv", "findings.csv", "ledger.journal", "fec.txt", "chain-links.csv", "README.txt",
                     "general-ledger/1-1210.csv"] {
            #expect(paths.contains(file), "\(file)")
        }
        #expect(manifest.files.filter { $0.path.hasPrefix("receipts/") }.count == 2)
        #expect(manifest.entries == 7 && manifest.fiscalYear == 2024 && manifest.periodStart == "2024-01-01")
        // The year starts after 2023's first entry and passes through the late one.
        #expect(manifest.chain.startHead != String(repeating: "0", count: 64))
        let links = try lines(bundle + "/chain-links.csv").filter { !$0.isEmpty }
        #expect(links.count == 2 && links[1].hasPrefix("JE-2024-000005,JE-2023-000002,"), "\(links)")
        // Opening balances from 2023.
        let trialBalance = parseCSV(try String(contentsOfFile: bundle + "/trial-balance.csv", encoding: .utf8))
        let grant = try #require(trialBalance.first { $0[0] == "4-1100" })
        #expect(grant[4] == "10500.00" && grant[6] == "50000.00" && grant[8] == "60500.00", "\(grant)")
    }

    @Test func twoExportsAreIdenticalButForTheirTime() throws {
        let again = ledger.directory.path("again")
        try Self.require(ledger.run("export", "--year", "2024", "--out", again))
        let first = try #require(BundleVerifier(directory: bundle).verify().manifest)
        let second = try #require(BundleVerifier(directory: again).verify().manifest)
        #expect(first.files == second.files)
        for file in first.files {
            #expect(FileManager.default.contentsEqual(atPath: bundle + "/" + file.path, andPath: again + "/" + file.path), "\(file.path)")
        }
        let refused = ledger.run("export", "--year", "2024", "--out", bundle)
        #expect(refused.status == 1 && refused.stderr == "error: out: '\(bundle)' is not empty: export into a new or empty directory")
    }

    // MARK: - Damage, each caught and named

    @Test func aChangedAmountIsNamedByFileRowAndField() throws {
        let damaged = try copy("amount")
        var rows = try lines(damaged + "/journal.csv")
        let row = try #require(rows.firstIndex { $0.hasPrefix("JE-2024-000002,0,") })
        rows[row] = rows[row].replacingOccurrences(of: ",313000000.00,", with: ",313000001.00,")
        try write(rows, to: damaged + "/journal.csv")
        let found = problems(damaged)
        #expect(found.contains { $0.file == "journal.csv" && $0.field == "sha256" })
        #expect(found.contains { $0.file == "journal.csv" && $0.row == row && $0.field == "debit" }, "\(found)")
        #expect(found.contains { $0.file == "journal.csv" && $0.row == row && $0.field == "entry_hash" })
        #expect(found.contains { $0.file == "journal.jsonl" && $0.row == row && $0.field == "debit" })
        #expect(found.contains { $0.file == "trial-balance.csv" && $0.field == "debit" })
        let cli = ledger.run("verify", damaged)
        #expect(cli.status == 1 && cli.stderr.contains("problem: journal.csv row \(row), debit: JE-2024-000002 does not balance in IDR"))
    }

    @Test func aDeletedRowIsCaught() throws {
        let damaged = try copy("deleted")
        var rows = try lines(damaged + "/journal.csv")
        let row = try #require(rows.firstIndex { $0.hasPrefix("JE-2024-000003,1,") })
        rows.remove(at: row)
        try write(rows, to: damaged + "/journal.csv")
        let found = problems(damaged)
        #expect(found.contains { $0.file == "journal.csv" && $0.field == "rows" }, "\(found)")
        #expect(found.contains { $0.file == "journal.csv" && $0.field == "entry_hash" && $0.message.hasPrefix("JE-2024-000003") })
        #expect(found.contains { $0.file == "journal.csv" && $0.message.contains("JE-2024-000003 does not balance") })
    }

    @Test func twoReorderedRowsAreCaught() throws {
        let damaged = try copy("reordered")
        var rows = try lines(damaged + "/journal.csv")
        let row = try #require(rows.firstIndex { $0.hasPrefix("JE-2024-000002,0,") })
        rows.swapAt(row, row + 1)
        try write(rows, to: damaged + "/journal.csv")
        let found = problems(damaged)
        #expect(found.contains { $0.file == "journal.csv" && $0.row == row && $0.field == "line" }, "\(found)")
        #expect(found.contains { $0.file == "journal.csv" && $0.field == "entry_hash" })
        // Across entries too: an entry's row after the next entry's.
        let across = try copy("across")
        var others = try lines(across + "/journal.csv")
        let first = try #require(others.firstIndex { $0.hasPrefix("JE-2024-000004,") })
        let second = try #require(others.firstIndex { $0.hasPrefix("JE-2024-000005,") })
        others.swapAt(first, second)
        try write(others, to: across + "/journal.csv")
        #expect(problems(across).contains { $0.file == "journal.csv" && $0.field == "entry" && $0.message.contains("out of order") })
    }

    @Test func swappedReceiptFilesAreCaught() throws {
        let damaged = try copy("receipts")
        let names = try FileManager.default.contentsOfDirectory(atPath: damaged + "/receipts").sorted()
        try #require(names.count == 2)
        let a = damaged + "/receipts/" + names[0]
        let b = damaged + "/receipts/" + names[1]
        let contentA = try Data(contentsOf: URL(fileURLWithPath: a))
        try Data(contentsOf: URL(fileURLWithPath: b)).write(to: URL(fileURLWithPath: a))
        try contentA.write(to: URL(fileURLWithPath: b))
        let found = problems(damaged)
        for name in names {
            #expect(found.contains { $0.file == "receipts/" + name && $0.message.hasPrefix("is not the receipt it is named after") },
                    "\(found)")
        }
        // A file slipped in is named too.
        try Data("extra".utf8).write(to: URL(fileURLWithPath: damaged + "/receipts/extra.pdf"))
        #expect(problems(damaged).contains { $0.file == "receipts/extra.pdf" && $0.message == "is not in the manifest" })
    }

    // MARK: - Zipped

    @Test func aZippedBundleVerifiesAndADamagedEntryIsNamed() throws {
        let directory = ledger.directory.path("zipped")
        let exported = ledger.run("export", "--year", "2024", "--out", directory, "--zip")
        try Self.require(exported)
        #expect(exported.stdout.hasSuffix("zipped to \(directory).zip"))
        let verified = ledger.run("verify", directory + ".zip")
        #expect(verified.status == 0 && verified.stdout.hasPrefix("ok: bundle bangkit 2024: "), "\(verified.stderr)")
        // Other tools read it: unzip lists and tests every entry.
        let unzip = try #require(which("unzip"), "unzip is needed (scripts/test installs it)")
        let tested = try runProcess(unzip, ["-t", directory + ".zip"])
        #expect(tested.status == 0 && tested.stdout.contains("No errors detected"), "\(tested.stdout)")
        // One byte changed inside the journal: the entry's CRC-32 no longer matches.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: directory + ".zip"))
        // The journal's local header: its name, then at once its first bytes.
        let journal = try #require(bytes.range(of: Data("journal.csventry,line,".utf8)))
        let marker = try #require(bytes.range(of: Data(",313000000.00,".utf8), in: journal.upperBound..<bytes.endIndex))
        bytes[marker.lowerBound + 1] = UInt8(ascii: "4")
        let damaged = ledger.directory.path("damaged.zip")
        try bytes.write(to: URL(fileURLWithPath: damaged))
        let refused = ledger.run("verify", damaged)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("problem: damaged.zip: journal.csv does not match its CRC-32 in the zip"), "\(refused.stderr)")
        // A second zip over the first is refused.
        let again = ledger.run("export", "--year", "2024", "--out", ledger.directory.path("zipped2"))
        try Self.require(again)
        try FileManager.default.copyItem(atPath: directory + ".zip", toPath: ledger.directory.path("zipped3.zip"))
        let over = ledger.run("export", "--year", "2024", "--out", ledger.directory.path("zipped3"), "--zip")
        #expect(over.status == 1 && over.stderr.contains("zipped3.zip' is not empty"), "\(over.stderr)")
    }

    // MARK: - The peers' files

    @Test func hledgerReadsTheJournalToTheTrialBalance() throws {
        let hledger = try #require(which("hledger"), "hledger is needed (scripts/test installs it)")
        let result = try runProcess(hledger, ["-f", bundle + "/ledger.journal", "bal", "-O", "csv", "--no-total"])
        try #require(result.status == 0, "\(result.stderr)")
        var theirs: [String: Set<String>] = [:]
        for fields in parseCSV(result.stdout).dropFirst() where fields.count == 2 {
            theirs[fields[0]] = Set(fields[1].components(separatedBy: ", "))
        }
        var ours: [String: Set<String>] = [:]
        for fields in parseCSV(try String(contentsOfFile: bundle + "/trial-balance.csv", encoding: .utf8)).dropFirst()
        where fields.count == 9 {
            let closing = fields[7] != "0.00" && fields[7] != "0" ? fields[7] : (fields[8] == "0.00" || fields[8] == "0" ? nil : "-" + fields[8])
            if let closing { ours[fields[0], default: []].insert(closing + " " + fields[2]) }
        }
        #expect(ours.count >= 8)
        #expect(ours == theirs)
    }

    @Test func theFECFileHasItsColumnsContinuousNumbersAndBalances() throws {
        let rows = try lines(bundle + "/fec.txt").filter { !$0.isEmpty }.map { $0.components(separatedBy: "\t") }
        #expect(rows[0] == ["JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib", "CompAuxNum",
                            "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet",
                            "ValidDate", "Montantdevise", "Idevise"])
        #expect(rows.allSatisfy { $0.count == 18 })
        var numbers: [Int] = []
        // Debits and credits per entry and currency (Idevise, empty for the base currency).
        var balances: [String: Int64] = [:]
        for row in rows.dropFirst() {
            let number = try #require(Int(row[2]))
            if numbers.last != number { numbers.append(number) }
            #expect(row[3].count == 8 && row[9] == row[3])
            let debit = try #require(Int64(row[11].replacingOccurrences(of: ",", with: "")))
            let credit = try #require(Int64(row[12].replacingOccurrences(of: ",", with: "")))
            balances[row[2] + " " + row[17], default: 0] += debit - credit
            #expect(row[17].isEmpty || row[17] == "USD")
        }
        // The opening balances (à-nouveaux) first, then the year's seven entries.
        #expect(rows[1][0] == "AN" && rows[1][3] == "20240101")
        #expect(numbers == Array(1...8))
        #expect(balances.count >= 9 && balances.values.allSatisfy { $0 == 0 }, "\(balances)")
    }

    // MARK: - Damage with the manifest rewritten to match

    /// What someone who changes a file and then rewrites the manifest's hashes, sizes and
    /// rows would leave: only the chain, the journal and what follows from them can tell.
    func rewriteManifest(_ directory: String) throws {
        let path = directory + "/manifest.json"
        var manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
            as? [String: Any])
        let files = try #require(manifest["files"] as? [[String: Any]])
        manifest["files"] = try files.map { file in
            var file = file
            let name = try #require(file["path"] as? String)
            let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
            file["sha256"] = EntryHash.sha256(of: Array(data)).hex
            file["bytes"] = data.count
            if file["rows"] != nil {
                let lines = data.filter { $0 == 0x0A }.count
                file["rows"] = name.hasSuffix(".jsonl") ? lines : lines - 1
            }
            return file
        }
        try JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys]).write(to: URL(fileURLWithPath: path))
    }

    @Test func aChainLinkSlippedInIsCaughtWithTheManifestRewritten() throws {
        let damaged = try copy("link")
        var links = try lines(damaged + "/chain-links.csv")
        let journal = try lines(damaged + "/journal.csv")
        let second = try #require(journal.first { $0.hasPrefix("JE-2024-000002,") }?.split(separator: ",").last.map(String.init))
        // A link that claims to bring the chain to the hash JE-2024-000002 already has.
        links.insert("JE-2024-000001,JE-2023-000009,4e45524143412d454e5452592d31000000,\(second)", at: 1)
        try write(links, to: damaged + "/chain-links.csv")
        try rewriteManifest(damaged)
        let found = problems(damaged)
        #expect(found.contains { $0.file == "chain-links.csv" && $0.field == "entry" }, "\(found)")
        #expect(!found.contains { $0.field == "sha256" })
    }

    @Test func aDerivedFileChangedWithTheManifestRewrittenIsCaught() throws {
        let damaged = try copy("fec")
        var rows = try lines(damaged + "/fec.txt")
        rows[2] = rows[2].replacingOccurrences(of: "\t0,00\t", with: "\t1,00\t")
        try write(rows, to: damaged + "/fec.txt")
        let ledgerFile = damaged + "/general-ledger/1-1110.csv"
        var ledgerRows = try lines(ledgerFile)
        ledgerRows.swapAt(1, 2)
        try write(ledgerRows, to: ledgerFile)
        try rewriteManifest(damaged)
        let found = problems(damaged)
        #expect(found.contains { $0.file == "fec.txt" && $0.message == "does not follow from journal.csv and the opening balances" },
                "\(found)")
        #expect(found.contains { $0.file == "general-ledger/1-1110.csv" })
    }

    @Test func anOpeningBalanceMovedBetweenAccountsIsCaught() throws {
        let damaged = try copy("opening")
        var rows = try lines(damaged + "/trial-balance.csv")
        let grant = try #require(rows.firstIndex { $0.hasPrefix("4-1100,") })
        let bank = try #require(rows.firstIndex { $0.hasPrefix("1-1210,") })
        rows[grant] = rows[grant].replacingOccurrences(of: ",10500.00,", with: ",10400.00,")
        rows[bank] = rows[bank].replacingOccurrences(of: ",USD,10500.00,", with: ",USD,10400.00,")
        try write(rows, to: damaged + "/trial-balance.csv")
        try rewriteManifest(damaged)
        let found = problems(damaged)
        #expect(found.contains { $0.file == "trial-balance.csv" && $0.field == "closing_debit" }, "\(found)")
        #expect(found.contains { $0.file == "ledger.journal" })
    }

    @Test func aWholeEntryDeletedIsCaught() throws {
        let damaged = try copy("entry")
        let rows = try lines(damaged + "/journal.csv").filter { !$0.hasPrefix("JE-2024-000003,") }
        try write(rows, to: damaged + "/journal.csv")
        let found = problems(damaged)
        #expect(found.contains { $0.file == "journal.csv" && $0.field == "entry" && $0.message.contains("entries are missing") },
                "\(found)")
        #expect(found.contains { $0.file == "journal.csv" && $0.field == "entry_hash" && $0.message.hasPrefix("JE-2024-000004") })
    }

    @Test func aYearWithoutEntriesExportsAndVerifies() throws {
        let empty = ledger.directory.path("bundle-2022")
        try Self.require(ledger.run("export", "--year", "2022", "--out", empty))
        let verified = ledger.run("verify", empty)
        #expect(verified.status == 0 && verified.stdout.hasPrefix("ok: bundle bangkit 2022: "), "\(verified.stderr)")
        #expect(verified.stdout.contains("chain end   " + String(repeating: "0", count: 64)))
        let badYear = ledger.run("export", "--year", "24", "--out", ledger.directory.path("bad"))
        #expect(badYear.status == 2 && badYear.stderr.contains("--year 24 is not a year of four digits"))
    }

    @Test func aZipEntryPointingOutsideTheBundleIsRefused() throws {
        let directory = ledger.directory.path("unsafe")
        try Self.require(ledger.run("export", "--year", "2024", "--out", directory, "--zip"))
        var bytes = try Data(contentsOf: URL(fileURLWithPath: directory + ".zip"))
        // README.txt renamed ../EADME.t in its headers (same length).
        for _ in 0..<2 {
            let name = try #require(bytes.range(of: Data("README.txt".utf8), options: .backwards))
            bytes.replaceSubrange(name, with: Data("../EADME.t".utf8))
        }
        let unsafe = ledger.directory.path("unsafe-2.zip")
        try bytes.write(to: URL(fileURLWithPath: unsafe))
        let refused = ledger.run("verify", unsafe)
        #expect(refused.status == 1 && refused.stderr.contains("problem: unsafe-2.zip: ../EADME.t points outside the bundle"),
                "\(refused.stderr)")
    }
}
