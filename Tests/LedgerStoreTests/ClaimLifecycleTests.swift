import Budgets
import FeeClaims
import Foundation
import LedgerCore
import LedgerStore
import NeracaTestSupport
import Testing

/// Claims through every state of the procedure, with what each step writes: the claim's
/// state and revision, its journal entries, the budget's committed and actual figures for
/// SBT/2.1.3 and the claimant's payable balance. Every expected figure is computed here
/// from the claim lines, never read back from the store.
@Suite("Claim lifecycle")
struct ClaimLifecycleTests {
    typealias T = TestLedger
    static let day = ClaimLedger.day

    // MARK: - The whole way

    @Test("draft → submitted → returned → resubmitted (v2) → approved at two levels → posted → paid in two parts → reversed")
    func everyStateOfOneClaim() throws {
        let claims = try ClaimLedger()
        let db = claims.db
        let header = ClaimHeader(
            claimant: "fac.sbt", district: "SBT", budgetLine: "2.1.3", activity: "Village facilitation",
            activityFrom: T.date("2024-06-03"), activityTo: T.date("2024-06-05"))
        let number = try db.createClaim(header, by: "fac.sbt", date: Self.day, now: ClaimLedger.now)
        #expect(number.description == "FC-SBT-2024-0001")
        var books = Books()
        try expectStep(claims, number, .draft, revision: 1, version: 1, entries: [], owed: 0, books)

        // Draft: lines and a receipt change no revision (they are not transitions).
        let version1 = [
            ClaimLine(category: .honorarium, quantity: 6, unitRate: T.idr(100_000_000), memo: "Facilitator, 6 sessions"),
            ClaimLine(category: .perDiem, quantity: 3, unitRate: T.idr(25_000_000)),
            ClaimLine(category: .transport, quantity: 2, unitRate: T.idr(15_000_000), memo: "Boat to Geser"),
        ]
        for line in version1 { try db.addClaimLine(line, to: number, by: "fac.sbt", date: Self.day) }
        let ticket = pdf("boat tickets Bula-Geser")
        try db.attachReceipt(ticket, fileName: "boat.pdf", to: number, by: "fac.sbt", date: Self.day)
        try expectStep(claims, number, .draft, revision: 1, version: 1, entries: [], owed: 0, books)
        #expect(try db.claim(number).lines == version1)
        let amount1 = total(version1)
        // Above the coordinator's Rp 5.000.000, within the programme manager's Rp 25.000.000.
        try #require(amount1 > 500_000_000 && amount1 <= 2_500_000_000)
        #expect(try db.claim(number).snapshot.amount == T.idr(amount1))

        // Submitted.
        var result = try claims.act(.submit, number, by: "fac.sbt")
        #expect(result.state == .submitted && result.entries.isEmpty)
        try expectStep(claims, number, .submitted, revision: 2, version: 1, entries: [], owed: 0, books)

        // First level: still submitted, nothing committed yet.
        result = try claims.act(.approve, number, by: "coord.sbt")
        #expect(result.state == .submitted && result.entries.isEmpty)
        try expectStep(claims, number, .submitted, revision: 3, version: 1, entries: [], owed: 0, books)
        #expect(try db.claim(number).snapshot.approvals == ["coord.sbt"])

        // Returned by the second level: version 2 starts as a copy of version 1.
        let returnComment = "Per diem for 3 days, the activity had 2 nights"
        result = try claims.act(.return, number, by: "pm", comment: returnComment)
        #expect(result.state == .returned && result.entries.isEmpty)
        try expectStep(claims, number, .returned, revision: 4, version: 2, entries: [], owed: 0, books)
        var detail = try db.claim(number)
        #expect(detail.snapshot.approvals.isEmpty)
        #expect(detail.lines == version1)
        #expect(detail.receipts.map(\.fileName) == ["boat.pdf"])
        #expect(detail.receipts.map(\.sha256) == [EntryHash.sha256(of: ticket)])

        // The claimant corrects version 2; version 1 stays as it was submitted.
        try db.removeClaimLine(at: 1, from: number, by: "fac.sbt", date: Self.day)
        let perDiem2 = ClaimLine(category: .perDiem, quantity: 2, unitRate: T.idr(25_000_000), memo: "2 days")
        try db.addClaimLine(perDiem2, to: number, by: "fac.sbt", date: Self.day)
        let version2 = [version1[0], version1[2], perDiem2]
        let amount2 = total(version2)
        try #require(amount2 != amount1 && amount2 > 500_000_000)
        #expect(try db.claim(number).lines == version2)
        #expect(try db.claimLines(number, version: 1) == version1)
        #expect(try db.claimLines(number, version: 2) == version2)
        try expectStep(claims, number, .returned, revision: 4, version: 2, entries: [], owed: 0, books)

        // Resubmitted as version 2.
        result = try claims.act(.submit, number, by: "fac.sbt")
        #expect(result.state == .submitted)
        try expectStep(claims, number, .submitted, revision: 5, version: 2, entries: [], owed: 0, books)
        #expect(try db.claim(number).snapshot.amount == T.idr(amount2))
        #expect(try db.claims(claimant: "fac.sbt").map(\.amount) == [T.idr(amount2)])
        #expect(try db.claimLines(number, version: 1) == version1)

        // Two levels again, from the start: the coordinator, then the programme manager.
        result = try claims.act(.approve, number, by: "coord.sbt")
        #expect(result.state == .submitted)
        try expectStep(claims, number, .submitted, revision: 6, version: 2, entries: [], owed: 0, books)
        result = try claims.act(.approve, number, by: "pm")
        #expect(result.state == .approved && result.entries.isEmpty)
        books.committed += amount2
        try expectStep(claims, number, .approved, revision: 7, version: 2, entries: [], owed: 0, books)
        #expect(try db.claim(number).snapshot.approvals == ["coord.sbt", "pm"])

        // Posted: Dr expense / Cr claims payable, the commitment released in the same step.
        result = try claims.act(.post, number, by: "fo.1")
        #expect(result.state == .posted)
        #expect(result.owed == T.idr(amount2))
        books.committed -= amount2
        books.actual += amount2
        books.owe("fac.sbt", amount2)
        try expectStep(claims, number, .posted, revision: 8, version: 2, entries: ["posting"], owed: amount2, books)
        let posting = try #require(result.entries.first)
        #expect(result.entries == [posting])
        try expectPostingEntry(db, posting, claim: number, header: header, lines: version2, author: "fo.1")

        // Paid in two parts: the first leaves it posted, the second makes it paid.
        let part1: Int64 = 300_000_000
        try #require(part1 < amount2)
        result = try claims.act(.pay, number, by: "treasurer.1", payment: T.idr(part1))
        #expect(result.state == .posted)
        #expect(result.owed == T.idr(amount2 - part1))
        books.pay("fac.sbt", part1)
        try expectStep(claims, number, .posted, revision: 9, version: 2, entries: ["posting", "payment"],
                       owed: amount2 - part1, books)
        let payment1 = try #require(result.entries.first)
        #expect(result.entries == [payment1])
        try expectPaymentEntry(db, payment1, claim: number, claimant: "fac.sbt", amount: part1, author: "treasurer.1")

        result = try claims.act(.pay, number, by: "treasurer.2")
        #expect(result.state == .paid)
        #expect(result.owed == T.idr(0))
        books.pay("fac.sbt", amount2 - part1)
        try expectStep(claims, number, .paid, revision: 10, version: 2, entries: ["posting", "payment", "payment"],
                       owed: 0, books)
        let payment2 = try #require(result.entries.first)
        try expectPaymentEntry(db, payment2, claim: number, claimant: "fac.sbt", amount: amount2 - part1,
                               author: "treasurer.2")

        // Reversed: the posting is reversed, the payments are not (the money did leave the
        // bank): the spending is gone and the claimant now owes back what was paid.
        let reverseComment = "Paid twice: already in the June payroll"
        result = try claims.act(.reverse, number, by: "fo.2", comment: reverseComment, second: "director")
        #expect(result.state == .reversed)
        #expect(result.entries.count == 1)
        books.actual -= amount2
        books.owe("fac.sbt", -amount2)
        try expectStep(claims, number, .reversed, revision: 11, version: 2,
                       entries: ["posting", "payment", "payment", "reversal"], owed: -amount2, books)
        #expect(books.payable == ["fac.sbt": amount2] && books.bank == -amount2 && books.actual == 0)
        for (original, reversal) in zip([posting], result.entries) {
            try expectReversal(db, reversal, of: original, author: "fo.2")
        }

        // Reversed is final: nothing more is done, nothing written.
        let before = try Snapshot(db)
        #expect(throws: ClaimError.actionNotAllowed(claim: number.description, action: "paid", state: .reversed)) {
            try claims.act(.pay, number, by: "treasurer.1")
        }
        #expect(try Snapshot(db) == before)
        #expect(try db.claim(number).snapshot.revision == 11)

        // Every transition is on the record, in order, with actor, from, to and comment.
        detail = try db.claim(number)
        #expect(detail.events.map(EventLine.init) == [
            EventLine("create", "fac.sbt", nil, .draft),
            EventLine("submit", "fac.sbt", .draft, .submitted),
            EventLine("approve", "coord.sbt", .submitted, .submitted),
            EventLine("return", "pm", .submitted, .returned, returnComment),
            EventLine("submit", "fac.sbt", .returned, .submitted),
            EventLine("approve", "coord.sbt", .submitted, .submitted),
            EventLine("approve", "pm", .submitted, .approved),
            EventLine("post", "fo.1", .approved, .posted),
            EventLine("pay", "treasurer.1", .posted, .posted),
            EventLine("pay", "treasurer.2", .posted, .paid),
            EventLine("reverse", "fo.2", .paid, .reversed, reverseComment + "; confirmed by director"),
        ])
        #expect(detail.events.map(\.sequence) == Array(1...11))
        #expect(detail.events.allSatisfy { $0.claim == number && $0.at == ClaimLedger.now })
        // Each submission's event carries the hash of the version it submitted.
        let receipts = [Receipt(sha256: EntryHash.sha256(of: ticket), mediaType: .pdf, size: ticket.count, fileName: "boat.pdf")]
        #expect(detail.events[1].versionHash
                == ClaimVersionHash.of(number, version: 1, header: header, lines: version1, receipts: receipts))
        #expect(detail.events[4].versionHash
                == ClaimVersionHash.of(number, version: 2, header: header, lines: version2, receipts: receipts))
        #expect(detail.events[1].versionHash != detail.events[4].versionHash)
        #expect(detail.events[10].comment?.contains("director") == true,
                "who confirmed the reversal must be on the record: \(String(describing: detail.events[10].comment))")

        let report = try db.verify()
        #expect(report.passed, "\(report.problems)")
    }

    // MARK: - The other ends

    @Test("Withdrawn by the claimant: nothing committed, nothing written, final")
    func withdrawn() throws {
        let claims = try ClaimLedger()
        let lines = [ClaimLine(category: .honorarium, quantity: 4, unitRate: T.idr(25_000_000))]
        let number = try claims.submitted(by: "fac.sbt", sessions: 4, rate: 25_000_000)
        try expectStep(claims, number, .submitted, revision: 2, version: 1, entries: [], owed: 0, Books())
        #expect(try claims.db.claim(number).lines == lines)

        let result = try claims.act(.withdraw, number, by: "fac.sbt", comment: "Activity cancelled")
        #expect(result.state == .withdrawn && result.entries.isEmpty)
        try expectStep(claims, number, .withdrawn, revision: 3, version: 1, entries: [], owed: 0, Books())
        #expect(try Array(claims.db.claim(number).events.map(EventLine.init).suffix(1)) == [
            EventLine("withdraw", "fac.sbt", .submitted, .withdrawn, "Activity cancelled"),
        ])

        let before = try Snapshot(claims.db)
        #expect(throws: ClaimError.actionNotAllowed(claim: number.description, action: "approved", state: .withdrawn)) {
            try claims.act(.approve, number, by: "coord.sbt")
        }
        #expect(try Snapshot(claims.db) == before)
        try expectStep(claims, number, .withdrawn, revision: 3, version: 1, entries: [], owed: 0, Books())
        #expect(try claims.db.verify().passed)
    }

    @Test("Rejected by the approver: nothing committed, nothing written, final")
    func rejected() throws {
        let claims = try ClaimLedger()
        let number = try claims.submitted(by: "fac2.sbt", sessions: 3)
        let result = try claims.act(.reject, number, by: "coord.sbt", comment: "Not a programme activity")
        #expect(result.state == .rejected && result.entries.isEmpty)
        try expectStep(claims, number, .rejected, revision: 3, version: 1, entries: [], owed: 0, Books())
        #expect(try claims.db.claim(number).events.map(EventLine.init) == [
            EventLine("create", "fac2.sbt", nil, .draft),
            EventLine("submit", "fac2.sbt", .draft, .submitted),
            EventLine("reject", "coord.sbt", .submitted, .rejected, "Not a programme activity"),
        ])
        #expect(throws: ClaimError.actionNotAllowed(claim: number.description, action: "submitted", state: .rejected)) {
            try claims.act(.submit, number, by: "fac2.sbt")
        }
        try expectStep(claims, number, .rejected, revision: 3, version: 1, entries: [], owed: 0, Books())
    }

    @Test("On hold and released: back to where it was (submitted, or approved with its commitment)")
    func onHoldThenReleased() throws {
        let claims = try ClaimLedger()
        var books = Books()

        // Held while submitted: released to submitted, then approved as usual.
        let submitted = try claims.submitted(by: "fac.sbt", sessions: 2)
        let amountS = total([ClaimLine(category: .honorarium, quantity: 2, unitRate: T.idr(25_000_000))])
        var result = try claims.act(.hold, submitted, by: "compliance", comment: "Check attendance list")
        #expect(result.state == .onHold)
        try expectStep(claims, submitted, .onHold, revision: 3, version: 1, entries: [], owed: 0, books)
        result = try claims.act(.release, submitted, by: "compliance", comment: "Attendance list found")
        #expect(result.state == .submitted)
        try expectStep(claims, submitted, .submitted, revision: 4, version: 1, entries: [], owed: 0, books)
        try claims.act(.approve, submitted, by: "coord.sbt")
        books.committed += amountS
        try expectStep(claims, submitted, .approved, revision: 5, version: 1, entries: [], owed: 0, books)

        // Held while approved: the commitment stays while held, and after release.
        let approved = try claims.approved(by: "fac2.sbt", sessions: 3)
        let amountA = total([ClaimLine(category: .honorarium, quantity: 3, unitRate: T.idr(25_000_000))])
        books.committed += amountA
        try expectStep(claims, approved, .approved, revision: 3, version: 1, entries: [], owed: 0, books)
        result = try claims.act(.hold, approved, by: "compliance", comment: "Same activity claimed twice?")
        #expect(result.state == .onHold && result.entries.isEmpty)
        try expectStep(claims, approved, .onHold, revision: 4, version: 1, entries: [], owed: 0, books)
        #expect(throws: ClaimError.actionNotAllowed(claim: approved.description, action: "posted", state: .onHold)) {
            try claims.act(.post, approved, by: "fo.1")
        }
        result = try claims.act(.release, approved, by: "compliance", comment: "Different villages")
        #expect(result.state == .approved && result.entries.isEmpty)
        try expectStep(claims, approved, .approved, revision: 5, version: 1, entries: [], owed: 0, books)

        // And it goes on from there: posting takes the commitment's place.
        result = try claims.act(.post, approved, by: "fo.1")
        #expect(result.state == .posted)
        books.committed -= amountA
        books.actual += amountA
        books.owe("fac2.sbt", amountA)
        try expectStep(claims, approved, .posted, revision: 6, version: 1, entries: ["posting"], owed: amountA, books)
        #expect(try claims.db.claim(approved).events.map(EventLine.init) == [
            EventLine("create", "fac2.sbt", nil, .draft),
            EventLine("submit", "fac2.sbt", .draft, .submitted),
            EventLine("approve", "coord.sbt", .submitted, .approved),
            EventLine("hold", "compliance", .approved, .onHold, "Same activity claimed twice?"),
            EventLine("release", "compliance", .onHold, .approved, "Different villages"),
            EventLine("post", "fo.1", .approved, .posted),
        ])
        #expect(try claims.db.verify().passed)
    }

    @Test("On hold, then rejected by compliance: the commitment is released")
    func onHoldThenRejected() throws {
        let claims = try ClaimLedger()
        var books = Books()
        let number = try claims.approved(by: "fac.sbt", sessions: 4)
        let amount = total([ClaimLine(category: .honorarium, quantity: 4, unitRate: T.idr(25_000_000))])
        books.committed += amount
        try expectStep(claims, number, .approved, revision: 3, version: 1, entries: [], owed: 0, books)
        try claims.act(.hold, number, by: "compliance", comment: "Signature does not match")
        try expectStep(claims, number, .onHold, revision: 4, version: 1, entries: [], owed: 0, books)

        let result = try claims.act(.reject, number, by: "compliance", comment: "Forged attendance list")
        #expect(result.state == .rejected && result.entries.isEmpty)
        books.committed -= amount
        try expectStep(claims, number, .rejected, revision: 5, version: 1, entries: [], owed: 0, books)
        #expect(try Array(claims.db.claim(number).events.map(EventLine.init).suffix(2)) == [
            EventLine("hold", "compliance", .approved, .onHold, "Signature does not match"),
            EventLine("reject", "compliance", .onHold, .rejected, "Forged attendance list"),
        ])
        #expect(throws: ClaimError.actionNotAllowed(claim: number.description, action: "released", state: .rejected)) {
            try claims.act(.release, number, by: "compliance")
        }
        try expectStep(claims, number, .rejected, revision: 5, version: 1, entries: [], owed: 0, books)
        #expect(try claims.db.verify().passed)
    }

    @Test("Returned by finance after approval: the commitment is released, and taken again on re-approval")
    func returnedAfterApproval() throws {
        let claims = try ClaimLedger()
        var books = Books()
        let number = try claims.approved(by: "fac.sbt", sessions: 4)
        let lines = [ClaimLine(category: .honorarium, quantity: 4, unitRate: T.idr(25_000_000))]
        books.committed += total(lines)
        try expectStep(claims, number, .approved, revision: 3, version: 1, entries: [], owed: 0, books)

        let result = try claims.act(.return, number, by: "fo.1", comment: "Bank account missing")
        #expect(result.state == .returned)
        books.committed -= total(lines)
        try expectStep(claims, number, .returned, revision: 4, version: 2, entries: [], owed: 0, books)
        #expect(try claims.db.claim(number).snapshot.approvals.isEmpty)

        try claims.act(.submit, number, by: "fac.sbt")
        try expectStep(claims, number, .submitted, revision: 5, version: 2, entries: [], owed: 0, books)
        try claims.act(.approve, number, by: "coord.sbt")
        books.committed += total(lines)
        try expectStep(claims, number, .approved, revision: 6, version: 2, entries: [], owed: 0, books)
        try claims.act(.post, number, by: "fo.2")
        books.committed -= total(lines)
        books.actual += total(lines)
        books.owe("fac.sbt", total(lines))
        try expectStep(claims, number, .posted, revision: 7, version: 2, entries: ["posting"], owed: total(lines), books)
        #expect(try claims.db.verify().passed)
    }

    @Test("Reversed while partly paid: the posting is reversed, the claimant owes back what was paid")
    func reversedWhilePartlyPaid() throws {
        let claims = try ClaimLedger()
        var books = Books()
        let number = try claims.posted(by: "fac2.sbt", sessions: 4)
        let amount = total([ClaimLine(category: .honorarium, quantity: 4, unitRate: T.idr(25_000_000))])
        books.actual += amount
        books.owe("fac2.sbt", amount)
        try expectStep(claims, number, .posted, revision: 4, version: 1, entries: ["posting"], owed: amount, books)
        let part = amount / 4
        try claims.act(.pay, number, by: "treasurer.2", payment: T.idr(part))
        books.pay("fac2.sbt", part)
        try expectStep(claims, number, .posted, revision: 5, version: 1, entries: ["posting", "payment"],
                       owed: amount - part, books)

        let result = try claims.act(.reverse, number, by: "fo.2", second: "fo.1")
        #expect(result.state == .reversed && result.entries.count == 1)
        books.actual -= amount
        books.owe("fac2.sbt", -amount)
        #expect(books.payable == ["fac2.sbt": part])
        try expectStep(claims, number, .reversed, revision: 6, version: 1,
                       entries: ["posting", "payment", "reversal"], owed: -part, books)
        let entries = try claims.db.claim(number).entries.map { $0.number }
        for (original, reversal) in zip(entries.prefix(1), result.entries) {
            try expectReversal(claims.db, reversal, of: original, author: "fo.2")
        }
        // Without a comment the second person is on the event.
        #expect(try claims.db.claim(number).events.last.map(EventLine.init)
                == EventLine("reverse", "fo.2", .posted, .reversed, "confirmed by fo.1"))
        #expect(try claims.db.verify().passed)
    }

    // MARK: - Events

    /// Each column the chain covers, altered behind the store's back.
    static let tamperings: [(column: String, value: String)] = [
        ("comment", "'Attendance list complete'"),
        ("actor", "'pm'"),
        ("at", "at + 1"),
        ("to_state", "'approved'"),
        ("from_state", "'draft'"),
        ("action", "'approve'"),
        ("version_hash", "zeroblob(32)"),
    ]

    @Test("A claim event altered behind the store's back is found at its claim and sequence", arguments: tamperings)
    func alteredEventIsFound(column: String, value: String) throws {
        let claims = try ClaimLedger()
        let first = try claims.submitted(by: "fac.sbt")
        try claims.act(.return, first, by: "coord.sbt", comment: "Attendance list missing")
        try claims.act(.submit, first, by: "fac.sbt")
        try claims.act(.approve, first, by: "coord.sbt")
        try claims.act(.post, first, by: "fo.1")
        // Another claim's events come after in the same chain: they must not be reported.
        let second = try claims.approved(by: "fac2.sbt")
        #expect(first.description == "FC-SBT-2024-0001")
        #expect(second.description == "FC-SBT-2024-0002")
        #expect(try claims.db.claim(first).events.map(\.action) == ["create", "submit", "return", "submit", "approve", "post"])
        let clean = try claims.db.verify()
        #expect(clean.passed, "\(clean.problems)")

        let shell = try SQLiteShell.run(claims.ledger.path, """
            DROP TRIGGER claim_events_no_update;
            UPDATE claim_events SET \(column) = \(value)
            WHERE sequence = 3 AND claim_id = (SELECT id FROM claims WHERE district = 'SBT' AND fiscal_year = 2024 AND sequence = 1);
            SELECT changes();
            """)
        try #require(shell.status == 0, "\(shell.errorOutput)")
        #expect(shell.output.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
        #expect(try claims.db.verify().problems == [.claimEventHashMismatch(claim: "FC-SBT-2024-0001", sequence: 3)])
    }

    @Test("An approval moved to another claim version is found by verify")
    func approvalMovedToAnotherVersionIsFound() throws {
        let claims = try ClaimLedger()
        let number = try claims.submitted(by: "fac.sbt")
        try claims.act(.approve, number, by: "coord.sbt")
        #expect(try claims.db.claim(number).snapshot.approvals == ["coord.sbt"])
        #expect(try claims.db.verify().passed)
        // The version an approval concerned is part of the event: moved, it breaks the chain,
        // and the version it now names has no lines matching its recorded hash.
        let shell = try SQLiteShell.run(claims.ledger.path, """
            DROP TRIGGER claim_events_no_update;
            UPDATE claim_events SET version = 7 WHERE action = 'approve';
            """)
        try #require(shell.status == 0, "\(shell.errorOutput)")
        let problems = try claims.db.verify().problems
        #expect(problems == [.claimEventHashMismatch(claim: number.description, sequence: 3),
                             .claimVersionAltered(claim: number.description, version: 7)])
    }

    @Test("A claim's state set behind the store's back is found by verify")
    func stateSetBehindTheStoresBackIsFound() throws {
        let claims = try ClaimLedger()
        let number = try claims.submitted(by: "fac.sbt")
        #expect(try claims.db.verify().passed)
        // No trigger guards the state: one UPDATE skips the approval.
        let shell = try SQLiteShell.run(claims.ledger.path, "UPDATE claims SET state = 'approved' WHERE sequence = 1;")
        try #require(shell.status == 0, "\(shell.errorOutput)")
        let detail = try claims.db.claim(number)
        #expect(detail.snapshot.state == .approved)
        #expect(detail.events.last?.to == .submitted)
        let report = try claims.db.verify()
        #expect(report.problems == [.claimStateMismatch(claim: number.description, stored: "approved", events: "submitted")])
    }

    @Test("A line slipped into an approved claim version is found by verify")
    func lineSlippedIntoApprovedVersionIsFound() throws {
        let claims = try ClaimLedger()
        let number = try claims.approved(by: "fac.sbt", sessions: 4)
        let approvedAmount = try claims.db.claim(number).snapshot.amount
        #expect(try claims.db.verify().passed)
        // The store's trigger refuses it; behind its back, without the trigger, verify finds it.
        let refused = try SQLiteShell.run(claims.ledger.path, """
            INSERT INTO claim_lines (claim_id, version, position, category, quantity, unit_rate, currency)
            SELECT id, 1, 9, 'honorarium', 10, 25000000, 'IDR' FROM claims WHERE sequence = 1;
            """)
        #expect(refused.status != 0 && refused.errorOutput.contains("a submitted claim version is frozen"))
        let shell = try SQLiteShell.run(claims.ledger.path, """
            DROP TRIGGER claim_lines_frozen_insert;
            INSERT INTO claim_lines (claim_id, version, position, category, quantity, unit_rate, currency)
            SELECT id, 1, 9, 'honorarium', 10, 25000000, 'IDR' FROM claims WHERE sequence = 1;
            """)
        try #require(shell.status == 0, "\(shell.errorOutput)")
        // What would now be posted is no longer what was approved.
        let amount = try claims.db.claim(number).snapshot.amount
        #expect(amount != approvedAmount)
        let report = try claims.db.verify()
        #expect(report.problems == [.claimVersionAltered(claim: number.description, version: 1)],
                "version 1 has lines for \(amount), approved for \(approvedAmount)")
    }

    // MARK: - Receipts

    @Test("One PDF attached to two claims is stored once; a returned claim keeps its receipts in version 2")
    func receiptsAreStoredOnceAndKept() throws {
        let claims = try ClaimLedger()
        let db = claims.db
        let hotel = pdf("Hotel Bula, 2 nights")
        let digest = EntryHash.sha256(of: hotel)
        let first = try claims.draft(by: "fac.sbt")
        let second = try claims.draft(by: "fac2.sbt")
        let lodging = ClaimLine(category: .lodging, quantity: 2, unitRate: T.idr(40_000_000))
        try db.addClaimLine(lodging, to: first, by: "fac.sbt", date: Self.day)
        try db.addClaimLine(lodging, to: second, by: "fac2.sbt", date: Self.day)

        let attached1 = try db.attachReceipt(hotel, fileName: "hotel.pdf", to: first, by: "fac.sbt", date: Self.day)
        let attached2 = try db.attachReceipt(hotel, fileName: "hotel-shared.pdf", to: second, by: "fac2.sbt", date: Self.day)
        #expect(attached1 == Receipt(sha256: digest, mediaType: .pdf, size: hotel.count, fileName: "hotel.pdf"))
        #expect(attached2 == Receipt(sha256: digest, mediaType: .pdf, size: hotel.count, fileName: "hotel-shared.pdf"))
        #expect(try db.claim(first).receipts == [attached1])
        #expect(try db.claim(second).receipts == [attached2])
        #expect(try db.receiptContent(digest) == hotel)
        #expect(try db.receiptContent(EntryHash.sha256(of: pdf("never attached"))) == nil)
        #expect(try count("receipts", in: claims) == 1)
        #expect(try count("claim_receipts", in: claims) == 2)

        // A second file on the first claim: two receipts stored, each claim lists its own.
        let photo: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array("boat ticket photo".utf8)
        let attached3 = try db.attachReceipt(photo, fileName: "boat.png", to: first, by: "fac.sbt", date: Self.day)
        #expect(attached3.mediaType == .png && attached3.sha256 == EntryHash.sha256(of: photo))
        #expect(Set(try db.claim(first).receipts) == [attached1, attached3])
        #expect(try count("receipts", in: claims) == 2)

        // Submitted, returned: version 2 has the same receipts, enough to resubmit a lodging claim.
        try claims.act(.submit, first, by: "fac.sbt")
        try claims.act(.return, first, by: "coord.sbt", comment: "Hotel invoice is for another name")
        let returned = try db.claim(first)
        #expect(returned.snapshot.state == .returned && returned.snapshot.version == 2)
        #expect(Set(returned.receipts) == [attached1, attached3])
        // The fixture's draft has 4 honorarium sessions at Rp 250.000; the lodging line follows.
        #expect(returned.lines == [ClaimLine(category: .honorarium, quantity: 4, unitRate: T.idr(25_000_000)), lodging])
        let scan: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + Array("corrected invoice".utf8)
        let attached4 = try db.attachReceipt(scan, fileName: "invoice.jpg", to: first, by: "fac.sbt", date: Self.day)
        #expect(attached4.mediaType == .jpeg)
        try claims.act(.submit, first, by: "fac.sbt")
        let resubmitted = try db.claim(first)
        #expect(resubmitted.snapshot.state == .submitted && resubmitted.snapshot.version == 2)
        #expect(Set(resubmitted.receipts) == [attached1, attached3, attached4])
        for receipt in resubmitted.receipts {
            #expect(try db.receiptContent(receipt.sha256).map(EntryHash.sha256(of:)) == receipt.sha256)
        }
        #expect(try count("receipts", in: claims) == 3)
        // The other claim is untouched by all this.
        #expect(try db.claim(second).receipts == [attached2])
        #expect(try db.verify().passed)
    }

    // MARK: - Listing

    @Test("claims(state:district:claimant:from:to:) filters on each criterion and their combinations")
    func listFilters() throws {
        let claims = try ClaimLedger()
        let db = claims.db
        struct Made {
            let number: ClaimNumber
            let claimant: String
            let district: String
            let from: LedgerDate
            let amount: Int64
            var state: ClaimState
        }
        var made: [Made] = []
        func make(_ claimant: String, _ district: String, _ from: String, _ to: String, sessions: Int64) throws -> ClaimNumber {
            let number = try db.createClaim(
                ClaimHeader(claimant: claimant, district: district, budgetLine: "2.1.3", activity: "Training \(from)",
                            activityFrom: T.date(from), activityTo: T.date(to)),
                by: claimant, date: Self.day, now: ClaimLedger.now)
            let line = ClaimLine(category: .honorarium, quantity: sessions, unitRate: T.idr(25_000_000))
            try db.addClaimLine(line, to: number, by: claimant, date: Self.day)
            made.append(Made(number: number, claimant: claimant, district: district, from: T.date(from),
                             amount: total([line]), state: .draft))
            return number
        }
        let march = try make("fac.sbt", "SBT", "2024-03-04", "2024-03-05", sessions: 2)
        let juneDraft = try make("fac2.sbt", "SBT", "2024-06-03", "2024-06-04", sessions: 3)
        let sbd = try make("coord.sbd", "SBD", "2024-06-05", "2024-06-05", sessions: 1)
        let may = try make("fac.sbt", "SBT", "2024-05-13", "2024-05-14", sessions: 4)
        let juneApproved = try make("fac2.sbt", "SBT", "2024-06-07", "2024-06-08", sessions: 2)
        func move(_ number: ClaimNumber, _ state: ClaimState) {
            if let index = made.firstIndex(where: { $0.number == number }) { made[index].state = state }
        }
        try claims.act(.submit, march, by: "fac.sbt")
        move(march, .submitted)
        try claims.act(.submit, sbd, by: "coord.sbd")
        move(sbd, .submitted)
        try claims.act(.submit, may, by: "fac.sbt")
        try claims.act(.withdraw, may, by: "fac.sbt")
        move(may, .withdrawn)
        try claims.act(.submit, juneApproved, by: "fac2.sbt")
        try claims.act(.approve, juneApproved, by: "coord.sbt")
        move(juneApproved, .approved)

        // A few by hand, newest first.
        #expect(try db.claims().map(\.number) == [juneApproved, may, sbd, juneDraft, march])
        #expect(try db.claims(state: .submitted).map(\.number) == [sbd, march])
        #expect(try db.claims(district: "SBD").map(\.number) == [sbd])
        #expect(try db.claims(claimant: "fac.sbt").map(\.number) == [may, march])
        #expect(try db.claims(from: T.date("2024-06-01"), to: T.date("2024-06-30")).map(\.number)
                == [juneApproved, sbd, juneDraft])
        #expect(try db.claims(state: .submitted, district: "SBT").map(\.number) == [march])
        #expect(try db.claims(state: .paid).isEmpty)

        // Summaries carry what the list shows.
        let summaries = try db.claims()
        for claim in made {
            let summary = try #require(summaries.first { $0.number == claim.number })
            #expect(summary.claimant == claim.claimant && summary.state == claim.state)
            #expect(summary.activityFrom == claim.from && summary.activity == "Training \(claim.from)")
            #expect(summary.amount == T.idr(claim.amount))
        }

        // Every combination against the model.
        let periods: [(LedgerDate?, LedgerDate?)] = [
            (nil, nil), (T.date("2024-06-01"), nil), (nil, T.date("2024-05-31")),
            (T.date("2024-06-01"), T.date("2024-06-05")), (T.date("2024-03-01"), T.date("2024-03-31")),
            (T.date("2024-05-13"), T.date("2024-05-13")),
        ]
        for state in [nil, .draft, .submitted, .approved, .withdrawn, .paid] as [ClaimState?] {
            for district in [nil, "SBT", "SBD", "MKS"] as [String?] {
                for claimant in [nil, "fac.sbt", "fac2.sbt", "coord.sbd", "pm"] as [String?] {
                    for (from, to) in periods {
                        let expected = made.reversed().filter { claim in
                            (state.map { claim.state == $0 } ?? true) && (district.map { claim.district == $0 } ?? true)
                                && (claimant.map { claim.claimant == $0 } ?? true)
                                && (from.map { claim.from >= $0 } ?? true) && (to.map { claim.from <= $0 } ?? true)
                        }.map(\.number)
                        let listed = try db.claims(state: state, district: district, claimant: claimant, from: from, to: to)
                        #expect(listed.map(\.number) == expected,
                                "state \(String(describing: state)) district \(district ?? "-") claimant \(claimant ?? "-") from \(from?.description ?? "-") to \(to?.description ?? "-")")
                    }
                }
            }
        }
    }
}

// MARK: - Helpers

/// The figures a claim step must leave, kept by the test from the claim lines.
private struct Books: Equatable, CustomStringConvertible {
    /// Budget SBT/2.1.3 2024, minor units.
    var committed: Int64 = 0
    var actual: Int64 = 0
    /// Claims-payable balance per claimant (negative: owed to them); zeros left out.
    var payable: [String: Int64] = [:]
    /// Balance of the bank 1-1100.
    var bank: Int64 = 0

    /// A posting: `amount` owed to `claimant`.
    mutating func owe(_ claimant: String, _ amount: Int64) { add(-amount, to: claimant) }

    /// A payment of `amount` to `claimant` from the bank.
    mutating func pay(_ claimant: String, _ amount: Int64) {
        add(amount, to: claimant)
        bank -= amount
    }


    private mutating func add(_ amount: Int64, to claimant: String) {
        let balance = payable[claimant, default: 0] + amount
        payable[claimant] = balance == 0 ? nil : balance
    }

    var description: String {
        "committed \(committed), actual \(actual), payable \(payable.sorted { $0.key < $1.key }), bank \(bank)"
    }
}

/// Σ quantity × unit rate, in minor units.
private func total(_ lines: [ClaimLine]) -> Int64 {
    lines.reduce(0) { $0 + $1.quantity * $1.unitRate.minorUnits }
}

/// A small file that is a PDF by its first bytes.
private func pdf(_ text: String) -> [UInt8] {
    Array("%PDF-1.4\n% \(text)\n%%EOF\n".utf8)
}

private func count(_ table: String, in claims: ClaimLedger) throws -> Int? {
    let shell = try SQLiteShell.run(claims.ledger.path, "SELECT COUNT(*) FROM \(table);")
    try #require(shell.status == 0, "\(shell.errorOutput)")
    return Int(shell.output.trimmingCharacters(in: .whitespacesAndNewlines))
}

/// The books as the store has them: budget SBT/2.1.3 2024, the payable per claimant, the bank.
private func observedBooks(_ claims: ClaimLedger) throws -> Books {
    let key = BudgetLineKey(fiscalYear: 2024, district: "SBT", code: "2.1.3")
    let line = try #require(try claims.db.budgetFigures(fiscalYear: 2024).first { $0.line.line.key == key })
    #expect(line.figures.currency == .idr)
    var books = Books(committed: line.figures.committed.minorUnits, actual: line.figures.actual.minorUnits)
    for person in ClaimLedger.people where person.roles.contains(.claimant) {
        let balance = try claims.payable(person.id)
        if balance != 0 { books.payable[person.id] = balance }
    }
    books.bank = try claims.db.register(account: "1-1100").lines.reduce(0) { $0 + $1.amount.minorUnits }
    return books
}

/// After a step: the claim's state, revision and version, the kinds of its entries (each
/// an entry of the journal referring to the claim), what is owed, and the books.
private func expectStep(
    _ claims: ClaimLedger, _ number: ClaimNumber, _ state: ClaimState, revision: Int, version: Int, entries: [String],
    owed: Int64, _ books: Books, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let detail = try claims.db.claim(number)
    #expect(detail.snapshot.state == state, sourceLocation: sourceLocation)
    #expect(detail.snapshot.revision == revision, sourceLocation: sourceLocation)
    #expect(detail.events.count == revision, "the revision counts the events", sourceLocation: sourceLocation)
    #expect(detail.events.last?.to == state, sourceLocation: sourceLocation)
    #expect(detail.snapshot.version == version, sourceLocation: sourceLocation)
    #expect(detail.entries.map { $0.kind } == entries, sourceLocation: sourceLocation)
    #expect(detail.owed == TestLedger.idr(owed), sourceLocation: sourceLocation)
    let numbers = detail.entries.map { $0.number }
    for entryNumber in numbers {
        let entry = try #require(try claims.db.entry(entryNumber), sourceLocation: sourceLocation)
        if let reversed = entry.reverses {
            #expect(numbers.contains(reversed), "a reversal of one of the claim's entries", sourceLocation: sourceLocation)
        } else {
            #expect(entry.draft.reference == number.description, sourceLocation: sourceLocation)
        }
    }
    let observed = try observedBooks(claims)
    #expect(observed == books, sourceLocation: sourceLocation)
}

/// Dr each category's expense account (district, budget line, activity, party = claimant)
/// / Cr claims payable (party = claimant), for the lines' total.
private func expectPostingEntry(
    _ db: LedgerDatabase, _ number: EntryNumber, claim: ClaimNumber, header: ClaimHeader, lines: [ClaimLine],
    author: String, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let entry = try #require(try db.entry(number), sourceLocation: sourceLocation)
    #expect(entry.draft.source == .claim, sourceLocation: sourceLocation)
    #expect(entry.draft.reference == claim.description, sourceLocation: sourceLocation)
    #expect(entry.draft.date == ClaimLedger.day && entry.draft.author == author, sourceLocation: sourceLocation)
    #expect(entry.reverses == nil, sourceLocation: sourceLocation)
    var expense: [String: Int64] = [:]
    for line in lines {
        let account = try #require(ClaimLedger.rates.categories[line.category]?.expenseAccount)
        expense[account, default: 0] += line.quantity * line.unitRate.minorUnits
    }
    var debited: [String: Int64] = [:]
    for posting in entry.draft.postings where posting.amount.minorUnits > 0 {
        debited[posting.accountCode, default: 0] += posting.amount.minorUnits
        #expect(posting.dimensions.district == header.district, sourceLocation: sourceLocation)
        #expect(posting.dimensions.budgetLine == header.budgetLine, sourceLocation: sourceLocation)
        #expect(posting.dimensions.activity == header.activity, sourceLocation: sourceLocation)
        #expect(posting.dimensions.party == header.claimant, sourceLocation: sourceLocation)
        #expect(posting.amount.currency == .idr, sourceLocation: sourceLocation)
    }
    #expect(debited == expense, sourceLocation: sourceLocation)
    let credits = entry.draft.postings.filter { $0.amount.minorUnits < 0 }
    #expect(credits.count == 1, sourceLocation: sourceLocation)
    let credit = try #require(credits.first, sourceLocation: sourceLocation)
    #expect(credit.accountCode == "2-1000", sourceLocation: sourceLocation)
    #expect(credit.amount == TestLedger.idr(-total(lines)), sourceLocation: sourceLocation)
    #expect(credit.dimensions.party == header.claimant, sourceLocation: sourceLocation)
    #expect(credit.dimensions.budgetLine == nil, "the payable is not spending", sourceLocation: sourceLocation)
}

/// Dr claims payable (party = claimant) / Cr the bank 1-1100.
private func expectPaymentEntry(
    _ db: LedgerDatabase, _ number: EntryNumber, claim: ClaimNumber, claimant: String, amount: Int64, author: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let entry = try #require(try db.entry(number), sourceLocation: sourceLocation)
    #expect(entry.draft.source == .claim && entry.draft.reference == claim.description, sourceLocation: sourceLocation)
    #expect(entry.draft.author == author && entry.draft.date == ClaimLedger.day, sourceLocation: sourceLocation)
    let postings = entry.draft.postings.sorted { $0.amount.minorUnits > $1.amount.minorUnits }
    #expect(postings.map(\.accountCode) == ["2-1000", "1-1100"], sourceLocation: sourceLocation)
    #expect(postings.map(\.amount) == [TestLedger.idr(amount), TestLedger.idr(-amount)], sourceLocation: sourceLocation)
    #expect(postings.first?.dimensions.party == claimant, sourceLocation: sourceLocation)
    #expect(postings.allSatisfy { $0.dimensions.budgetLine == nil }, sourceLocation: sourceLocation)
}

/// `reversal` reverses `original`: the same postings with opposite amounts.
private func expectReversal(
    _ db: LedgerDatabase, _ reversal: EntryNumber, of original: EntryNumber, author: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let entry = try #require(try db.entry(reversal), sourceLocation: sourceLocation)
    let reversed = try #require(try db.entry(original), sourceLocation: sourceLocation)
    #expect(entry.reverses == original, sourceLocation: sourceLocation)
    #expect(reversed.reversedBy == reversal, sourceLocation: sourceLocation)
    #expect(entry.draft.author == author, sourceLocation: sourceLocation)
    func key(_ posting: PostingDraft) -> String { "\(posting.accountCode) \(posting.amount.minorUnits) \(posting.dimensions)" }
    let expected = reversed.draft.postings.map {
        PostingDraft(accountCode: $0.accountCode, amount: TestLedger.idr(-$0.amount.minorUnits), dimensions: $0.dimensions)
    }
    #expect(entry.draft.postings.map(key).sorted() == expected.map(key).sorted(), sourceLocation: sourceLocation)
}

/// An event as the tests compare it.
private struct EventLine: Equatable, CustomStringConvertible {
    let action: String
    let actor: String
    let from: ClaimState?
    let to: ClaimState
    let comment: String?

    init(_ action: String, _ actor: String, _ from: ClaimState?, _ to: ClaimState, _ comment: String? = nil) {
        self.action = action
        self.actor = actor
        self.from = from
        self.to = to
        self.comment = comment
    }

    init(_ event: ClaimEvent) {
        self.init(event.action, event.actor, event.from, event.to, event.comment)
    }

    var description: String {
        "\(action) by \(actor): \(from?.rawValue ?? "-") → \(to.rawValue)\(comment.map { " (\($0))" } ?? "")"
    }
}
