import Foundation
import LedgerCore
import Setup
import Testing

/// The reference setup loads, and every way a setup file can be wrong gives the right
/// file, line, column and field.
@Suite struct LedgerSetupLoaderTests {
    // MARK: The reference ledger

    @Test func bangkitLoads() throws {
        let setup = try LedgerSetupLoader.load(directory: TestSupport.repositoryRoot + "/Ledgers/bangkit")
        #expect(setup.name == "bangkit")
        #expect(setup.organisation == "Yayasan Pelita Timur Nusantara")
        #expect(setup.baseCurrency == .idr)
        #expect(setup.fiscalCalendar.startMonth == 1)
        #expect(setup.districts.map(\.code) == ["SBT", "SBD", "MKS"])
        #expect(setup.districts.map(\.province) == ["Maluku", "Nusa Tenggara Timur", "Sulawesi Selatan"])
        #expect(setup.districts[2].nameId == "Kantor pusat Makassar")

        let grant = try #require(setup.fundingSources.first)
        #expect(setup.fundingSources.count == 1)
        #expect(grant.code == "JSDF-TF0B1234")
        #expect(grant.currency == .usd)
        #expect(grant.startsOn == LedgerDate(year: 2023, month: 4, day: 1))
        #expect(grant.endsOn == LedgerDate(year: 2026, month: 12, day: 31))
    }

    @Test func bangkitChartHasTheAccountsAProgramNeeds() throws {
        let chart = try LedgerSetupLoader.load(directory: TestSupport.repositoryRoot + "/Ledgers/bangkit").chart
        #expect(chart.count > 50)
        // Every parent is in the chart with the same type, and appears before its children.
        var seen: Set<String> = []
        for account in chart.accounts {
            if let parent = account.parentCode {
                #expect(seen.contains(parent), "\(account.code) comes before its parent \(parent)")
                #expect(chart.account(code: parent)?.type == account.type)
            }
            #expect(account.nameId != account.nameEn, "\(account.code) lacks an Indonesian name")
            seen.insert(account.code)
        }
        // Leaves that postings need, with their type and currency.
        let leaves: [(String, AccountType, Currency?)] = [
            ("1-1110", .asset, .idr), ("1-1120", .asset, .idr), ("1-1130", .asset, .idr),
            ("1-1210", .asset, .usd), ("1-1310", .asset, .idr), ("1-1320", .asset, .idr), ("1-1330", .asset, .idr),
            ("1-2100", .asset, .idr), ("2-1100", .liability, .idr), ("2-2100", .liability, .idr),
            ("2-2200", .liability, .idr), ("2-3100", .liability, .idr), ("3-1000", .netAssets, nil),
            ("3-2000", .netAssets, nil), ("4-1100", .income, nil), ("4-9100", .income, nil),
            ("5-1100", .expense, .idr), ("5-2100", .expense, .idr), ("5-2200", .expense, .idr),
            ("5-2300", .expense, .idr), ("5-3100", .expense, .idr), ("5-4100", .expense, .idr),
            ("5-5100", .expense, .idr), ("5-6100", .expense, .idr), ("5-7100", .expense, .idr), ("5-8100", .expense, nil),
        ]
        for (code, type, currency) in leaves {
            let account = try #require(chart.account(code: code), "\(code) is missing")
            #expect(account.type == type, "\(code)")
            #expect(account.currency == currency, "\(code)")
            #expect(chart.isLeaf(code), "\(code) should be a leaf")
        }
        #expect(!chart.isLeaf("1-1100"))
        #expect(chart.account(code: "1-1140")?.closesOn == LedgerDate(year: 2024, month: 7, day: 1))
        #expect(chart.account(code: "1-1210")?.opensOn == LedgerDate(year: 2023, month: 4, day: 1))
    }

    @Test func trailingSlashAndOptionalKeysAreAccepted() throws {
        let ledger = """
            organisation: Minimal
            name: minimal_1
            base_currency: USD
            fiscal_year_start_month: 7
            districts:
              - code: HQ
                name: Head office
            """
        let directory = try TestSupport.setupDirectory(ledger: ledger, accounts: Self.accounts)
        defer { TestSupport.remove(directory) }
        let setup = try LedgerSetupLoader.load(directory: directory + "/")
        #expect(setup.baseCurrency == .usd)
        #expect(setup.fiscalCalendar.startMonth == 7)
        #expect(setup.fundingSources.isEmpty)
        #expect(setup.districts == [District(code: "HQ", nameEn: "Head office", nameId: "Head office", province: nil)])
        #expect(setup.chart.count == 2)
    }

    // MARK: Errors

    /// A valid pair of files; each error case changes one thing.
    static let ledger = """
        organisation: Test Foundation
        name: test
        base_currency: IDR
        fiscal_year_start_month: 1
        districts:
          - code: SBT
            name: Seram Bagian Timur
            province: Maluku
        funding_sources:
          - code: GRANT-1
            name: Test grant
            currency: USD
            starts_on: 2023-04-01
            ends_on: 2026-12-31
        """

    static let accounts = """
        accounts:
          - code: 1-0000
            name: Assets
            type: asset
          - code: 1-1110
            name: Bank
            name_id: Bank
            type: asset
            parent: 1-0000
            currency: IDR
        """

    @Test func theValidPairLoads() throws {
        let directory = try TestSupport.setupDirectory(ledger: Self.ledger, accounts: Self.accounts)
        defer { TestSupport.remove(directory) }
        let setup = try LedgerSetupLoader.load(directory: directory)
        #expect(setup.districts.count == 1)
        #expect(setup.fundingSources.count == 1)
        #expect(setup.chart.count == 2)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var ledger: String?
        var accounts: String?
        var file: String
        var line: Int
        var column: Int?
        var field: String
        var matches: @Sendable (SetupError) -> Bool
        var testDescription: String { name }
    }

    static func ledgerCase(
        _ name: String, _ old: String, _ new: String, line: Int, column: Int?, field: String,
        _ matches: @escaping @Sendable (SetupError) -> Bool
    ) -> Case {
        precondition(ledger.contains(old), "\(name): '\(old)' not in the ledger")
        return Case(
            name: name, ledger: ledger.replacingOccurrences(of: old, with: new), accounts: accounts,
            file: "ledger.yaml", line: line, column: column, field: field, matches: matches)
    }

    static func accountsCase(
        _ name: String, _ old: String, _ new: String, line: Int, column: Int?, field: String,
        _ matches: @escaping @Sendable (SetupError) -> Bool
    ) -> Case {
        precondition(accounts.contains(old), "\(name): '\(old)' not in the accounts")
        return Case(
            name: name, ledger: ledger, accounts: accounts.replacingOccurrences(of: old, with: new),
            file: "accounts.yaml", line: line, column: column, field: field, matches: matches)
    }

    static let cases: [Case] = [
        ledgerCase("unknown root key", "districts:\n", "colour: blue\ndistricts:\n", line: 5, column: 1, field: "colour") {
            if case .unknownKey(_, _, let allowed) = $0 { return allowed.contains("funding_sources") }
            return false
        },
        ledgerCase("misspelt district key", "    province:", "    provnce:", line: 8, column: 5, field: "districts[0].provnce") {
            if case .unknownKey = $0 { return true }
            return false
        },
        ledgerCase("missing organisation", "organisation: Test Foundation\n", "", line: 1, column: 1, field: "organisation") {
            if case .missingKey = $0 { return true }
            return false
        },
        ledgerCase("missing district name", "    name: Seram Bagian Timur\n", "", line: 6, column: 5, field: "districts[0].name") {
            if case .missingKey = $0 { return true }
            return false
        },
        ledgerCase("missing fiscal month", "fiscal_year_start_month: 1\n", "", line: 1, column: 1, field: "fiscal_year_start_month") {
            if case .missingKey = $0 { return true }
            return false
        },
        ledgerCase("empty organisation", "organisation: Test Foundation", "organisation: ~", line: 1, column: 15, field: "organisation") {
            if case .emptyValue = $0 { return true }
            return false
        },
        ledgerCase("districts not a list", "districts:\n  - code: SBT\n    name: Seram Bagian Timur\n    province: Maluku\n",
                   "districts: SBT\n", line: 5, column: 12, field: "districts") {
            if case .wrongType(_, _, .list) = $0 { return true }
            return false
        },
        ledgerCase("code is a list", "code: SBT", "code: [SBT]", line: 6, column: 11, field: "districts[0].code") {
            if case .wrongType(_, _, .scalar) = $0 { return true }
            return false
        },
        ledgerCase("district item not a mapping", "  - code: SBT\n    name: Seram Bagian Timur\n    province: Maluku\n",
                   "  - SBT\n", line: 6, column: 5, field: "districts[0]") {
            if case .wrongType(_, _, .mapping) = $0 { return true }
            return false
        },
        ledgerCase("impossible date", "starts_on: 2023-04-01", "starts_on: 2023-02-30", line: 13, column: 16,
                   field: "funding_sources[0].starts_on") {
            $0 == .dateInvalid($0.location, field: "funding_sources[0].starts_on", value: "2023-02-30")
        },
        ledgerCase("date in another format", "ends_on: 2026-12-31", "ends_on: 31/12/2026", line: 14, column: 14,
                   field: "funding_sources[0].ends_on") {
            if case .dateInvalid(_, _, "31/12/2026") = $0 { return true }
            return false
        },
        ledgerCase("grant ends before it starts", "ends_on: 2026-12-31", "ends_on: 2022-12-31", line: 14, column: 14,
                   field: "funding_sources[0].ends_on") {
            if case .dateRangeInverted = $0 { return true }
            return false
        },
        ledgerCase("unknown base currency", "base_currency: IDR", "base_currency: RUPIAH", line: 3, column: 16, field: "base_currency") {
            $0 == .currencyUnknown($0.location, field: "base_currency", code: "RUPIAH")
        },
        ledgerCase("unknown grant currency", "currency: USD", "currency: usd", line: 12, column: 15, field: "funding_sources[0].currency") {
            if case .currencyUnknown(_, _, "usd") = $0 { return true }
            return false
        },
        ledgerCase("month 13", "fiscal_year_start_month: 1", "fiscal_year_start_month: 13", line: 4, column: 26,
                   field: "fiscal_year_start_month") {
            if case .monthInvalid(_, _, "13") = $0 { return true }
            return false
        },
        ledgerCase("month as a word", "fiscal_year_start_month: 1", "fiscal_year_start_month: July", line: 4, column: 26,
                   field: "fiscal_year_start_month") {
            if case .monthInvalid(_, _, "July") = $0 { return true }
            return false
        },
        ledgerCase("ledger name with capitals and a space", "name: test", "name: Test Ledger", line: 2, column: 7, field: "name") {
            if case .ledgerNameInvalid(_, _, "Test Ledger") = $0 { return true }
            return false
        },
        ledgerCase("district code with a space", "code: SBT", "code: S BT", line: 6, column: 11, field: "districts[0].code") {
            if case .codeInvalid(_, _, "S BT") = $0 { return true }
            return false
        },
        ledgerCase("grant code with a comma", "code: GRANT-1", "code: GRANT,1", line: 10, column: 11, field: "funding_sources[0].code") {
            if case .codeInvalid = $0 { return true }
            return false
        },
        ledgerCase("district name with a tab", "name: Seram Bagian Timur", "name: \"Seram\\tTimur\"", line: 7, column: 11,
                   field: "districts[0].name") {
            if case .textInvalid(_, _, .textHasControlCharacters) = $0 { return true }
            return false
        },
        ledgerCase("district name too long", "name: Seram Bagian Timur", "name: " + String(repeating: "x", count: 101),
                   line: 7, column: 11, field: "districts[0].name") {
            if case .textInvalid(_, _, .textTooLong(_, 101, 100)) = $0 { return true }
            return false
        },
        ledgerCase("duplicate district code", "    province: Maluku\n", "    province: Maluku\n  - code: SBT\n    name: Again\n",
                   line: 9, column: 11, field: "districts[1].code") {
            if case .duplicateCode(_, _, "SBT") = $0 { return true }
            return false
        },
        ledgerCase("duplicate key", "base_currency: IDR\n", "base_currency: IDR\nname: other\n", line: 2, column: 1, field: "name") {
            if case .duplicateKey = $0 { return true }
            return false
        },
        ledgerCase("unterminated quote", "organisation: Test Foundation", "organisation: \"Test Foundation", line: 14, column: 24, field: "") {
            // libyaml finds the problem at the end of the file and names where the quote opened.
            if case .syntax(_, let problem) = $0 { return problem.contains("quoted scalar at line 1, column 15") }
            return false
        },
        ledgerCase("bad indentation", "    province: Maluku", "   province: Maluku", line: 8, column: 4, field: "") {
            if case .syntax(_, let problem) = $0 { return problem.contains("block collection at line 6") }
            return false
        },
        accountsCase("unknown account type", "type: asset\n  - code: 1-1110", "type: assets\n  - code: 1-1110",
                     line: 4, column: 11, field: "accounts[0].type") {
            if case .accountTypeUnknown(_, _, "assets") = $0 { return true }
            return false
        },
        accountsCase("unknown account key", "    currency: IDR", "    currency: IDR\n    colour: red",
                     line: 11, column: 5, field: "accounts[1].colour") {
            if case .unknownKey = $0 { return true }
            return false
        },
        accountsCase("missing account code", "  - code: 1-1110\n    name: Bank\n", "  - name: Bank\n",
                     line: 5, column: 5, field: "accounts[1].code") {
            if case .missingKey = $0 { return true }
            return false
        },
        accountsCase("unknown parent", "parent: 1-0000", "parent: 9-9999", line: 9, column: 13, field: "accounts[1].parent") {
            if case .accountRejected(_, _, .accountParentUnknown(_, "1-1110", "9-9999")) = $0 { return true }
            return false
        },
        accountsCase("child of another type", "type: asset\n    parent", "type: expense\n    parent",
                     line: 8, column: 11, field: "accounts[1].type") {
            if case .accountRejected(_, _, .accountParentTypeMismatch) = $0 { return true }
            return false
        },
        accountsCase("duplicate account code", "code: 1-1110", "code: 1-0000", line: 5, column: 11, field: "accounts[1].code") {
            if case .accountRejected(_, _, .accountDuplicate(_, "1-0000")) = $0 { return true }
            return false
        },
        accountsCase("account code with a semicolon", "code: 1-1110", "code: \"1-1110;x\"", line: 5, column: 11,
                     field: "accounts[1].code") {
            if case .accountRejected(_, _, .accountCodeInvalid) = $0 { return true }
            return false
        },
        accountsCase("account name too long", "name: Bank\n", "name: " + String(repeating: "b", count: 201) + "\n",
                     line: 6, column: 11, field: "accounts[1].name") {
            if case .accountRejected(_, _, .textTooLong) = $0 { return true }
            return false
        },
        accountsCase("account currency unknown", "currency: IDR", "currency: XYZ", line: 10, column: 15,
                     field: "accounts[1].currency") {
            if case .currencyUnknown(_, _, "XYZ") = $0 { return true }
            return false
        },
        accountsCase("account closes before it opens", "    currency: IDR", "    currency: IDR\n    opens_on: 2024-01-01\n    closes_on: 2024-01-01",
                     line: 12, column: 16, field: "accounts[1].closes_on") {
            if case .dateRangeInverted = $0 { return true }
            return false
        },
        Case(name: "accounts missing", ledger: ledger, accounts: "version: 1\n", file: "accounts.yaml", line: 1, column: 1,
             field: "version") {
            if case .unknownKey = $0 { return true }
            return false
        },
        Case(name: "empty accounts list", ledger: ledger, accounts: "accounts: []\n", file: "accounts.yaml", line: 1,
             column: 11, field: "accounts") {
            if case .emptyValue = $0 { return true }
            return false
        },
        Case(name: "accounts file is a list", ledger: ledger, accounts: "- code: 1\n", file: "accounts.yaml", line: 1,
             column: 1, field: "document") {
            if case .wrongType(_, _, .mapping) = $0 { return true }
            return false
        },
        Case(name: "empty ledger file", ledger: "# nothing yet\n", accounts: accounts, file: "ledger.yaml", line: 1,
             column: 1, field: "document") {
            if case .emptyValue = $0 { return true }
            return false
        },
        Case(name: "accounts file absent", ledger: ledger, accounts: nil, file: "accounts.yaml", line: 0, column: nil, field: "") {
            $0 == .fileUnreadable($0.location, reason: "no such file")
        },
        Case(name: "ledger file absent", ledger: nil, accounts: accounts, file: "ledger.yaml", line: 0, column: nil, field: "") {
            if case .fileUnreadable = $0 { return true }
            return false
        },
    ]

    @Test(arguments: cases)
    func errorNamesFileLineColumnAndField(_ errorCase: Case) throws {
        let directory = try TestSupport.setupDirectory(ledger: errorCase.ledger, accounts: errorCase.accounts)
        defer { TestSupport.remove(directory) }
        let error = try #require(throws: SetupError.self) { try LedgerSetupLoader.load(directory: directory) }
        #expect(error.location.file == directory + "/" + errorCase.file)
        #expect(error.location.line == errorCase.line)
        #expect(error.location.column == errorCase.column)
        #expect(error.field == errorCase.field)
        #expect(errorCase.matches(error), "unexpected error: \(error)")
    }

    @Test func tooManyDistricts() throws {
        var ledger = Self.ledger.replacingOccurrences(of: "districts:\n  - code: SBT\n    name: Seram Bagian Timur\n    province: Maluku\n", with: "districts:\n")
        for index in 0...SetupLimits.districtsMax {
            ledger = ledger.replacingOccurrences(of: "districts:\n", with: "districts:\n  - {code: D\(index), name: District}\n")
        }
        let directory = try TestSupport.setupDirectory(ledger: ledger, accounts: Self.accounts)
        defer { TestSupport.remove(directory) }
        let error = try #require(throws: SetupError.self) { try LedgerSetupLoader.load(directory: directory) }
        #expect(error == .tooManyItems(
            InputLocation(file: directory + "/ledger.yaml", line: 6, column: 3), field: "districts",
            count: SetupLimits.districtsMax + 1, max: SetupLimits.districtsMax))
    }

    @Test func fileTooLarge() throws {
        let padding = String(repeating: "# padding padding padding padding padding padding padding padding\n", count: 130_000)
        let directory = try TestSupport.setupDirectory(ledger: Self.ledger + "\n" + padding, accounts: Self.accounts)
        defer { TestSupport.remove(directory) }
        let error = try #require(throws: SetupError.self) { try LedgerSetupLoader.load(directory: directory) }
        guard case .fileTooLarge(let location, let bytes, let max) = error else {
            Issue.record("unexpected error: \(error)")
            return
        }
        #expect(location == InputLocation(file: directory + "/ledger.yaml", line: 0))
        #expect(bytes > max)
        #expect(max == SetupLimits.setupFileBytesMax)
    }

    @Test func fileNotUTF8() throws {
        let directory = try TestSupport.setupDirectory(ledger: nil, accounts: Self.accounts)
        defer { TestSupport.remove(directory) }
        try Data([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xff, 0xfe, 0x0a]).write(to: URL(fileURLWithPath: directory + "/ledger.yaml"))
        let error = try #require(throws: SetupError.self) { try LedgerSetupLoader.load(directory: directory) }
        #expect(error == .fileUnreadable(InputLocation(file: directory + "/ledger.yaml", line: 0), reason: "it is not valid UTF-8 text"))
    }

    @Test func descriptionIsCompilerStyle() {
        let error = SetupError.accountRejected(
            InputLocation(file: "Ledgers/x/accounts.yaml", line: 12, column: 13), field: "accounts[3].parent",
            reason: .accountParentUnknown(field: "accounts[3].parent", code: "5-2100", parent: "5-9999"))
        #expect(error.description
            == "Ledgers/x/accounts.yaml:12:13: accounts[3].parent: account '5-2100' names parent '5-9999', which is not in the chart")
        let whole = SetupError.fileUnreadable(InputLocation(file: "a/ledger.yaml", line: 0), reason: "no such file")
        #expect(whole.description == "a/ledger.yaml: cannot read the file: no such file")
    }
}
