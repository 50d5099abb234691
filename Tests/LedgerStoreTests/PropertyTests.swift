import LedgerCore
import LedgerStore
import NeracaTestSupport
import Testing

/// Random entries from a seeded generator, so a failure replays exactly.
struct EntryGenerator {
    typealias T = TestLedger
    var random: SplitMix64

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    static let firstDay = T.date("2024-01-01").dayNumber
    static let lastDay = T.date("2024-12-31").dayNumber
    static let sharedAccounts = ["1-1300", "1-9000", "2-1000", "3-1000", "4-1000", "5-1100", "5-1200", "5-1300"]
    static let districts: [String?] = [nil, "SBT", "SBD", "MKS"]

    mutating func date() -> LedgerDate {
        LedgerDate(dayNumber: Int.random(in: Self.firstDay...Self.lastDay, using: &random))!  // allowed: inside 2024
    }

    /// Leaf accounts that accept `currency` on `date`.
    func accounts(for currency: Currency, on date: LedgerDate) -> [String] {
        let pilotOpen = date >= T.date("2024-03-01") && date < T.date("2024-09-01")
        let shared = Self.sharedAccounts.filter { $0 != "5-1300" || pilotOpen }
        return shared + [currency == .idr ? "1-1100" : "1-1200"]
    }

    /// `count` postings in `currency` that sum to zero, none of them zero.
    mutating func balancedPostings(_ count: Int, currency: Currency, on date: LedgerDate) -> [PostingDraft] {
        var amounts = (0..<(count - 1)).map { _ -> Int64 in
            let magnitude = Int64.random(in: 1...1_000_000_000, using: &random)
            return Bool.random(using: &random) ? magnitude : -magnitude
        }
        var sum = amounts.reduce(0, +)
        if sum == 0 {
            amounts[0] += amounts[0] > 0 ? 1 : -1
            sum = amounts.reduce(0, +)
        }
        amounts.append(-sum)
        let candidates = accounts(for: currency, on: date)
        return amounts.map { amount in
            PostingDraft(
                accountCode: candidates.randomElement(using: &random)!,  // allowed: never empty
                amount: Money(minorUnits: amount, currency: currency),
                dimensions: Dimensions(
                    district: Self.districts.randomElement(using: &random)!,  // allowed: never empty
                    budgetLine: Bool.random(using: &random) ? "2.1.\(Int.random(in: 1...9, using: &random))" : nil,
                    fundingSource: Bool.random(using: &random) ? "DTF" : nil))
        }
    }

    /// A balanced entry of 2–6 postings in IDR, USD, or both (with a rate).
    mutating func balancedEntry() -> EntryDraft {
        let date = date()
        var postings: [PostingDraft]
        var rate: ExchangeRate?
        switch Int.random(in: 0..<10, using: &random) {
        case 0..<4:
            postings = balancedPostings(Int.random(in: 2...6, using: &random), currency: .idr, on: date)
        case 4..<8:
            postings = balancedPostings(Int.random(in: 2...6, using: &random), currency: .usd, on: date)
        default:
            postings = balancedPostings(Int.random(in: 2...3, using: &random), currency: .idr, on: date)
                + balancedPostings(Int.random(in: 2...3, using: &random), currency: .usd, on: date)
            postings.shuffle(using: &random)
            rate = try? ExchangeRate(parsing: "USD/IDR 15650.25")
        }
        return EntryDraft(
            date: date, description: "Random entry \(random.next() % 1_000_000)", author: "property.test",
            exchangeRate: rate, postings: postings)
    }

    /// A balanced entry with one posting changed by a non-zero amount, and the exact error it must get.
    mutating func unbalancedEntry() -> (EntryDraft, LedgerError) {
        var draft = balancedEntry()
        let index = Int.random(in: 0..<draft.postings.count, using: &random)
        let amount = draft.postings[index].amount
        var delta: Int64 = 0
        while delta == 0 || amount.minorUnits + delta == 0 {
            delta = Int64.random(in: -1_000_000...1_000_000, using: &random)
        }
        draft.postings[index].amount = Money(minorUnits: amount.minorUnits + delta, currency: amount.currency)
        return (draft, .unbalanced(currency: amount.currency, differenceMinorUnits: delta))
    }
}

@Suite("Properties of random entries")
struct PropertyTests {
    typealias T = TestLedger

    @Test(arguments: [20_240_601 as UInt64, 7])
    func randomBalancedBatchesKeepEveryInvariant(seed: UInt64) throws {
        let ledger = try TestLedger()
        var generator = EntryGenerator(seed: seed)
        var posted: [EntryDraft] = []
        for batchIndex in 0..<15 {
            let batch = (0..<Int.random(in: 1...4, using: &generator.random)).map { _ in generator.balancedEntry() }
            let results = batchIndex.isMultiple(of: 3) && batch.count == 1
                ? [try ledger.db.post(batch[0], now: T.now)]
                : try ledger.db.post(batch: batch, now: T.now)
            #expect(results.count == batch.count)
            posted += batch

            let balance = try ledger.db.trialBalance()
            #expect(nets(balance) == expectedNets(posted), "after batch \(batchIndex)")
            for total in balance.totals {
                #expect(total.debit == total.credit, "\(total.currency) after batch \(batchIndex)")
            }
            let report = try ledger.db.verify()
            #expect(report.passed, "\(report.problems)")
            #expect(report.entriesChecked == posted.count)
            #expect(report.postingsChecked == posted.reduce(0) { $0 + $1.postings.count })
        }
        // Filtered trial balances against sums computed here.
        for _ in 0..<6 {
            let asOf = generator.date()
            let district = EntryGenerator.districts.randomElement(using: &generator.random)!  // allowed: never empty
            #expect(try nets(ledger.db.trialBalance(asOf: asOf, district: district))
                    == expectedNets(posted, asOf: asOf, district: district), "as of \(asOf), \(district ?? "all")")
        }
        // Every register ends on the account's balance.
        let expected = expectedNets(posted)
        for code in ["1-1100", "1-1200", "1-9000", "5-1100"] {
            let register = try ledger.db.register(account: code)
            var last: [Currency: Int64] = [:]
            for line in register.lines { last[line.runningBalance.currency] = line.runningBalance.minorUnits }
            for (currency, balance) in last {
                #expect(balance == (expected["\(code)|\(currency.code)"] ?? 0), "\(code) \(currency)")
            }
        }
    }

    @Test(arguments: [99 as UInt64, 2024])
    func randomUnbalancedEntriesAreAlwaysRefused(seed: UInt64) throws {
        let ledger = try TestLedger()
        var generator = EntryGenerator(seed: seed)
        try ledger.db.post(batch: (0..<3).map { _ in generator.balancedEntry() }, now: T.now)
        let before = try Snapshot(ledger.db)
        for attempt in 0..<40 {
            let (draft, error) = generator.unbalancedEntry()
            #expect(throws: error) { try EntryValidator.validated(draft, in: T.context) }
            if attempt.isMultiple(of: 4) {
                let good = generator.balancedEntry()
                #expect(throws: LedgerError.batchEntryRefused(index: 1, reason: error)) {
                    try ledger.db.post(batch: [good, draft], now: T.now)
                }
            } else {
                #expect(throws: error) { try ledger.db.post(draft, now: T.now) }
            }
        }
        #expect(try Snapshot(ledger.db) == before)
        #expect(try ledger.db.verify().passed)
    }
}
