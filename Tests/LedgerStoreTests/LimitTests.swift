import LedgerCore
import LedgerStore
import Testing

/// Running balances are `Int64` too: what happens when the largest amounts pile up.
@Suite("Balance limits")
struct LimitTests {
    typealias T = TestLedger

    /// 250 debits of the largest amount to honoraria, 250 matching credits to the bank:
    /// each entry adds 2.5 × 10^17 to both balances, so 36 entries fit in `Int64` and the 37th does not.
    static let largest: EntryDraft = {
        let max = Limits.amountMinorUnitsMax
        let debits = (0..<250).map { _ in PostingDraft(accountCode: "5-1100", amount: T.idr(max)) }
        let credits = (0..<250).map { _ in PostingDraft(accountCode: "1-1100", amount: T.idr(-max)) }
        return EntryDraft(date: T.date("2024-06-15"), description: "Largest amounts", author: "limits", postings: debits + credits)
    }()

    static let fitting = Int(Int64.max / (250 * Limits.amountMinorUnitsMax))

    @Test func runningTotalsInsideOneBatchAreOverflowChecked() throws {
        #expect(Self.fitting == 36)
        let ledger = try TestLedger()
        // 36 × 250 = 9000 postings fit; posting 224 of the 37th entry would pass Int64.max.
        #expect(throws: LedgerError.batchEntryRefused(index: 36, reason: .amountOverflow(field: "postings[223].amount"))) {
            try ledger.db.post(batch: Array(repeating: Self.largest, count: Self.fitting + 1), now: T.now)
        }
        #expect(try ledger.db.summary().entries == 0)
    }

    /// DESIGN.md: "All arithmetic is overflow-checked and throws `amountOverflow`". The stored
    /// balance is summed by SQLite (`debit = debit + excluded.debit`), which turns an
    /// overflowing integer into a REAL; the CHECK constraint then fails with a `DatabaseError`.
    @Test func storedBalancesThatWouldOverflowAreRefusedAsAmountOverflow() throws {
        let ledger = try TestLedger()
        try ledger.db.post(batch: Array(repeating: Self.largest, count: Self.fitting), now: T.now)
        let before = try Snapshot(ledger.db)
        #expect(try nets(ledger.db.trialBalance())["5-1100|IDR"] == Int64(Self.fitting) * 250 * Limits.amountMinorUnitsMax)
        var thrown: (any Error)?
        do {
            try ledger.db.post(Self.largest, now: T.now)
        } catch {
            thrown = error
        }
        let error = try #require(thrown, "the 37th entry must be refused")
        if case .amountOverflow = error as? LedgerError {
            // as designed
        } else {
            Issue.record("expected LedgerError.amountOverflow, got \(error)")
        }
        #expect(try Snapshot(ledger.db) == before)
        #expect(try ledger.db.verify().passed)
    }
}
