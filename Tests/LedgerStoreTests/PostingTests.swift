import LedgerCore
import LedgerStore
import Testing

@Suite("Posting entries")
struct PostingTests {
    typealias T = TestLedger

    // MARK: - Post and read back

    @Test func postedEntryReadsBackAsTheValidatedDraft() throws {
        let ledger = try TestLedger()
        var draft = T.expense(150_000_000, key: "claim-0042")
        draft.description = "  Cafe\u{301} meeting, Desa Wunga \n"
        draft.reference = " KW-0612 "
        draft.postings[0].memo = "3 days × Rp 500.000"
        draft.postings[0].dimensions.party = " Ibu Maria "
        draft.postings[0].dimensions.activity = "Pe\u{301}latihan"
        draft.postings[1].memo = "  "
        let now = T.at("2024-06-16", hour: 9)
        let result = try ledger.db.post(draft, now: now)
        #expect(result.number == T.number(2024, 1))
        #expect(!result.replayed)

        let validated = try EntryValidator.validated(draft, in: T.context)
        let stored = try #require(try ledger.db.entry(result.number))
        #expect(stored.draft == validated)
        #expect(Array(stored.draft.description.unicodeScalars) == Array("Caf\u{e9} meeting, Desa Wunga".unicodeScalars))
        #expect(Array(try #require(stored.draft.postings[0].dimensions.activity).unicodeScalars)
                == Array("P\u{e9}latihan".unicodeScalars))
        #expect(stored.draft.reference == "KW-0612")
        #expect(stored.draft.postings[1].memo == nil)
        #expect(stored.draft.idempotencyKey == "claim-0042")
        #expect(stored.number == result.number)
        #expect(stored.postedAt == now)
        #expect(stored.reverses == nil && stored.reversedBy == nil)
        #expect(stored.hash == result.hash)
        var canonical: [UInt8] = []
        CanonicalEncoding.appendEntry(validated, number: result.number, postedAt: now, reverses: nil, to: &canonical)
        #expect(stored.hash == EntryHash.chained(previous: .genesis, canonical: canonical))
        #expect(try ledger.db.entry(T.number(2024, 2)) == nil)
        #expect(try ledger.db.entry(T.number(2023, 1)) == nil)

        let summary = try ledger.db.summary()
        #expect(summary.entries == 1 && summary.postings == 2 && summary.chainHead == result.hash)
    }

    @Test func multiCurrencyEntryReadsBackWithItsRate() throws {
        let ledger = try TestLedger()
        let first = try ledger.db.post(T.grant(500_000), now: T.now)
        let second = try ledger.db.post(T.conversion(), now: T.now)
        let stored = try #require(try ledger.db.entry(second.number))
        #expect(stored.draft == T.conversion())
        #expect(stored.draft.exchangeRate?.description == "USD/IDR 15650.25")
        var canonical: [UInt8] = []
        CanonicalEncoding.appendEntry(T.conversion(), number: second.number, postedAt: T.now, reverses: nil, to: &canonical)
        #expect(second.hash == EntryHash.chained(previous: first.hash, canonical: canonical), "chained on the first entry")
    }

    // MARK: - Numbering

    @Test func numbersAreGaplessPerFiscalYearAndRestartEachYear() throws {
        let ledger = try TestLedger()
        let dates = ["2024-06-15", "2024-01-02", "2024-12-31", "2025-01-01", "2025-03-05", "2024-07-07", "2026-02-02"]
        var numbers: [String] = []
        for (index, date) in dates.enumerated() {
            numbers.append(try ledger.db.post(T.expense(Int64(1_000 + index), on: date), now: T.now).number.description)
        }
        #expect(numbers == ["JE-2024-000001", "JE-2024-000002", "JE-2024-000003", "JE-2025-000001", "JE-2025-000002",
                            "JE-2024-000004", "JE-2026-000001"])
        let batch = try ledger.db.post(batch: [T.expense(1, on: "2025-05-05"), T.expense(2, on: "2024-05-05"),
                                               T.expense(3, on: "2025-05-06")], now: T.now)
        #expect(batch.map(\.number.description) == ["JE-2025-000003", "JE-2024-000005", "JE-2025-000004"])
        #expect(try ledger.db.verify().passed)
    }

    @Test func refusalsAndFailedBatchesLeaveNoGap() throws {
        let ledger = try TestLedger()
        #expect(try ledger.db.post(T.expense(100), now: T.now).number == T.number(2024, 1))
        #expect(throws: LedgerError.amountIsZero(field: "postings[0].amount")) {
            try ledger.db.post(T.expense(0), now: T.now)
        }
        #expect(throws: LedgerError.batchEntryRefused(index: 1, reason: .districtUnknown(field: "postings[0].district", code: "XYZ"))) {
            try ledger.db.post(batch: [T.expense(5), T.expense(6, district: "XYZ")], now: T.now)
        }
        #expect(try ledger.db.post(T.expense(200), now: T.now).number == T.number(2024, 2))
    }

    @Test func fiscalYearsStartingInJuly() throws {
        let ledger = try TestLedger(fiscalStartMonth: 7)
        let numbers = try ["2024-06-30", "2024-07-01", "2025-06-30", "2025-07-01", "2024-01-15"].map {
            try ledger.db.post(T.expense(1_000, on: $0), now: T.now).number.description
        }
        #expect(numbers == ["JE-2024-000001", "JE-2025-000001", "JE-2025-000002", "JE-2026-000001", "JE-2024-000002"])
        #expect(try ledger.db.summary().fiscalCalendar == FiscalCalendar(startMonth: 7))
        #expect(try ledger.db.verify().passed)
    }

    // MARK: - Every refusal leaves the database unchanged

    struct Refusal: Sendable, CustomTestStringConvertible {
        let label: String
        let draft: EntryDraft
        let error: LedgerError
        var testDescription: String { label }
    }

    static func with(_ draft: EntryDraft, _ change: (inout EntryDraft) -> Void) -> EntryDraft {
        var copy = draft
        change(&copy)
        return copy
    }

    static let refusals: [Refusal] = {
        let base = T.expense(1_000)
        let manyPostings = (0...Limits.postingsPerEntryMax).map { index in
            PostingDraft(accountCode: index.isMultiple(of: 2) ? "5-1200" : "1-1100", amount: T.idr(index.isMultiple(of: 2) ? 5 : -5))
        }
        return [
            .init(label: "one posting", draft: with(base) { $0.postings.removeLast() }, error: .tooFewPostings(count: 1)),
            .init(label: "501 postings", draft: with(base) { $0.postings = manyPostings },
                  error: .tooManyPostings(count: 501, max: 500)),
            .init(label: "unbalanced", draft: with(base) { $0.postings[1].amount = T.idr(-999) },
                  error: .unbalanced(currency: .idr, differenceMinorUnits: 1)),
            .init(label: "zero amount", draft: with(base) { $0.postings.append(PostingDraft(accountCode: "5-1200", amount: T.idr(0))) },
                  error: .amountIsZero(field: "postings[2].amount")),
            .init(label: "amount above limit",
                  draft: with(base) {
                      $0.postings[0].amount = T.idr(Limits.amountMinorUnitsMax + 1)
                      $0.postings[1].amount = T.idr(-Limits.amountMinorUnitsMax - 1)
                  },
                  error: .amountAboveLimit(field: "postings[0].amount", minorUnits: Limits.amountMinorUnitsMax + 1)),
            .init(label: "unknown account", draft: with(base) { $0.postings[1].accountCode = "1-1999" },
                  error: .accountUnknown(field: "postings[1].account", code: "1-1999")),
            .init(label: "parent account", draft: with(base) { $0.postings[0].accountCode = "5-1000" },
                  error: .accountNotLeaf(field: "postings[0].account", code: "5-1000")),
            .init(label: "not yet open", draft: with(base) { $0.postings[0].accountCode = "5-1300"; $0.date = T.date("2024-02-29") },
                  error: .accountNotYetOpen(field: "postings[0].account", code: "5-1300", opensOn: T.date("2024-03-01"))),
            .init(label: "closed", draft: with(base) { $0.postings[0].accountCode = "5-1300"; $0.date = T.date("2024-09-01") },
                  error: .accountClosed(field: "postings[0].account", code: "5-1300", closedOn: T.date("2024-09-01"))),
            .init(label: "currency of the account",
                  draft: with(base) { $0.postings[0].amount = T.usd(1_000); $0.postings[1].amount = T.usd(-1_000) },
                  error: .accountCurrencyMismatch(field: "postings[1].amount", code: "1-1100", accountCurrency: .idr, found: .usd)),
            .init(label: "unknown district", draft: with(base) { $0.postings[0].dimensions.district = "KPG" },
                  error: .districtUnknown(field: "postings[0].district", code: "KPG")),
            .init(label: "unknown funding source", draft: with(base) { $0.postings[0].dimensions.fundingSource = "EU" },
                  error: .fundingSourceUnknown(field: "postings[0].fundingSource", code: "EU")),
            .init(label: "blank description", draft: with(base) { $0.description = " \n" }, error: .textEmpty(field: "description")),
            .init(label: "long author", draft: with(base) { $0.author = String(repeating: "a", count: 101) },
                  error: .textTooLong(field: "author", length: 101, max: 100)),
            .init(label: "control character in a memo", draft: with(base) { $0.postings[1].memo = "a\u{1b}[31m" },
                  error: .textHasControlCharacters(field: "postings[1].memo")),
            .init(label: "idempotency key with a space", draft: with(base) { $0.idempotencyKey = "claim 42" },
                  error: .textHasControlCharacters(field: "idempotencyKey")),
            .init(label: "two currencies without a rate", draft: with(T.conversion()) { $0.exchangeRate = nil },
                  error: .exchangeRateMissing(currencies: ["IDR", "USD"])),
            .init(label: "rate for other currencies",
                  draft: with(T.conversion()) { $0.exchangeRate = try? ExchangeRate(parsing: "EUR/IDR 17000") },
                  error: .exchangeRateInvalid(value: "EUR/IDR 17000")),
        ]
    }()

    @Test(arguments: refusals)
    func refusedPostChangesNothing(_ refusal: Refusal) throws {
        let ledger = try TestLedger()
        try ledger.db.post(T.grant(500_000), now: T.now)
        try ledger.db.post(T.expense(77_000, key: "seed"), now: T.now)
        let before = try Snapshot(ledger.db)
        #expect(throws: refusal.error) { try ledger.db.post(refusal.draft, now: T.now) }
        #expect(try Snapshot(ledger.db) == before)
        #expect(try ledger.db.entry(T.number(2024, 3)) == nil)
        #expect(try ledger.db.verify().passed)
        // And the same refusal inside a batch names its index.
        #expect(throws: LedgerError.batchEntryRefused(index: 2, reason: refusal.error)) {
            try ledger.db.post(batch: [T.expense(1), T.expense(2), refusal.draft, T.expense(3)], now: T.now)
        }
        #expect(try Snapshot(ledger.db) == before)
    }

    // MARK: - Batches

    @Test func aGoodBatchPostsEverythingInOrder() throws {
        let ledger = try TestLedger()
        let drafts = [T.grant(1_000_000), T.expense(10_000), T.conversion(), T.expense(20_000, district: "SBD")]
        let results = try ledger.db.post(batch: drafts, now: T.now)
        #expect(results.map(\.number) == (1...4).map { T.number(2024, $0) })
        #expect(results.allSatisfy { !$0.replayed })
        for (result, draft) in zip(results, drafts) {
            #expect(try ledger.db.entry(result.number)?.draft == draft)
        }
        let summary = try ledger.db.summary()
        #expect(summary.entries == 4 && summary.postings == 10 && summary.chainHead == results[3].hash)
        #expect(try ledger.db.post(batch: [], now: T.now).isEmpty)
        #expect(try ledger.db.summary().entries == 4)
    }

    @Test(arguments: [0, 1, 4])
    func aBatchWithOneBadEntryWritesNothing(badIndex: Int) throws {
        let ledger = try TestLedger()
        try ledger.db.post(T.expense(5_000), now: T.now)
        let before = try Snapshot(ledger.db)
        var drafts = (0..<5).map { T.expense(Int64(100 + $0)) }
        drafts[badIndex].postings[1].accountCode = "9-9999"
        #expect(throws: LedgerError.batchEntryRefused(
            index: badIndex, reason: .accountUnknown(field: "postings[1].account", code: "9-9999"))) {
            try ledger.db.post(batch: drafts, now: T.now)
        }
        #expect(try Snapshot(ledger.db) == before)
        #expect(try ledger.db.entry(T.number(2024, 2)) == nil)
    }

    @Test func aBatchAboveTheLimitIsRefusedWhole() throws {
        let ledger = try TestLedger()
        let before = try Snapshot(ledger.db)
        let drafts = Array(repeating: T.expense(1), count: Limits.entriesPerBatchMax + 1)
        #expect(throws: LedgerError.batchTooLarge(count: Limits.entriesPerBatchMax + 1, max: Limits.entriesPerBatchMax)) {
            try ledger.db.post(batch: drafts, now: T.now)
        }
        #expect(try Snapshot(ledger.db) == before)
    }

    // MARK: - Idempotency

    @Test func sameKeyAndContentReturnsTheFirstEntry() throws {
        let ledger = try TestLedger()
        let draft = T.expense(250_000, key: "claim-2024-0042")
        let first = try ledger.db.post(draft, now: T.now)
        try ledger.db.post(T.expense(1), now: T.now)
        let before = try Snapshot(ledger.db)
        let again = try ledger.db.post(draft, now: T.at("2025-02-01"))
        #expect(again.replayed)
        #expect(again.number == first.number && again.hash == first.hash)
        // Content is compared after cleaning: the same text with other spacing or normalisation is the same request.
        var respelled = draft
        respelled.description = "  Honorarium  "
        respelled.postings[0].dimensions.budgetLine = " 2.1.3 "
        let respelledResult = try ledger.db.post(respelled, now: T.now)
        #expect(respelledResult == again)
        #expect(try Snapshot(ledger.db) == before)
        #expect(try ledger.db.entry(first.number)?.postedAt == T.now, "the first entry is untouched")
    }

    @Test func sameKeyWithOtherContentIsRefused() throws {
        let ledger = try TestLedger()
        let first = try ledger.db.post(T.expense(250_000, key: "claim-0042"), now: T.now)
        let before = try Snapshot(ledger.db)
        let others = [
            T.expense(250_001, key: "claim-0042"),
            T.expense(250_000, on: "2024-06-16", key: "claim-0042"),
            T.expense(250_000, district: "SBD", key: "claim-0042"),
            T.expense(250_000, description: "Honorarium July", key: "claim-0042"),
        ]
        for other in others {
            #expect(throws: LedgerError.idempotencyKeyReused(key: "claim-0042", existingEntry: first.number)) {
                try ledger.db.post(other, now: T.now)
            }
        }
        #expect(try Snapshot(ledger.db) == before)
        // An invalid draft with a used key is refused for what is wrong with it.
        #expect(throws: LedgerError.amountIsZero(field: "postings[0].amount")) {
            try ledger.db.post(T.expense(0, key: "claim-0042"), now: T.now)
        }
        // A different key with the same content is a new entry.
        #expect(try ledger.db.post(T.expense(250_000, key: "claim-0043"), now: T.now).number == T.number(2024, 2))
    }

    @Test func idempotencyInsideABatch() throws {
        let ledger = try TestLedger()
        let results = try ledger.db.post(batch: [T.expense(9, key: "k1"), T.expense(8), T.expense(9, key: "k1")], now: T.now)
        #expect(results.map(\.replayed) == [false, false, true])
        #expect(results[2].number == results[0].number && results[2].hash == results[0].hash)
        #expect(try ledger.db.summary().entries == 2)
        let before = try Snapshot(ledger.db)
        #expect(throws: LedgerError.batchEntryRefused(
            index: 1, reason: .idempotencyKeyReused(key: "k1", existingEntry: results[0].number))) {
            try ledger.db.post(batch: [T.expense(1), T.expense(10, key: "k1")], now: T.now)
        }
        #expect(try Snapshot(ledger.db) == before)
    }

    // MARK: - Ledger creation

    @Test func anEmptyFileHoldsNoLedger() throws {
        let ledger = try TestLedger(initialize: false)
        #expect(throws: StoreError.notInitialized) { try ledger.db.summary() }
        #expect(throws: StoreError.notInitialized) { try ledger.db.post(T.expense(1), now: T.now) }
        #expect(throws: StoreError.notInitialized) { try ledger.db.trialBalance() }
        try ledger.db.initialize(T.profile(), now: T.now)
        #expect(try ledger.db.summary().entries == 0)
    }

    @Test func aLedgerIsCreatedOnce() throws {
        let ledger = try TestLedger()
        #expect(throws: StoreError.alreadyInitialized(name: "test")) { try ledger.db.initialize(T.profile(), now: T.now) }
        let summary = try ledger.db.summary()
        #expect(summary.name == "test" && summary.organisation == "Yayasan Uji" && summary.baseCurrency == .idr)
        #expect(summary.accounts == T.accounts.count && summary.entries == 0 && summary.postings == 0)
        #expect(summary.chainHead == .genesis)
        #expect(try ledger.db.accounts() == T.accounts)
        #expect(try ledger.db.districts().map(\.code) == ["MKS", "SBD", "SBT"])
        #expect(try ledger.db.districts().first == T.districts[2])
    }

    @Test func reopeningTheFileKeepsEverything() throws {
        let ledger = try TestLedger()
        let posted = try ledger.db.post(T.expense(1_234), now: T.now)
        let reopened = try LedgerDatabase(path: ledger.path)
        #expect(try reopened.entry(posted.number) == ledger.db.entry(posted.number))
        #expect(try reopened.summary().chainHead == posted.hash)
        #expect(try reopened.post(T.expense(99), now: T.now).number == T.number(2024, 2))
        #expect(try ledger.db.summary().entries == 2, "the first handle sees the second one's write")
    }

    @Test func anAccountAddedThroughAnotherHandleIsSeenAtOnce() throws {
        let ledger = try TestLedger()
        try ledger.db.post(T.expense(1), now: T.now)  // the first handle has loaded and cached its catalogue
        let other = try LedgerDatabase(path: ledger.path)
        _ = try other.importEntries(now: T.now) { session in
            try session.addAccount(Account(code: "5-1400", nameEn: "Lodging", type: .expense, parentCode: "5-1000"))
        }
        #expect(try ledger.db.post(T.expense(2, account: "5-1400"), now: T.now).number == T.number(2024, 2))
        #expect(try ledger.db.accounts().count == T.accounts.count + 1)
    }

    @Test func twoHandlesPostingAtOnceKeepTheNumberingAndTheChain() async throws {
        let ledger = try TestLedger()
        let handles = [ledger.db, try LedgerDatabase(path: ledger.path)]
        let numbers = try await withThrowingTaskGroup(of: [Int].self) { group in
            for (index, handle) in handles.enumerated() {
                group.addTask {
                    var sequences: [Int] = []
                    for amount in 1...20 {
                        let draft = T.expense(Int64(index * 1_000 + amount), district: index == 0 ? "SBT" : "SBD")
                        sequences.append(try handle.post(draft, now: T.now).number.sequence)
                    }
                    return sequences
                }
            }
            var all: [Int] = []
            for try await sequences in group {
                #expect(sequences == sequences.sorted(), "each handle sees its own entries in order")
                all += sequences
            }
            return all
        }
        #expect(numbers.sorted() == Array(1...40))
        let report = try ledger.db.verify()
        #expect(report.passed && report.entriesChecked == 40)
        #expect(try nets(ledger.db.trialBalance(district: "SBD"))["5-1100|IDR"] == (1...20).reduce(0) { $0 + 1_000 + Int64($1) })
    }

    // MARK: - Imports

    @Test func anImportCreatesAccountsAndEntriesInOneTransaction() throws {
        let ledger = try TestLedger()
        let summary = try ledger.db.importEntries(now: T.now) { session in
            #expect(!session.hasAccount("5-1400"))
            try session.addAccount(Account(code: "5-1400", nameEn: "Lodging", type: .expense, parentCode: "5-1000"))
            #expect(session.account("5-1400")?.nameEn == "Lodging")
            try session.post(T.expense(40_000, account: "5-1400"))
            try session.post(T.expense(50_000))
        }
        #expect(summary.entries == 2 && summary.postings == 4 && summary.accountsCreated == 1)
        #expect(try ledger.db.accounts().map(\.code).last == "5-1400")
        #expect(try nets(ledger.db.trialBalance())["5-1400|IDR"] == 40_000)
        #expect(try ledger.db.verify().passed)
    }

    struct Stop: Error {}

    @Test func aFailedImportLeavesNothing() throws {
        let ledger = try TestLedger()
        try ledger.db.post(T.expense(7), now: T.now)
        let before = try Snapshot(ledger.db)
        #expect(throws: Stop.self) {
            try ledger.db.importEntries(now: T.now) { session in
                try session.addAccount(Account(code: "5-1400", nameEn: "Lodging", type: .expense, parentCode: "5-1000"))
                try session.post(T.expense(40_000, account: "5-1400"))
                throw Stop()
            }
        }
        #expect(try Snapshot(ledger.db) == before)
        #expect(try !ledger.db.accounts().contains { $0.code == "5-1400" })
        #expect(throws: LedgerError.accountUnknown(field: "postings[0].account", code: "5-1400")) {
            try ledger.db.post(T.expense(1, account: "5-1400"), now: T.now)
        }
    }

    @Test func anAccountWithPostingsCannotBecomeAParent() throws {
        let ledger = try TestLedger()
        try ledger.db.post(T.expense(7, account: "5-1200"), now: T.now)
        let before = try Snapshot(ledger.db)
        #expect(throws: LedgerError.accountHasPostings(field: "account.parent", code: "5-1200")) {
            try ledger.db.importEntries(now: T.now) { session in
                try session.addAccount(Account(code: "5-1210", nameEn: "Boat fuel", type: .expense, parentCode: "5-1200"))
            }
        }
        // Postings made earlier in the same import count too.
        #expect(throws: LedgerError.accountHasPostings(field: "accounts[1].parent", code: "1-1300")) {
            try ledger.db.importEntries(now: T.now) { session in
                try session.post(T.expense(5, account: "1-1300"))
                try session.addAccount(Account(code: "1-1310", nameEn: "Petty cash SBT", type: .asset, parentCode: "1-1300"),
                                       field: "accounts[1]")
            }
        }
        #expect(throws: LedgerError.accountDuplicate(field: "account.code", code: "5-1100")) {
            try ledger.db.importEntries(now: T.now) { session in
                try session.addAccount(Account(code: "5-1100", nameEn: "Again", type: .expense, parentCode: "5-1000"))
            }
        }
        #expect(try Snapshot(ledger.db) == before)
    }
}
