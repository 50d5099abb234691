import Budgets
import FeeClaims
import LedgerCore
import LedgerStore
import Testing

/// Many tasks acting on the same claims at once, through several handles on the same file:
/// exactly one approval, one posting and one payment per claim win; the others are refused
/// with a clear error and write nothing.
@Suite("Claim concurrency")
struct ClaimConcurrencyTests {
    typealias T = TestLedger

    static let claimCount = 30
    static let claimants = ["fac.sbt", "fac2.sbt"]

    /// One try at an action: the claim, whether the revision was read long before (stale)
    /// or just before acting, and what happened.
    struct Attempt: Sendable {
        let number: ClaimNumber
        let stale: Bool
        let outcome: Result<ClaimActionResult, any Error>

        var won: ClaimActionResult? {
            if case .success(let result) = outcome { return result }
            return nil
        }

        var error: (any Error)? {
            if case .failure(let error) = outcome { return error }
            return nil
        }
    }

    /// Runs `attempts` tries per claim at once. Try `t` on claim `i` goes through handle
    /// `(i + t) % handles.count`; even tries use the revision read before any task started
    /// (`revisions`), odd tries read it just before acting.
    static func race(
        _ numbers: [ClaimNumber], attempts: Int, handles: [LedgerDatabase], revisions: [ClaimNumber: Int],
        act: @escaping @Sendable (_ db: LedgerDatabase, _ number: ClaimNumber, _ attempt: Int, _ revision: Int) throws
            -> ClaimActionResult
    ) async throws -> [Attempt] {
        try await withThrowingTaskGroup(of: Attempt.self) { group in
            for (index, number) in numbers.enumerated() {
                for attempt in 0..<attempts {
                    let db = handles[(index + attempt) % handles.count]
                    let stale = attempt % 2 == 0
                    let known = revisions[number]
                    group.addTask {
                        let revision = try stale ? known ?? 0 : db.claim(number).snapshot.revision
                        do {
                            return Attempt(number: number, stale: stale,
                                           outcome: .success(try act(db, number, attempt, revision)))
                        } catch {
                            return Attempt(number: number, stale: stale, outcome: .failure(error))
                        }
                    }
                }
            }
            var all: [Attempt] = []
            for try await attempt in group { all.append(attempt) }
            return all
        }
    }

    /// Exactly one winner per claim; every loser refused with one of `allowed`.
    static func expectOneWinnerEach(
        _ attempts: [Attempt], numbers: [ClaimNumber], action: String,
        allowed: (Attempt, ClaimError) -> Bool, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let winners = attempts.filter { $0.won != nil }
        #expect(winners.count == numbers.count, "\(action): one winner per claim", sourceLocation: sourceLocation)
        for number in numbers {
            let count = winners.filter { $0.number == number }.count
            #expect(count == 1, "\(action) \(number): \(count) winners", sourceLocation: sourceLocation)
        }
        for attempt in attempts {
            guard let error = attempt.error else { continue }
            guard let claimError = error as? ClaimError, allowed(attempt, claimError) else {
                Issue.record("\(action) \(attempt.number) (stale: \(attempt.stale)): unexpected \(error)",
                             sourceLocation: sourceLocation)
                continue
            }
        }
    }

    @Test("Approving, posting and paying the same claims from many tasks: each claim approved, posted and paid once")
    func approveAndPayAtOnce() async throws {
        let claims = try ClaimLedger()
        let db = claims.db
        var numbers: [ClaimNumber] = []
        var amounts: [ClaimNumber: Int64] = [:]
        var claimantOf: [ClaimNumber: String] = [:]
        for index in 0..<Self.claimCount {
            let claimant = Self.claimants[index % Self.claimants.count]
            let sessions = Int64(1 + index % 4)
            let number = try claims.submitted(by: claimant, sessions: sessions, rate: 25_000_000)
            numbers.append(number)
            amounts[number] = sessions * 25_000_000
            claimantOf[number] = claimant
        }
        let total = amounts.values.reduce(0, +)
        // Single level: each claim within the coordinator's Rp 5.000.000; all within the budget.
        try #require(amounts.values.allSatisfy { $0 <= 500_000_000 } && total <= 5_000_000_000)
        #expect(Set(numbers).count == Self.claimCount)
        let handles = [db, try LedgerDatabase(path: claims.ledger.path), try LedgerDatabase(path: claims.ledger.path)]

        // Approve: four tries per claim, all as coord.sbt.
        var revisions = try Self.revisions(numbers, db)
        #expect(Set(revisions.values) == [2])
        let approvals = try await Self.race(numbers, attempts: 4, handles: handles, revisions: revisions) {
            db, number, _, revision in
            try db.act(.approve, on: number, by: "coord.sbt", date: ClaimLedger.day, now: ClaimLedger.now,
                       expectedRevision: revision)
        }
        #expect(approvals.count == 4 * Self.claimCount)
        Self.expectOneWinnerEach(approvals, numbers: numbers, action: "approve") { attempt, error in
            let name = attempt.number.description
            if error == .claimChanged(claim: name, expectedRevision: 2, actualRevision: 3) { return true }
            // A fresh look after the winner: the claim is approved already.
            return !attempt.stale && (error == .actionNotAllowed(claim: name, action: "approved", state: .approved)
                || error == .alreadyApproved(claim: name, person: "coord.sbt"))
        }
        #expect(approvals.compactMap(\.won).allSatisfy { $0.state == .approved && $0.entries.isEmpty })
        for number in numbers {
            let detail = try db.claim(number)
            #expect(detail.snapshot.state == .approved && detail.snapshot.revision == 3, "\(number)")
            #expect(detail.snapshot.approvals == ["coord.sbt"], "\(number)")
            #expect(detail.events.filter { $0.action == "approve" }.count == 1, "\(number)")
        }
        var figures = try Self.figures(db)
        #expect(figures.committed == T.idr(total) && figures.actual == T.idr(0))

        // Post: two tries per claim as fo.1, two as fo.2; one posting entry each.
        revisions = try Self.revisions(numbers, db)
        let postings = try await Self.race(numbers, attempts: 4, handles: handles, revisions: revisions) {
            db, number, attempt, revision in
            try db.act(.post, on: number, by: attempt < 2 ? "fo.1" : "fo.2", date: ClaimLedger.day, now: ClaimLedger.now,
                       expectedRevision: revision)
        }
        Self.expectOneWinnerEach(postings, numbers: numbers, action: "post") { attempt, error in
            let name = attempt.number.description
            if error == .claimChanged(claim: name, expectedRevision: 3, actualRevision: 4) { return true }
            return !attempt.stale && error == .actionNotAllowed(claim: name, action: "posted", state: .posted)
        }
        #expect(postings.compactMap(\.won).allSatisfy { $0.state == .posted && $0.entries.count == 1 })
        for number in numbers {
            let detail = try db.claim(number)
            #expect(detail.snapshot.state == .posted && detail.entries.map { $0.kind } == ["posting"], "\(number)")
            #expect(detail.owed == T.idr(amounts[number] ?? 0), "\(number)")
        }
        figures = try Self.figures(db)
        #expect(figures.committed == T.idr(0) && figures.actual == T.idr(total))
        for claimant in Self.claimants {
            let owed = amounts.filter { claimantOf[$0.key] == claimant }.values.reduce(0, +)
            #expect(try claims.payable(claimant) == -owed, "\(claimant)")
        }

        // Pay in full: treasurer.1 and treasurer.2, with the whole amount or what is owed.
        revisions = try Self.revisions(numbers, db)
        let claimAmounts = amounts
        let payments = try await Self.race(numbers, attempts: 4, handles: handles, revisions: revisions) {
            db, number, attempt, revision in
            try db.act(.pay, on: number, by: attempt % 2 == 0 ? "treasurer.1" : "treasurer.2", date: ClaimLedger.day,
                       now: ClaimLedger.now, expectedRevision: revision,
                       payment: attempt < 2 ? nil : T.idr(claimAmounts[number] ?? 0))
        }
        Self.expectOneWinnerEach(payments, numbers: numbers, action: "pay") { attempt, error in
            let name = attempt.number.description
            switch error {
            case .claimChanged(claim: name, expectedRevision: 4, actualRevision: 5): return true
            case .actionNotAllowed(claim: name, action: "paid", state: .paid): return !attempt.stale
            case .paymentAboveOwed(claim: name, owed: T.idr(0), requested: T.idr(claimAmounts[attempt.number] ?? 0)):
                return !attempt.stale
            default: return false
            }
        }
        #expect(payments.compactMap(\.won).allSatisfy { $0.state == .paid && $0.owed == T.idr(0) && $0.entries.count == 1 })

        // Afterwards: each claim paid once, nothing owed, the bank credited exactly the total.
        var paymentEntries: [EntryNumber] = []
        for number in numbers {
            let detail = try db.claim(number)
            #expect(detail.snapshot.state == .paid && detail.owed == T.idr(0), "\(number)")
            #expect(detail.snapshot.revision == 5, "\(number)")
            #expect(detail.entries.map { $0.kind } == ["posting", "payment"], "\(number)")
            #expect(detail.events.map(\.action) == ["create", "submit", "approve", "post", "pay"], "\(number)")
            let payment = try #require(detail.entries.last)
            paymentEntries.append(payment.number)
            let entry = try #require(try db.entry(payment.number))
            let paid = entry.draft.postings.filter { $0.accountCode == "1-1100" }.map(\.amount)
            #expect(paid == [T.idr(-(amounts[number] ?? 0))], "\(number)")
            #expect(entry.draft.postings.first { $0.accountCode == "2-1000" }?.dimensions.party == claimantOf[number])
        }
        #expect(Set(paymentEntries).count == Self.claimCount)
        for claimant in Self.claimants {
            #expect(try claims.payable(claimant) == 0, "\(claimant)")
        }
        let bank = try db.register(account: "1-1100").lines
        #expect(bank.count == Self.claimCount)
        #expect(bank.reduce(0) { $0 + $1.amount.minorUnits } == -total)
        #expect(bank.map { -$0.amount.minorUnits }.sorted() == amounts.values.sorted())
        #expect(try db.summary().entries == 2 * Self.claimCount)
        figures = try Self.figures(db)
        #expect(figures.committed == T.idr(0) && figures.actual == T.idr(total))
        // Every handle sees the same, and the ledger verifies.
        for handle in handles {
            #expect(try handle.claims(state: .paid).count == Self.claimCount)
        }
        let report = try db.verify()
        #expect(report.passed, "\(report.problems)")
    }

    @Test("Partial payments from many tasks at once, without a revision: never more than owed")
    func partialPaymentsAtOnce() async throws {
        let claims = try ClaimLedger()
        let db = claims.db
        var numbers: [ClaimNumber] = []
        for index in 0..<10 {
            numbers.append(try claims.posted(by: Self.claimants[index % Self.claimants.count], sessions: 4))
        }
        let amount: Int64 = 4 * 25_000_000
        let part: Int64 = 40_000_000
        // Two parts fit, a third does not: 20,000,000 stays owed.
        try #require(2 * part < amount && 3 * part > amount)
        let handles = [db, try LedgerDatabase(path: claims.ledger.path), try LedgerDatabase(path: claims.ledger.path)]
        let attempts = try await withThrowingTaskGroup(of: Attempt.self) { group in
            for (index, number) in numbers.enumerated() {
                for attempt in 0..<6 {
                    let handle = handles[(index + attempt) % handles.count]
                    group.addTask {
                        do {
                            let result = try handle.act(
                                .pay, on: number, by: attempt % 2 == 0 ? "treasurer.1" : "treasurer.2",
                                date: ClaimLedger.day, now: ClaimLedger.now, payment: T.idr(part))
                            return Attempt(number: number, stale: false, outcome: .success(result))
                        } catch {
                            return Attempt(number: number, stale: false, outcome: .failure(error))
                        }
                    }
                }
            }
            var all: [Attempt] = []
            for try await attempt in group { all.append(attempt) }
            return all
        }
        for number in numbers {
            let mine = attempts.filter { $0.number == number }
            let won = mine.compactMap(\.won)
            #expect(won.count == 2, "\(number): \(won.count) payments")
            #expect(Set(won.compactMap(\.owed)) == [T.idr(amount - part), T.idr(amount - 2 * part)], "\(number)")
            #expect(won.allSatisfy { $0.state == .posted })
            for error in mine.compactMap(\.error) {
                #expect(error as? ClaimError == .paymentAboveOwed(
                    claim: number.description, owed: T.idr(amount - 2 * part), requested: T.idr(part)), "\(number)")
            }
            let detail = try db.claim(number)
            #expect(detail.snapshot.state == .posted && detail.owed == T.idr(amount - 2 * part), "\(number)")
            #expect(detail.entries.map { $0.kind } == ["posting", "payment", "payment"], "\(number)")
        }
        let bank = try db.register(account: "1-1100").lines
        #expect(bank.count == 2 * numbers.count)
        #expect(bank.reduce(0) { $0 + $1.amount.minorUnits } == -2 * part * Int64(numbers.count))
        let report = try db.verify()
        #expect(report.passed, "\(report.problems)")
    }

    @Test("People changed through one handle are seen at once through another")
    func peopleChangesReachOtherHandles() throws {
        let claims = try ClaimLedger()
        let first = try claims.submitted(by: "fac.sbt")
        let second = try claims.submitted(by: "fac2.sbt")
        let other = try LedgerDatabase(path: claims.ledger.path)
        let third = try claims.submitted(by: "fac.sbt")
        // The other handle has its people loaded: it acted once.
        try other.act(.approve, on: first, by: "coord.sbt", date: ClaimLedger.day, now: ClaimLedger.now)

        // coord.sbt leaves, coord2.sbt takes over, both recorded through the fixture's handle.
        var leaving = try #require(ClaimLedger.people.first { $0.id == "coord.sbt" })
        leaving.activeTo = T.date("2024-06-01")
        let newcomer = ClaimLedger.person("coord2.sbt", "SBT", [.coordinator])
        try claims.db.importPeople([leaving, newcomer], changedBy: "admin", now: ClaimLedger.now)

        #expect(throws: ClaimError.personInactive(field: "as", id: "coord.sbt", on: ClaimLedger.day)) {
            try other.act(.approve, on: second, by: "coord.sbt", date: ClaimLedger.day, now: ClaimLedger.now)
        }
        let result = try other.act(.approve, on: third, by: "coord2.sbt", date: ClaimLedger.day, now: ClaimLedger.now)
        #expect(result.state == .approved)
        #expect(try claims.db.claim(second).snapshot.state == .submitted)
        #expect(try claims.db.claim(third).snapshot.approvals == ["coord2.sbt"])
        #expect(try claims.db.verify().passed)
    }

    static func revisions(_ numbers: [ClaimNumber], _ db: LedgerDatabase) throws -> [ClaimNumber: Int] {
        var revisions: [ClaimNumber: Int] = [:]
        for number in numbers { revisions[number] = try db.claim(number).snapshot.revision }
        return revisions
    }

    static func figures(_ db: LedgerDatabase) throws -> BudgetFigures {
        let key = BudgetLineKey(fiscalYear: 2024, district: "SBT", code: "2.1.3")
        return try #require(try db.budgetFigures(fiscalYear: 2024).first { $0.line.line.key == key }).figures
    }
}
