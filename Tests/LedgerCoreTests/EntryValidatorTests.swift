import LedgerCore
import Testing

@Suite("Entry validation")
struct EntryValidatorTests {
    typealias F = Fixtures

    static func validate(_ draft: EntryDraft) throws(LedgerError) -> EntryDraft {
        try EntryValidator.validated(draft, in: F.context)
    }

    static func twoPostings(_ first: PostingDraft, _ second: PostingDraft, date: String = "2024-06-15") -> EntryDraft {
        F.draft(date: date, postings: [first, second])
    }

    @Test func aCleanDraftComesBackUnchanged() throws {
        let draft = F.draft()
        #expect(try Self.validate(draft) == draft)
        let conversion = try F.conversion(rate: "USD/IDR 15650.25")
        #expect(try Self.validate(conversion) == conversion)
    }

    // MARK: - Shape

    @Test(arguments: [0, 1])
    func tooFewPostings(count: Int) {
        let postings = Array(F.draft().postings.prefix(count))
        #expect(throws: LedgerError.tooFewPostings(count: count)) { try Self.validate(F.draft(postings: postings)) }
    }

    @Test func tooManyPostings() throws {
        let max = Limits.postingsPerEntryMax
        var postings: [PostingDraft] = []
        for index in 0..<max {
            postings.append(PostingDraft(accountCode: index.isMultiple(of: 2) ? "5-1200" : "1-1100",
                                         amount: F.idr(index.isMultiple(of: 2) ? 1_000 : -1_000)))
        }
        let atTheLimit = try Self.validate(F.draft(postings: postings))
        #expect(atTheLimit.postings.count == max)
        postings.append(PostingDraft(accountCode: "5-1200", amount: F.idr(1_000)))
        #expect(throws: LedgerError.tooManyPostings(count: max + 1, max: max)) {
            try Self.validate(F.draft(postings: postings))
        }
    }

    // MARK: - Balance

    @Test(arguments: [(Int64(100), Int64(-99), Int64(1)), (99, -100, -1), (150_000_000, -149_999_999, 1),
                      (1_000, 1_000, 2_000), (-5, -7, -12)])
    func unbalancedReportsTheExactDifference(debit: Int64, credit: Int64, difference: Int64) {
        let draft = Self.twoPostings(
            PostingDraft(accountCode: "5-1100", amount: F.idr(debit)), PostingDraft(accountCode: "1-1100", amount: F.idr(credit)))
        #expect(throws: LedgerError.unbalanced(currency: .idr, differenceMinorUnits: difference)) { try Self.validate(draft) }
    }

    @Test func unbalancedNamesTheFirstCurrencyByCode() {
        let draft = F.draft(postings: [
            PostingDraft(accountCode: "1-9000", amount: F.usd(100)),
            PostingDraft(accountCode: "1-1200", amount: F.usd(-90)),
            PostingDraft(accountCode: "1-1100", amount: F.idr(1_000)),
            PostingDraft(accountCode: "1-9000", amount: F.idr(-1_003)),
        ])
        #expect(throws: LedgerError.unbalanced(currency: .idr, differenceMinorUnits: -3)) { try Self.validate(draft) }
    }

    /// Each posting is at most `amountMinorUnitsMax` and an entry has at most
    /// `postingsPerEntryMax` postings, so summing an entry can never overflow `Int64`: the
    /// largest possible sum is reported as `unbalanced`, exactly.
    @Test func theLargestPossibleSumStillFitsAndIsReportedExactly() {
        let (largest, overflow) = Limits.amountMinorUnitsMax.multipliedReportingOverflow(by: Int64(Limits.postingsPerEntryMax))
        #expect(!overflow)
        let postings = (0..<Limits.postingsPerEntryMax).map { index in
            PostingDraft(accountCode: index.isMultiple(of: 2) ? "5-1200" : "5-1100", amount: F.idr(Limits.amountMinorUnitsMax))
        }
        #expect(throws: LedgerError.unbalanced(currency: .idr, differenceMinorUnits: largest)) {
            try Self.validate(F.draft(postings: postings))
        }
        let negative = postings.map { PostingDraft(accountCode: $0.accountCode, amount: F.idr(-Limits.amountMinorUnitsMax)) }
        #expect(throws: LedgerError.unbalanced(currency: .idr, differenceMinorUnits: -largest)) {
            try Self.validate(F.draft(postings: negative))
        }
    }

    // MARK: - Amounts

    @Test func amountIsZero() {
        let draft = F.draft(postings: [
            PostingDraft(accountCode: "5-1100", amount: F.idr(100)),
            PostingDraft(accountCode: "5-1200", amount: F.idr(0)),
            PostingDraft(accountCode: "1-1100", amount: F.idr(-100)),
        ])
        #expect(throws: LedgerError.amountIsZero(field: "postings[1].amount")) { try Self.validate(draft) }
    }

    @Test func amountLimit() throws {
        let max = Limits.amountMinorUnitsMax
        #expect(try Self.validate(Self.twoPostings(
            PostingDraft(accountCode: "5-1100", amount: F.idr(max)),
            PostingDraft(accountCode: "1-1100", amount: F.idr(-max)))).postings[0].amount == F.idr(max))
        #expect(throws: LedgerError.amountAboveLimit(field: "postings[0].amount", minorUnits: max + 1)) {
            try Self.validate(Self.twoPostings(
                PostingDraft(accountCode: "5-1100", amount: F.idr(max + 1)),
                PostingDraft(accountCode: "1-1100", amount: F.idr(-max - 1))))
        }
        #expect(throws: LedgerError.amountAboveLimit(field: "postings[1].amount", minorUnits: -max - 1)) {
            try Self.validate(Self.twoPostings(
                PostingDraft(accountCode: "5-1100", amount: F.idr(max)),
                PostingDraft(accountCode: "1-1100", amount: F.idr(-max - 1))))
        }
        #expect(throws: LedgerError.amountAboveLimit(field: "postings[1].amount", minorUnits: Int64.min)) {
            try Self.validate(Self.twoPostings(
                PostingDraft(accountCode: "5-1100", amount: F.idr(1)),
                PostingDraft(accountCode: "1-1100", amount: F.idr(Int64.min))))
        }
    }

    // MARK: - Accounts

    @Test func accountUnknown() {
        #expect(throws: LedgerError.accountUnknown(field: "postings[1].account", code: "9-9999")) {
            try Self.validate(Self.twoPostings(
                PostingDraft(accountCode: "5-1100", amount: F.idr(100)), PostingDraft(accountCode: "9-9999", amount: F.idr(-100))))
        }
        // Account codes are taken as written: no trimming.
        #expect(throws: LedgerError.accountUnknown(field: "postings[0].account", code: " 5-1100")) {
            try Self.validate(Self.twoPostings(
                PostingDraft(accountCode: " 5-1100", amount: F.idr(100)), PostingDraft(accountCode: "1-1100", amount: F.idr(-100))))
        }
    }

    @Test func accountNotLeaf() {
        #expect(throws: LedgerError.accountNotLeaf(field: "postings[0].account", code: "5-1000")) {
            try Self.validate(Self.twoPostings(
                PostingDraft(accountCode: "5-1000", amount: F.idr(100)), PostingDraft(accountCode: "1-1100", amount: F.idr(-100))))
        }
        #expect(throws: LedgerError.accountNotLeaf(field: "postings[1].account", code: "1-1000")) {
            try Self.validate(Self.twoPostings(
                PostingDraft(accountCode: "5-1100", amount: F.idr(100)), PostingDraft(accountCode: "1-1000", amount: F.idr(-100))))
        }
    }

    static func pilotPosting(on date: String) -> EntryDraft {
        twoPostings(
            PostingDraft(accountCode: "5-1300", amount: F.idr(100)), PostingDraft(accountCode: "1-1100", amount: F.idr(-100)),
            date: date)
    }

    @Test func accountNotYetOpen() throws {
        #expect(throws: LedgerError.accountNotYetOpen(field: "postings[0].account", code: "5-1300", opensOn: F.date("2024-03-01"))) {
            try Self.validate(Self.pilotPosting(on: "2024-02-29"))
        }
        #expect(throws: LedgerError.accountNotYetOpen(field: "postings[0].account", code: "5-1300", opensOn: F.date("2024-03-01"))) {
            try Self.validate(Self.pilotPosting(on: "2023-12-31"))
        }
        #expect(try Self.validate(Self.pilotPosting(on: "2024-03-01")).date == F.date("2024-03-01"), "open on its first day")
    }

    @Test func accountClosedOnItsClosingDayAndAfter() throws {
        #expect(try Self.validate(Self.pilotPosting(on: "2024-08-31")).date == F.date("2024-08-31"), "open on its last day")
        for date in ["2024-09-01", "2024-09-02", "2025-01-01"] {
            #expect(throws: LedgerError.accountClosed(field: "postings[0].account", code: "5-1300", closedOn: F.date("2024-09-01"))) {
                try Self.validate(Self.pilotPosting(on: date))
            }
        }
    }

    @Test func accountCurrencyMismatch() {
        #expect(throws: LedgerError.accountCurrencyMismatch(
            field: "postings[1].amount", code: "1-1100", accountCurrency: .idr, found: .usd)) {
            try Self.validate(Self.twoPostings(
                PostingDraft(accountCode: "5-1100", amount: F.usd(100)), PostingDraft(accountCode: "1-1100", amount: F.usd(-100))))
        }
        #expect(throws: LedgerError.accountCurrencyMismatch(
            field: "postings[0].amount", code: "1-1200", accountCurrency: .usd, found: .idr)) {
            try Self.validate(Self.twoPostings(
                PostingDraft(accountCode: "1-1200", amount: F.idr(100)), PostingDraft(accountCode: "1-1100", amount: F.idr(-100))))
        }
    }

    // MARK: - Dimensions

    @Test func districtUnknown() {
        for code in ["XYZ", "sbt"] {
            #expect(throws: LedgerError.districtUnknown(field: "postings[0].district", code: code)) {
                try Self.validate(Self.twoPostings(
                    PostingDraft(accountCode: "5-1100", amount: F.idr(100), dimensions: Dimensions(district: code)),
                    PostingDraft(accountCode: "1-1100", amount: F.idr(-100))))
            }
        }
    }

    @Test func fundingSourceUnknown() {
        #expect(throws: LedgerError.fundingSourceUnknown(field: "postings[1].fundingSource", code: "EU-2")) {
            try Self.validate(Self.twoPostings(
                PostingDraft(accountCode: "5-1100", amount: F.idr(100), dimensions: Dimensions(fundingSource: "DTF")),
                PostingDraft(accountCode: "1-1100", amount: F.idr(-100), dimensions: Dimensions(fundingSource: "EU-2"))))
        }
    }

    // MARK: - Text fields

    enum TextField: String, CaseIterable, Sendable {
        case description, author, reference, memo, budgetLine, activity, party, district

        var fieldPath: String {
            switch self {
            case .description, .author, .reference: return rawValue
            default: return "postings[0].\(rawValue)"
            }
        }

        var max: Int {
            switch self {
            case .description: return Limits.descriptionLengthMax
            case .author, .party: return Limits.nameLengthMax
            case .reference: return Limits.referenceLengthMax
            case .memo: return Limits.memoLengthMax
            case .budgetLine, .activity, .district: return Limits.dimensionLengthMax
            }
        }

        /// Required text is refused when blank; optional text becomes nil.
        var isRequired: Bool { self == .description || self == .author }

        func draft(with text: String) -> EntryDraft {
            var draft = Fixtures.draft()
            switch self {
            case .description: draft.description = text
            case .author: draft.author = text
            case .reference: draft.reference = text
            case .memo: draft.postings[0].memo = text
            case .budgetLine: draft.postings[0].dimensions.budgetLine = text
            case .activity: draft.postings[0].dimensions.activity = text
            case .party: draft.postings[0].dimensions.party = text
            case .district: draft.postings[0].dimensions.district = text
            }
            return draft
        }

        func value(in draft: EntryDraft) -> String? {
            switch self {
            case .description: return draft.description
            case .author: return draft.author
            case .reference: return draft.reference
            case .memo: return draft.postings[0].memo
            case .budgetLine: return draft.postings[0].dimensions.budgetLine
            case .activity: return draft.postings[0].dimensions.activity
            case .party: return draft.postings[0].dimensions.party
            case .district: return draft.postings[0].dimensions.district
            }
        }
    }

    @Test(arguments: TextField.allCases)
    func blankText(_ field: TextField) throws {
        for blank in ["", "   ", " \t\n "] {
            if field.isRequired {
                #expect(throws: LedgerError.textEmpty(field: field.fieldPath)) { try Self.validate(field.draft(with: blank)) }
            } else {
                let clean = try Self.validate(field.draft(with: blank))
                #expect(field.value(in: clean) == nil, "blank optional \(field) becomes nil")
            }
        }
    }

    @Test(arguments: TextField.allCases.filter { $0 != .district })
    func textLengthLimit(_ field: TextField) throws {
        let atLimit = String(repeating: "a", count: field.max)
        #expect(try field.value(in: Self.validate(field.draft(with: atLimit))) == atLimit)
        // Counted in characters after NFC: a decomposed "é" is one character.
        let decomposed = String(repeating: "e\u{301}", count: field.max)
        let clean = try #require(try field.value(in: Self.validate(field.draft(with: decomposed))))
        #expect(Array(clean.unicodeScalars) == Array(String(repeating: "\u{e9}", count: field.max).unicodeScalars))
        let tooLong = String(repeating: "a", count: field.max + 1)
        #expect(throws: LedgerError.textTooLong(field: field.fieldPath, length: field.max + 1, max: field.max)) {
            try Self.validate(field.draft(with: tooLong))
        }
        // Surrounding spaces are trimmed before counting.
        #expect(try field.value(in: Self.validate(field.draft(with: "  " + atLimit + "  "))) == atLimit)
    }

    /// Limits are counted in characters, and one character may carry any number of combining
    /// marks: a bound in characters alone does not bound the bytes stored (STYLE.md 6).
    @Test func aLengthLimitAlsoBoundsTheBytes() {
        let oneCharacter = "a" + String(repeating: "\u{301}\u{302}", count: 50_000)  // 1 character, 200 001 bytes
        #expect(oneCharacter.count == 1)
        let error = #expect(throws: LedgerError.self) { try Self.validate(F.draft(description: oneCharacter)) }
        if let error, case .textTooLong(let field, _, _) = error {
            #expect(field == "description")
        } else if let error {
            Issue.record("expected textTooLong for description, got \(error)")
        }
    }

    @Test func districtIsCheckedForLengthBeforeMembership() {
        let tooLong = String(repeating: "S", count: Limits.dimensionLengthMax + 1)
        #expect(throws: LedgerError.textTooLong(field: "postings[0].district", length: 65, max: 64)) {
            try Self.validate(TextField.district.draft(with: tooLong))
        }
    }

    @Test(arguments: TextField.allCases)
    func controlCharacters(_ field: TextField) {
        for text in ["Line one\nline two", "tab\there", "bell\u{7}", "null\u{0}byte", "next\u{85}line", "del\u{7f}ete"] {
            #expect(throws: LedgerError.textHasControlCharacters(field: field.fieldPath)) {
                try Self.validate(field.draft(with: text))
            }
        }
    }

    @Test func cleanedOutputIsTrimmedAndNFC() throws {
        var draft = F.draft()
        draft.description = "  Cafe\u{301} meeting with Kepala Desa \n"
        draft.author = "\tfinance.mks  "
        draft.reference = "  KW-0612 "
        draft.postings[0].memo = " Caf\u{e9} "
        draft.postings[0].dimensions = Dimensions(
            district: " SBT ", budgetLine: " 2.1.3", activity: "Pe\u{301}latihan ", fundingSource: " DTF ", party: " Ibu Maria ")
        draft.postings[1].memo = "   "
        let clean = try Self.validate(draft)
        #expect(Array(clean.description.unicodeScalars) == Array("Caf\u{e9} meeting with Kepala Desa".unicodeScalars))
        #expect(Array(clean.description.utf8) == Array("Café meeting with Kepala Desa".utf8))
        #expect(clean.author == "finance.mks")
        #expect(clean.reference == "KW-0612")
        #expect(Array(try #require(clean.postings[0].memo).unicodeScalars) == ["C", "a", "f", "\u{e9}"])
        #expect(clean.postings[0].dimensions == Dimensions(
            district: "SBT", budgetLine: "2.1.3", activity: "P\u{e9}latihan", fundingSource: "DTF", party: "Ibu Maria"))
        #expect(Array(try #require(clean.postings[0].dimensions.activity).unicodeScalars).count == 9)
        #expect(clean.postings[1].memo == nil)
        // What is not text is untouched.
        #expect(clean.date == draft.date)
        #expect(clean.source == draft.source)
        #expect(clean.postings.map(\.amount) == draft.postings.map(\.amount))
        #expect(clean.postings.map(\.accountCode) == draft.postings.map(\.accountCode))
        // Cleaning is idempotent.
        #expect(try Self.validate(clean) == clean)
    }

    // MARK: - Idempotency keys

    @Test func idempotencyKeyRules() throws {
        let field = "idempotencyKey"
        #expect(try Self.validate(F.draft(idempotencyKey: "claim-2024-0042/post")).idempotencyKey == "claim-2024-0042/post")
        let atLimit = String(repeating: "k", count: Limits.idempotencyKeyLengthMax)
        #expect(try Self.validate(F.draft(idempotencyKey: atLimit)).idempotencyKey == atLimit)
        #expect(throws: LedgerError.textEmpty(field: field)) { try Self.validate(F.draft(idempotencyKey: "")) }
        #expect(throws: LedgerError.textTooLong(field: field, length: 129, max: 128)) {
            try Self.validate(F.draft(idempotencyKey: atLimit + "k"))
        }
        for key in ["two words", " padded", "padded ", "tab\tkey", "line\nkey", "kunci-ü", "del\u{7f}", "ключ"] {
            #expect(throws: LedgerError.textHasControlCharacters(field: field)) {
                try Self.validate(F.draft(idempotencyKey: key))
            }
        }
        #expect(throws: Never.self) { try EntryValidator.checkIdempotencyKey("~!#$%&'()*+,-./:;<=>?@[]^_`{|}") }
    }

    /// A refusal must not contradict itself: "is 100 characters long, at most 128 are allowed".
    @Test func longNonASCIIIdempotencyKeyIsRefusedConsistently() throws {
        let key = String(repeating: "é", count: 100)  // 100 characters, 200 UTF-8 bytes
        let error = try #require(#expect(throws: LedgerError.self) { try EntryValidator.checkIdempotencyKey(key) })
        #expect(error.field == "idempotencyKey")
        if case .textTooLong(_, let length, let max) = error {
            #expect(length > max, "reported \(error.message)")
        }
    }

    // MARK: - Exchange rates

    @Test func twoCurrenciesNeedARate() throws {
        #expect(throws: LedgerError.exchangeRateMissing(currencies: ["IDR", "USD"])) {
            try Self.validate(F.conversion(rate: nil))
        }
        #expect(try Self.validate(F.conversion(rate: "USD/IDR 15650.25")).exchangeRate?.description == "USD/IDR 15650.25")
        #expect(try Self.validate(F.conversion(rate: "IDR/USD 0.0000639")).exchangeRate?.rate == "0.0000639")
    }

    @Test func aRateMustNameTheEntrysCurrencies() {
        #expect(throws: LedgerError.exchangeRateInvalid(value: "EUR/IDR 17000")) {
            try Self.validate(F.conversion(rate: "EUR/IDR 17000"))
        }
        #expect(throws: LedgerError.exchangeRateInvalid(value: "USD/JPY 150")) {
            try Self.validate(F.conversion(rate: "USD/JPY 150"))
        }
    }

    @Test func balanceIsCheckedBeforeTheRate() throws {
        var draft = try F.conversion(rate: nil)
        draft.postings[0].amount = F.usd(100_001)
        #expect(throws: LedgerError.unbalanced(currency: .usd, differenceMinorUnits: 1)) { try Self.validate(draft) }
    }

    @Test(arguments: [
        ("USD/IDR 15650.25", Currency.usd, Currency.idr, "15650.25"), ("USD/IDR 1", .usd, .idr, "1"),
        ("EUR/USD 1.084512345678", .eur, .usd, "1.084512345678"), ("IDR/USD 0.000064", .idr, .usd, "0.000064"),
        ("USD/IDR  16000", .usd, .idr, "16000"), ("JPY/IDR 0105.5", .jpy, .idr, "0105.5"),
    ])
    func validExchangeRates(text: String, base: Currency, quote: Currency, rate: String) throws {
        let parsed = try ExchangeRate(parsing: text)
        #expect(parsed.base == base && parsed.quote == quote && parsed.rate == rate)
        #expect(parsed.description == "\(base.code)/\(quote.code) \(rate)")
    }

    @Test(arguments: [
        "", "USD/IDR", "USD/IDR 0", "USD/IDR 0.000", "USD/IDR -1", "USD/IDR 1.", "USD/IDR .5", "USD/IDR 1,5",
        "USD/IDR 1.2.3", "USD/USD 1", "XYZ/IDR 1", "usd/idr 1", "USD-IDR 1", "USD/IDR 1 2", "USD/IDR 1e3",
        "USD/IDR 0.1234567890123", "USD/IDR 1234567890123456", "USD/IDR ١٢",
    ])
    func invalidExchangeRates(text: String) {
        #expect(throws: LedgerError.exchangeRateInvalid(value: text)) { try ExchangeRate(parsing: text) }
    }

    // MARK: - Order of checks

    @Test func theFirstErrorIsPredictable() {
        // Shape before text.
        #expect(throws: LedgerError.tooFewPostings(count: 1)) {
            try Self.validate(F.draft(description: "", postings: [F.draft().postings[0]]))
        }
        // Description, then reference, then author, then idempotency key.
        #expect(throws: LedgerError.textEmpty(field: "description")) {
            try Self.validate(F.draft(description: " ", reference: String(repeating: "r", count: 101), author: ""))
        }
        #expect(throws: LedgerError.textHasControlCharacters(field: "reference")) {
            try Self.validate(F.draft(reference: "bad\u{7}", author: "", idempotencyKey: ""))
        }
        #expect(throws: LedgerError.textEmpty(field: "author")) {
            try Self.validate(F.draft(reference: nil, author: "", idempotencyKey: ""))
        }
        // Text before postings; postings in order; postings before balance.
        #expect(throws: LedgerError.textEmpty(field: "idempotencyKey")) {
            try Self.validate(F.draft(idempotencyKey: "", postings: [
                PostingDraft(accountCode: "9-9999", amount: F.idr(1)), PostingDraft(accountCode: "1-1100", amount: F.idr(0)),
            ]))
        }
        #expect(throws: LedgerError.accountUnknown(field: "postings[0].account", code: "9-9999")) {
            try Self.validate(F.draft(postings: [
                PostingDraft(accountCode: "9-9999", amount: F.idr(1)), PostingDraft(accountCode: "1-1100", amount: F.idr(0)),
            ]))
        }
        #expect(throws: LedgerError.amountIsZero(field: "postings[1].amount")) {
            try Self.validate(F.draft(postings: [
                PostingDraft(accountCode: "5-1100", amount: F.idr(7)), PostingDraft(accountCode: "1-1100", amount: F.idr(0)),
            ]))
        }
        // Within a posting: the account before its amount, the amount before its dimensions.
        #expect(throws: LedgerError.accountNotLeaf(field: "postings[0].account", code: "5-1000")) {
            try Self.validate(Self.twoPostings(
                PostingDraft(accountCode: "5-1000", amount: F.idr(0)), PostingDraft(accountCode: "1-1100", amount: F.idr(-1))))
        }
        #expect(throws: LedgerError.amountIsZero(field: "postings[0].amount")) {
            try Self.validate(Self.twoPostings(
                PostingDraft(accountCode: "5-1100", amount: F.idr(0), dimensions: Dimensions(district: "XYZ")),
                PostingDraft(accountCode: "1-1100", amount: F.idr(-1))))
        }
        #expect(throws: LedgerError.districtUnknown(field: "postings[0].district", code: "XYZ")) {
            try Self.validate(Self.twoPostings(
                PostingDraft(accountCode: "5-1100", amount: F.idr(1), dimensions: Dimensions(district: "XYZ", fundingSource: "NOPE")),
                PostingDraft(accountCode: "1-1100", amount: F.idr(-2))))
        }
    }

    // MARK: - Messages

    @Test func errorsNameTheirField() {
        #expect(LedgerError.unbalanced(currency: .idr, differenceMinorUnits: 150).field == "postings.amount")
        #expect(LedgerError.unbalanced(currency: .idr, differenceMinorUnits: 150).message
                == "postings in IDR do not sum to zero: they are off by IDR 1.50")
        #expect(LedgerError.tooManyPostings(count: 501, max: 500).field == "postings")
        #expect(LedgerError.exchangeRateMissing(currencies: ["IDR", "USD"]).field == "exchangeRate")
        #expect(LedgerError.batchEntryRefused(index: 3, reason: .amountIsZero(field: "postings[1].amount")).field
                == "entries[3].postings[1].amount")
        #expect(LedgerError.accountClosed(field: "postings[0].account", code: "5-1300", closedOn: F.date("2024-09-01")).message
                == "account '5-1300' was closed on 2024-09-01")
    }
}
