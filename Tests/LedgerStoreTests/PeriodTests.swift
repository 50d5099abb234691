import LedgerCore
import LedgerStore
import Testing

@Suite("Closing periods")
struct PeriodTests {
    typealias T = TestLedger

    @Test func closingAPastMonthRecordsWhoWhenAndTheChainHead() throws {
        let ledger = try TestLedger()
        try ledger.db.post(T.expense(1_000, on: "2024-06-10"), now: T.now)
        let head = try ledger.db.post(T.expense(2_000, on: "2024-07-10"), now: T.now).hash
        let closed = try ledger.db.close(T.period("2024-06"), by: "  Ani Wulandari ", now: T.now)
        #expect(closed.period == T.period("2024-06"))
        #expect(closed.closedBy == "Ani Wulandari")
        #expect(closed.closedAt == T.now)
        #expect(closed.chainHead == head)
        #expect(try ledger.db.closedPeriods() == [closed])
        #expect(try ledger.db.verify().passed)
    }

    @Test func aClosedMonthRefusesEntriesDatedInIt() throws {
        let ledger = try TestLedger()
        try ledger.db.post(T.expense(1_000, on: "2024-06-10"), now: T.now)
        _ = try ledger.db.close(T.period("2024-06"), by: "ani", now: T.now)
        let before = try Snapshot(ledger.db)
        for date in ["2024-06-01", "2024-06-15", "2024-06-30"] {
            #expect(throws: LedgerError.periodClosed(field: "date", period: T.period("2024-06"))) {
                try ledger.db.post(T.expense(5, on: date), now: T.now)
            }
        }
        #expect(throws: LedgerError.batchEntryRefused(
            index: 1, reason: .periodClosed(field: "date", period: T.period("2024-06")))) {
            try ledger.db.post(batch: [T.expense(5, on: "2024-07-01"), T.expense(5, on: "2024-06-30")], now: T.now)
        }
        #expect(try Snapshot(ledger.db) == before)
        // The neighbouring months stay open.
        #expect(try ledger.db.post(T.expense(5, on: "2024-05-31"), now: T.now).number == T.number(2024, 2))
        #expect(try ledger.db.post(T.expense(5, on: "2024-07-01"), now: T.now).number == T.number(2024, 3))
        #expect(try ledger.db.verify().passed)
    }

    @Test func closingTwiceIsRefused() throws {
        let ledger = try TestLedger()
        let first = try ledger.db.close(T.period("2024-03"), by: "ani", now: T.now)
        #expect(throws: LedgerError.periodAlreadyClosed(period: T.period("2024-03"))) {
            try ledger.db.close(T.period("2024-03"), by: "budi", now: T.at("2025-02-01"))
        }
        #expect(try ledger.db.closedPeriods() == [first])
    }

    @Test func aMonthThatHasNotEndedCannotBeClosed() throws {
        let ledger = try TestLedger()
        // The current month, a future month, and the month whose last day is today.
        #expect(throws: LedgerError.periodNotEnded(period: T.period("2025-01"))) {
            try ledger.db.close(T.period("2025-01"), by: "ani", now: T.now)
        }
        #expect(throws: LedgerError.periodNotEnded(period: T.period("2025-06"))) {
            try ledger.db.close(T.period("2025-06"), by: "ani", now: T.now)
        }
        let lastMoment = Timestamp(millisecondsSince1970: T.at("2025-02-01", hour: 0).millisecondsSince1970 - 1)
        #expect(throws: LedgerError.periodNotEnded(period: T.period("2025-01"))) {
            try ledger.db.close(T.period("2025-01"), by: "ani", now: lastMoment)
        }
        #expect(try ledger.db.closedPeriods().isEmpty)
        // One millisecond later it has ended.
        let closed = try ledger.db.close(T.period("2025-01"), by: "ani", now: T.at("2025-02-01", hour: 0))
        #expect(closed.period == T.period("2025-01"))
    }

    @Test func theCloserMustBeNamed() throws {
        let ledger = try TestLedger()
        #expect(throws: LedgerError.textEmpty(field: "by")) { try ledger.db.close(T.period("2024-03"), by: "  ", now: T.now) }
        #expect(throws: LedgerError.textHasControlCharacters(field: "by")) {
            try ledger.db.close(T.period("2024-03"), by: "a\u{7}", now: T.now)
        }
        #expect(try ledger.db.closedPeriods().isEmpty)
    }

    @Test func closedPeriodsAreListedOldestFirst() throws {
        let ledger = try TestLedger()
        for text in ["2024-05", "2023-12", "2024-01"] {
            _ = try ledger.db.close(T.period(text), by: "ani", now: T.now)
        }
        #expect(try ledger.db.closedPeriods().map(\.period.description) == ["2023-12", "2024-01", "2024-05"])
    }

    @Test func anEntryReplayedByItsKeyAfterClosingStillReturnsTheOriginal() throws {
        let ledger = try TestLedger()
        let draft = T.expense(3_000, on: "2024-06-10", key: "june-claim")
        let first = try ledger.db.post(draft, now: T.now)
        _ = try ledger.db.close(T.period("2024-06"), by: "ani", now: T.now)
        let again = try ledger.db.post(draft, now: T.now)
        #expect(again.replayed && again.number == first.number)
    }
}
