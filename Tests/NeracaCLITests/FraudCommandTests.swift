import Foundation
import Testing

/// `neraca fraud` on the reference ledger, people and policies.
@Suite("neraca fraud")
struct FraudCommandTests {
    let ledger: BangkitLedger

    init() throws {
        ledger = try BangkitLedger()
        let root = repositoryRoot.path
        for arguments in [
            ["people", "import", "--db", ledger.db, root + "/Ledgers/bangkit/people.csv"],
            ["claim", "policy", "--db", ledger.db, "--approval-matrix", root + "/Policies/approval-matrix.yaml",
             "--rates", root + "/Policies/rates.yaml"],
        ] {
            let result = neraca(arguments)
            guard result.status == 0 else { throw TestFailure("\(arguments[0]) failed: \(result.stderr)") }
        }
    }

    func fraud(_ subcommand: String, _ arguments: String...) -> CLIResult {
        neraca(["fraud", subcommand, "--db", ledger.db] + arguments)
    }

    /// Two identical claims by one facilitator, submitted long after the activity.
    func duplicateClaims() throws {
        for _ in 1...2 {
            let new = neraca("claim", "new", "--db", ledger.db, "--as", "P-SBT-003", "--district", "SBT", "--budget-line", "1.1",
                             "--activity", "Village facilitation", "--from", "2024-03-04", "--to", "2024-03-06")
            let number = try #require(new.stdout.split(separator: " ").first.map(String.init), "\(new.stderr)")
            #expect(neraca("claim", "line", "--db", ledger.db, number, "--as", "P-SBT-003", "--category", "per-diem",
                           "--quantity", "3", "--rate", "200000").status == 0)
            #expect(neraca("claim", "submit", "--db", ledger.db, number, "--as", "P-SBT-003").status == 0)
        }
    }

    func setPolicy() {
        let set = fraud("policy", "--file", repositoryRoot.path + "/Policies/anti-fraud.yaml")
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout.hasSuffix("Public holidays (R11): 2024 29 days, 2025 28 days"))
    }

    /// Claims submitted before the policy was set: the scan finds what submission did not check.
    @Test func aScanRecordsFindingsOnceAndTheyAreTriagedOnTheRecord() throws {
        try duplicateClaims()
        setPolicy()
        let scan = fraud("scan", "--year", "2024", "--format", "csv")
        #expect(scan.status == 0, "\(scan.stderr)")
        let rows = parseCSV(scan.stdout).dropFirst()
        let duplicate = try #require(rows.first { $0[1] == "R02" })
        #expect(duplicate[3] == "FC-SBT-2024-0002" && duplicate[4] == "FC-SBT-2024-0001" && duplicate[2] == "hold")
        #expect(rows.contains { $0[1] == "R09" && $0[2] == "block" })  // submitted years after the activity
        let again = fraud("scan", "--year", "2024")
        #expect(again.stdout.hasSuffix("2 claims scanned: 0 new findings, \(rows.count) already on the record"))

        let notCompliance = fraud("dismiss", duplicate[0], "--reason", "fine", "--as", "P-SBT-001")
        #expect(notCompliance.status == 1)
        #expect(notCompliance.stderr == "error: as: 'P-SBT-001' is not a compliance officer: only they triage findings")
        let dismissed = fraud("dismiss", duplicate[0], "--reason", "Two different trainings", "--as", "P-MKS-005")
        #expect(dismissed.stdout == "\(duplicate[0]) dismissed", "\(dismissed.stderr)")
        let list = fraud("findings", "--status", "dismissed", "--format", "csv")
        #expect(parseCSV(list.stdout).dropFirst().map { $0[0] } == [duplicate[0]])
        let bad = fraud("findings", "--status", "closed")
        #expect(bad.status == 1 && bad.stderr == "error: status: 'closed' is not open, dismissed or escalated")
    }

    /// With the policy set, a claim filed long after its activity is refused at submission.
    @Test func aLateClaimIsRefusedAtSubmission() throws {
        setPolicy()
        let new = neraca("claim", "new", "--db", ledger.db, "--as", "P-SBT-003", "--district", "SBT", "--budget-line", "1.1",
                         "--activity", "Village facilitation", "--from", "2024-03-04", "--to", "2024-03-06")
        let number = try #require(new.stdout.split(separator: " ").first.map(String.init), "\(new.stderr)")
        #expect(neraca("claim", "line", "--db", ledger.db, number, "--as", "P-SBT-003", "--category", "per-diem",
                       "--rate", "200000").status == 0)
        let submit = neraca("claim", "submit", "--db", ledger.db, number, "--as", "P-SBT-003")
        #expect(submit.status == 1)
        #expect(submit.stderr.hasPrefix("error: claim: \(number) is refused by the anti-fraud rules: F-000001 R09: submitted on"))
        #expect(fraud("findings", "--format", "csv").stdout.contains("R09,block,\(number)"))
    }
}

