import Foundation
import Testing

/// `neraca people` and `neraca claim` end to end on the reference ledger, its people and
/// its policies.
@Suite("neraca claim")
struct ClaimCommandTests {
    let ledger: BangkitLedger

    init() throws {
        ledger = try BangkitLedger()
        let root = repositoryRoot.path
        for arguments in [
            ["budget", "policy", "--db", ledger.db, "--file", root + "/Policies/budget.yaml"],
            ["budget", "import", "--db", ledger.db, root + "/Ledgers/bangkit/budget-2024.csv", "--year", "2024",
             "--approved-by", "Director", "--approved-on", "2024-01-05"],
            ["people", "import", "--db", ledger.db, root + "/Ledgers/bangkit/people.csv"],
            ["claim", "policy", "--db", ledger.db, "--approval-matrix", root + "/Policies/approval-matrix.yaml",
             "--rates", root + "/Policies/rates.yaml"],
        ] {
            let result = neraca(arguments)
            guard result.status == 0 else { throw TestFailure("\(arguments[0]) \(arguments[1]) failed: \(result.stderr)") }
        }
    }

    func claim(_ subcommand: String, _ arguments: String...) -> CLIResult {
        neraca(["claim", subcommand, "--db", ledger.db] + arguments)
    }

    /// A draft SBT claim by P-SBT-003 with 3 days of per diem at Rp 200.000.
    func draft() throws -> String {
        let new = claim("new", "--as", "P-SBT-003", "--district", "SBT", "--budget-line", "1.1", "--activity",
                        "Village facilitation Desa Kilmury", "--from", "2024-03-04", "--to", "2024-03-06",
                        "--date", "2024-03-07")
        try #require(new.status == 0, "\(new.stderr)")
        let number = try #require(new.stdout.split(separator: " ").first.map(String.init))
        let line = claim("line", number, "--as", "P-SBT-003", "--category", "per-diem", "--quantity", "3", "--rate", "200000",
                         "--date", "2024-03-07")
        try #require(line.status == 0, "\(line.stderr)")
        return number
    }

    @Test func aClaimGoesFromDraftToPaidAndEveryStepIsOnTheRecord() throws {
        let people = neraca("people", "list", "--db", ledger.db, "--role", "treasurer", "--format", "csv")
        #expect(parseCSV(people.stdout).count == 3)
        let number = try draft()
        #expect(number == "FC-SBT-2024-0001")
        #expect(claim("submit", number, "--as", "P-SBT-003", "--date", "2024-03-07").stdout == "\(number) submitted")
        #expect(claim("approve", number, "--as", "P-SBT-001", "--date", "2024-03-08").stdout == "\(number) approved")
        let post = claim("post", number, "--as", "P-SBT-002", "--date", "2024-03-09")
        #expect(post.stdout == "\(number) posted JE-2024-000001; owed IDR 600,000", "\(post.stderr)")
        let part = claim("pay", number, "--as", "P-MKS-004", "--amount", "250000", "--date", "2024-03-10")
        #expect(part.stdout == "\(number) posted JE-2024-000002; owed IDR 350,000", "\(part.stderr)")
        let rest = claim("pay", number, "--as", "P-MKS-004", "--date", "2024-03-11")
        #expect(rest.stdout == "\(number) paid JE-2024-000003; owed IDR 0", "\(rest.stderr)")

        let show = claim("show", number)
        #expect(show.stdout.contains("\(number)  paid  version 1  revision 6"))
        #expect(show.stdout.contains("approved by P-SBT-001"))
        #expect(show.stdout.contains("entry JE-2024-000001 (posting)"))
        let history = claim("history", number)
        #expect(history.stdout.split(separator: "\n").count == 2 + 6)
        let list = claim("list", "--state", "paid", "--format", "csv")
        #expect(parseCSV(list.stdout).dropFirst().map { $0[0] } == [number])
        let balances = try ledger.balances()
        #expect(balances["2-1100 IDR"] == nil || balances["2-1100 IDR"] == "0.00")
        #expect(balances["5-2200 IDR"] == "600000.00")
        #expect(ledger.run("verify").status == 0)
    }

    @Test func refusalsNameTheRuleAndThePerson() throws {
        let number = try draft()
        let withoutReceipt = try draft()
        let transport = claim("line", withoutReceipt, "--as", "P-SBT-003", "--category", "transport", "--rate", "150000",
                              "--date", "2024-03-07")
        #expect(transport.status == 0)
        let missing = claim("submit", withoutReceipt, "--as", "P-SBT-003", "--date", "2024-03-07")
        #expect(missing.status == 1)
        #expect(missing.stderr == "error: receipt: \(withoutReceipt) has transport lines and needs a receipt")
        let text = try ledger.directory.write("receipt.txt", "not a receipt")
        let notImage = claim("attach", withoutReceipt, text, "--as", "P-SBT-003", "--date", "2024-03-07")
        #expect(notImage.stderr == "error: receipt: 'receipt.txt' is not a PDF, JPEG or PNG file")
        let ticket = try ledger.directory.write("ticket.pdf", "%PDF-1.7\nboat ticket\n%%EOF\n")
        let noVendor = claim("attach", withoutReceipt, ticket, "--receipt-number", "0012", "--as", "P-SBT-003")
        #expect(noVendor.status == 2 && noVendor.stderr.contains("--receipt-number needs --vendor"))
        let noNumber = claim("attach", withoutReceipt, ticket, "--vendor", "KM Sabuk Nusantara", "--as", "P-SBT-003")
        #expect(noNumber.status == 2 && noNumber.stderr.contains("--vendor needs --receipt-number"))
        let blank = claim("attach", withoutReceipt, ticket, "--vendor", "KM Sabuk Nusantara", "--receipt-number", "/-/",
                          "--as", "P-SBT-003")
        #expect(blank.status == 1 && blank.stderr == "error: receiptNumber: the receipt number '/-/' has no letter or digit")
        let attached = claim("attach", withoutReceipt, ticket, "--vendor", "KM Sabuk Nusantara", "--receipt-number", "B-0012",
                             "--as", "P-SBT-003", "--date", "2024-03-07")
        #expect(attached.status == 0 && attached.stdout.hasSuffix(" KM Sabuk Nusantara no. B-0012"), "\(attached.stderr)")
        #expect(claim("show", withoutReceipt).stdout.contains("KM Sabuk Nusantara no. B-0012"))

        #expect(claim("submit", number, "--as", "P-SBT-003", "--date", "2024-03-07").status == 0)
        let own = claim("approve", number, "--as", "P-SBT-003", "--date", "2024-03-08")
        #expect(own.status == 1 && own.stderr == "error: as: 'P-SBT-003' submitted \(number) and cannot approve it")
        let district = claim("approve", number, "--as", "P-SBD-001", "--date", "2024-03-08")
        #expect(district.stderr == "error: as: 'P-SBD-001' approves for SBD, not for the district of \(number)")
        let noComment = claim("reject", number, "--as", "P-SBT-001", "--date", "2024-03-08")
        #expect(noComment.stderr == "error: comment: to reject a claim, say why (--comment)")
        let stale = claim("approve", number, "--as", "P-SBT-001", "--date", "2024-03-08", "--expect-revision", "1")
        #expect(stale.stderr.hasPrefix("error: claim: \(number) changed since you looked at it (revision 1, now 2)"))
        let ceiling = claim("line", withoutReceipt, "--as", "P-SBT-003", "--category", "per-diem", "--rate", "9000000",
                            "--date", "2024-03-07")
        #expect(ceiling.status == 1 && ceiling.stderr.hasPrefix("error: unitRate: the per-diem rate IDR 9,000,000 per day is above the ceiling"))
        let badNumber = claim("show", "FC-123")
        #expect(badNumber.status == 2)
        let unknown = claim("show", "FC-SBT-2024-0099")
        #expect(unknown.status == 1 && unknown.stderr == "error: claim: no claim FC-SBT-2024-0099")
    }

    @Test func anApproverMayLowerALineButNotRaiseIt() throws {
        let number = try draft()
        #expect(claim("submit", number, "--as", "P-SBT-003", "--date", "2024-03-07").status == 0)
        let raise = claim("approve", number, "--as", "P-SBT-001", "--line", "1", "--quantity", "4", "--date", "2024-03-08")
        #expect(raise.status == 1)
        #expect(raise.stderr == "error: lines[1].quantity: approval may only lower a line: 4 is not between 1 and 3")
        let noLine = claim("approve", number, "--as", "P-SBT-001", "--rate", "1", "--date", "2024-03-08")
        #expect(noLine.status == 1 && noLine.stderr == "error: line: say which line to lower with --line N")
        let lower = claim("approve", number, "--as", "P-SBT-001", "--line", "1", "--quantity", "2",
                          "--comment", "two days attended", "--date", "2024-03-08")
        #expect(lower.stdout == "\(number) approved", "\(lower.stderr)")
        #expect(claim("show", number).stdout.contains("total IDR 400,000"))
        #expect(claim("show", number).stdout.contains("version 2"))
    }
}

