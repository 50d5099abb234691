import Foundation
import LedgerCore
import NeracaTestSupport
import Setup
import Testing

/// The supported journal syntax, variant by variant.
@Suite struct JournalReaderTests {
    static func idr(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: .idr) }
    static func usd(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: .usd) }

    @Test func clearedTransactionWithCode() throws {
        let journal = """
            2023-04-04 * (PV-SBT-000001) Fee claim 2023-04 Paulus Wijaya (PPh21)
                Expenses:SBT:Personnel:Fees  13600000 IDR
                Liabilities:Tax:PPh21  -680000 IDR
                Liabilities:FeeClaims:PaulusWijaya  -12920000 IDR

            """
        let transaction = try #require(try TestSupport.transactions(journal).first)
        #expect(transaction.date == LedgerDate(year: 2023, month: 4, day: 4))
        #expect(transaction.status == .cleared)
        #expect(transaction.code == "PV-SBT-000001")
        #expect(transaction.description == "Fee claim 2023-04 Paulus Wijaya (PPh21)")
        #expect(transaction.location == InputLocation(file: "test.journal", line: 1, column: 1))
        #expect(transaction.postings == [
            JournalPosting(account: "Expenses:SBT:Personnel:Fees", amount: Self.idr(1_360_000_000), line: 2),
            JournalPosting(account: "Liabilities:Tax:PPh21", amount: Self.idr(-68_000_000), line: 3),
            JournalPosting(account: "Liabilities:FeeClaims:PaulusWijaya", amount: Self.idr(-1_292_000_000), line: 4),
        ])
    }

    @Test func slashDatePendingNoCodeAndHeaderComment() throws {
        let journal = """
            2024/02/29 ! Petty cash top-up ; checked by Ayu
            \tAssets:Cash:SBT\t250000 IDR
            \tAssets:Bank:BRI\t-250000 IDR
            """
        let transaction = try #require(try TestSupport.transactions(journal).first)
        #expect(transaction.date == LedgerDate(year: 2024, month: 2, day: 29))
        #expect(transaction.status == .pending)
        #expect(transaction.code == nil)
        #expect(transaction.description == "Petty cash top-up")
        #expect(transaction.postings.map(\.account) == ["Assets:Cash:SBT", "Assets:Bank:BRI"])
        #expect(transaction.postings.map(\.amount) == [Self.idr(25_000_000), Self.idr(-25_000_000)])
    }

    @Test func unmarkedWithEmptyDescriptionAndNoTrailingNewline() throws {
        let transaction = try #require(try TestSupport.transactions("2024-01-02\n  A  1 IDR\n  B  -1 IDR").first)
        #expect(transaction.status == .unmarked)
        #expect(transaction.description == "")
        #expect(transaction.postings.count == 2)
    }

    @Test(arguments: [
        ("-117772 IDR", Money(minorUnits: -11_777_200, currency: .idr)),
        ("117772.5 IDR", Money(minorUnits: 11_777_250, currency: .idr)),
        ("0.01 USD", Money(minorUnits: 1, currency: .usd)),
        ("IDR 1000", Money(minorUnits: 100_000, currency: .idr)),
        ("IDR -1,000", Money(minorUnits: -100_000, currency: .idr)),
        ("1,250.50 USD", Money(minorUnits: 125_050, currency: .usd)),
        ("-1,250.50 USD", Money(minorUnits: -125_050, currency: .usd)),
        ("USD 3.5", Money(minorUnits: 350, currency: .usd)),
        ("Rp 1.000", Money(minorUnits: 100_000, currency: .idr)),
        ("Rp 1.250.000,50", Money(minorUnits: 125_000_050, currency: .idr)),
        ("-Rp 5.000", Money(minorUnits: -500_000, currency: .idr)),
        ("500", Money(minorUnits: 50_000, currency: .idr)),
        ("-2,500", Money(minorUnits: -250_000, currency: .idr)),
        ("1200 JPY", Money(minorUnits: 1200, currency: .jpy)),
        ("- 75 IDR", Money(minorUnits: -7500, currency: .idr)),
    ])
    func amountForms(text: String, expected: Money) throws {
        let journal = "2024-01-01 x\n    Expenses:Test  \(text)\n    Assets:Test\n"
        let transaction = try #require(try TestSupport.transactions(journal).first)
        #expect(transaction.postings[0].amount == expected)
        #expect(transaction.postings[1].amount == Money(minorUnits: -expected.minorUnits, currency: expected.currency))
    }

    @Test func defaultCurrencyIsConfigurable() throws {
        let reader = JournalReader(text: "2024-01-01 x\n  A  12.5\n  B\n", defaultCurrency: .usd)
        guard case .transaction(let transaction) = try #require(try reader.next()) else {
            Issue.record("expected a transaction")
            return
        }
        #expect(transaction.postings[0].amount == Self.usd(1250))
        #expect(transaction.postings[1].amount == Self.usd(-1250))
    }

    @Test func accountNamesWithSpacesEndAtTwoSpacesTabOrComment() throws {
        let journal = """
            2024-01-01 Office
                Expenses:Office Supplies:Paper A4  100 IDR
                Expenses:Office Supplies\t50 IDR
                Assets:Cash In Hand ; the rest
                Assets:Petty Cash  -1 IDR ; note

            """
        let transaction = try #require(try TestSupport.transactions(journal).first)
        #expect(transaction.postings.map(\.account)
            == ["Expenses:Office Supplies:Paper A4", "Expenses:Office Supplies", "Assets:Cash In Hand", "Assets:Petty Cash"])
        #expect(transaction.postings[2].amount == Self.idr(-14_900))
        #expect(transaction.postings[2].amountWasElided)
    }

    @Test func elidedAmountIsTheNegatedSum() throws {
        let journal = """
            2024-03-01 * Split
                Expenses:Travel  150000 IDR
                Expenses:Meals  25000.25 IDR
                Assets:Bank

            """
        let transaction = try #require(try TestSupport.transactions(journal).first)
        let elided = transaction.postings[2]
        #expect(elided.amount == Self.idr(-17_500_025))
        #expect(elided.amountWasElided)
        #expect(!transaction.postings[0].amountWasElided)
    }

    @Test func elidedAmountInAMultiCurrencyTransactionTakesTheUnbalancedCurrency() throws {
        let journal = """
            2024-03-02 Conversion ; exchange-rate: USD/IDR 15650.25
                Assets:Designated  -100 USD
                Income:Exchange  100 USD
                Assets:Bank  1565025 IDR
                Income:Exchange

            """
        let transaction = try #require(try TestSupport.transactions(journal).first)
        #expect(transaction.postings[3].amount == Self.idr(-156_502_500))
        #expect(transaction.exchangeRate?.value == "USD/IDR 15650.25")
        let draft = try transaction.entryDraft(author: "import")
        #expect(draft.exchangeRate?.description == "USD/IDR 15650.25")
    }

    @Test func elidedAmountOfABalancedTransactionIsZero() throws {
        let transaction = try #require(try TestSupport.transactions("2024-01-01 x\n  A  5 USD\n  B  -5 USD\n  C\n").first)
        #expect(transaction.postings[2].amount == Self.usd(0))
    }

    @Test func tagsBecomeDimensions() throws {
        let journal = """
            2024-05-10 * (PV-SBD-000004) Workshop ; district: SBD, budget-line: 2.1.3
                ; activity: ACT-7, funding-source: JSDF-TF0B1234
                ; free text is ignored, and so is: an unknown tag
                Expenses:Meetings  1000000 IDR ; party: Hotel Sinar, budget-line: 2.1.4
                Expenses:Transport  200000 IDR
                ; district: MKS
                ; party: Andi Ngongo
                Assets:Bank:BNI  -1200000 IDR

            """
        let transaction = try #require(try TestSupport.transactions(journal).first)
        let common = Dimensions(district: "SBD", budgetLine: "2.1.3", activity: "ACT-7", fundingSource: "JSDF-TF0B1234")
        #expect(transaction.dimensions == common)
        var meetings = common
        meetings.party = "Hotel Sinar"
        meetings.budgetLine = "2.1.4"
        var transport = common
        transport.district = "MKS"
        transport.party = "Andi Ngongo"
        #expect(transaction.postings.map(\.dimensions) == [meetings, transport, common])
    }

    @Test func postingTagsWithoutTransactionTags() throws {
        let journal = "2024-01-01 x\n  A  1 IDR ; district: SBT\n  B  -1 IDR\n"
        let transaction = try #require(try TestSupport.transactions(journal).first)
        #expect(transaction.dimensions == .none)
        #expect(transaction.postings[0].dimensions == Dimensions(district: "SBT"))
        #expect(transaction.postings[1].dimensions == .none)
    }

    @Test func commentsDirectivesAndBlocks() throws {
        let journal = """
            ; a journal
            # hash comment
            * star comment
            % percent comment
            | bar comment
            commodity IDR
            commodity 1,000.00 USD
            commodity Rp
            account Assets:Bank:BRI
                ; indented comment under a directive
            account Expenses:Travel  ; with a comment

            comment
            2024-99-99 this is not read
              include nothing
            end comment
              ; an indented comment at top level
            2024-01-01 Ticket
                ; a comment before the postings
                Expenses:Travel  100 IDR
                ; a comment after a posting
                Assets:Bank:BRI  -100 IDR
            """
        let items = try TestSupport.items(journal)
        #expect(items.count == 6)
        guard items.count == 6 else { return }
        #expect(items[0] == .commodityDeclaration(currency: .idr, line: 6))
        #expect(items[1] == .commodityDeclaration(currency: .usd, line: 7))
        #expect(items[2] == .commodityDeclaration(currency: .idr, line: 8))
        #expect(items[3] == .accountDeclaration(name: "Assets:Bank:BRI", line: 9))
        #expect(items[4] == .accountDeclaration(name: "Expenses:Travel", line: 11))
        guard case .transaction(let transaction) = items[5] else {
            Issue.record("expected a transaction, got \(items[5])")
            return
        }
        #expect(transaction.location.line == 18)
        #expect(transaction.postings.map(\.line) == [20, 22])
    }

    @Test func aTransactionEndsAtTheNextUnindentedLine() throws {
        let journal = """
            2024-01-01 One
                A  1 IDR
                B  -1 IDR
            2024-01-02 Two
                A  2 IDR
                B  -2 IDR
            ; comment
            account C
            """
        let items = try TestSupport.items(journal)
        #expect(items.count == 3)
        let descriptions = items.compactMap { item -> String? in
            if case .transaction(let transaction) = item { return transaction.description }
            return nil
        }
        #expect(descriptions == ["One", "Two"])
        #expect(items.last == .accountDeclaration(name: "C", line: 8))
    }

    @Test func windowsLineEndingsAndByteOrderMark() throws {
        let journal = "\u{FEFF}2024-01-01 * (X1) Café\r\n    A  1 IDR\r\n    B  -1 IDR\r\n\r\n"
        let transaction = try #require(try TestSupport.transactions(journal).first)
        #expect(transaction.date == LedgerDate(year: 2024, month: 1, day: 1))
        #expect(transaction.description == "Café")
        #expect(transaction.postings.map(\.amount) == [Self.idr(100), Self.idr(-100)])
    }

    /// The buffer logic must not depend on where chunk boundaries fall.
    @Test(arguments: [1, 2, 3, 7, 64])
    func tinyChunksGiveTheSameItems(chunkBytes: Int) throws {
        let journal = """
            ; header
            account Assets:Bank
            2024-01-01 * (V-1) First ; district: SBT
                Expenses:Travel:Ground transport  117772 IDR
                Assets:Bank

            2024-01-02 Second
                Expenses:Travel  1,250.50 USD ; party: Umbu
                Assets:Bank  -1,250.50 USD
            """
        let expected = try TestSupport.items(journal)
        #expect(expected.count == 3)
        #expect(try TestSupport.items(journal, chunkBytes: chunkBytes) == expected)
    }

    /// The fast path for plain amounts and `Money.parse` must agree on every value.
    @Test func fastAmountsAgreeWithMoneyParse() throws {
        var generator = SplitMix64(seed: 20_240_101)
        let currencies: [Currency] = [.idr, .usd, .jpy]
        var lines: [String] = []
        var expected: [Money] = []
        for _ in 0..<2000 {
            let currency = currencies[Int.random(in: 0..<currencies.count, using: &generator)]
            let integer = Int64.random(in: -999_999_999_999...999_999_999_999, using: &generator)
            var text = String(integer)
            if currency.exponent > 0, Bool.random(using: &generator) {
                let digits = Int.random(in: 1...currency.exponent, using: &generator)
                text += "." + String((0..<digits).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) })
            }
            if integer == 0 { text = "1" }
            lines.append("2024-01-01 x\n  A  \(text) \(currency.code)\n  B\n")
            expected.append(try Money.parse(text + " " + currency.code, locale: .en))
        }
        let transactions = try TestSupport.transactions(lines.joined(separator: "\n"))
        #expect(transactions.map { $0.postings[0].amount } == expected)
    }

    @Test func entryDraftCarriesEverything() throws {
        let journal = """
            2024-05-10 * (PV-MKS-000010) Audit fee 2023 ; district: MKS
                Expenses:Audit  15000000 IDR ; budget-line: 4.1
                Liabilities:Accrued

            """
        let transaction = try #require(try TestSupport.transactions(journal).first)
        let draft = try transaction.entryDraft(author: "finance@bangkit")
        #expect(draft.date == LedgerDate(year: 2024, month: 5, day: 10))
        #expect(draft.description == "Audit fee 2023")
        #expect(draft.reference == "PV-MKS-000010")
        #expect(draft.source == .import)
        #expect(draft.author == "finance@bangkit")
        #expect(draft.exchangeRate == nil)
        #expect(draft.idempotencyKey == nil)
        #expect(draft.postings == [
            PostingDraft(accountCode: "Expenses:Audit", amount: Self.idr(1_500_000_000),
                         dimensions: Dimensions(district: "MKS", budgetLine: "4.1")),
            PostingDraft(accountCode: "Liabilities:Accrued", amount: Self.idr(-1_500_000_000),
                         dimensions: Dimensions(district: "MKS")),
        ])
    }

    @Test func readsAFile() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { TestSupport.remove(directory) }
        let path = directory + "/small.journal"
        try "account A\n\n2024-01-01 x\n  A  1 IDR\n  B\n".write(toFile: path, atomically: true, encoding: .utf8)
        let reader = try JournalReader(path: path)
        #expect(try reader.next() == .accountDeclaration(name: "A", line: 1))
        guard case .transaction(let transaction) = try reader.next() else {
            Issue.record("expected a transaction")
            return
        }
        #expect(transaction.location == InputLocation(file: path, line: 3, column: 1))
        #expect(try reader.next() == nil)
        #expect(reader.lineNumber == 5)
    }
}
