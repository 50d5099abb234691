import Budgets
import Foundation
import LedgerCore
import Setup
import Testing

/// The budget file loader (`budget-YYYY.csv`, through its CSV reader) and the budget policy
/// loader (`Policies/budget.yaml`): the reference files load, and every bad file is refused
/// with the exact error, file and line.
@Suite struct BudgetLoaderTests {
    // MARK: Shared fixtures

    /// The categories of `Policies/budget.yaml`, sorted.
    static let policyCategories = ["audit", "equipment", "meetings", "office", "staff-fees", "trainings", "travel", "village-grants"]

    /// A context like the bangkit ledger's, for the files these tests write.
    static let context = BudgetFileLoader.Context(
        fiscalYear: 2024, baseCurrency: .idr, districts: ["SBT", "SBD", "MKS"], categories: Set(policyCategories))

    static let header = "district,code,name_en,name_id,component,category,amount,currency"
    static let headerWithoutCurrency = "district,code,name_en,name_id,component,category,amount"

    /// One CSV row; each argument defaults to a valid value. `currency: nil` leaves the column out.
    static func row(
        _ district: String = "SBD", _ code: String = "1.1", nameEn: String = "Village facilitator fees",
        nameId: String = "Honorarium fasilitator desa", component: String = "C1 Village facilitation",
        category: String = "staff-fees", amount: String = "702000000", currency: String? = "IDR"
    ) -> String {
        ([district, code, nameEn, nameId, component, category, amount] + (currency.map { [$0] } ?? [])).joined(separator: ",")
    }

    static let rowSBT = row("SBT", amount: "756000000")
    static let rowSBD = row()
    static let rowMKS = row(
        "MKS", "4.9", nameEn: "Annual external audit", nameId: "Audit eksternal tahunan",
        component: "C4 Project management", category: "audit", amount: "185000000.50")

    /// Writes `bytes` to a file with a unique name in a new temporary directory, runs `body`
    /// with its path, and removes the directory.
    static func withFile<T>(bytes: [UInt8], name: String = "budget-2024.csv", _ body: (String) throws -> T) throws -> T {
        let directory = try TestSupport.temporaryDirectory()
        defer { TestSupport.remove(directory) }
        let path = directory + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return try body(path)
    }

    static func withFile<T>(_ text: String, name: String = "budget-2024.csv", _ body: (String) throws -> T) throws -> T {
        try withFile(bytes: Array(text.utf8), name: name, body)
    }

    /// The lines of a budget file given as text.
    static func lines(
        _ text: String, context: BudgetFileLoader.Context = context
    ) throws -> (lines: [(line: BudgetLine, location: InputLocation)], path: String) {
        try withFile(text) { path in (try BudgetFileLoader.load(path: path, context: context), path) }
    }

    /// The error loading a budget file given as text throws, with the file's path.
    static func error(loading text: String, context: BudgetFileLoader.Context = context) throws -> (error: SetupError, path: String) {
        try withFile(text) { path in
            let error = try #require(throws: SetupError.self) { try BudgetFileLoader.load(path: path, context: context) }
            return (error, path)
        }
    }

    /// The error loading a policy given as text throws, with the file's path.
    static func policyError(_ text: String) throws -> (error: SetupError, path: String) {
        try withFile(text, name: "budget.yaml") { path in
            let error = try #require(throws: SetupError.self) { try BudgetPolicyLoader.load(path: path) }
            return (error, path)
        }
    }

    static func policy(_ text: String) throws -> BudgetPolicy {
        try withFile(text, name: "budget.yaml") { path in try BudgetPolicyLoader.load(path: path) }
    }

    static func idr(_ major: Int64, cents: Int64 = 0) -> Money {
        Money(minorUnits: major * 100 + cents, currency: .idr)
    }

    // MARK: The reference budgets

    @Test(arguments: zip([2024, 2025], [38, 36]))
    func referenceBudgetLoads(year: Int, count: Int) throws {
        let root = TestSupport.repositoryRoot
        let policy = try BudgetPolicyLoader.load(path: root + "/Policies/budget.yaml")
        let setup = try LedgerSetupLoader.load(directory: root + "/Ledgers/bangkit")
        let districts = setup.districts.map(\.code)
        #expect(districts == ["SBT", "SBD", "MKS"])
        #expect(policy.categories.keys.sorted() == Self.policyCategories)
        let context = BudgetFileLoader.Context(
            fiscalYear: year, baseCurrency: .idr, districts: Set(districts), categories: Set(policy.categories.keys))
        let path = root + "/Ledgers/bangkit/budget-\(year).csv"
        let loaded = try BudgetFileLoader.load(path: path, context: context)
        #expect(loaded.count == count)

        // The same file read independently: no quoted fields, one row a line, amounts in
        // whole or decimal rupiah.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var rows: [(line: Int, fields: [String])] = []
        for (index, lineText) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !lineText.isEmpty && index > 0 {
            #expect(!lineText.contains("\""), "line \(index + 1) has a quote")
            rows.append((index + 1, lineText.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
        }
        #expect(rows.count == count)
        var expectedSums: [String: Int64] = [:]
        var expectedAmounts: [Int64] = []
        for row in rows {
            try #require(row.fields.count == 8, "line \(row.line)")
            #expect(row.fields[7] == "IDR", "line \(row.line)")
            let parts = row.fields[6].split(separator: ".", omittingEmptySubsequences: false)
            let major = try #require(Int64(parts[0]), "line \(row.line)")
            let fraction = parts.count > 1 ? String(parts[1]) : ""
            try #require(fraction.count <= 2 && parts.count <= 2, "line \(row.line)")
            let cents = try #require(Int64(fraction.padding(toLength: 2, withPad: "0", startingAt: 0)), "line \(row.line)")
            let minorUnits = major * 100 + cents
            expectedAmounts.append(minorUnits)
            expectedSums[row.fields[0], default: 0] += minorUnits
        }
        #expect(Set(expectedSums.keys) == ["SBT", "SBD", "MKS"])

        var sums: [String: Int64] = [:]
        for ((line, location), (row, amount)) in zip(loaded, zip(rows, expectedAmounts)) {
            #expect(location == InputLocation(file: path, line: row.line))
            #expect(line.key == BudgetLineKey(fiscalYear: year, district: row.fields[0], code: row.fields[1]))
            #expect(line.nameEn == row.fields[2])
            #expect(line.nameId == row.fields[3])
            #expect(line.component == row.fields[4])
            #expect(line.category == row.fields[5])
            #expect(line.amount == Money(minorUnits: amount, currency: .idr))
            sums[line.key.district, default: 0] += line.amount.minorUnits
        }
        #expect(sums == expectedSums)
    }

    @Test func referenceBudgetSpotChecks() throws {
        let root = TestSupport.repositoryRoot
        let context = BudgetFileLoader.Context(
            fiscalYear: 2025, baseCurrency: .idr, districts: ["SBT", "SBD", "MKS"], categories: Set(Self.policyCategories))
        let path = root + "/Ledgers/bangkit/budget-2025.csv"
        let loaded = try BudgetFileLoader.load(path: path, context: context)
        let first = try #require(loaded.first)
        #expect(first.location == InputLocation(file: path, line: 2))
        #expect(first.line == BudgetLine(
            key: BudgetLineKey(fiscalYear: 2025, district: "SBT", code: "1.1"), nameEn: "Village facilitator fees",
            nameId: "Honorarium fasilitator desa", component: "C1 Village facilitation and planning",
            category: "staff-fees", amount: Self.idr(798_000_000)))
        let last = try #require(loaded.last)
        #expect(last.location == InputLocation(file: path, line: 37))
        #expect(last.line.key == BudgetLineKey(fiscalYear: 2025, district: "MKS", code: "4.9"))
        #expect(last.line.amount == Self.idr(198_000_000))
    }

    @Test func referenceBudgetNeedsEveryCategoryAndDistrict() throws {
        let path = TestSupport.repositoryRoot + "/Ledgers/bangkit/budget-2024.csv"
        var context = BudgetFileLoader.Context(
            fiscalYear: 2024, baseCurrency: .idr, districts: ["SBT", "SBD", "MKS"],
            categories: Set(Self.policyCategories.filter { $0 != "audit" }))
        // MKS,4.9 (line 39) is the only audit line.
        var error = try #require(throws: SetupError.self) { try BudgetFileLoader.load(path: path, context: context) }
        #expect(error == .budgetRejected(
            InputLocation(file: path, line: 39), field: "category",
            reason: .categoryUnknown(field: "category", category: "audit", known: Self.policyCategories.filter { $0 != "audit" })))
        context.categories = Set(Self.policyCategories)
        context.districts = ["SBT", "MKS"]
        error = try #require(throws: SetupError.self) { try BudgetFileLoader.load(path: path, context: context) }
        #expect(error == .budgetRejected(
            InputLocation(file: path, line: 17), field: "district", reason: .districtUnknown(field: "district", code: "SBD")))
    }

    // MARK: The reference policy

    @Test func referencePolicyLoads() throws {
        let policy = try BudgetPolicyLoader.load(path: TestSupport.repositoryRoot + "/Policies/budget.yaml")
        #expect(policy.categories == [
            "staff-fees": CategoryRule(overBudget: .block, warningPercent: 90),
            "village-grants": CategoryRule(overBudget: .block, warningPercent: 85),
            "trainings": CategoryRule(overBudget: .warn, warningPercent: 90),
            "meetings": CategoryRule(overBudget: .warn, warningPercent: 90),
            "travel": CategoryRule(overBudget: .warn, warningPercent: 85),
            "office": CategoryRule(overBudget: .block, warningPercent: 90),
            "audit": CategoryRule(overBudget: .block, warningPercent: 90),
            "equipment": CategoryRule(overBudget: .block, warningPercent: 100),
        ])
        #expect(policy.categories.count == 8)
        #expect(policy.notBudgetedAccounts == ["5-8100"])
    }

    // MARK: CSV syntax

    @Test func validFileLoadsWithEveryField() throws {
        let (loaded, path) = try Self.lines([Self.header, Self.rowSBT, Self.rowSBD, Self.rowMKS].joined(separator: "\n") + "\n")
        #expect(loaded.map(\.location) == [2, 3, 4].map { InputLocation(file: path, line: $0) })
        #expect(loaded.map(\.line) == [
            BudgetLine(key: BudgetLineKey(fiscalYear: 2024, district: "SBT", code: "1.1"), nameEn: "Village facilitator fees",
                       nameId: "Honorarium fasilitator desa", component: "C1 Village facilitation", category: "staff-fees",
                       amount: Self.idr(756_000_000)),
            BudgetLine(key: BudgetLineKey(fiscalYear: 2024, district: "SBD", code: "1.1"), nameEn: "Village facilitator fees",
                       nameId: "Honorarium fasilitator desa", component: "C1 Village facilitation", category: "staff-fees",
                       amount: Self.idr(702_000_000)),
            BudgetLine(key: BudgetLineKey(fiscalYear: 2024, district: "MKS", code: "4.9"), nameEn: "Annual external audit",
                       nameId: "Audit eksternal tahunan", component: "C4 Project management", category: "audit",
                       amount: Self.idr(185_000_000, cents: 50)),
        ])
    }

    @Test func lastRowWithoutLineEndLoads() throws {
        let (loaded, path) = try Self.lines([Self.header, Self.rowSBT, Self.rowMKS].joined(separator: "\n"))
        #expect(loaded.map(\.location) == [InputLocation(file: path, line: 2), InputLocation(file: path, line: 3)])
        #expect(loaded.last?.line.amount == Self.idr(185_000_000, cents: 50))
    }

    @Test func quotedFieldsHoldCommasAndDoubledQuotes() throws {
        let row = Self.row(
            "SBT", "\"1.1\"", nameEn: "\"Fees, honoraria and \"\"top-up\"\" allowances\"",
            nameId: "\"Honorarium, \"\"uang saku\"\"\"", component: "\"\"\"C1\"\", village\"", amount: "\"756000000\"",
            currency: "\"IDR\"")
        let (loaded, path) = try Self.lines([Self.header, row, Self.rowSBD].joined(separator: "\n") + "\n")
        try #require(loaded.count == 2)
        let line = loaded[0].line
        #expect(line.key == BudgetLineKey(fiscalYear: 2024, district: "SBT", code: "1.1"))
        #expect(line.nameEn == "Fees, honoraria and \"top-up\" allowances")
        #expect(line.nameId == "Honorarium, \"uang saku\"")
        #expect(line.component == "\"C1\", village")
        #expect(line.amount == Self.idr(756_000_000))
        #expect(loaded.map(\.location) == [InputLocation(file: path, line: 2), InputLocation(file: path, line: 3)])
    }

    @Test func emptyQuotedFieldIsAnEmptyValue() throws {
        let (error, path) = try Self.error(loading: [Self.header, Self.row(nameId: "\"\"")].joined(separator: "\n") + "\n")
        #expect(error == .emptyValue(InputLocation(file: path, line: 2), field: "name_id"))
    }

    @Test func crlfLineEnds() throws {
        // A CR left before the LF would make the blank line a one-field record, and would be
        // text after the closing quote of the last row's quoted currency.
        let quoted = Self.row("MKS", "4.9", category: "audit", amount: "185000000.50", currency: "\"IDR\"")
        let text = [Self.header, Self.rowSBT, "", Self.rowSBD, quoted].joined(separator: "\r\n") + "\r\n"
        let (loaded, path) = try Self.lines(text)
        #expect(loaded.map(\.location) == [2, 4, 5].map { InputLocation(file: path, line: $0) })
        #expect(loaded.map(\.line.amount) == [Self.idr(756_000_000), Self.idr(702_000_000), Self.idr(185_000_000, cents: 50)])
        #expect(loaded.allSatisfy { !$0.line.component.contains("\r") && !$0.line.category.contains("\r") })

        // A CRLF error row still has its own line number.
        let bad = [Self.header, Self.rowSBT, Self.row(currency: "XYZ")].joined(separator: "\r\n") + "\r\n"
        let (error, badPath) = try Self.error(loading: bad)
        #expect(error == .currencyUnknown(InputLocation(file: badPath, line: 3), field: "currency", code: "XYZ"))
    }

    @Test func crlfLineEndsWithoutCurrencyColumn() throws {
        let text = [Self.headerWithoutCurrency, Self.row("SBT", currency: nil), Self.row(amount: "12", currency: nil)]
            .joined(separator: "\r\n") + "\r\n"
        let (loaded, path) = try Self.lines(text)
        #expect(loaded.map(\.location) == [InputLocation(file: path, line: 2), InputLocation(file: path, line: 3)])
        #expect(loaded.map(\.line.amount) == [Self.idr(702_000_000), Self.idr(12)])
    }

    @Test func utf8ByteOrderMarkIsSkipped() throws {
        let text = [Self.header, Self.rowSBT, Self.rowSBD].joined(separator: "\n") + "\n"
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(text.utf8)
        let (loaded, path) = try Self.withFile(bytes: bytes) { path in
            (try BudgetFileLoader.load(path: path, context: Self.context), path)
        }
        #expect(loaded.map(\.location) == [InputLocation(file: path, line: 2), InputLocation(file: path, line: 3)])
        #expect(loaded.first?.line.key.district == "SBT")

        // The mark is skipped before the header only: a wrong header after it is still reported at line 1.
        let wrong: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("district,code\n".utf8) + Array(Self.rowSBT.utf8)
        let (error, wrongPath) = try Self.withFile(bytes: wrong) { path in
            (try #require(throws: SetupError.self) { try BudgetFileLoader.load(path: path, context: Self.context) }, path)
        }
        #expect(error == .csvHeaderInvalid(
            InputLocation(file: wrongPath, line: 1), expected: BudgetFileLoader.columns + ["currency"], found: ["district", "code"]))
    }

    @Test func blankLinesAreIgnoredAndCounted() throws {
        let text = "\n" + Self.header + "\n\n" + Self.rowSBT + "\n\n\n" + Self.rowSBD + "\n" + Self.rowMKS + "\n\n"
        let (loaded, path) = try Self.lines(text)
        #expect(loaded.map(\.location) == [4, 7, 8].map { InputLocation(file: path, line: $0) })
        #expect(loaded.map(\.line.key.district) == ["SBT", "SBD", "MKS"])

        let bad = "\n" + Self.header + "\n\n" + Self.rowSBT + "\n\n\n" + Self.row("SBX") + "\n"
        let (error, badPath) = try Self.error(loading: bad)
        #expect(error == .budgetRejected(
            InputLocation(file: badPath, line: 7), field: "district", reason: .districtUnknown(field: "district", code: "SBX")))
    }

    @Test func quotedFieldSpanningTwoLines() throws {
        // The name ends with a line break inside its quotes (trimmed away); the next record
        // starts on line 4.
        let spanning = Self.row("SBT", nameEn: "\"Village facilitator fees\n\"")
        let text = [Self.header, spanning, Self.rowSBD, Self.rowMKS].joined(separator: "\n") + "\n"
        let (loaded, path) = try Self.lines(text)
        #expect(loaded.map(\.location) == [2, 4, 5].map { InputLocation(file: path, line: $0) })
        #expect(loaded.first?.line.nameEn == "Village facilitator fees")

        let bad = [Self.header, spanning, Self.rowSBD, Self.row("MKS", category: "catering")].joined(separator: "\n") + "\n"
        let (error, badPath) = try Self.error(loading: bad)
        #expect(error == .budgetRejected(
            InputLocation(file: badPath, line: 5), field: "category",
            reason: .categoryUnknown(field: "category", category: "catering", known: Self.policyCategories)))
    }

    @Test func lineBreakInsideANameIsRefusedAtTheRecordsFirstLine() throws {
        let text = [Self.header, Self.rowSBT, Self.row(nameEn: "\"Village\nfacilitator fees\""), Self.rowMKS].joined(separator: "\n")
        let (error, path) = try Self.error(loading: text)
        #expect(error == .textInvalid(
            InputLocation(file: path, line: 3), field: "name_en", reason: .textHasControlCharacters(field: "name_en")))
    }

    @Test func unclosedQuoteIsReportedWhereItOpened() throws {
        let text = [Self.header, Self.rowSBT, Self.row(nameEn: "\"Village facilitator fees"), Self.rowMKS].joined(separator: "\n") + "\n"
        let (error, path) = try Self.error(loading: text)
        #expect(error == .csvSyntax(InputLocation(file: path, line: 3), problem: "a quote opened here is never closed"))
    }

    @Test func unclosedQuoteOnARecordsSecondLine() throws {
        // The record starts on line 3; its second quoted field opens on line 4 and never closes.
        let row = Self.row(nameEn: "\"Village\nfacilitator fees\"", nameId: "\"Honorarium fasilitator desa")
        let text = [Self.header, Self.rowSBT, row, Self.rowMKS].joined(separator: "\n") + "\n"
        let (error, path) = try Self.error(loading: text)
        #expect(error == .csvSyntax(InputLocation(file: path, line: 4), problem: "a quote opened here is never closed"))
    }

    @Test(arguments: [
        ("\"Village facilitator\" fees", 3),
        ("\"Village facilitator\"x", 3),
        ("\"Village facilitator\"\"", 0),  // doubled quote: the field never closes (checked below)
        ("\"Village\nfacilitator\" fees", 4),
    ])
    func textAfterAClosingQuote(nameEn: String, line: Int) throws {
        let text = [Self.header, Self.rowSBT, Self.row(nameEn: nameEn), Self.rowMKS].joined(separator: "\n") + "\n"
        let (error, path) = try Self.error(loading: text)
        if line == 0 {
            #expect(error == .csvSyntax(InputLocation(file: path, line: 3), problem: "a quote opened here is never closed"))
        } else {
            #expect(error == .csvSyntax(InputLocation(file: path, line: line), problem: "text after a closing quote"))
        }
    }

    // MARK: Header and file

    @Test func wrongHeader() throws {
        let header = "district,code,name,name_id,component,category,amount,currency"
        let (error, path) = try Self.error(loading: [header, Self.rowSBT].joined(separator: "\n") + "\n")
        #expect(error == .csvHeaderInvalid(
            InputLocation(file: path, line: 1), expected: BudgetFileLoader.columns + ["currency"],
            found: ["district", "code", "name", "name_id", "component", "category", "amount", "currency"]))
    }

    @Test func wrongHeaderAfterBlankLinesIsReportedAtItsLine() throws {
        let header = "code,district,name_en,name_id,component,category,amount"
        let (error, path) = try Self.error(loading: "\n\n" + header + "\n" + Self.rowSBT + "\n")
        #expect(error == .csvHeaderInvalid(
            InputLocation(file: path, line: 3), expected: BudgetFileLoader.columns + ["currency"],
            found: ["code", "district", "name_en", "name_id", "component", "category", "amount"]))
    }

    @Test func headerIgnoresCaseAndSurroundingSpaces() throws {
        let header = "District, CODE ,Name_EN,name_id,Component,category,AMOUNT,Currency"
        let (loaded, _) = try Self.lines([header, Self.rowSBT].joined(separator: "\n"))
        #expect(loaded.count == 1)
    }

    @Test func withoutCurrencyColumnTheBaseCurrencyIsUsed() throws {
        var context = Self.context
        context.baseCurrency = .usd
        context.fiscalYear = 2026
        let text = [Self.headerWithoutCurrency, Self.row(amount: "12500.50", currency: nil)].joined(separator: "\n")
        let (loaded, _) = try Self.lines(text, context: context)
        #expect(loaded.map(\.line.amount) == [Money(minorUnits: 1_250_050, currency: .usd)])
        #expect(loaded.first?.line.key == BudgetLineKey(fiscalYear: 2026, district: "SBD", code: "1.1"))
    }

    @Test func currencyColumnOverridesTheBaseCurrency() throws {
        let text = [Self.header, Self.row(amount: "12500.5", currency: "USD"), Self.row("SBT", amount: "1000", currency: "JPY")]
            .joined(separator: "\n")
        let (loaded, _) = try Self.lines(text)
        #expect(loaded.map(\.line.amount) == [Money(minorUnits: 1_250_050, currency: .usd), Money(minorUnits: 1000, currency: .jpy)])
    }

    @Test func headerOnlyFileHasNoLines() throws {
        for text in [Self.header, Self.header + "\n", Self.header + "\n\n\r\n"] {
            let (error, path) = try Self.error(loading: text)
            #expect(error == .budgetRejected(InputLocation(file: path, line: 0), field: "lines", reason: .noLines))
        }
    }

    @Test func emptyFileHasNoHeader() throws {
        for text in ["", "\n\n"] {
            let (error, path) = try Self.error(loading: text)
            #expect(error == .emptyValue(InputLocation(file: path, line: 1), field: "header"))
        }
    }

    @Test func missingFileIsUnreadable() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { TestSupport.remove(directory) }
        let path = directory + "/budget-2024.csv"
        let error = try #require(throws: SetupError.self) { try BudgetFileLoader.load(path: path, context: Self.context) }
        #expect(error == .fileUnreadable(InputLocation(file: path, line: 0), reason: "no such file"))
        let policyError = try #require(throws: SetupError.self) { try BudgetPolicyLoader.load(path: directory + "/budget.yaml") }
        #expect(policyError == .fileUnreadable(InputLocation(file: directory + "/budget.yaml", line: 0), reason: "no such file"))
    }

    // MARK: Bad rows

    struct RowCase: Sendable, CustomTestStringConvertible {
        var name: String
        var row: String
        var expected: @Sendable (InputLocation) -> SetupError
        var testDescription: String { name }
    }

    static func amountError(_ text: String, _ reason: AmountParseError) -> @Sendable (InputLocation) -> SetupError {
        { .amountInvalid($0, field: "amount", reason: .amountInvalid(field: "amount", text: text, reason: reason)) }
    }

    static let rowCases: [RowCase] = [
        RowCase(name: "too few fields", row: row(currency: nil)) { .csvFieldCount($0, expected: 8, found: 7) },
        RowCase(name: "one field", row: "SBD") { .csvFieldCount($0, expected: 8, found: 1) },
        RowCase(name: "too many fields", row: row() + ",extra") { .csvFieldCount($0, expected: 8, found: 9) },
        RowCase(name: "empty amount", row: row(amount: "")) { .emptyValue($0, field: "amount") },
        RowCase(name: "blank amount", row: row(amount: "   ")) { .emptyValue($0, field: "amount") },
        RowCase(name: "empty name_en", row: row(nameEn: "")) { .emptyValue($0, field: "name_en") },
        RowCase(name: "empty name_id", row: row(nameId: " ")) { .emptyValue($0, field: "name_id") },
        RowCase(name: "empty component", row: row(component: "")) { .emptyValue($0, field: "component") },
        RowCase(name: "empty district", row: row("")) { .emptyValue($0, field: "district") },
        RowCase(name: "empty code", row: row("SBD", "")) { .emptyValue($0, field: "code") },
        RowCase(name: "empty category", row: row(category: "")) { .emptyValue($0, field: "category") },
        RowCase(name: "empty currency", row: row(currency: "")) { .emptyValue($0, field: "currency") },
        RowCase(name: "letters for an amount", row: row(amount: "abc"), expected: amountError("abc", .unexpectedCharacter("a"))),
        RowCase(name: "four decimals", row: row(amount: "12.3456"), expected: amountError("12.3456", .tooManyDecimals(currency: .idr, found: 4))),
        RowCase(name: "amount in another currency", row: row(amount: "1000 USD"),
                expected: amountError("1000 USD", .currencyConflict(written: .usd, expected: .idr))),
        RowCase(name: "negative amount", row: row(amount: "-5000")) {
            .budgetRejected($0, field: "amount", reason: .amountNegative(field: "amount", amount: Money(minorUnits: -500_000, currency: .idr)))
        },
        RowCase(name: "negative cent", row: row(amount: "-0.01")) {
            .budgetRejected($0, field: "amount", reason: .amountNegative(field: "amount", amount: Money(minorUnits: -1, currency: .idr)))
        },
        RowCase(name: "unknown district", row: row("SBX")) {
            .budgetRejected($0, field: "district", reason: .districtUnknown(field: "district", code: "SBX"))
        },
        RowCase(name: "district in lower case", row: row("sbd")) {
            .budgetRejected($0, field: "district", reason: .districtUnknown(field: "district", code: "sbd"))
        },
        RowCase(name: "unknown category", row: row(category: "catering")) {
            .budgetRejected($0, field: "category", reason: .categoryUnknown(field: "category", category: "catering", known: policyCategories))
        },
        RowCase(name: "code with a space", row: row("SBD", "1 1")) { .codeInvalid($0, field: "code", value: "1 1") },
        RowCase(name: "code with a slash", row: row("SBD", "1/1")) { .codeInvalid($0, field: "code", value: "1/1") },
        RowCase(name: "code with a comma", row: row("SBD", "\"1,1\"")) { .codeInvalid($0, field: "code", value: "1,1") },
        RowCase(name: "code with a semicolon", row: row("SBD", "1;1")) { .codeInvalid($0, field: "code", value: "1;1") },
        RowCase(name: "code too long", row: row("SBD", String(repeating: "1", count: 65))) {
            .codeInvalid($0, field: "code", value: String(repeating: "1", count: 65))
        },
        RowCase(name: "duplicate district and code", row: row("SBT")) { .duplicateCode($0, field: "code", code: "SBT/1.1") },
        RowCase(name: "unknown currency", row: row(currency: "XYZ")) { .currencyUnknown($0, field: "currency", code: "XYZ") },
        RowCase(name: "name too long", row: row(nameEn: String(repeating: "a", count: 501))) {
            .textInvalid($0, field: "name_en", reason: .textTooLong(field: "name_en", length: 501, max: 500))
        },
    ]

    /// The bad row is the file's third record, with `blankLines` blank lines before it; a
    /// valid row follows, so the error must name the bad row's own line.
    @Test(arguments: rowCases, [0, 2])
    func badRowIsRefusedAtItsLine(_ rowCase: RowCase, blankLines: Int) throws {
        let text = [Self.header, Self.rowSBT].joined(separator: "\n") + "\n" + String(repeating: "\n", count: blankLines)
            + [rowCase.row, Self.rowMKS].joined(separator: "\n") + "\n"
        let (error, path) = try Self.error(loading: text)
        #expect(error == rowCase.expected(InputLocation(file: path, line: 3 + blankLines)))
    }

    @Test func sameCodeInAnotherDistrictIsNotADuplicate() throws {
        let (loaded, _) = try Self.lines([Self.header, Self.rowSBT, Self.rowSBD, Self.row("MKS")].joined(separator: "\n"))
        #expect(loaded.map(\.line.key.description) == ["SBT/1.1", "SBD/1.1", "MKS/1.1"])
    }

    @Test func fieldCountFollowsAHeaderWithoutCurrency() throws {
        let text = [Self.headerWithoutCurrency, Self.row("SBT", currency: nil), Self.row()].joined(separator: "\n")
        let (error, path) = try Self.error(loading: text)
        #expect(error == .csvFieldCount(InputLocation(file: path, line: 3), expected: 7, found: 8))
    }

    @Test func zeroAmountIsAccepted() throws {
        let (loaded, _) = try Self.lines([Self.header, Self.row(amount: "0")].joined(separator: "\n"))
        #expect(loaded.map(\.line.amount) == [Self.idr(0)])
    }

    /// The file format says amounts use `.` for decimals and no thousands separators, so a
    /// comma (decimal or thousands) must be refused rather than guessed.
    /// Budget files have one notation (`.` decimals, no grouping): a comma or a symbol
    /// could mean a factor of a hundred, so they are refused, not guessed.
    @Test(arguments: [("12,5", Character(",")), ("1,250,000", ","), ("Rp 1.250.000", "R")])
    func amountWithCommaOrGroupingIsRefused(amount: String, character: Character) throws {
        let text = [Self.header, Self.rowSBT, Self.row(amount: "\"\(amount)\""), Self.rowMKS].joined(separator: "\n")
        let (error, path) = try Self.error(loading: text)
        #expect(error == .amountInvalid(
            InputLocation(file: path, line: 3), field: "amount",
            reason: .amountInvalid(field: "amount", text: amount, reason: .unexpectedCharacter(character))))
    }

    /// `SetupError.codeInvalid` promises codes without control characters (they travel in
    /// posting dimensions), as the ledger loader's codes are checked.
    @Test func codeWithAControlCharacterIsRefused() throws {
        let text = [Self.header, Self.rowSBT, Self.row("SBD", "1.1\u{7}"), Self.rowMKS].joined(separator: "\n")
        let (error, path) = try Self.error(loading: text)
        #expect(error == .codeInvalid(InputLocation(file: path, line: 3), field: "code", value: "1.1\u{7}"))
    }

    // MARK: Policy files

    /// A valid policy; each error case changes one thing.
    static let basePolicy = """
        over-budget: block
        warning-level: 90
        categories:
          staff-fees:
            over-budget: block
          travel:
            over-budget: warn
            warning-level: 85
          audit:
        not-budgeted-accounts:
          - 5-8100

        """

    @Test func basePolicyLoads() throws {
        let policy = try Self.policy(Self.basePolicy)
        #expect(policy == BudgetPolicy(
            categories: [
                "staff-fees": CategoryRule(overBudget: .block, warningPercent: 90),
                "travel": CategoryRule(overBudget: .warn, warningPercent: 85),
                "audit": CategoryRule(overBudget: .block, warningPercent: 90),
            ],
            notBudgetedAccounts: ["5-8100"]))
    }

    @Test func rootDefaultsApplyToCategoriesThatDoNotSay() throws {
        let text = Self.basePolicy.replacingOccurrences(of: "over-budget: block\nwarning-level: 90\n", with: "over-budget: warn\nwarning-level: 75\n")
        try #require(text != Self.basePolicy)
        let policy = try Self.policy(text)
        #expect(policy.categories == [
            "staff-fees": CategoryRule(overBudget: .block, warningPercent: 75),
            "travel": CategoryRule(overBudget: .warn, warningPercent: 85),
            "audit": CategoryRule(overBudget: .warn, warningPercent: 75),
        ])
        // Without root defaults: block at 90 %.
        let bare = try Self.policy("categories:\n  audit: {}\n  office:\n")
        #expect(bare == BudgetPolicy(
            categories: ["audit": CategoryRule(overBudget: .block, warningPercent: 90), "office": CategoryRule(overBudget: .block, warningPercent: 90)],
            notBudgetedAccounts: []))
    }

    @Test(arguments: ["95 %", "95%", "'95 %'", "95"])
    func percentSignIsAccepted(level: String) throws {
        let atRoot = try Self.policy(Self.basePolicy.replacingOccurrences(of: "warning-level: 90", with: "warning-level: \(level)"))
        #expect(atRoot.categories["staff-fees"]?.warningPercent == 95)
        #expect(atRoot.categories["audit"]?.warningPercent == 95)
        #expect(atRoot.categories["travel"]?.warningPercent == 85)
        let inCategory = try Self.policy(Self.basePolicy.replacingOccurrences(of: "warning-level: 85", with: "warning-level: \(level)"))
        #expect(inCategory.categories["travel"] == CategoryRule(overBudget: .warn, warningPercent: 95))
        #expect(inCategory.categories["staff-fees"]?.warningPercent == 90)
    }

    struct PolicyCase: Sendable, CustomTestStringConvertible {
        var name: String
        var old: String
        var new: String
        var expected: @Sendable (String) -> SetupError
        var testDescription: String { name }
    }

    static func at(_ path: String, _ line: Int, _ column: Int) -> InputLocation {
        InputLocation(file: path, line: line, column: column)
    }

    static func percentError(_ path: String, _ line: Int, _ column: Int, field: String, value: Int) -> SetupError {
        .budgetRejected(at(path, line, column), field: field, reason: .warningPercentInvalid(field: field, value: value))
    }

    static let rootKeys = ["over-budget", "warning-level", "categories", "not-budgeted-accounts"]

    static let policyCases: [PolicyCase] = [
        PolicyCase(name: "root key typo", old: "over-budget: block\nwarning", new: "over_budget: block\nwarning") {
            .unknownKey(at($0, 1, 1), field: "over_budget", allowed: rootKeys)
        },
        PolicyCase(name: "unknown root key", old: "not-budgeted-accounts:", new: "currency: IDR\nnot-budgeted-accounts:") {
            .unknownKey(at($0, 10, 1), field: "currency", allowed: rootKeys)
        },
        PolicyCase(name: "category key typo", old: "    over-budget: warn", new: "    over_budget: warn") {
            .unknownKey(at($0, 7, 5), field: "categories.travel.over_budget", allowed: ["over-budget", "warning-level"])
        },
        PolicyCase(name: "root over-budget stop", old: "over-budget: block\nwarning", new: "over-budget: stop\nwarning") {
            .valueNotAllowed(at($0, 1, 14), field: "over-budget", value: "stop", allowed: ["block", "warn"])
        },
        PolicyCase(name: "category over-budget stop", old: "    over-budget: warn", new: "    over-budget: stop") {
            .valueNotAllowed(at($0, 7, 18), field: "categories.travel.over-budget", value: "stop", allowed: ["block", "warn"])
        },
        PolicyCase(name: "over-budget in capitals", old: "    over-budget: warn", new: "    over-budget: WARN") {
            .valueNotAllowed(at($0, 7, 18), field: "categories.travel.over-budget", value: "WARN", allowed: ["block", "warn"])
        },
        PolicyCase(name: "root warning-level 0", old: "warning-level: 90", new: "warning-level: 0") {
            percentError($0, 2, 16, field: "warning-level", value: 0)
        },
        PolicyCase(name: "root warning-level 101", old: "warning-level: 90", new: "warning-level: 101") {
            percentError($0, 2, 16, field: "warning-level", value: 101)
        },
        PolicyCase(name: "root warning-level abc", old: "warning-level: 90", new: "warning-level: abc") {
            .valueNotAllowed(at($0, 2, 16), field: "warning-level", value: "abc", allowed: ["a whole percentage, 1 to 100"])
        },
        PolicyCase(name: "root warning-level 101 %", old: "warning-level: 90", new: "warning-level: 101 %") {
            percentError($0, 2, 16, field: "warning-level", value: 101)
        },
        PolicyCase(name: "category warning-level 0", old: "warning-level: 85", new: "warning-level: 0") {
            percentError($0, 8, 20, field: "categories.travel.warning-level", value: 0)
        },
        PolicyCase(name: "category warning-level 101", old: "warning-level: 85", new: "warning-level: 101") {
            percentError($0, 8, 20, field: "categories.travel.warning-level", value: 101)
        },
        PolicyCase(name: "category warning-level abc", old: "warning-level: 85", new: "warning-level: abc") {
            .valueNotAllowed(at($0, 8, 20), field: "categories.travel.warning-level", value: "abc",
                             allowed: ["a whole percentage, 1 to 100"])
        },
        PolicyCase(name: "category warning-level -5", old: "warning-level: 85", new: "warning-level: -5") {
            percentError($0, 8, 20, field: "categories.travel.warning-level", value: -5)
        },
        PolicyCase(
            name: "missing categories",
            old: "categories:\n  staff-fees:\n    over-budget: block\n  travel:\n    over-budget: warn\n    warning-level: 85\n  audit:\n",
            new: ""
        ) {
            .missingKey(at($0, 1, 1), field: "categories")
        },
        PolicyCase(name: "duplicate not-budgeted account", old: "  - 5-8100\n", new: "  - 5-8100\n  - 5-2100\n  - 5-8100\n") {
            .duplicateCode(at($0, 13, 5), field: "not-budgeted-accounts", code: "5-8100")
        },
        PolicyCase(name: "category with a space", old: "  audit:", new: "  external audit:") {
            .codeInvalid(at($0, 9, 3), field: "categories", value: "external audit")
        },
    ]

    @Test(arguments: policyCases)
    func policyErrorIsExact(_ policyCase: PolicyCase) throws {
        try #require(Self.basePolicy.components(separatedBy: policyCase.old).count == 2, "'\(policyCase.old)' must occur once")
        let text = Self.basePolicy.replacingOccurrences(of: policyCase.old, with: policyCase.new)
        let (error, path) = try Self.policyError(text)
        #expect(error == policyCase.expected(path))
    }
}
