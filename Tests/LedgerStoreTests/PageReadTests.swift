import Budgets
import FeeClaims
import FraudRules
import LedgerCore
import LedgerStore
import NeracaTestSupport
import Testing

/// Reads and small writes the web pages need: the postings behind a budget figure, a
/// finding's record, a claim's findings, the language a user chose, a receipt's own checks,
/// a claim created once per form with its receipt, lines changed once per form.
@Suite("Store reads and writes for the pages")
struct PageReadTests {
    typealias T = TestLedger
    typealias B = BudgetedLedger

    @Test func theDrillDownListsExactlyThePostingsBehindTheSpending() throws {
        let budget = try BudgetedLedger()
        let db = budget.db
        for amount: Int64 in [100_000, 50_000, 25_000] { _ = try db.post(B.spend(amount, on: "SBT/2.1.3"), now: T.now) }
        // A refund: a credit to the expense line gives back.
        _ = try db.post(EntryDraft(
            date: T.date("2024-07-01"), description: "Refund of an advance", author: "finance.mks",
            postings: [PostingDraft(accountCode: "5-1100", amount: T.idr(-10_000),
                                    dimensions: Dimensions(district: "SBT", budgetLine: "2.1.3")),
                       PostingDraft(accountCode: "1-1100", amount: T.idr(10_000))]), now: T.now)
        // Not behind the figure: another district, another line, and a bank posting carrying the dimensions.
        _ = try db.post(B.spend(70_000, on: "SBD/2.1.3"), now: T.now)
        _ = try db.post(B.spend(30_000, on: "SBT/3.1"), now: T.now)
        _ = try db.post(EntryDraft(
            date: T.date("2024-07-02"), description: "Transfer tagged with the line", author: "finance.mks",
            postings: [PostingDraft(accountCode: "1-1300", amount: T.idr(5_000),
                                    dimensions: Dimensions(district: "SBT", budgetLine: "2.1.3")),
                       PostingDraft(accountCode: "1-1100", amount: T.idr(-5_000))]), now: T.now)

        let page = try db.budgetPostings(fiscalYear: 2024, district: "SBT", budgetLine: "2.1.3", limit: 100)
        #expect(page.postings.map(\.amount.minorUnits) == [100_000, 50_000, 25_000, -10_000])
        #expect(page.postings.allSatisfy { $0.account == "5-1100" })
        #expect(page.next == nil)
        let actual = try #require(try budget.figures()[B.key("SBT/2.1.3")]).actual
        #expect(page.postings.reduce(Int64(0)) { $0 + $1.amount.minorUnits } == actual.minorUnits)
        #expect(try db.budgetPostings(fiscalYear: 2025, district: "SBT", budgetLine: "2.1.3", limit: 100).postings.isEmpty)

        // Pages of two follow each other without gap or repeat.
        var seen: [Int64] = []
        var cursor: BudgetPostingCursor?
        repeat {
            let page = try db.budgetPostings(fiscalYear: 2024, district: "SBT", budgetLine: "2.1.3", after: cursor, limit: 2)
            #expect(page.postings.count <= 2)
            seen += page.postings.map(\.amount.minorUnits)
            cursor = page.next
        } while cursor != nil
        #expect(seen == [100_000, 50_000, 25_000, -10_000])
    }

    @Test func aPageOfEntriesCarriesEveryPostingPastFiveHundredEntries() throws {
        let ledger = try TestLedger()
        let drafts = (1...620).map { index in
            EntryDraft(date: T.date("2024-06-15"), description: "Fuel \(index)", author: "finance.mks",
                       postings: [PostingDraft(accountCode: "5-1200", amount: T.idr(Int64(index) * 100)),
                                  PostingDraft(accountCode: "1-1100", amount: T.idr(-Int64(index) * 100))])
        }
        _ = try ledger.db.post(batch: drafts, now: T.now)
        let page = try ledger.db.entries(EntryFilter(), limit: 1_000)
        #expect(page.entries.count == 620 && page.next == nil)
        #expect(page.entries.map { $0.draft.postings.map(\.amount.minorUnits) } == drafts.map { $0.postings.map(\.amount.minorUnits) })
        let first = try ledger.db.entries(EntryFilter(), limit: 550)
        #expect(first.entries.count == 550 && first.entries.allSatisfy { $0.draft.postings.count == 2 })
        let rest = try ledger.db.entries(EntryFilter(), after: first.next, limit: 550)
        #expect(rest.entries.count == 70 && rest.entries.last?.draft.description == "Fuel 620")
    }

    @Test(arguments: ["", "12", "a-1", "1-", "-1-2", "1-2-3", "-5-1"])
    func aCursorThatIsNotOneIsRefused(_ text: String) {
        #expect(BudgetPostingCursor(parsing: text) == nil)
    }

    @Test func aCursorReadsBackAsWritten() throws {
        let cursor = BudgetPostingCursor(entryID: 42, line: 3)
        #expect(BudgetPostingCursor(parsing: cursor.description) == cursor)
    }

    @Test func aFindingComesWithItsDecisionsAndAClaimWithItsFindings() throws {
        let claims = try ClaimLedger()
        let first = try claims.submitted()
        let second = try claims.submitted()  // a duplicate of the first: R02
        try claims.db.setFraudPolicy(FraudStoreTests.policy, setBy: "compliance", now: ClaimLedger.now)
        let found = try claims.db.scanFraud(fiscalYear: 2024, now: ClaimLedger.now).new
        let duplicate = try #require(found.first { $0.finding.rule == .r02 })
        #expect(try claims.db.findings(subject: second.description).map(\.id).contains(duplicate.id))
        #expect(!(try claims.db.findings(subject: first.description).map(\.id).contains(duplicate.id)))
        #expect(try claims.db.findings(status: "dismissed", subject: second.description).isEmpty)

        let open = try #require(try claims.db.findingRecord(duplicate.id))
        #expect(open.decisions.isEmpty && open.finding.status == "open")
        try claims.db.decide(.dismiss, finding: duplicate.id, reason: "Two sessions that day", by: "compliance",
                             now: ClaimLedger.now)
        let decided = try #require(try claims.db.findingRecord(duplicate.id))
        #expect(decided.finding.status == "dismissed")
        #expect(decided.decisions.map(\.reason) == ["Two sessions that day"] && decided.decisions.first?.actor == "compliance")
        #expect(try claims.db.findingRecord("F-999999") == nil)
        #expect(try claims.db.findingRecord("not an id") == nil)
    }

    @Test func aUserKeepsTheLanguageTheyChose() throws {
        let claims = try ClaimLedger()
        let db = claims.db
        try db.addUser(person: "fac.sbt", passwordHash: "$2b$04$placeholder", by: "admin", now: T.now)
        #expect(try db.userLanguage(person: "fac.sbt") == nil)
        try db.setUserLanguage(person: "fac.sbt", language: "id")
        #expect(try db.userLanguage(person: "fac.sbt") == "id")
        #expect(throws: UserError.languageUnknown(language: "fr")) { try db.setUserLanguage(person: "fac.sbt", language: "fr") }
        #expect(try db.userLanguage(person: "fac.sbt") == "id")
        #expect(throws: UserError.userUnknown(person: "fac2.sbt")) { try db.setUserLanguage(person: "fac2.sbt", language: "en") }
    }

    @Test func aClaimIsCreatedOncePerFormWithItsReceiptOrNotAtAll() throws {
        let claims = try ClaimLedger()
        let db = claims.db
        let header = ClaimHeader(claimant: "fac.sbt", district: "SBT", budgetLine: "2.1.3", activity: "Village facilitation",
                                 activityFrom: T.date("2024-06-03"), activityTo: T.date("2024-06-05"))
        let line = ClaimLine(category: .honorarium, quantity: 2, unitRate: T.idr(25_000_000))
        let png = ReceiptUpload(bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 9], fileName: "nota.png")
        func count() throws -> Int { try db.claims(claimant: "fac.sbt").count }

        // A refused receipt leaves no claim behind.
        #expect(throws: ClaimError.receiptNotAccepted(fileName: "a.txt")) {
            try db.createClaim(header, lines: [line], receipts: [ReceiptUpload(bytes: Array("text".utf8), fileName: "a.txt")],
                               requestKey: "k1", by: "fac.sbt", date: ClaimLedger.day, now: ClaimLedger.now)
        }
        #expect(try count() == 0)

        let first = try db.createClaim(header, lines: [line], receipts: [png], requestKey: "k1", by: "fac.sbt",
                                       date: ClaimLedger.day, now: ClaimLedger.now)
        #expect(try db.claim(first).receipts.map(\.fileName) == ["nota.png"])
        let again = try db.createClaim(header, lines: [line], receipts: [png], requestKey: "k1", by: "fac.sbt",
                                       date: ClaimLedger.day, now: ClaimLedger.now)
        #expect(again == first)
        #expect(try count() == 1)
        // The same key with other content (Back, then changes) is refused, the claim unchanged.
        let otherLine = ClaimLine(category: .honorarium, quantity: 3, unitRate: T.idr(25_000_000))
        #expect(throws: ClaimError.requestKeyReused(claim: first.description)) {
            try db.createClaim(header, lines: [otherLine], receipts: [png], requestKey: "k1", by: "fac.sbt",
                               date: ClaimLedger.day, now: ClaimLedger.now)
        }
        #expect(throws: ClaimError.requestKeyReused(claim: first.description)) {
            try db.createClaim(header, lines: [line], requestKey: "k1", by: "fac.sbt", date: ClaimLedger.day,
                               now: ClaimLedger.now)
        }
        #expect(try db.claim(first).lines == [line] && (try count()) == 1)
        // A key never opens another claimant's claim: acting for them is refused first.
        var theirHeader = header
        theirHeader.claimant = "fac2.sbt"
        #expect(throws: ClaimError.notTheClaimant(claim: "a new claim", person: "fac.sbt")) {
            try db.createClaim(theirHeader, lines: [line], requestKey: "k1", by: "fac.sbt", date: ClaimLedger.day,
                               now: ClaimLedger.now)
        }
        // The key is the claimant's: another claimant's form with the same key makes its own claim.
        var other = header
        other.claimant = "fac2.sbt"
        let theirs = try db.createClaim(other, lines: [line], requestKey: "k1", by: "fac2.sbt", date: ClaimLedger.day,
                                        now: ClaimLedger.now)
        #expect(theirs != first)
        for key in [String(repeating: "k", count: 129), "", "two words", "e\u{301}"] {
            #expect(throws: LedgerError.self, "\(key)") {
                try db.createClaim(header, requestKey: key, by: "fac.sbt", date: ClaimLedger.day, now: ClaimLedger.now)
            }
        }
    }

    /// A database from before v8 (the request key dropped, the migration forgotten) opens
    /// with v8 applied over it: its claims intact, verified, and forms creating once.
    @Test func aV7DatabaseGetsTheRequestKey() throws {
        let claims = try ClaimLedger()
        let number = try claims.draft()
        let shell = try SQLiteShell.run(claims.ledger.path, """
            DROP INDEX claims_by_request_key;
            ALTER TABLE claims DROP COLUMN request_key;
            DELETE FROM grdb_migrations WHERE identifier = 'v8-claim-request-key';
            """)
        try #require(shell.status == 0, "\(shell.errorOutput)")
        let reopened = try LedgerDatabase(path: claims.ledger.path)
        #expect(try reopened.verify().passed)
        #expect(try reopened.claim(number).lines.count == 1)
        let header = ClaimHeader(claimant: "fac2.sbt", district: "SBT", budgetLine: "2.1.3", activity: "Village facilitation",
                                 activityFrom: T.date("2024-06-03"), activityTo: T.date("2024-06-05"))
        let first = try reopened.createClaim(header, requestKey: "form-1", by: "fac2.sbt", date: ClaimLedger.day,
                                             now: ClaimLedger.now)
        #expect(try reopened.createClaim(header, requestKey: "form-1", by: "fac2.sbt", date: ClaimLedger.day,
                                         now: ClaimLedger.now) == first)
    }

    @Test func aReceiptRefusedInsideTheTransactionLeavesNoClaim() throws {
        let claims = try ClaimLedger()
        let header = ClaimHeader(claimant: "fac.sbt", district: "SBT", budgetLine: "2.1.3", activity: "Village facilitation",
                                 activityFrom: T.date("2024-06-03"), activityTo: T.date("2024-06-05"))
        // One receipt more than a claim holds: refused while attaching, after the claim row was written.
        let receipts = (0...ClaimLimits.receiptsMax).map { index in
            ReceiptUpload(bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, UInt8(index)], fileName: "nota-\(index).png")
        }
        #expect(throws: ClaimError.self) {
            try claims.db.createClaim(header, lines: [ClaimLine(category: .honorarium, quantity: 1, unitRate: T.idr(10_000_000))],
                                      receipts: receipts, by: "fac.sbt", date: ClaimLedger.day, now: ClaimLedger.now)
        }
        #expect(try claims.db.claims(claimant: "fac.sbt").isEmpty)
    }

    @Test func aLineFormChangesTheLinesItShowedOrNothing() throws {
        let claims = try ClaimLedger()
        let number = try claims.draft()
        let line = ClaimLine(category: .honorarium, quantity: 1, unitRate: T.idr(10_000_000))
        let shown = LedgerDatabase.linesDigest(try claims.db.claim(number).lines)
        try claims.db.addClaimLine(line, to: number, by: "fac.sbt", date: ClaimLedger.day, expectedLines: shown)
        // The same form again: the lines it showed are gone.
        #expect(throws: ClaimError.linesChanged(claim: number.description)) {
            try claims.db.addClaimLine(line, to: number, by: "fac.sbt", date: ClaimLedger.day, expectedLines: shown)
        }
        // A stale tab that saw [a, b] after another removed a and added c: as many lines, other lines.
        let twoLines = try claims.db.claim(number).lines
        let staleTab = LedgerDatabase.linesDigest(twoLines)
        try claims.db.removeClaimLine(at: 0, from: number, by: "fac.sbt", date: ClaimLedger.day, expectedLines: staleTab)
        try claims.db.addClaimLine(ClaimLine(category: .honorarium, quantity: 3, unitRate: T.idr(10_000_000)), to: number,
                                   by: "fac.sbt", date: ClaimLedger.day)
        #expect(try claims.db.claim(number).lines.count == twoLines.count)
        #expect(throws: ClaimError.linesChanged(claim: number.description)) {
            try claims.db.removeClaimLine(at: 0, from: number, by: "fac.sbt", date: ClaimLedger.day, expectedLines: staleTab)
        }
        #expect(try claims.db.claim(number).lines.map(\.quantity) == [1, 3])
        #expect(LedgerDatabase.linesDigest([]) != LedgerDatabase.linesDigest([line]))
    }

    @Test func aDraftsDetailsChangeUntilItIsSubmittedAndTheChainStillVerifies() throws {
        let claims = try ClaimLedger()
        let db = claims.db
        let number = try claims.draft()
        try db.editDraftHeader(number, activity: "  Village facilitation, Desa Bula ", budgetLine: "2.1.3",
                               activityFrom: T.date("2024-06-04"), activityTo: T.date("2024-06-06"), by: "fac.sbt",
                               date: ClaimLedger.day)
        let header = try db.claim(number).snapshot.header
        #expect(header.activity == "Village facilitation, Desa Bula" && header.activityFrom == T.date("2024-06-04"))
        #expect(throws: ClaimError.activityDatesInverted(from: T.date("2024-06-06"), to: T.date("2024-06-04"))) {
            try db.editDraftHeader(number, activity: "x", budgetLine: "2.1.3", activityFrom: T.date("2024-06-06"),
                                   activityTo: T.date("2024-06-04"), by: "fac.sbt", date: ClaimLedger.day)
        }
        #expect(throws: ClaimError.activityOutsideClaimYear(claim: number.description, date: T.date("2025-01-06"),
                                                            fiscalYear: 2024)) {
            try db.editDraftHeader(number, activity: "x", budgetLine: "2.1.3", activityFrom: T.date("2025-01-06"),
                                   activityTo: T.date("2025-01-07"), by: "fac.sbt", date: ClaimLedger.day)
        }
        #expect(throws: BudgetError.self) {
            try db.editDraftHeader(number, activity: "x", budgetLine: "not a line", activityFrom: T.date("2024-06-04"),
                                   activityTo: T.date("2024-06-04"), by: "fac.sbt", date: ClaimLedger.day)
        }
        #expect(throws: ClaimError.notTheClaimant(claim: number.description, person: "fac2.sbt")) {
            try db.editDraftHeader(number, activity: "x", budgetLine: "2.1.3", activityFrom: T.date("2024-06-04"),
                                   activityTo: T.date("2024-06-04"), by: "fac2.sbt", date: ClaimLedger.day)
        }
        #expect(try db.claim(number).snapshot.header == header)  // nothing refused was written
        // Submitted, then returned: its header is in the hash of the version submitted, and stays.
        _ = try claims.act(.submit, number, by: "fac.sbt")
        _ = try claims.act(.return, number, by: "coord.sbt", comment: "Attach the attendance list")
        #expect(throws: ClaimError.actionNotAllowed(claim: number.description, action: "given other details", state: .returned)) {
            try db.editDraftHeader(number, activity: "Other", budgetLine: "2.1.3", activityFrom: T.date("2024-06-04"),
                                   activityTo: T.date("2024-06-06"), by: "fac.sbt", date: ClaimLedger.day)
        }
        #expect(try db.verify().passed)
    }

    @Test func aReceiptIsCheckedBeforeAnyClaimIsMade() throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]
        let checked = try LedgerDatabase.checkReceipt(png, fileName: " nota.png ")
        #expect(checked.type == .png && checked.name == "nota.png")
        #expect(throws: ClaimError.receiptNotAccepted(fileName: "a.txt")) { try LedgerDatabase.checkReceipt(Array("text".utf8), fileName: "a.txt") }
        #expect(throws: ClaimError.receiptEmpty(fileName: "a.png")) { try LedgerDatabase.checkReceipt([], fileName: "a.png") }
        #expect(throws: LedgerError.self) { try LedgerDatabase.checkReceipt(png, fileName: "") }
    }
}
