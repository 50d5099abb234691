import FeeClaims
import Foundation
import LedgerCore
import LedgerStore
import Synchronization
import Testing

/// Claims created at once through one handle share commits (group commit): every one that
/// succeeds is there, numbered without a gap; one that fails halfway through its write (the
/// claim inserted, its line refused) leaves nothing, and takes nothing of the others with it.
@Suite("Group commit")
struct GroupCommitTests {
    typealias T = TestLedger

    @Test("200 claims created at once, every fifth with a line in the wrong currency: 160 numbered 1 to 160, 40 refused")
    func concurrentCreations() throws {
        let fixture = try ClaimLedger()
        let db = fixture.db
        // Sixteen threads of their own (the cooperative pool has only as many as cores), so
        // that writes really wait for each other and share commits.
        let results = Mutex<[(Int, Result<ClaimNumber, any Error>)]>([])
        let finished = DispatchGroup()
        for thread in 0..<16 {
            finished.enter()
            Thread {
                for index in stride(from: thread, to: 200, by: 16) {
                    // A line in dollars is refused after its claim was inserted, among the others of its group.
                    let claimant = index % 2 == 0 ? "fac.sbt" : "fac2.sbt"
                    let rate = Money(minorUnits: 1_000_000 + Int64(index) * 100, currency: index % 5 == 4 ? .usd : .idr)
                    let line = ClaimLine(category: .honorarium, quantity: 1, unitRate: rate)
                    let outcome = Result { () throws -> ClaimNumber in
                        try db.createClaim(
                            ClaimHeader(claimant: claimant, district: "SBT", budgetLine: "2.1.3", activity: "Meeting \(index)",
                                        activityFrom: T.date("2024-06-03"), activityTo: T.date("2024-06-03")),
                            lines: [line], by: claimant, date: ClaimLedger.day, now: ClaimLedger.now)
                    }
                    results.withLock { $0.append((index, outcome)) }
                }
                finished.leave()
            }.start()
        }
        finished.wait()
        let outcomes = results.withLock { $0 }
        #expect(outcomes.count == 200)
        let created = outcomes.compactMap { try? $0.1.get() }
        #expect(created.count == 160)
        #expect(Set(created.map(\.sequence)) == Set(1...160))
        for (index, outcome) in outcomes where index % 5 == 4 {
            #expect(throws: LedgerError.currencyMismatch(field: "unitRate", expected: .idr, found: .usd)) { try outcome.get() }
        }
        let stored = try db.claims(limit: 1_000)
        #expect(stored.count == 160)
        // Each claim has its own line, amount and first event.
        for number in created.prefix(20) {
            let claim = try db.claim(number)
            #expect(claim.lines.count == 1)
            #expect(claim.events.map(\.action) == ["create"])
        }
        #expect(try db.verify().problems.isEmpty)
    }
}
