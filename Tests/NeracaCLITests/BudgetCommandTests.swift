import Foundation
import Testing

/// `neraca budget …` end to end on the reference ledger, its policy and its 2024 budget.
@Suite("neraca budget")
struct BudgetCommandTests {
    let ledger: BangkitLedger

    init() throws {
        ledger = try BangkitLedger()
    }

    func budget(_ subcommand: String, _ arguments: String...) -> CLIResult {
        neraca(["budget", subcommand, "--db", ledger.db] + arguments)
    }

    static let policy = repositoryRoot.appendingPathComponent("Policies/budget.yaml").path
    static let budget2024 = repositoryRoot.appendingPathComponent("Ledgers/bangkit/budget-2024.csv").path
    static let samples = repositoryRoot.appendingPathComponent("examples/sample-entries.json").path

    func loadReferenceBudget() throws {
        let policy = budget("policy", "--file", Self.policy, "--changed-by", "Finance Manager")
        try #require(policy.status == 0, "\(policy.stderr)")
        let load = budget("import", Self.budget2024, "--year", "2024", "--approved-by", "Program Director",
                          "--approved-on", "2024-01-05")
        try #require(load.status == 0, "\(load.stderr)")
        #expect(load.stdout == "budget 2024: 38 lines loaded (revision 1, original)")
    }

    /// `{"entries": [...]}` with one expense of `amount` on `line` (`DISTRICT/CODE`).
    func expense(_ amount: String, line: String, account: String = "5-1100", date: String = "2024-03-01") -> String {
        let parts = line.split(separator: "/").map(String.init)
        return """
            {"date": "\(date)", "description": "Expense on \(line)", "postings": [
              {"account": "\(account)", "amount": "\(amount)", "district": "\(parts[0])", "budgetLine": "\(parts[1])"},
              {"account": "1-1110", "amount": "-\(amount)", "district": "MKS"}]}
            """
    }

    @Test func theReferenceBudgetLoadsAndReportsAgainstTheSamples() throws {
        try loadReferenceBudget()
        let list = budget("list", "--year", "2024", "--district", "MKS", "--format", "csv")
        #expect(list.status == 0)
        #expect(parseCSV(list.stdout).count == 1 + 8)
        let post = ledger.run("post", "--file", Self.samples, "--author", "tester")
        try #require(post.status == 0, "\(post.stderr)")

        let report = budget("report", "--year", "2024", "--format", "csv")
        try #require(report.status == 0, "\(report.stderr)")
        let rows = parseCSV(report.stdout)
        #expect(rows.first == ["year", "row", "district", "code", "name", "name_id", "currency", "budget", "revised",
                               "actual", "committed", "available", "used_percent", "variance"])
        let facilitators = try #require(rows.first { $0[2] == "SBT" && $0[3] == "1.1" })
        #expect(facilitators[5] == "Honorarium fasilitator desa")
        #expect(facilitators[9] == "2500000.00" && facilitators[11] == "753500000.00" && facilitators[12] == "0.3")
        let review = try #require(rows.first { $0[2] == "MKS" && $0[3] == "4.4" })
        #expect(review[9] == "4750000.00")
        let program = try #require(rows.last)
        #expect(program[1] == "program-total" && program[7] == "16697000000.00" && program[9] == "7250000.00")
        #expect(rows.filter { $0[1] == "district-total" }.map { $0[2] } == ["MKS", "SBD", "SBT"])

        let components = budget("report", "--year", "2024", "--by", "component", "--district", "SBT", "--format", "json")
        #expect(components.status == 0)
        #expect(components.stdout.contains("\"name\" : \"C1 Village facilitation and planning\""))
        let months = budget("report", "--year", "2024", "--by", "month", "--format", "csv")
        #expect(parseCSV(months.stdout).contains(["2024", "SBT", "2024-01", "IDR", "2500000.00", "2500000.00",
                                                  "6629000000.00", "0.0"]))
        let table = budget("report", "--year", "2024", "--district", "SBT", "--lang", "id")
        #expect(table.stdout.contains("Pagu revisi") && table.stdout.contains("2.500.000"))
        #expect(table.stdout.contains("Honorarium fasilitator desa") && table.stdout.contains(" 0,3 "))
        #expect(ledger.run("verify").status == 0)
    }

    @Test func aBadBudgetRowIsRefusedWithItsLineNumber() throws {
        let policy = budget("policy", "--file", Self.policy)
        try #require(policy.status == 0)
        let file = try ledger.directory.write("budget.csv", """
            district,code,name_en,name_id,component,category,amount
            SBT,1.1,Fees,Honor,C1 Village,staff-fees,1000000
            SBT,1.2,Meetings,Rapat,C1 Village,meetings,12.5.0
            """)
        let result = budget("import", file, "--year", "2024", "--approved-by", "Director")
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: \(file):3: amount: '12.5.0' is not a valid amount"), "\(result.stderr)")
        let unknown = try ledger.directory.write("unknown.csv", """
            district,code,name_en,name_id,component,category,amount
            SBT,1.1,Fees,Honor,C1 Village,staff-fees,1000000

            KPG,1.2,Meetings,Rapat,C1 Village,meetings,500000
            """)
        let second = budget("import", unknown, "--year", "2024", "--approved-by", "Director")
        #expect(second.status == 1)
        #expect(second.stderr == "error: \(unknown):4: district: 'KPG' is not a district of this ledger")
        #expect(parseCSV(budget("list", "--year", "2024", "--format", "csv").stdout).count == 1)
    }

    @Test func importingABudgetNeedsAPolicyFirst() throws {
        let result = budget("import", Self.budget2024, "--year", "2024", "--approved-by", "Director")
        #expect(result.status == 1)
        #expect(result.stderr.contains("no budget policy yet"))
    }

    @Test func overBudgetPostingsAreRefusedOrWarned() throws {
        try loadReferenceBudget()
        // MKS/4.9, the audit (block): Rp 185,000,000.
        let over = try ledger.post(expense("185000000.01", line: "MKS/4.9", account: "5-7100"))
        #expect(over.status == 1)
        #expect(over.stderr == "error: postings[0].amount: over budget on line 'MKS/4.9': budget IDR 185,000,000,"
            + " spent IDR 0, committed IDR 0, requested IDR 185,000,000.01", "\(over.stderr)")
        // SBT/4.5, travel (warn at 85 %): Rp 288,000,000.
        let warned = try ledger.post(expense("250000000", line: "SBT/4.5", account: "5-2100"))
        #expect(warned.status == 0)
        #expect(warned.stderr.contains("warning: JE-2024-000001: budget line 'SBT/4.5'"))
        #expect(warned.stderr.contains("is at or above 85 % of its budget"))
        let missing = try ledger.post("""
            {"date": "2024-03-01", "description": "No line", "postings": [
              {"account": "5-1100", "amount": "100", "district": "SBT"},
              {"account": "1-1110", "amount": "-100"}]}
            """)
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("error: postings[0].budgetLine: fiscal year 2024 has a budget"))
    }

    @Test func revisionsAndReallocationsAreRecorded() throws {
        try loadReferenceBudget()
        let revise = budget("revise", "SBT/4.6", "--year", "2024", "--amount", "120000000", "--reason", "More trips",
                            "--approved-by", "Program Manager", "--approved-on", "2024-04-02")
        #expect(revise.status == 0, "\(revise.stderr)")
        #expect(revise.stdout == """
            revision 2 (2024, increase): More trips; approved by Program Manager on 2024-04-02
              SBT/4.6: IDR 102,000,000 -> IDR 120,000,000
            """)
        let move = budget("move", "--from", "SBT/4.8", "--to", "SBT/2.1", "--amount", "Rp 84.500.000", "--year", "2024",
                          "--reason", "Fewer motorbikes", "--approved-by", "Director")
        #expect(move.status == 0, "\(move.stderr)")
        #expect(move.stdout.contains("SBT/4.8: IDR 384,500,000 -> IDR 300,000,000"))
        #expect(move.stdout.contains("SBT/2.1: IDR 2,800,000,000 -> IDR 2,884,500,000"))
        let history = budget("history", "SBT/4.8", "--year", "2024")
        #expect(history.stdout.components(separatedBy: "\nrevision ").count == 2)
        let original = budget("list", "--year", "2024", "--district", "SBT", "--revision", "1", "--format", "csv")
        #expect(parseCSV(original.stdout).contains { $0[2] == "4.8" && $0[9] == "384500000.00" })

        let same = budget("move", "--from", "SBT/4.8", "--to", "SBT/4.8", "--amount", "1", "--year", "2024",
                          "--reason", "x", "--approved-by", "Director")
        #expect(same.status == 1 && same.stderr == "error: to: a reallocation needs two different lines, found 'SBT/4.8' twice")
        let badLine = budget("revise", "SBT", "--year", "2024", "--amount", "1", "--reason", "x", "--approved-by", "D")
        #expect(badLine.status == 1)
        #expect(badLine.stderr == "error: line: 'SBT' is not a budget line: write DISTRICT/CODE, e.g. SBT/1.2")
        let unknown = budget("revise", "SBT/1.1", "--year", "2026", "--amount", "1", "--reason", "x", "--approved-by", "D")
        #expect(unknown.status == 1 && unknown.stderr == "error: line: budget line 'SBT/1.1' is not in the 2026 budget")
        let noReason = budget("revise", "SBT/1.1", "--year", "2024", "--amount", "1", "--approved-by", "D")
        #expect(noReason.status == 2)
        let district = budget("report", "--year", "2024", "--district", "XYZ")
        #expect(district.status == 1 && district.stderr == "error: district: 'XYZ' is not a district of this ledger")
    }
}
