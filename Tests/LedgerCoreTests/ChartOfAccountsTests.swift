import LedgerCore
import Testing

@Suite("Chart of accounts")
struct ChartOfAccountsTests {
    static func base() throws -> ChartOfAccounts {
        try ChartOfAccounts([
            Account(code: "1", nameEn: "Assets", nameId: "Aset", type: .asset),
            Account(code: "1-1000", nameEn: "Bank", type: .asset, parentCode: "1"),
            Account(code: "5", nameEn: "Expenses", type: .expense),
            Account(code: "5-2100", nameEn: "Honoraria", type: .expense, parentCode: "5"),
        ])
    }

    @Test func buildsATreeWithLeavesAndDepth() throws {
        let chart = try Self.base()
        #expect(chart.count == 4)
        #expect(chart.accounts.map(\.code) == ["1", "1-1000", "5", "5-2100"])
        #expect(chart.account(code: "1")?.nameId == "Aset")
        #expect(chart.account(code: "1-1000")?.nameId == "Bank", "nameId defaults to nameEn")
        #expect(chart.account(code: "9") == nil)
        #expect(!chart.isLeaf("1"))
        #expect(chart.isLeaf("1-1000"))
        #expect(chart.depth(of: "1") == 1)
        #expect(chart.depth(of: "5-2100") == 2)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let label: String
        let account: Account
        let error: LedgerError
        var testDescription: String { label }
    }

    static let field = "accounts[4]"

    static let refusals: [Refusal] = [
        .init(label: "empty code", account: Account(code: "", nameEn: "X", type: .asset),
              error: .textEmpty(field: "accounts[4].code")),
        .init(label: "code too long", account: Account(code: String(repeating: "9", count: 201), nameEn: "X", type: .asset),
              error: .textTooLong(field: "accounts[4].code", length: 201, max: 200)),
        .init(label: "leading space", account: Account(code: " 1-2000", nameEn: "X", type: .asset),
              error: .accountCodeInvalid(field: "accounts[4].code", code: " 1-2000")),
        .init(label: "trailing space", account: Account(code: "1-2000 ", nameEn: "X", type: .asset),
              error: .accountCodeInvalid(field: "accounts[4].code", code: "1-2000 ")),
        .init(label: "double space", account: Account(code: "Assets  Bank", nameEn: "X", type: .asset),
              error: .accountCodeInvalid(field: "accounts[4].code", code: "Assets  Bank")),
        .init(label: "tab", account: Account(code: "1\t2000", nameEn: "X", type: .asset),
              error: .accountCodeInvalid(field: "accounts[4].code", code: "1\t2000")),
        .init(label: "semicolon", account: Account(code: "1;2000", nameEn: "X", type: .asset),
              error: .accountCodeInvalid(field: "accounts[4].code", code: "1;2000")),
        .init(label: "no-break space", account: Account(code: "1\u{a0}2000", nameEn: "X", type: .asset),
              error: .accountCodeInvalid(field: "accounts[4].code", code: "1\u{a0}2000")),
        .init(label: "line break", account: Account(code: "1\n2000", nameEn: "X", type: .asset),
              error: .accountCodeInvalid(field: "accounts[4].code", code: "1\n2000")),
        .init(label: "duplicate", account: Account(code: "1-1000", nameEn: "Bank again", type: .asset, parentCode: "1"),
              error: .accountDuplicate(field: "accounts[4].code", code: "1-1000")),
        .init(label: "empty name", account: Account(code: "1-2000", nameEn: "", nameId: "Kas", type: .asset),
              error: .textEmpty(field: "accounts[4].name")),
        .init(label: "empty Indonesian name", account: Account(code: "1-2000", nameEn: "Cash", nameId: "", type: .asset),
              error: .textEmpty(field: "accounts[4].nameId")),
        .init(label: "name too long",
              account: Account(code: "1-2000", nameEn: String(repeating: "n", count: 201), nameId: "Kas", type: .asset),
              error: .textTooLong(field: "accounts[4].name", length: 201, max: 200)),
        .init(label: "name with a control character", account: Account(code: "1-2000", nameEn: "Ca\u{7}sh", type: .asset),
              error: .textHasControlCharacters(field: "accounts[4].name")),
        .init(label: "unknown parent", account: Account(code: "2-1000", nameEn: "Payables", type: .liability, parentCode: "2"),
              error: .accountParentUnknown(field: "accounts[4].parent", code: "2-1000", parent: "2")),
        .init(label: "parent of another type", account: Account(code: "1-9000", nameEn: "Misc", type: .expense, parentCode: "1"),
              error: .accountParentTypeMismatch(field: "accounts[4].type", code: "1-9000", type: .expense, parentType: .asset)),
    ]

    @Test(arguments: refusals)
    func refusesAccount(_ refusal: Refusal) throws {
        var chart = try Self.base()
        #expect(throws: refusal.error) { try chart.validate(refusal.account, field: Self.field) }
        #expect(throws: refusal.error) { try chart.add(refusal.account, field: Self.field) }
        #expect(chart.count == 4, "a refused account is not added")
        #expect(chart.accounts.map(\.code) == ["1", "1-1000", "5", "5-2100"])
        #expect(chart.isLeaf("1") == false && chart.isLeaf("1-1000"))
    }

    @Test func accountNameWithNameLengthExactlyAtTheLimitIsAccepted() throws {
        var chart = try Self.base()
        try chart.add(Account(code: String(repeating: "9", count: 200), nameEn: String(repeating: "n", count: 200),
                              type: .asset), field: "x")
        #expect(chart.count == 5)
    }

    @Test func spacesAndPunctuationThatAreAllowedInCodes() throws {
        var chart = ChartOfAccounts()
        for code in ["Assets", "Assets:Bank BRI", "Expenses:SBT:Fees", "5-2100", "2.1.3", "x_y"] {
            try chart.add(Account(code: code, nameEn: code, type: .asset), field: "accounts")
        }
        #expect(chart.count == 6)
    }

    @Test func theTreeIsAtMostTwelveLevelsDeep() throws {
        var chart = ChartOfAccounts()
        try chart.add(Account(code: "L1", nameEn: "Level 1", type: .expense), field: "accounts[0]")
        for level in 2...Limits.accountDepthMax {
            try chart.add(Account(code: "L\(level)", nameEn: "Level \(level)", type: .expense, parentCode: "L\(level - 1)"),
                          field: "accounts[\(level - 1)]")
        }
        #expect(chart.depth(of: "L12") == 12)
        let thirteenth = Account(code: "L13", nameEn: "Level 13", type: .expense, parentCode: "L12")
        #expect(throws: LedgerError.accountTooDeep(field: "accounts[12].parent", code: "L13")) {
            try chart.add(thirteenth, field: "accounts[12]")
        }
        #expect(chart.count == 12)
        #expect(chart.isLeaf("L12"))
    }

    @Test func initReportsThePositionOfTheFirstBadAccount() {
        #expect(throws: LedgerError.accountParentUnknown(field: "accounts[0].parent", code: "1-1000", parent: "1")) {
            try ChartOfAccounts([
                Account(code: "1-1000", nameEn: "Bank", type: .asset, parentCode: "1"),  // child before parent
                Account(code: "1", nameEn: "Assets", type: .asset),
            ])
        }
        #expect(throws: LedgerError.accountDuplicate(field: "accounts[2].code", code: "A")) {
            try ChartOfAccounts([
                Account(code: "A", nameEn: "A", type: .asset),
                Account(code: "B", nameEn: "B", type: .asset),
                Account(code: "A", nameEn: "A again", type: .asset),
            ])
        }
    }

    @Test func accountTypes() {
        #expect(AccountType.asset.isDebitNormal && AccountType.expense.isDebitNormal)
        #expect(!AccountType.liability.isDebitNormal && !AccountType.income.isDebitNormal && !AccountType.netAssets.isDebitNormal)
        #expect(AccountType(topLevelName: "Revenue") == .income)
        #expect(AccountType(topLevelName: "EQUITY") == .netAssets)
        #expect(AccountType(topLevelName: "Expenses") == .expense)
        #expect(AccountType(topLevelName: "Stuff") == nil)
        #expect(AccountType.netAssets.rawValue == "net-assets")
    }
}
