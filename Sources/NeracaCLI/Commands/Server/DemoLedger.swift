import FeeClaims
import Foundation
import LedgerCore
import LedgerStore

/// The demo database of `neraca serve --demo`: the reference ledger `Ledgers/bangkit` with
/// its policies and budgets (2024, 2025, and this year's as a copy of 2025's), the sample
/// entries, claims of the last weeks in every state, an anti-fraud scan's findings, and one
/// login per role.
///
/// It is built with the same commands staff type (`init`, `budget import`, `claim …`), so
/// the demo shows exactly what the command line does.
enum DemoLedger {
    /// The person who logs in for each role.
    static let logins: [(role: Role, person: String)] = [
        (.claimant, "P-SBT-003"), (.coordinator, "P-SBT-001"), (.programManager, "P-MKS-001"),
        (.director, "P-MKS-002"), (.financeOfficer, "P-MKS-003"), (.treasurer, "P-MKS-004"),
        (.complianceOfficer, "P-MKS-005"), (.auditor, "P-MKS-006"), (.admin, "P-MKS-007"),
    ]

    /// Builds the demo ledger in the new file `path`, from the setup under `root`. It is
    /// built beside it and copied into place once complete, so a failed build leaves no
    /// half-filled database for the next start to reuse.
    /// - Throws: `CommandFailure` naming the step that failed.
    static func build(path: String, root: String) throws {
        guard FileManager.default.fileExists(atPath: "\(root)/Ledgers/bangkit/ledger.yaml") else {
            throw CommandFailure("error: demo: no Ledgers/bangkit under \(root): run `neraca serve --demo` from the repository's root")
        }
        let draft = path + ".building"
        let leftovers = [draft, draft + "-wal", draft + "-shm", draft + "-journal"]
        for file in leftovers { try? FileManager.default.removeItem(atPath: file) }
        defer { for file in leftovers { try? FileManager.default.removeItem(atPath: file) } }
        try fill(path: draft, root: root)
        let built = try LedgerDatabase(path: draft)
        try built.markAsDemo(now: Clock.now())
        try built.backup(to: path)
    }

    private static func fill(path: String, root: String) throws {
        let db = ["--db", path]
        func step(_ arguments: [String]) throws {
            let code = NeracaCommand.run(arguments: arguments + db)
            guard code == 0 else {
                throw CommandFailure("error: demo: `neraca \(arguments.joined(separator: " "))` failed (exit \(code))")
            }
        }
        try step(["init", "--ledger", "\(root)/Ledgers/bangkit"])
        try step(["budget", "policy", "--file", "\(root)/Policies/budget.yaml", "--changed-by", "demo"])
        let today = try Clock.today()
        let thisYear = today.year
        for year in Set([2024, 2025, thisYear]).sorted() {
            let file = year <= 2025 ? "budget-\(year).csv" : "budget-2025.csv"
            try step(["budget", "import", "\(root)/Ledgers/bangkit/\(file)", "--year", String(year),
                      "--approved-by", "Program Director", "--approved-on", "\(year)-01-05"])
        }
        try step(["post", "--file", "\(root)/examples/sample-entries.json", "--author", "P-MKS-003"])
        try step(["people", "import", "\(root)/Ledgers/bangkit/people.csv"])
        try step(["claim", "policy", "--approval-matrix", "\(root)/Policies/approval-matrix.yaml",
                  "--rates", "\(root)/Policies/rates.yaml"])
        try step(["fraud", "policy", "--file", "\(root)/Policies/anti-fraud.yaml", "--changed-by", "demo"])
        try claims(step, today: today, ledger: try LedgerDatabase(path: path))
        try step(["fraud", "scan", "--year", String(thisYear)])
    }

    /// Ten claims of Seram Bagian Timur facilitators over the last two months, one in each
    /// state (two facilitators, each activity in its own five days so that no rule sees
    /// overlapping per diems); every step is taken today, as staff would.
    private static func claims(_ step: ([String]) throws -> Void, today: LedgerDate, ledger: LedgerDatabase) throws {
        let day = today.description
        func date(_ offset: Int) throws -> String {
            guard let date = LedgerDate(dayNumber: today.dayNumber + offset) else {
                throw CommandFailure("error: demo: the system date is out of range")
            }
            return date.description
        }
        let villages = ["Kilmury", "Geser", "Gorom", "Tutuk Tolu", "Bula", "Werinama", "Pulau Panjang", "Teor",
                        "Kian Darat", "Siwalalat"]
        var numbers: [String] = []
        for (index, village) in villages.enumerated() {
            let claimant = claimant(index)
            let days = 1 + index % 3
            let from = try date(-60 + 5 * index)
            let to = try date(-60 + 5 * index + days - 1)
            try step(["claim", "new", "--as", claimant, "--district", "SBT", "--budget-line", "1.1",
                      "--activity", "Village facilitation, Desa \(village)", "--from", from, "--to", to, "--date", day])
            guard let number = try ledger.claims(limit: 1).first?.number.description else {
                throw CommandFailure("error: demo: the claim of Desa \(village) was not created")
            }
            try step(["claim", "line", number, "--as", claimant, "--category", "per-diem", "--quantity", String(days),
                      "--rate", "200000", "--date", day])
            numbers.append(number)
        }
        func act(_ action: String, _ index: Int, as person: String? = nil, _ extra: [String] = []) throws {
            try step(["claim", action, numbers[index], "--as", person ?? claimant(index), "--date", day] + extra)
        }
        // Claim 0 stays a draft, claim 1 submitted.
        for index in 1..<numbers.count { try act("submit", index) }
        try act("return", 2, as: "P-SBT-001", ["--comment", "Attach the attendance list"])
        try act("approve", 3, as: "P-SBT-001", ["--acknowledge"])
        try act("reject", 4, as: "P-SBT-001", ["--comment", "Activity outside the work plan"])
        try act("withdraw", 5)
        try act("hold", 6, as: "P-MKS-005", ["--comment", "Dates overlap another claim"])
        for index in 7...9 {
            try act("approve", index, as: "P-SBT-001", ["--acknowledge"])
            try act("post", index, as: "P-MKS-003")
        }
        for index in 8...9 { try act("pay", index, as: "P-MKS-004") }
        try act("reverse", 9, as: "P-MKS-003", ["--comment", "Paid twice by mistake", "--second", "P-MKS-008"])
    }

    private static func claimant(_ index: Int) -> String { index.isMultiple(of: 2) ? "P-SBT-003" : "P-SBT-004" }
}
