import LedgerCore
import LedgerStore
import Testing

@Suite("Reversals")
struct ReversalTests {
    typealias T = TestLedger

    static func payroll() -> EntryDraft {
        EntryDraft(
            date: T.date("2024-06-20"), description: "Honoraria June", reference: "PAY-06", author: "finance.mks",
            postings: [
                PostingDraft(accountCode: "5-1100", amount: T.idr(300_000_000),
                             dimensions: Dimensions(district: "SBT", budgetLine: "2.1.3", party: "Ibu Maria"), memo: "June"),
                PostingDraft(accountCode: "5-1100", amount: T.idr(200_000_000),
                             dimensions: Dimensions(district: "SBD", budgetLine: "2.1.3", party: "Pak Yohanis")),
                PostingDraft(accountCode: "2-1000", amount: T.idr(-500_000_000), dimensions: Dimensions(party: "staff")),
            ])
    }

    @Test func aReversalNegatesEveryPostingAndLinksBothWays() throws {
        let ledger = try TestLedger()
        let original = try ledger.db.post(Self.payroll(), now: T.now)
        let reversalNow = T.at("2025-01-11")
        let reversal = try ledger.db.reverse(
            original.number, reason: "  duplicate of PAY-05 ", date: T.date("2024-07-02"), author: "budi", now: reversalNow)
        #expect(reversal.number == T.number(2024, 2))
        #expect(!reversal.replayed)

        let stored = try #require(try ledger.db.entry(reversal.number))
        #expect(stored.draft.description == "Reversal of JE-2024-000001: duplicate of PAY-05")
        #expect(stored.draft.reference == "JE-2024-000001")
        #expect(stored.draft.source == .reversal)
        #expect(stored.draft.author == "budi")
        #expect(stored.draft.date == T.date("2024-07-02"))
        #expect(stored.draft.idempotencyKey == nil)
        #expect(stored.postedAt == reversalNow)
        #expect(stored.reverses == original.number)
        #expect(stored.reversedBy == nil)
        let expectedPostings = Self.payroll().postings.map { posting in
            PostingDraft(accountCode: posting.accountCode, amount: Money(minorUnits: -posting.amount.minorUnits, currency: .idr),
                         dimensions: posting.dimensions, memo: posting.memo)
        }
        #expect(stored.draft.postings == expectedPostings)
        // The hash covers the link to the reversed entry.
        var canonical: [UInt8] = []
        CanonicalEncoding.appendEntry(stored.draft, number: reversal.number, postedAt: reversalNow,
                                      reverses: original.number, to: &canonical)
        #expect(reversal.hash == EntryHash.chained(previous: original.hash, canonical: canonical))

        let originalStored = try #require(try ledger.db.entry(original.number))
        #expect(originalStored.reversedBy == reversal.number)
        #expect(originalStored.reverses == nil)
        #expect(originalStored.draft == Self.payroll(), "the original is unchanged")
        #expect(originalStored.hash == original.hash)

        // Everything is back to zero.
        let balance = try ledger.db.trialBalance()
        #expect(balance.lines.isEmpty)
        #expect(balance.totals.isEmpty)
        #expect(try ledger.db.trialBalance(asOf: T.date("2024-06-30")).lines.count == 2)
        #expect(try ledger.db.verify().passed)
    }

    @Test func anEntryIsReversedOnlyOnce() throws {
        let ledger = try TestLedger()
        let original = try ledger.db.post(Self.payroll(), now: T.now)
        let reversal = try ledger.db.reverse(original.number, reason: "wrong", date: T.date("2024-07-02"), author: "budi", now: T.now)
        let before = try Snapshot(ledger.db)
        #expect(throws: LedgerError.entryAlreadyReversed(number: original.number, reversal: reversal.number)) {
            try ledger.db.reverse(original.number, reason: "again", date: T.date("2024-07-03"), author: "budi", now: T.now)
        }
        #expect(throws: LedgerError.reversalOfReversalForbidden(number: reversal.number)) {
            try ledger.db.reverse(reversal.number, reason: "undo", date: T.date("2024-07-03"), author: "budi", now: T.now)
        }
        #expect(throws: LedgerError.entryNotFound(number: "JE-2024-000099")) {
            try ledger.db.reverse(T.number(2024, 99), reason: "x", date: T.date("2024-07-03"), author: "budi", now: T.now)
        }
        #expect(throws: LedgerError.entryNotFound(number: "JE-2023-000001")) {
            try ledger.db.reverse(T.number(2023, 1), reason: "x", date: T.date("2024-07-03"), author: "budi", now: T.now)
        }
        #expect(try Snapshot(ledger.db) == before)
    }

    @Test func theReasonIsRequiredAndBounded() throws {
        let ledger = try TestLedger()
        let original = try ledger.db.post(Self.payroll(), now: T.now)
        let before = try Snapshot(ledger.db)
        #expect(throws: LedgerError.textEmpty(field: "reason")) {
            try ledger.db.reverse(original.number, reason: " ", date: T.date("2024-07-02"), author: "budi", now: T.now)
        }
        let max = Limits.descriptionLengthMax - 40
        #expect(throws: LedgerError.textTooLong(field: "reason", length: max + 1, max: max)) {
            try ledger.db.reverse(original.number, reason: String(repeating: "r", count: max + 1),
                                  date: T.date("2024-07-02"), author: "budi", now: T.now)
        }
        #expect(throws: LedgerError.textEmpty(field: "author")) {
            try ledger.db.reverse(original.number, reason: "ok", date: T.date("2024-07-02"), author: "", now: T.now)
        }
        #expect(try Snapshot(ledger.db) == before)
        // The longest reason still fits in a description.
        let longest = try ledger.db.reverse(original.number, reason: String(repeating: "r", count: max),
                                            date: T.date("2024-07-02"), author: "budi", now: T.now)
        #expect(try ledger.db.entry(longest.number)?.draft.description.count == 28 + max)
    }

    @Test func aReversalIntoAClosedPeriodIsRefused() throws {
        let ledger = try TestLedger()
        let original = try ledger.db.post(Self.payroll(), now: T.now)
        _ = try ledger.db.close(T.period("2024-07"), by: "ani", now: T.now)
        let before = try Snapshot(ledger.db)
        #expect(throws: LedgerError.periodClosed(field: "date", period: T.period("2024-07"))) {
            try ledger.db.reverse(original.number, reason: "wrong", date: T.date("2024-07-02"), author: "budi", now: T.now)
        }
        #expect(try Snapshot(ledger.db) == before)
        #expect(try ledger.db.entry(original.number)?.reversedBy == nil)
    }

    @Test func aReversalIsNumberedInTheYearOfItsDate() throws {
        let ledger = try TestLedger()
        let original = try ledger.db.post(Self.payroll(), now: T.now)
        let reversal = try ledger.db.reverse(original.number, reason: "late", date: T.date("2025-01-05"), author: "budi", now: T.now)
        #expect(reversal.number == T.number(2025, 1))
        #expect(try ledger.db.entry(original.number)?.reversedBy == T.number(2025, 1))
    }

    @Test func aMultiCurrencyEntryIsReversedWithItsRate() throws {
        let ledger = try TestLedger()
        try ledger.db.post(T.grant(100_000), now: T.now)
        let conversion = try ledger.db.post(T.conversion(), now: T.now)
        let reversal = try ledger.db.reverse(conversion.number, reason: "wrong rate", date: T.date("2024-06-04"), author: "budi",
                                             now: T.now)
        let stored = try #require(try ledger.db.entry(reversal.number))
        #expect(stored.draft.exchangeRate == T.conversion().exchangeRate)
        #expect(stored.draft.postings.map(\.amount) == T.conversion().postings.map { Money(minorUnits: -$0.amount.minorUnits, currency: $0.amount.currency) })
        #expect(try nets(ledger.db.trialBalance()) == expectedNets([T.grant(100_000)]))
        #expect(try ledger.db.verify().passed)
    }
}
