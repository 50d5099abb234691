import Foundation
import Testing

@Suite("neraca init, post, balance, show, register")
struct PostAndBalanceCommandTests {
    let samplePath = repositoryRoot.appendingPathComponent("examples/sample-entries.json").path

    @Test func initRefusesADatabaseThatAlreadyHoldsALedger() throws {
        let ledger = try BangkitLedger()
        let again = ledger.run("init", "--ledger", repositoryRoot.appendingPathComponent("Ledgers/bangkit").path)
        #expect(again.status == 1)
        #expect(again.stderr == "error: the database already holds ledger 'bangkit'")
    }

    @Test func initReportsABrokenSetupWithItsFileAndLine() throws {
        let directory = try TemporaryDirectory()
        let setup = directory.url.appendingPathComponent("broken")
        try FileManager.default.createDirectory(at: setup, withIntermediateDirectories: true)
        let ledgerYAML = try String(contentsOf: repositoryRoot.appendingPathComponent("Ledgers/bangkit/ledger.yaml"), encoding: .utf8)
        try ledgerYAML.replacingOccurrences(of: "base_currency: IDR", with: "base_currency: XYZ")
            .write(to: setup.appendingPathComponent("ledger.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent("Ledgers/bangkit/accounts.yaml"),
            to: setup.appendingPathComponent("accounts.yaml"))
        let result = neraca("init", "--db", directory.path("x.sqlite"), "--ledger", setup.path)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: \(setup.path)/ledger.yaml:"))
        #expect(result.stderr.contains("XYZ"))
        #expect(!FileManager.default.fileExists(atPath: directory.path("x.sqlite")))
    }

    @Test func postingTheSampleGivesTheExpectedTrialBalance() throws {
        let ledger = try BangkitLedger()
        let post = ledger.run("post", "--file", samplePath, "--author", "tester")
        #expect(post.status == 0, "\(post.stderr)")
        let lines = post.stdout.split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines.first?.hasPrefix("JE-2024-000001 posted ") == true)
        #expect(lines.last?.hasPrefix("JE-2024-000005 posted ") == true)

        let balances = try ledger.balances()
        #expect(balances["1-1110 IDR"] == "258250000.00")  // 313,000,000 − 50,000,000 − 4,750,000
        #expect(balances["1-1120 IDR"] == "47625000.00")
        #expect(balances["1-1210 USD"] == "30000.00")
        #expect(balances["2-2100 IDR"] == "-125000.00")
        #expect(balances["4-1100 USD"] == "-50000.00")
        #expect(balances["4-9100 IDR"] == "-313000000.00")
        #expect(balances["4-9100 USD"] == "20000.00")
        #expect(balances["5-1100 IDR"] == "2500000.00")
        #expect(balances["5-3100 IDR"] == "4750000.00")
        #expect(balances.count == 9)

        let table = ledger.run("balance", "--lang", "id")
        #expect(table.status == 0)
        #expect(table.stdout.contains("Jumlah"))
        #expect(table.stdout.contains("258.250.000"))
        let totals = table.stdout.split(separator: "\n").filter { $0.hasPrefix("Jumlah") }
        #expect(totals.count == 2)
        #expect(totals.contains { $0.contains("IDR") && $0.hasSuffix("313.125.000  313.125.000") })
    }

    @Test func postingTheSameFileTwiceIsIdempotent() throws {
        let ledger = try BangkitLedger()
        #expect(ledger.run("post", "--file", samplePath).status == 0)
        let before = try ledger.balances()
        let again = ledger.run("post", "--file", samplePath)
        #expect(again.status == 0)
        #expect(again.stdout.split(separator: "\n").allSatisfy { $0.contains(" already posted ") })
        #expect(try ledger.balances() == before)
    }

    @Test func aRefusedEntryExitsWithOneAndANamedField() throws {
        let ledger = try BangkitLedger()
        let result = try ledger.post("""
            {"date": "2024-03-01", "description": "Unknown account", "postings": [
              {"account": "9-9999", "amount": "100"}, {"account": "1-1110", "amount": "-100"}]}
            """)
        #expect(result.status == 1)
        #expect(result.stderr == "error: postings[0].account: account '9-9999' is not in the chart of accounts")
        #expect(result.stdout.isEmpty)
    }

    @Test func anUnbalancedEntryNamesTheDifference() throws {
        let ledger = try BangkitLedger()
        let result = try ledger.post("""
            {"date": "2024-03-01", "description": "Off by one thousand", "postings": [
              {"account": "5-2100", "amount": "101000"}, {"account": "1-1110", "amount": "-100000"}]}
            """)
        #expect(result.status == 1)
        #expect(result.stderr == "error: postings.amount: postings in IDR do not sum to zero: they are off by IDR 1,000")
    }

    @Test func aBatchWithOneBadEntryPostsNothing() throws {
        let ledger = try BangkitLedger()
        let result = try ledger.post("""
            [{"date": "2024-03-01", "description": "Good", "postings": [
               {"account": "5-2100", "amount": "100000"}, {"account": "1-1110", "amount": "-100000"}]},
             {"date": "2024-03-02", "description": "Bad district", "postings": [
               {"account": "5-2100", "amount": "100000", "district": "XXX"}, {"account": "1-1110", "amount": "-100000"}]}]
            """)
        #expect(result.status == 1)
        #expect(result.stderr == "error: entries[1].postings[0].district: 'XXX' is not a district of this ledger; nothing in the batch was posted")
        #expect(try ledger.balances().isEmpty)
    }

    @Test(arguments: [
        (#"{"date": "2024-03-01", "description": "x", "postings": [{"account": "5-2100", "amout": "1"}]}"#,
         "error: postings[0].amout: unknown field"),
        (#"{"date": "2024-03-01", "description": "x", "postings": [{"account": "5-2100", "amount": 1.5}]}"#,
         "error: postings[0].amount: must be a string such as \"1250000.50\" or a whole number"),
        (#"{"date": "2024-03-01", "description": "x", "postings": [{"account": "5-2100", "amount": true}]}"#,
         "error: postings[0].amount: must be a string such as \"1250000.50\" or a whole number"),
        (#"{"date": "2024-02-30", "description": "x", "postings": []}"#,
         "error: date: '2024-02-30' is not a valid date: write YYYY-MM-DD"),
        (#"{"description": "x", "postings": []}"#, "error: date: required field is missing"),
        (#"{"date": "2024-03-01", "description": "x", "postings": [{"account": "5-2100", "amount": "1.234"}, {"account": "1-1110", "amount": "-1.234"}]}"#,
         "error: postings[0].amount: '1.234' is not a valid amount: IDR has 2 decimals, found 3"),
        (#"{"date": "2024-03-01", "description": "x", "postings": [{"account": "5-2100", "amount": "1", "currency": "XYZ"}]}"#,
         "error: postings[0].currency: 'XYZ' is not a known ISO 4217 currency (known: AUD, EUR, GBP, IDR, JPY, SGD, USD)"),
        (#"{"date": "2024-03-01", "description": "x", "#, "error: input: not valid JSON"),
        (#"[]"#, "error: input: no entries given"),
    ])
    func malformedJSONIsRefusedNamingTheField(json: String, expected: String) throws {
        let ledger = try BangkitLedger()
        let result = try ledger.post(json)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix(expected), "\(result.stderr)")
        #expect(try ledger.balances().isEmpty)
    }

    @Test func usageErrorsExitWithTwo() throws {
        let ledger = try BangkitLedger()
        #expect(ledger.run("balance", "--format", "xml").status == 2)
        #expect(ledger.run("post").status == 2)
        #expect(neraca("frobnicate").status == 2)
        #expect(ledger.run("balance", "--as-of", "2024-13-01").status == 2)
        #expect(ledger.run("register", "1-1110", "--from", "2024-05-01", "--to", "2024-04-01").status == 2)
        #expect(neraca("--help").status == 0)
    }

    @Test func commandsRefuseAMissingDatabase() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("absent.sqlite")
        let result = neraca("balance", "--db", path)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: db: no ledger at '\(path)'"))
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func showPrintsTheEntryWithItsHash() throws {
        let ledger = try BangkitLedger()
        #expect(ledger.run("post", "--file", samplePath, "--author", "tester").status == 0)
        let shown = ledger.run("show", "JE-2024-000004", "--format", "json")
        #expect(shown.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect(object["number"] as? String == "JE-2024-000004")
        #expect(object["author"] as? String == "tester")
        #expect(object["reference"] as? String == "PV-SBT-000001")
        #expect((object["hash"] as? String)?.count == 64)
        let postings = try #require(object["postings"] as? [[String: Any]])
        #expect(postings.map { $0["amount"] as? String } == ["2500000.00", "-125000.00", "-2375000.00"])
        #expect(postings[0]["party"] as? String == "P-SBT-014")
        #expect(ledger.run("show", "JE-2024-000099").stderr == "error: entry: no entry numbered 'JE-2024-000099'")
        #expect(ledger.run("show", "JE-24-1").status == 1)
    }

    @Test func registerShowsOpeningAndRunningBalances() throws {
        let ledger = try BangkitLedger()
        #expect(ledger.run("post", "--file", samplePath).status == 0)
        let register = ledger.run("register", "1-1110", "--from", "2024-01-12", "--format", "csv")
        #expect(register.status == 0)
        let rows = parseCSV(register.stdout).dropFirst()
        #expect(rows.count == 2)
        #expect(rows.map { $0[5] } == ["-50000000.00", "-4750000.00"])
        #expect(rows.map { $0[6] } == ["263000000.00", "258250000.00"])
        #expect(ledger.run("register", "9-9999").stderr == "error: account: account '9-9999' is not in the chart of accounts")
    }

    @Test func balanceAsOfADateAndForADistrict() throws {
        let ledger = try BangkitLedger()
        #expect(ledger.run("post", "--file", samplePath).status == 0)
        let early = ledger.run("balance", "--as-of", "2024-01-09", "--format", "csv")
        #expect(early.status == 0)
        #expect(early.stdout.split(separator: "\n").count == 3)  // header + the grant's two lines
        let sbt = ledger.run("balance", "--district", "SBT", "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(sbt.stdout.utf8)) as? [String: Any])
        let lines = try #require(object["lines"] as? [[String: Any]])
        #expect(Set(lines.compactMap { $0["account"] as? String }) == ["1-1120", "2-2100", "5-1100"])
        #expect(ledger.run("balance", "--district", "XXX").stderr == "error: district: 'XXX' is not a district of this ledger")
    }
}
