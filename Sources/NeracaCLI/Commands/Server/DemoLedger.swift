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
        for year in Set([2024, 2025, thisYear - 1, thisYear]).sorted() {
            let file = year <= 2025 ? "budget-\(year).csv" : "budget-2025.csv"
            try step(["budget", "import", "\(root)/Ledgers/bangkit/\(file)", "--year", String(year),
                      "--approved-by", "Program Director", "--approved-on", "\(year)-01-05"])
        }
        try step(["post", "--file", "\(root)/examples/sample-entries.json", "--author", "P-MKS-003"])
        let months = FileManager.default.temporaryDirectory.appendingPathComponent("neraca-demo-\(UUID().uuidString).json")
        try Data(try recentMonths(before: today).utf8).write(to: months)
        defer { try? FileManager.default.removeItem(at: months) }
        try step(["post", "--file", months.path, "--author", "P-MKS-003"])
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

    /// Four months of a district office's books before `today`'s month, as a JSON batch:
    /// each month a conversion of grant dollars at the head office, a transfer to each
    /// district's bank, four facilitators' honoraria with income tax withheld, a village
    /// planning meeting and monitoring travel in each district.
    static func recentMonths(before today: LedgerDate) throws -> String {
        var entries: [String] = []
        func posting(_ account: String, _ amount: String, currency: String = "IDR", district: String? = nil,
                     line: String? = nil, party: String? = nil, activity: String? = nil) -> String {
            var fields = [#""account":"\#(account)""#, #""amount":"\#(amount)""#, #""currency":"\#(currency)""#]
            if let district { fields.append(#""district":"\#(district)""#) }
            if let line {
                fields.append(#""budgetLine":"\#(line)""#)
                fields.append(#""fundingSource":"JSDF-TF0B1234""#)
            }
            if let activity { fields.append(#""activity":"\#(activity)""#) }
            if let party { fields.append(#""party":"\#(party)""#) }
            return "{" + fields.joined(separator: ",") + "}"
        }
        func entry(_ date: String, _ description: String, _ reference: String, rate: String? = nil, _ postings: [String]) {
            entries.append(#"{"date":"\#(date)","description":"\#(description)","reference":"\#(reference)","#
                + (rate.map { #""exchangeRate":"\#($0)","# } ?? "")
                + #""idempotencyKey":"demo-\#(reference)","postings":[\#(postings.joined(separator: ","))]}"#)
        }
        let banks = ["SBT": "1-1120", "SBD": "1-1130"]
        for back in (1...4).reversed() {
            var year = today.year
            var month = today.month - back
            while month < 1 { month += 12; year -= 1 }
            func day(_ day: Int) throws -> String {
                guard let date = LedgerDate(year: year, month: month, day: day) else {
                    throw CommandFailure("error: demo: no date \(year)-\(month)-\(day)")
                }
                return date.description
            }
            let tag = String(format: "%04d%02d", year, month)
            entry(try day(3), "Conversion of USD 7,000 to rupiah for the month", "FX-\(tag)", rate: "USD/IDR 15650", [
                posting("1-1110", "109550000", district: "MKS"), posting("4-9100", "-109550000"),
                posting("4-9100", "7000.00", currency: "USD"), posting("1-1210", "-7000.00", currency: "USD"),
            ])
            for (district, bank) in banks.sorted(by: { $0.key < $1.key }) {
                entry(try day(5), "Transfer to the \(district) office", "TR-\(district)-\(tag)", [
                    posting(bank, "45000000", district: district), posting("1-1110", "-45000000", district: "MKS"),
                ])
                entry(try day(15), "Village planning meeting, \(district)", "MTG-\(district)-\(tag)", [
                    posting("5-3100", "3750000", district: district, line: "1.2", activity: "Village planning"),
                    posting(bank, "-3750000", district: district),
                ])
                entry(try day(18), "Monitoring travel between villages, \(district)", "TRV-\(district)-\(tag)", [
                    posting("5-2100", "1200000", district: district, line: "1.3", activity: "Facilitator monitoring"),
                    posting(bank, "-1200000", district: district),
                ])
                for facilitator in 3...6 {
                    let person = "P-\(district)-" + String(format: "%03d", facilitator)
                    entry(try day(25), "Honorarium, village facilitator \(person)", "HON-\(person)-\(tag)", [
                        posting("5-1100", "2500000", district: district, line: "1.1", party: person,
                                activity: "Village facilitation"),
                        posting("2-2100", "-125000", district: district, party: person),
                        posting(bank, "-2375000", district: district),
                    ])
                }
            }
        }
        return #"{"entries":["# + entries.joined(separator: ",") + "]}"
    }

    private static func claimant(_ index: Int) -> String { index.isMultiple(of: 2) ? "P-SBT-003" : "P-SBT-004" }
}
