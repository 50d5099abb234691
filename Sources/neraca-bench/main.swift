import Budgets
import FeeClaims
import FraudRules
import Foundation
import LedgerCore
import LedgerStore
import NeracaTestSupport
import Setup

// neraca-bench: release-mode benchmarks whose figures go into BENCHMARKS.md.
//
//   neraca-bench post [--entries N] [--batch B] [--ledger DIR] [--dir DIR]
//       posts N generated entries in batches of B through LedgerDatabase.post(batch:)
//       and, in the same run, inserts rows of the same shape (entry and posting rows) into
//       bare SQLite tables with the same transaction size and durability: the ratio is
//       what validation, hashing, numbering, balances, indexes and checks cost.
//   neraca-bench trial-balance --db PATH [--runs R]
//   neraca-bench budget-report --db PATH --year Y [--runs R]
//   neraca-bench fraud-scan --db PATH [--claims N] [--policies DIR]
//       on an imported ledger: 2,000 claimants and N claims (new, line, submit; 2024), then the
//       timed fraud scan of 2024, twice (the second adds nothing)
//   neraca-bench claims [--count N] [--ledger DIR] [--policies DIR] [--dir DIR]
//       N claims through new → line → submit → approve → post → pay, each step its own
//       transaction as the procedure requires; claims per second and peak memory
//       times trialBalance() (maintained balances), as of a date and for one district.

let arguments = Array(CommandLine.arguments.dropFirst())

func option(_ name: String, default value: String) -> String {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return value }
    return arguments[index + 1]
}

func intOption(_ name: String, default value: Int) -> Int {
    guard let parsed = Int(option(name, default: String(value))), parsed > 0 else {
        FileHandle.standardError.write(Data("neraca-bench: \(name) needs a positive whole number\n".utf8))
        exit(2)
    }
    return parsed
}

func seconds(_ start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

func now() -> Timestamp { Timestamp(millisecondsSince1970: Int64(Date().timeIntervalSince1970 * 1000)) }

/// Realistic expense entries: 1–3 expense lines of one district paid from its bank.
func generateEntries(count: Int, generator: inout SplitMix64) throws -> [EntryDraft] {
    let expenses = ["5-1100", "5-2100", "5-2200", "5-2300", "5-3100", "5-3200", "5-4100", "5-4200", "5-6300"]
    let banks = ["SBT": "1-1120", "SBD": "1-1130", "MKS": "1-1110"]
    let districts = ["SBT", "SBD", "MKS"]
    var drafts: [EntryDraft] = []
    drafts.reserveCapacity(count)
    for index in 0..<count {
        let district = districts[Int.random(in: 0..<3, using: &generator)]
        let lineCount = Int.random(in: 1...3, using: &generator)
        var postings: [PostingDraft] = []
        var total: Int64 = 0
        for _ in 0..<lineCount {
            let amount = Int64.random(in: 1...5_000) * 1_000_00
            total += amount
            postings.append(PostingDraft(
                accountCode: expenses[Int.random(in: 0..<expenses.count, using: &generator)],
                amount: Money(minorUnits: amount, currency: .idr),
                dimensions: Dimensions(district: district, budgetLine: "2.\(index % 7 + 1)", fundingSource: "JSDF-TF0B1234")))
        }
        postings.append(PostingDraft(
            accountCode: banks[district] ?? "1-1110", amount: Money(minorUnits: -total, currency: .idr),
            dimensions: Dimensions(district: district)))
        guard let date = LedgerDate(year: 2024, month: index % 12 + 1, day: index % 28 + 1) else { continue }
        drafts.append(EntryDraft(
            date: date, description: "Benchmark expense \(index)", reference: "PV-\(district)-\(index)",
            author: "bench", postings: postings))
    }
    return drafts
}

func runPost() throws {
    let entries = intOption("--entries", default: 100_000)
    let batch = intOption("--batch", default: 1_000)
    let directory = option("--dir", default: NSTemporaryDirectory() + "neraca-bench-\(getpid())")
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let profile = try LedgerSetupLoader.load(directory: option("--ledger", default: "Ledgers/bangkit"))
    var generator = SplitMix64(seed: 20_240_601)
    let drafts = try generateEntries(count: entries, generator: &generator)
    let postings = drafts.reduce(0) { $0 + $1.postings.count }

    let ledgerPath = directory + "/ledger.sqlite"
    let database = try LedgerDatabase(path: ledgerPath)
    try database.initialize(profile, now: now())
    let start = ContinuousClock.now
    var offset = 0
    while offset < drafts.count {
        let end = min(offset + batch, drafts.count)
        _ = try database.post(batch: Array(drafts[offset..<end]), now: now())
        offset = end
    }
    let ledgerSeconds = seconds(start)

    let rawStart = ContinuousClock.now
    let rows = try SQLiteBaseline.insertRows(
        postingsPerEntry: drafts.map(\.postings.count), entriesPerTransaction: batch, path: directory + "/raw.sqlite")
    let rawSeconds = seconds(rawStart)

    let postingsPerSecond = Double(postings) / ledgerSeconds
    let rawRowsPerSecond = Double(rows) / rawSeconds
    print("| measure | value |")
    print("|---|---|")
    print("| entries posted | \(drafts.count) in batches of \(batch) |")
    print("| postings | \(postings) |")
    print("| neraca post(batch:) wall time | \(String(format: "%.2f", ledgerSeconds)) s |")
    print("| neraca postings/s | \(Int(postingsPerSecond)) |")
    print("| neraca entries/s | \(Int(Double(drafts.count) / ledgerSeconds)) |")
    print("| raw SQLite postings/s (same rows and transactions; no index, check or key) | \(Int(rawRowsPerSecond)) |")
    print("| neraca / raw SQLite | \(String(format: "%.2f", postingsPerSecond / rawRowsPerSecond)) |")
    let report = try database.verify()
    print("| verify after the run | \(report.passed ? "passed" : "FAILED: \(report.problems[0])") |")
    try? FileManager.default.removeItem(atPath: directory)
}

func runTrialBalance() throws {
    let path = option("--db", default: "neraca.sqlite")
    let runs = intOption("--runs", default: 50)
    let database = try LedgerDatabase(path: path)
    let summary = try database.summary()
    func measure(_ label: String, _ body: () throws -> TrialBalance) throws {
        var samples: [Double] = []
        var lines = 0
        for _ in 0..<runs {
            let start = ContinuousClock.now
            lines = try body().lines.count
            samples.append(milliseconds(ContinuousClock.now - start))
        }
        samples.sort()
        let median = samples[samples.count / 2]
        let p95 = samples[min(samples.count - 1, samples.count * 95 / 100)]
        print("| \(label) | \(lines) | \(String(format: "%.2f", samples[0])) | \(String(format: "%.2f", median)) | \(String(format: "%.2f", p95)) |")
    }
    print("ledger: \(summary.entries) entries, \(summary.postings) postings, \(summary.accounts) accounts")
    print("| trial balance | lines | min ms | median ms | p95 ms |")
    print("|---|---|---|---|---|")
    try measure("current (maintained balances)") { try database.trialBalance() }
    if let asOf = LedgerDate(year: 2024, month: 6, day: 30) {
        try measure("as of 2024-06-30 (daily balances)") { try database.trialBalance(asOf: asOf) }
    }
    if let district = try database.districts().first?.code {
        try measure("district \(district) (daily balances)") { try database.trialBalance(district: district) }
    }
}

/// The figures behind `neraca budget report`: lines, actuals and commitments read from the
/// store and grouped, as the command does before printing.
func runBudgetReport() throws {
    let path = option("--db", default: "neraca.sqlite")
    let year = intOption("--year", default: 2024)
    let runs = intOption("--runs", default: 50)
    let database = try LedgerDatabase(path: path)
    let summary = try database.summary()
    func measure(_ label: String, _ body: () throws -> Int) throws {
        var samples: [Double] = []
        var rows = 0
        for _ in 0..<runs {
            let start = ContinuousClock.now
            rows = try body()
            samples.append(milliseconds(ContinuousClock.now - start))
        }
        samples.sort()
        let median = samples[samples.count / 2]
        let p95 = samples[min(samples.count - 1, samples.count * 95 / 100)]
        print("| \(label) | \(rows) | \(String(format: "%.2f", samples[0])) | \(String(format: "%.2f", median)) | \(String(format: "%.2f", p95)) |")
    }
    print("ledger: \(summary.entries) entries, \(summary.postings) postings; budget \(year)")
    print("| budget report \(year) | rows | min ms | median ms | p95 ms |")
    print("|---|---|---|---|---|")
    try measure("by line") {
        try BudgetReport.byLine(try database.budgetFigures(fiscalYear: year), fiscalYear: year).rows.count
    }
    try measure("by component") {
        try BudgetReport.byComponent(try database.budgetFigures(fiscalYear: year), fiscalYear: year).rows.count
    }
    try measure("by month") {
        try BudgetMonthRow.rows(
            lines: try database.budgetFigures(fiscalYear: year),
            monthly: try database.budgetMonthlySpending(fiscalYear: year)).count
    }
    if let district = try database.districts().first?.code {
        try measure("by line, district \(district)") {
            try BudgetReport.byLine(try database.budgetFigures(fiscalYear: year, district: district), fiscalYear: year).rows.count
        }
    }
}

/// The fee-claim procedure end to end, one transaction per step.
func runClaims() throws {
    let count = intOption("--count", default: 100_000)
    let directory = option("--dir", default: NSTemporaryDirectory() + "neraca-bench-\(getpid())")
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let ledgerDirectory = option("--ledger", default: "Ledgers/bangkit")
    let policies = option("--policies", default: "Policies")
    let profile = try LedgerSetupLoader.load(directory: ledgerDirectory)
    let database = try LedgerDatabase(path: directory + "/claims.sqlite")
    try database.initialize(profile, now: now())
    try database.setBudgetPolicy(try BudgetPolicyLoader.load(path: policies + "/budget.yaml"), changedBy: "bench", now: now())
    let districts = Set(profile.districts.map(\.code))
    let categories = Set(try database.budgetPolicy().categories.keys)
    let lines = try BudgetFileLoader.load(path: ledgerDirectory + "/budget-2024.csv", context: .init(
        fiscalYear: 2024, baseCurrency: .idr, districts: districts, categories: categories))
    guard let approvedOn = LedgerDate(year: 2024, month: 1, day: 2) else { throw BenchFailure("dates") }
    // Room for the run: every line raised far above what the claims will spend.
    try database.loadBudget(lines.map { item in
        var line = item.line
        line.amount = Money(minorUnits: 1_000_000_000_000_000, currency: .idr)
        return line
    }, approval: BudgetApproval(reason: "bench", approvedBy: "bench", approvedOn: approvedOn),
       now: now())
    try database.setClaimPolicies(
        matrix: try ApprovalMatrixLoader.load(path: policies + "/approval-matrix.yaml"),
        rates: try RateTableLoader.load(path: policies + "/rates.yaml"), setBy: "bench", now: now())
    guard let day = LedgerDate(year: 2024, month: 6, day: 10), let activityDay = LedgerDate(year: 2024, month: 6, day: 3) else {
        throw BenchFailure("dates")
    }
    let people = try database.people().filter { $0.isActive(on: day) }
    func first(_ role: Role, in district: String?) throws -> String {
        guard let person = people.first(where: { $0.roles.contains(role) && $0.district == district }) else {
            throw BenchFailure("no active \(role.rawValue) in \(district ?? "head office")")
        }
        return person.id
    }
    let claimants = try ["SBT", "SBD"].map { (district: String) in
        (district, people.filter { $0.district == district && $0.roles == [.claimant] }.map(\.id),
         try first(.coordinator, in: district), try first(.financeOfficer, in: district))
    }
    let treasurer = try first(.treasurer, in: nil)
    let start = ContinuousClock.now
    var steps = 0
    for index in 0..<count {
        let (district, ids, coordinator, financeOfficer) = claimants[index % claimants.count]
        let claimant = ids[index % ids.count]
        let number = try database.createClaim(
            ClaimHeader(claimant: claimant, district: district, budgetLine: "1.1", activity: "Village facilitation \(index)",
                        activityFrom: activityDay, activityTo: activityDay),
            by: claimant, date: day, now: now())
        try database.addClaimLine(
            ClaimLine(category: .honorarium, quantity: Int64(1 + index % 4), unitRate: Money(minorUnits: 25_000_000, currency: .idr)),
            to: number, by: claimant, date: day)
        try database.act(.submit, on: number, by: claimant, date: day, now: now())
        try database.act(.approve, on: number, by: coordinator, date: day, now: now())
        try database.act(.post, on: number, by: financeOfficer, date: day, now: now())
        try database.act(.pay, on: number, by: treasurer, date: day, now: now())
        steps += 6
        if (index + 1) % 10_000 == 0 {
            FileHandle.standardError.write(Data("claims: \(index + 1) in \(String(format: "%.1f", seconds(start))) s\n".utf8))
        }
    }
    let elapsed = seconds(start)
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let report = try database.verify()
    print("| measure | value |")
    print("|---|---|")
    print("| claims through new, line, submit, approve, post, pay | \(count) |")
    print("| transactions (one per step, synchronous=FULL) | \(steps) |")
    print("| wall time | \(String(format: "%.1f", elapsed)) s |")
    print("| claims/s | \(String(format: "%.0f", Double(count) / elapsed)) |")
    print("| steps/s | \(String(format: "%.0f", Double(steps) / elapsed)) |")
    print("| peak RSS | \(usage.ru_maxrss / 1024) MB |")
    print("| verify after the run | \(report.passed ? "passed" : "FAILED: \(report.problems[0])") (\(report.entriesChecked) entries) |")
    try? FileManager.default.removeItem(atPath: directory)
}

/// The anti-fraud scan of a year on a large ledger with many claims.
func runFraudScan() throws {
    let path = option("--db", default: "neraca.sqlite")
    let count = intOption("--claims", default: 100_000)
    let policies = option("--policies", default: "Policies")
    let database = try LedgerDatabase(path: path)
    let districts = Set(try database.districts().map(\.code))
    try database.setClaimPolicies(
        matrix: try ApprovalMatrixLoader.load(path: policies + "/approval-matrix.yaml"),
        rates: try RateTableLoader.load(path: policies + "/rates.yaml"), setBy: "bench", now: now())
    guard let yearStart = LedgerDate(year: 2024, month: 1, day: 1) else { throw BenchFailure("dates") }
    // 2,000 claimants (community facilitators and resource persons of a large program), so
    // that 100,000 claims a year is about one a week each, as in the field.
    let districtCodes = districts.sorted()
    let claimants = (1...2_000).map { index in
        Person(id: "P-BENCH-\(index)", name: "Claimant \(index)", district: districtCodes[index % districtCodes.count],
               roles: [.claimant], bankAccount: "BRI 9999-\(index)", activeFrom: yearStart)
    }
    try database.importPeople(claimants, changedBy: "bench", now: now())
    var random = SplitMix64(seed: 2024)
    let activities = (1...400).map { "Village facilitation \($0)" }
    let setup = ContinuousClock.now
    for index in 0..<count {
        let claimant = claimants[Int(random.next() % UInt64(claimants.count))]
        guard let district = claimant.district,
              let day = LedgerDate(dayNumber: yearStart.dayNumber + Int(random.next() % 350))
        else { continue }
        // Submitted two days after the activity, at that time (not today).
        let submittedAt = Timestamp(millisecondsSince1970: Int64(day.dayNumber + 2) * 86_400_000 + 36_000_000)
        let number = try database.createClaim(
            ClaimHeader(claimant: claimant.id, district: district, budgetLine: "1.1",
                        activity: activities[Int(random.next() % 400)], activityFrom: day, activityTo: day),
            by: claimant.id, date: day, now: submittedAt)
        try database.addClaimLine(
            ClaimLine(category: .honorarium, quantity: Int64(1 + random.next() % 8),
                      unitRate: Money(minorUnits: 25_000_000 + Int64(random.next() % 20) * 100_000, currency: .idr)),
            to: number, by: claimant.id, date: day)
        if index % 10 != 0 {  // a tenth stay drafts
            try database.act(.submit, on: number, by: claimant.id, date: day, now: submittedAt)
        }
    }
    FileHandle.standardError.write(Data("setup: \(count) claims in \(String(format: "%.1f", seconds(setup))) s\n".utf8))
    try database.setFraudPolicy(try FraudPolicyLoader.load(path: policies + "/anti-fraud.yaml"), setBy: "bench", now: now())
    let summary = try database.summary()
    var before = rusage()
    getrusage(RUSAGE_SELF.rawValue, &before)
    let start = ContinuousClock.now
    let first = try database.scanFraud(fiscalYear: 2024, now: now())
    let firstSeconds = seconds(start)
    let again = ContinuousClock.now
    let second = try database.scanFraud(fiscalYear: 2024, now: now())
    let secondSeconds = seconds(again)
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let byRule = Dictionary(grouping: first.new, by: \.finding.rule.rawValue).mapValues(\.count).sorted { $0.key < $1.key }
    print("| measure | value |")
    print("|---|---|")
    print("| ledger | \(summary.entries) entries, \(summary.postings) postings |")
    print("| claims scanned (2024) | \(first.claimsScanned) |")
    print("| first scan | \(String(format: "%.2f", firstSeconds)) s, \(first.new.count) findings |")
    print("| second scan (nothing new) | \(String(format: "%.2f", secondSeconds)) s, \(second.new.count) new, \(second.known) known |")
    print("| findings by rule | \(byRule.map { "\($0.key) \($0.value)" }.joined(separator: ", ")) |")
    print("| peak RSS of the process | \(usage.ru_maxrss / 1024) MB |")
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

do {
    switch arguments.first {
    case "claims": try runClaims()
    case "fraud-scan": try runFraudScan()
    case "post": try runPost()
    case "trial-balance": try runTrialBalance()
    case "budget-report": try runBudgetReport()
    default:
        FileHandle.standardError.write(Data("usage: neraca-bench post|trial-balance|budget-report [options] (see the source header)\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("neraca-bench: \(error)\n".utf8))
    exit(1)
}
