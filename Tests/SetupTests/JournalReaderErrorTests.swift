import LedgerCore
import Setup
import Testing

/// Every way a journal is refused, with its exact line and column.
@Suite struct JournalReaderErrorTests {
    static func at(_ line: Int, _ column: Int?) -> InputLocation {
        InputLocation(file: "test.journal", line: line, column: column)
    }

    static let cases: [(String, String, JournalError)] = [
        ("month 13", "2024-13-01 x\n", .dateInvalid(at(1, 1), text: "2024-13-01")),
        ("day 30 of February", "; c\n2024-02-30 x\n", .dateInvalid(at(2, 1), text: "2024-02-30")),
        ("date glued to text", "2024-01-011 x\n", .dateInvalid(at(1, 1), text: "2024-01-011")),
        ("mixed separators", "2024-01/01 x\n", .dateInvalid(at(1, 1), text: "2024-01/01")),
        ("short date", "2024-1-1 x\n", .dateInvalid(at(1, 1), text: "2024-1-1")),
        ("secondary date", "2024-01-01=2024-01-05 x\n", .unsupportedSyntax(at(1, 11), .secondaryDate)),
        ("unterminated code", "2024-01-01 * (PV-1 desc\n", .codeUnterminated(at(1, 14))),
        ("include", "include other.journal\n", .directiveUnsupported(at(1, 1), name: "include")),
        ("market price", "P 2024-01-01 USD 15000 IDR\n", .directiveUnsupported(at(1, 1), name: "P")),
        ("alias", "; x\nalias a=b\n", .directiveUnsupported(at(2, 1), name: "alias")),
        ("periodic transaction", "~ monthly\n", .directiveUnsupported(at(1, 1), name: "~")),
        ("automated transaction", "= expr\n", .directiveUnsupported(at(1, 1), name: "=")),
        ("apply", "apply account Foo\n", .directiveUnsupported(at(1, 1), name: "apply")),
        ("plural account", "accounts Foo\n", .directiveUnsupported(at(1, 1), name: "accounts")),
        ("account without name", "account\n", .directiveArgumentMissing(at(1, 1), directive: "account")),
        ("account with only a comment", "account   ; none\n", .directiveArgumentMissing(at(1, 1), directive: "account")),
        ("commodity without symbol", "commodity 1,000.00\n", .directiveArgumentMissing(at(1, 1), directive: "commodity")),
        ("unknown commodity", "commodity 1,000.00 XBT\n", .commodityUnknown(at(1, 11), symbol: "XBT")),
        ("posting outside a transaction", "account A\n\n  A  1 IDR\n", .postingOutsideTransaction(at(3, 3))),
        ("sub-directive", "account A\n  note cash\n", .unsupportedSyntax(at(2, 3), .subdirective)),
        ("virtual posting", "2024-01-01 x\n    (Assets:Cash)  1 IDR\n", .unsupportedSyntax(at(2, 5), .virtualPosting)),
        ("balanced virtual posting", "2024-01-01 x\n\t[Assets:Cash]  1 IDR\n", .unsupportedSyntax(at(2, 2), .virtualPosting)),
        ("posting status", "2024-01-01 x\n    * Assets:Cash  1 IDR\n", .unsupportedSyntax(at(2, 5), .postingStatus)),
        ("price", "2024-01-01 x\n    Assets:USD  10 USD @ 15000 IDR\n", .unsupportedSyntax(at(2, 24), .price)),
        ("total price", "2024-01-01 x\n    Assets:USD  10 USD @@ 150000 IDR\n", .unsupportedSyntax(at(2, 24), .price)),
        ("balance assertion", "2024-01-01 x\n    Assets:Cash  1 IDR = 5 IDR\n", .unsupportedSyntax(at(2, 24), .balanceAssertion)),
        ("lot price", "2024-01-01 x\n    Assets:USD  10 USD {15000 IDR}\n", .unsupportedSyntax(at(2, 24), .lotPrice)),
        ("too many decimals", "2024-01-01 x\n    Assets:USD  1.005 USD\n",
         .amountInvalid(at(2, 17), text: "1.005 USD",
                        reason: .amountInvalid(field: "amount", text: "1.005 USD", reason: .tooManyDecimals(currency: .usd, found: 3)))),
        ("bad grouping", "2024-01-01 x\n    Assets:Cash  1,25,000 IDR\n",
         .amountInvalid(at(2, 18), text: "1,25,000 IDR",
                        reason: .amountInvalid(field: "amount", text: "1,25,000 IDR", reason: .badGrouping))),
        ("amount too large", "2024-01-01 x\n    Assets:Cash  99999999999999999 IDR\n",
         .amountInvalid(at(2, 18), text: "99999999999999999 IDR",
                        reason: .amountInvalid(field: "amount", text: "99999999999999999 IDR", reason: .overflow))),
        ("unknown commodity in an amount", "2024-01-01 x\n    Assets:Cash  100 XYZ\n", .commodityUnknown(at(2, 18), symbol: "XYZ")),
        ("dollar sign", "2024-01-01 x\n    Assets:Cash  $100\n", .commodityUnknown(at(2, 18), symbol: "$")),
        ("lower-case code", "2024-01-01 x\n    Assets:Cash  100 idr\n", .commodityUnknown(at(2, 18), symbol: "idr")),
        ("sum overflows", "2024-01-01 x\n    A  90000000000000000 IDR\n    B  90000000000000000 IDR\n    C  -1 IDR\n",
         .amountOverflow(at(3, 5))),
        ("two elided amounts", "2024-01-01 x\n    A  1 IDR\n    B\n    C\n", .multipleElidedAmounts(at(4, 5))),
        ("elided amount in two unbalanced currencies", "2024-01-01 x\n    A  1 IDR\n    B  1 USD\n  C\n",
         .elidedAmountAmbiguous(at(4, 3), currencies: [.idr, .usd])),
        ("unbalanced", "; c\n2024-01-01 * x\n    A  100 IDR\n    B  -99.99 IDR\n\n",
         .unbalanced(at(2, 1), currency: .idr, differenceMinorUnits: 1)),
        ("unbalanced second currency", "2024-01-01 x\n    A  1 IDR\n    B  -1 IDR\n    C  1 USD\n",
         .unbalanced(at(1, 1), currency: .usd, differenceMinorUnits: 100)),
        ("single posting", "2024-01-01 x\n    A  1 IDR\n", .unbalanced(at(1, 1), currency: .idr, differenceMinorUnits: 100)),
        ("unterminated comment block", "; c\ncomment\n2024-01-01 x\n", .commentBlockUnterminated(at(2, 1))),
    ]

    @Test(arguments: 0..<cases.count)
    func refused(index: Int) {
        let (name, journal, expected) = Self.cases[index]
        let error = TestSupport.journalError(journal)
        #expect(error == expected, "\(name)")
    }

    @Test func invalidUTF8IsRefusedWhereItIs() {
        var bytes = Array("2024-01-01 Caf".utf8) + [0xE9] + Array("\n    A  1 IDR\n    B\n".utf8)
        #expect(TestSupport.journalError(bytes: bytes) == .invalidUTF8(Self.at(1, 12)))
        bytes = Array("2024-01-01 é\n    Ä:".utf8) + [0xFF] + Array("  1 IDR\n    B\n".utf8)
        #expect(TestSupport.journalError(bytes: bytes) == .invalidUTF8(Self.at(2, 5)))
        bytes = Array("2024-01-01 ok\n    A  1 IDR ; é party: ".utf8) + [0xC3] + Array("\n    B\n".utf8)
        #expect(TestSupport.journalError(bytes: bytes) == .invalidUTF8(Self.at(2, 25)))
    }

    @Test func columnsCountCharactersNotBytes() {
        // "Kas Désa" has one two-byte character before the amount.
        let error = TestSupport.journalError("2024-01-01 x\n    Kas Désa  100 XYZ\n")
        #expect(error == .commodityUnknown(Self.at(2, 15), symbol: "XYZ"))
    }

    @Test func tooManyPostings() {
        var journal = "2024-01-01 payroll\n"
        for _ in 1..<Limits.postingsPerEntryMax { journal += "    Expenses:Salaries  1 IDR\n" }
        let limitLine = Limits.postingsPerEntryMax + 2
        #expect(TestSupport.journalError(journal + "    Assets:Bank\n") == nil)
        #expect(TestSupport.journalError(journal + "    Assets:Cash  -1 IDR\n    Assets:Bank\n")
            == .tooManyPostings(Self.at(limitLine, 5), max: Limits.postingsPerEntryMax))
    }

    @Test func lineTooLong() {
        let long = "; " + String(repeating: "x", count: Limits.inputLineLengthMax)
        #expect(TestSupport.journalError("account A\n" + long + "\naccount B\n")
            == .lineTooLong(InputLocation(file: "test.journal", line: 2), max: Limits.inputLineLengthMax))
        // The same at the end of the input, without a newline.
        #expect(TestSupport.journalError("account A\n" + long)
            == .lineTooLong(InputLocation(file: "test.journal", line: 2), max: Limits.inputLineLengthMax))
        // A line of exactly the maximum is accepted.
        let longest = "; " + String(repeating: "x", count: Limits.inputLineLengthMax - 2)
        #expect(TestSupport.journalError("account A\n" + longest + "\naccount B\n") == nil)
    }

    @Test func afterAnErrorTheReaderKeepsThrowingIt() throws {
        let reader = JournalReader(text: "account A\n2024-01-01 x\n  A  1 IDR\n\naccount B\n", file: "test.journal")
        #expect(try reader.next() == .accountDeclaration(name: "A", line: 1))
        let expected = JournalError.unbalanced(Self.at(2, 1), currency: .idr, differenceMinorUnits: 100)
        #expect(throws: expected) { try reader.next() }
        #expect(throws: expected) { try reader.next() }
    }

    @Test func missingFile() {
        #expect(throws: JournalError.fileUnreadable(
            InputLocation(file: "/nonexistent/neraca.journal", line: 0), reason: "No such file or directory")) {
            _ = try JournalReader(path: "/nonexistent/neraca.journal")
        }
    }

    @Test func badExchangeRateIsReportedAtTheTag() throws {
        let journal = "2024-01-01 x\n    A  1 USD ; exchange-rate: USD-IDR 15000\n    B\n"
        let transaction = try #require(try TestSupport.transactions(journal).first)
        #expect(throws: JournalError.exchangeRateInvalid(Self.at(2, 31), text: "USD-IDR 15000")) {
            _ = try transaction.entryDraft(author: "import")
        }
    }

    @Test func descriptionIsCompilerStyle() {
        let error = JournalError.unbalanced(
            InputLocation(file: "data/2024.journal", line: 120, column: 1), currency: .idr, differenceMinorUnits: -150)
        #expect(error.description == "data/2024.journal:120:1: the transaction does not balance: its IDR postings sum to -IDR 1.50")
        let price = JournalError.unsupportedSyntax(InputLocation(file: "j", line: 3, column: 24), .price)
        #expect(price.description == "j:3:24: prices ('@' or '@@') are not supported: write the transaction in plain form")
    }
}
