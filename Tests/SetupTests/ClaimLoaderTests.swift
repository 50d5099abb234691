import FeeClaims
import Foundation
import LedgerCore
import Setup
import Testing

/// The loaders of the fee-claim reference data: the people list (`people.csv`), the
/// approval matrix (`Policies/approval-matrix.yaml`) and the rate table
/// (`Policies/rates.yaml`). The reference files load with the exact content they state,
/// and every refusal names the exact error, file, line (and column for YAML).
@Suite struct ClaimLoaderTests {
    // MARK: Shared fixtures

    static let districts: Set<String> = ["SBT", "SBD", "MKS"]
    static let roleNames = [
        "claimant", "coordinator", "program-manager", "director", "finance-officer", "treasurer", "compliance-officer",
        "auditor", "admin",
    ]
    static let categoryNames = ["honorarium", "transport", "per-diem", "lodging"]

    static func withFile<T>(_ text: String, name: String, _ body: (String) throws -> T) throws -> T {
        let directory = try TestSupport.temporaryDirectory()
        defer { TestSupport.remove(directory) }
        let path = directory + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return try body(path)
    }

    static func idr(_ major: Int64) -> Money { Money(minorUnits: major * 100, currency: .idr) }

    static func date(_ text: String) throws -> LedgerDate { try LedgerDate(parsing: text) }

    static func at(_ path: String, _ line: Int, _ column: Int) -> InputLocation {
        InputLocation(file: path, line: line, column: column)
    }

    /// `base` with `old` (which must occur exactly once) replaced by `new`.
    static func replacing(_ old: String, with new: String, in base: String) throws -> String {
        try #require(base.components(separatedBy: old).count == 2, "'\(old)' must occur once")
        return base.replacingOccurrences(of: old, with: new)
    }

    // MARK: - Reference people

    static var referencePeoplePath: String { TestSupport.repositoryRoot + "/Ledgers/bangkit/people.csv" }

    static func referencePeople() throws -> [(person: Person, location: InputLocation)] {
        let setup = try LedgerSetupLoader.load(directory: TestSupport.repositoryRoot + "/Ledgers/bangkit")
        return try PeopleFileLoader.load(path: referencePeoplePath, districts: Set(setup.districts.map(\.code)))
    }

    @Test func referencePeopleLoad() throws {
        let loaded = try Self.referencePeople()
        let path = Self.referencePeoplePath
        #expect(loaded.count == 50)
        #expect(loaded.map(\.location) == (2...51).map { InputLocation(file: path, line: $0) })
        #expect(Set(loaded.map(\.person.id)).count == 50)
        var byDistrict: [String: Int] = [:]
        for (person, _) in loaded { byDistrict[person.district ?? "head office", default: 0] += 1 }
        #expect(byDistrict == ["SBT": 20, "SBD": 20, "MKS": 1, "head office": 9])

        let people = Dictionary(uniqueKeysWithValues: loaded.map { ($0.person.id, $0.person) })
        #expect(loaded.first?.person == Person(
            id: "P-SBT-001", name: "Abdul Karim Rumalutur", district: "SBT", roles: [.claimant, .coordinator],
            supervisor: "P-MKS-001", bankAccount: "BRI 4512-01-017204-50-3", activeFrom: try Self.date("2023-04-03")))
        #expect(people["P-SBT-002"]?.roles == [.claimant, .financeOfficer])
        #expect(people["P-SBD-001"]?.roles == [.claimant, .coordinator])
        #expect(people["P-SBD-002"]?.roles == [.claimant, .financeOfficer])
        #expect(people["P-SBD-005"]?.roles == [.claimant])
        #expect(people["P-SBD-005"]?.bankAccount == "BNI 0734121265")
        #expect(people["P-MKS-001"] == Person(
            id: "P-MKS-001", name: "Andi Rahmat Mappaware", district: nil, roles: [.programManager, .claimant],
            supervisor: "P-MKS-002", bankAccount: "BRI 0152-01-004418-50-6", activeFrom: try Self.date("2023-04-03")))
        #expect(people["P-MKS-002"] == Person(
            id: "P-MKS-002", name: "Hasnawati Pallawa", district: nil, roles: [.director], supervisor: nil, bankAccount: nil,
            activeFrom: try Self.date("2023-04-03")))
        #expect(people["P-MKS-010"]?.district == "MKS")
        #expect(people["P-MKS-010"]?.roles == [.claimant, .coordinator])

        // Head office: every role of the procedure, two finance officers and two treasurers.
        let headOffice = loaded.map(\.person).filter { $0.district == nil }
        func holders(_ role: Role) -> [String] { headOffice.filter { $0.roles.contains(role) }.map(\.id).sorted() }
        #expect(holders(.programManager) == ["P-MKS-001"])
        #expect(holders(.director) == ["P-MKS-002"])
        #expect(holders(.financeOfficer) == ["P-MKS-003", "P-MKS-008"])
        #expect(holders(.treasurer) == ["P-MKS-004", "P-MKS-009"])
        #expect(holders(.complianceOfficer) == ["P-MKS-005"])
        #expect(holders(.auditor) == ["P-MKS-006"])
        #expect(holders(.admin) == ["P-MKS-007"])

        // Two people left in 2024; their replacements started after them.
        let inactive = loaded.map(\.person).filter { $0.activeTo != nil }
        #expect(inactive.map(\.id) == ["P-SBT-009", "P-SBD-017"])
        #expect(inactive.map(\.activeTo) == [try Self.date("2024-06-30"), try Self.date("2024-09-30")])
        #expect(people["P-SBT-020"]?.activeFrom == (try Self.date("2024-07-15")))
        #expect(people["P-SBD-020"]?.activeFrom == (try Self.date("2024-10-14")))
    }

    @Test func referenceSupervisorsFollowTheOrganisation() throws {
        let people = try Self.referencePeople().map(\.person)
        for district in ["SBT", "SBD"] {
            let local = people.filter { $0.district == district }
            #expect(local.count == 20)
            let coordinators = local.filter { $0.roles.contains(.coordinator) }
            #expect(coordinators.map(\.id) == ["P-\(district)-001"])
            #expect(coordinators.first?.supervisor == "P-MKS-001")
            let financeAssistants = local.filter { $0.roles == [.claimant, .financeOfficer] }
            #expect(financeAssistants.map(\.id) == ["P-\(district)-002"])
            let facilitators = local.filter { $0.roles == [.claimant] }
            #expect(facilitators.count == 18)
            #expect(facilitators.allSatisfy { $0.supervisor == "P-\(district)-001" })
        }
        let byID = Dictionary(uniqueKeysWithValues: people.map { ($0.id, $0) })
        #expect(byID["P-MKS-001"]?.supervisor == "P-MKS-002")
        #expect(byID["P-MKS-002"]?.supervisor == nil)
        // Every chain of supervisors ends at someone without one, the director or the auditor.
        for person in people {
            var current = person
            var steps = 0
            while let next = current.supervisor.flatMap({ byID[$0] }), steps < people.count {
                current = next
                steps += 1
            }
            #expect(current.supervisor == nil, "\(person.id)")
            #expect(["P-MKS-002", "P-MKS-006"].contains(current.id), "\(person.id)")
        }
    }

    /// The reference people and matrix are enough to carry a facilitator's claim through
    /// every approval level, posting and payment with a different person at each step.
    @Test func referenceDataCarriesAClaimThroughEveryLevel() throws {
        let people = Dictionary(uniqueKeysWithValues: try Self.referencePeople().map { ($0.person.id, $0.person) })
        let matrix = try ApprovalMatrixLoader.load(path: TestSupport.repositoryRoot + "/Policies/approval-matrix.yaml")
        let rules = ClaimRules(matrix: matrix, date: try Self.date("2025-03-03")) { people[$0] }
        let header = ClaimHeader(
            claimant: "P-SBT-003", district: "SBT", budgetLine: "1.3", activity: "Village monitoring",
            activityFrom: try Self.date("2025-02-24"), activityTo: try Self.date("2025-02-28"))
        func claim(_ state: ClaimState, approvals: [String], poster: String? = nil) -> ClaimSnapshot {
            ClaimSnapshot(
                number: ClaimNumber(district: "SBT", fiscalYear: 2025, sequence: 1), header: header, state: state, version: 1,
                revision: 1, amount: Self.idr(30_000_000), approvals: approvals, poster: poster, heldFrom: nil)
        }
        #expect(try rules.check(.approve, on: claim(.submitted, approvals: []), by: "P-SBT-001", comment: nil) == .submitted)
        #expect(try rules.check(.approve, on: claim(.submitted, approvals: ["P-SBT-001"]), by: "P-MKS-001", comment: nil)
            == .submitted)
        #expect(try rules.check(
            .approve, on: claim(.submitted, approvals: ["P-SBT-001", "P-MKS-001"]), by: "P-MKS-002", comment: nil) == .approved)
        let approvers = ["P-SBT-001", "P-MKS-001", "P-MKS-002"]
        #expect(try rules.check(.post, on: claim(.approved, approvals: approvers), by: "P-SBT-002", comment: nil) == .posted)
        #expect(try rules.check(.pay, on: claim(.posted, approvals: approvers, poster: "P-SBT-002"), by: "P-MKS-004", comment: nil)
            == .posted)
        // The other district's coordinator may not approve it.
        #expect(throws: ClaimError.approverWrongDistrict(claim: "FC-SBT-2025-0001", person: "P-SBD-001", district: "SBD")) {
            try rules.check(.approve, on: claim(.submitted, approvals: []), by: "P-SBD-001", comment: nil)
        }
        // During the program manager's leave his deputy approves at his level.
        let onLeave = ClaimRules(matrix: matrix, date: try Self.date("2024-08-12")) { people[$0] }
        #expect(try onLeave.check(.approve, on: claim(.submitted, approvals: ["P-SBT-001"]), by: "P-MKS-010", comment: nil)
            == .submitted)
        // Outside the leave she is a coordinator only, whose limit is below the claim.
        #expect(throws: ClaimError.approverOverLimit(
            claim: "FC-SBT-2025-0001", person: "P-MKS-010", limit: Self.idr(5_000_000), amount: Self.idr(30_000_000))) {
            try rules.check(.approve, on: claim(.submitted, approvals: ["P-SBT-001"]), by: "P-MKS-010", comment: nil)
        }
    }

    // MARK: - Reference approval matrix

    @Test func referenceMatrixLoads() throws {
        let matrix = try ApprovalMatrixLoader.load(path: TestSupport.repositoryRoot + "/Policies/approval-matrix.yaml")
        #expect(matrix.levels == [
            ApprovalLevel(role: .coordinator, limit: Money(minorUnits: 500_000_000, currency: .idr), scope: .ownDistrict),
            ApprovalLevel(role: .programManager, limit: Money(minorUnits: 2_500_000_000, currency: .idr), scope: .all),
            ApprovalLevel(role: .director, limit: nil, scope: .all),
        ])
        #expect(matrix.levels == ApprovalMatrix.standard.levels)
        #expect(matrix.delegations == [
            Delegation(from: "P-MKS-001", to: "P-MKS-010", starts: try Self.date("2024-08-05"), ends: try Self.date("2024-08-23")),
        ])
        #expect(matrix.levelsNeeded(for: Self.idr(5_000_000)) == 1)
        #expect(matrix.levelsNeeded(for: Self.idr(5_000_001)) == 2)
        #expect(matrix.levelsNeeded(for: Self.idr(25_000_000)) == 2)
        #expect(matrix.levelsNeeded(for: Self.idr(25_000_001)) == 3)

        // The delegation names people of the list, active during the whole of it.
        let people = Dictionary(uniqueKeysWithValues: try Self.referencePeople().map { ($0.person.id, $0.person) })
        for delegation in matrix.delegations {
            for id in [delegation.from, delegation.to] {
                let person = try #require(people[id], "\(id)")
                #expect(person.isActive(on: delegation.starts) && person.isActive(on: delegation.ends), "\(id)")
            }
        }
    }

    // MARK: - Reference rates

    @Test func referenceRatesLoad() throws {
        let table = try RateTableLoader.load(path: TestSupport.repositoryRoot + "/Policies/rates.yaml")
        #expect(table.rates.count == 24)
        #expect(table.payableAccount == "2-1100")
        #expect(table.paymentAccounts == ["SBT": "1-1120", "SBD": "1-1130", "MKS": "1-1110"])
        #expect(table.categories == [
            .honorarium: CategoryAccounting(expenseAccount: "5-1100", receiptRequired: false),
            .transport: CategoryAccounting(expenseAccount: "5-2100", receiptRequired: true),
            .perDiem: CategoryAccounting(expenseAccount: "5-2200", receiptRequired: false),
            .lodging: CategoryAccounting(expenseAccount: "5-2300", receiptRequired: true),
        ])
        #expect(table.rates.first == Rate(category: .perDiem, district: "SBT", year: 2024, unitRate: Self.idr(350_000), kind: .ceiling))
        #expect(table.rate(for: .perDiem, district: "SBD", year: 2025)
            == Rate(category: .perDiem, district: "SBD", year: 2025, unitRate: Self.idr(350_000), kind: .ceiling))
        #expect(table.rate(for: .honorarium, district: "MKS", year: 2024)?.unitRate == Self.idr(500_000))
        #expect(table.rate(for: .transport, district: "SBT", year: 2025)
            == Rate(category: .transport, district: "SBT", year: 2025, unitRate: Self.idr(275_000), kind: .estimate))
        #expect(table.rate(for: .lodging, district: "MKS", year: 2025)?.unitRate == Self.idr(700_000))
        #expect(table.rate(for: .lodging, district: "SBT", year: 2026) == nil)

        // One rate for every category, district and year; transport an estimate, the rest ceilings.
        for category in ClaimCategory.allCases {
            for district in ["SBT", "SBD", "MKS"] {
                for year in [2024, 2025] {
                    let rate = try #require(table.rate(for: category, district: district, year: year), "\(category) \(district) \(year)")
                    #expect(rate.kind == (category == .transport ? .estimate : .ceiling))
                    #expect(rate.unitRate.currency == .idr)
                    // Rates do not go down from 2024 to 2025.
                    if year == 2025, let earlier = table.rate(for: category, district: district, year: 2024) {
                        #expect(rate.unitRate.minorUnits >= earlier.unitRate.minorUnits)
                    }
                }
            }
        }
    }

    /// The accounts and districts of the rates exist in the bangkit ledger, as leaves of the
    /// right type and in rupiah.
    @Test func referenceRatesMatchTheLedger() throws {
        let setup = try LedgerSetupLoader.load(directory: TestSupport.repositoryRoot + "/Ledgers/bangkit")
        let table = try RateTableLoader.load(path: TestSupport.repositoryRoot + "/Policies/rates.yaml")
        let districts = Set(setup.districts.map(\.code))
        #expect(Set(table.paymentAccounts.keys) == districts)
        #expect(Set(table.rates.map(\.district)) == districts)
        func check(_ code: String, _ type: AccountType) {
            let account = setup.chart.account(code: code)
            #expect(account?.type == type, "\(code)")
            #expect(account?.currency == .idr, "\(code)")
            #expect(setup.chart.isLeaf(code), "\(code)")
        }
        check(table.payableAccount, .liability)
        for code in table.paymentAccounts.values { check(code, .asset) }
        for accounting in table.categories.values { check(accounting.expenseAccount, .expense) }
    }

    // MARK: - People files

    static let peopleHeader = "id,name,district,roles,supervisor,bank_account,active_from,active_to"

    /// One people row; each argument defaults to a valid facilitator of SBT.
    static func person(
        _ id: String = "P-SBT-101", name: String = "Fatimah Rumakey", district: String = "SBT", roles: String = "claimant",
        supervisor: String = "P-SBT-100", bank: String = "BRI 4512-01-017511-50-1", from: String = "2024-01-02",
        to: String = ""
    ) -> String {
        [id, name, district, roles, supervisor, bank, from, to].joined(separator: ",")
    }

    /// The coordinator, named as supervisor by the default row; supervised by the program
    /// manager further down.
    static let coordinatorRow = person(
        "P-SBT-100", name: "Abdul Karim Rumalutur", roles: "claimant;coordinator", supervisor: "P-MKS-100")
    static let managerRow = person(
        "P-MKS-100", name: "Andi Rahmat Mappaware", district: "", roles: "program-manager;claimant", supervisor: "", bank: "")

    /// A people file: header, coordinator (line 2), `row` (line 3), program manager (line 4).
    static func peopleFile(_ row: String) -> String {
        [peopleHeader, coordinatorRow, row, managerRow].joined(separator: "\n") + "\n"
    }

    static func people(_ text: String) throws -> (people: [(person: Person, location: InputLocation)], path: String) {
        try withFile(text, name: "people.csv") { path in (try PeopleFileLoader.load(path: path, districts: districts), path) }
    }

    static func peopleError(_ text: String) throws -> (error: SetupError, path: String) {
        try withFile(text, name: "people.csv") { path in
            (try #require(throws: SetupError.self) { try PeopleFileLoader.load(path: path, districts: districts) }, path)
        }
    }

    @Test func validPeopleFileLoadsWithEveryField() throws {
        let (loaded, path) = try Self.people(Self.peopleFile(Self.person(to: "2024-12-31")))
        #expect(loaded.map(\.location) == [2, 3, 4].map { InputLocation(file: path, line: $0) })
        #expect(loaded.map(\.person) == [
            Person(id: "P-SBT-100", name: "Abdul Karim Rumalutur", district: "SBT", roles: [.claimant, .coordinator],
                   supervisor: "P-MKS-100", bankAccount: "BRI 4512-01-017511-50-1", activeFrom: try Self.date("2024-01-02")),
            Person(id: "P-SBT-101", name: "Fatimah Rumakey", district: "SBT", roles: [.claimant], supervisor: "P-SBT-100",
                   bankAccount: "BRI 4512-01-017511-50-1", activeFrom: try Self.date("2024-01-02"),
                   activeTo: try Self.date("2024-12-31")),
            Person(id: "P-MKS-100", name: "Andi Rahmat Mappaware", district: nil, roles: [.programManager, .claimant],
                   supervisor: nil, bankAccount: nil, activeFrom: try Self.date("2024-01-02")),
        ])
    }

    @Test func peopleFieldsAreTrimmedAndQuotesAccepted() throws {
        let row = Self.person(
            " P-SBT-101 ", name: "\"Fatimah, \"\"Ima\"\" Rumakey\"", district: " SBT", roles: " claimant ; coordinator ",
            supervisor: "\"P-SBT-100\"", bank: " ", from: " 2024-01-02 ", to: "2024-01-02")
        let text = [Self.peopleHeader, Self.coordinatorRow, row, Self.managerRow].joined(separator: "\r\n") + "\r\n"
        let (loaded, path) = try Self.people(text)
        #expect(loaded.map(\.location) == [2, 3, 4].map { InputLocation(file: path, line: $0) })
        #expect(loaded.dropFirst().first?.person == Person(
            id: "P-SBT-101", name: "Fatimah, \"Ima\" Rumakey", district: "SBT", roles: [.claimant, .coordinator],
            supervisor: "P-SBT-100", bankAccount: nil, activeFrom: try Self.date("2024-01-02"), activeTo: try Self.date("2024-01-02")))
    }

    @Test func peopleHeaderIgnoresCaseAndSpaces() throws {
        let header = "ID, Name ,district,ROLES,supervisor,Bank_Account,active_from,active_to"
        let (loaded, _) = try Self.people([header, Self.coordinatorRow, Self.managerRow].joined(separator: "\n"))
        #expect(loaded.map(\.person.id) == ["P-SBT-100", "P-MKS-100"])
    }

    @Test(arguments: [
        "id,name,district,roles,supervisor,bank_account,active_from",
        "id,name,district,role,supervisor,bank_account,active_from,active_to",
        "name,id,district,roles,supervisor,bank_account,active_from,active_to",
        "id,name,district,roles,supervisor,bank_account,active_from,active_to,email",
    ])
    func wrongPeopleHeader(header: String) throws {
        let (error, path) = try Self.peopleError("\n" + [header, Self.coordinatorRow, Self.managerRow].joined(separator: "\n"))
        #expect(error == .csvHeaderInvalid(
            InputLocation(file: path, line: 2), expected: PeopleFileLoader.columns,
            found: header.split(separator: ",").map(String.init)))
        #expect(PeopleFileLoader.columns == Self.peopleHeader.split(separator: ",").map(String.init))
    }

    @Test func emptyPeopleFileHasNoHeader() throws {
        for text in ["", "\n\n"] {
            let (error, path) = try Self.peopleError(text)
            #expect(error == .emptyValue(InputLocation(file: path, line: 1), field: "header"))
        }
    }

    @Test func headerOnlyPeopleFileHasNoPeople() throws {
        for text in [Self.peopleHeader, Self.peopleHeader + "\n\n"] {
            let (error, path) = try Self.peopleError(text)
            #expect(error == .emptyValue(InputLocation(file: path, line: 0), field: "people"))
        }
    }

    @Test func missingPeopleFileIsUnreadable() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { TestSupport.remove(directory) }
        let path = directory + "/people.csv"
        let error = try #require(throws: SetupError.self) { try PeopleFileLoader.load(path: path, districts: Self.districts) }
        #expect(error == .fileUnreadable(InputLocation(file: path, line: 0), reason: "no such file"))
    }

    @Test func tooManyPeople() throws {
        let rows = (1...(PeopleFileLoader.peopleMax + 1)).map { Self.person(String(format: "P-%05d", $0), supervisor: "") }
        let (error, path) = try Self.peopleError(([Self.peopleHeader] + rows).joined(separator: "\n"))
        #expect(error == .tooManyItems(InputLocation(file: path, line: 0), field: "people", count: 10_001, max: 10_000))
        #expect(PeopleFileLoader.peopleMax == 10_000)
    }

    struct PersonCase: Sendable, CustomTestStringConvertible {
        var name: String
        var row: String
        var expected: @Sendable (InputLocation) throws -> SetupError
        var testDescription: String { name }
    }

    static let personCases: [PersonCase] = [
        PersonCase(name: "too few fields", row: "P-SBT-101,Fatimah Rumakey") { .csvFieldCount($0, expected: 8, found: 2) },
        PersonCase(name: "too many fields", row: person() + ",extra") { .csvFieldCount($0, expected: 8, found: 9) },
        PersonCase(name: "empty id", row: person("")) { .emptyValue($0, field: "id") },
        PersonCase(name: "blank id", row: person("  ")) { .emptyValue($0, field: "id") },
        PersonCase(name: "id with a space", row: person("P SBT 101")) { .codeInvalid($0, field: "id", value: "P SBT 101") },
        PersonCase(name: "id with a comma", row: person("\"P-SBT,101\"")) { .codeInvalid($0, field: "id", value: "P-SBT,101") },
        PersonCase(name: "id with a semicolon", row: person("P-SBT;101")) { .codeInvalid($0, field: "id", value: "P-SBT;101") },
        PersonCase(name: "id with a control character", row: person("P-SBT-\u{7}101")) {
            .codeInvalid($0, field: "id", value: "P-SBT-\u{7}101")
        },
        PersonCase(name: "id too long", row: person(String(repeating: "P", count: 65))) {
            .codeInvalid($0, field: "id", value: String(repeating: "P", count: 65))
        },
        PersonCase(name: "id given twice", row: person("P-SBT-100")) { .duplicateCode($0, field: "id", code: "P-SBT-100") },
        PersonCase(name: "empty name", row: person(name: "")) { .emptyValue($0, field: "name") },
        PersonCase(name: "name too long", row: person(name: String(repeating: "a", count: 101))) {
            .textInvalid($0, field: "name", reason: .textTooLong(field: "name", length: 101, max: 100))
        },
        PersonCase(name: "name with a tab", row: person(name: "Fatimah\tRumakey")) {
            .textInvalid($0, field: "name", reason: .textHasControlCharacters(field: "name"))
        },
        PersonCase(name: "unknown district", row: person(district: "SBX")) {
            .valueNotAllowed($0, field: "district", value: "SBX", allowed: ["MKS", "SBD", "SBT"])
        },
        PersonCase(name: "district in lower case", row: person(district: "sbt")) {
            .valueNotAllowed($0, field: "district", value: "sbt", allowed: ["MKS", "SBD", "SBT"])
        },
        PersonCase(name: "no roles", row: person(roles: "")) { .emptyValue($0, field: "roles") },
        PersonCase(name: "unknown role", row: person(roles: "claimant;facilitator")) {
            .valueNotAllowed($0, field: "roles", value: "facilitator", allowed: roleNames)
        },
        PersonCase(name: "role in capitals", row: person(roles: "Claimant")) {
            .valueNotAllowed($0, field: "roles", value: "Claimant", allowed: roleNames)
        },
        PersonCase(name: "role with an underscore", row: person(roles: "finance_officer")) {
            .valueNotAllowed($0, field: "roles", value: "finance_officer", allowed: roleNames)
        },
        PersonCase(name: "roles separated by a comma", row: person(roles: "\"claimant,coordinator\"")) {
            .valueNotAllowed($0, field: "roles", value: "claimant,coordinator", allowed: roleNames)
        },
        PersonCase(name: "empty role after a semicolon", row: person(roles: "claimant;")) {
            .valueNotAllowed($0, field: "roles", value: "", allowed: roleNames)
        },
        PersonCase(name: "role given twice", row: person(roles: "claimant;coordinator;claimant")) {
            .duplicateCode($0, field: "roles", code: "claimant")
        },
        PersonCase(name: "supervisor with a space", row: person(supervisor: "P SBT 100")) {
            .codeInvalid($0, field: "supervisor", value: "P SBT 100")
        },
        PersonCase(name: "supervisor not in the file", row: person(supervisor: "P-SBT-999")) {
            .personUnknown($0, field: "supervisor", id: "P-SBT-999")
        },
        PersonCase(name: "supervisor in another case", row: person(supervisor: "p-sbt-100")) {
            .personUnknown($0, field: "supervisor", id: "p-sbt-100")
        },
        PersonCase(name: "own supervisor", row: person(supervisor: "P-SBT-101")) {
            .supervisorCycle($0, field: "supervisor", chain: ["P-SBT-101", "P-SBT-101"])
        },
        PersonCase(name: "bank account with a tab", row: person(bank: "BRI\t4512")) {
            .textInvalid($0, field: "bank_account", reason: .textHasControlCharacters(field: "bank_account"))
        },
        PersonCase(name: "bank account too long", row: person(bank: String(repeating: "1", count: 101))) {
            .textInvalid($0, field: "bank_account", reason: .textTooLong(field: "bank_account", length: 101, max: 100))
        },
        PersonCase(name: "no active_from", row: person(from: "")) { .emptyValue($0, field: "active_from") },
        PersonCase(name: "active_from not a day", row: person(from: "2024-02-30")) {
            .dateInvalid($0, field: "active_from", value: "2024-02-30")
        },
        PersonCase(name: "active_from day first", row: person(from: "02/01/2024")) {
            .dateInvalid($0, field: "active_from", value: "02/01/2024")
        },
        PersonCase(name: "active_to not a date", row: person(to: "2024-13-01")) {
            .dateInvalid($0, field: "active_to", value: "2024-13-01")
        },
        PersonCase(name: "active_to before active_from", row: person(from: "2024-01-02", to: "2024-01-01")) {
            .dateRangeInverted($0, field: "active_to", startsOn: try date("2024-01-02"), endsOn: try date("2024-01-01"))
        },
    ]

    /// The bad row is the file's third record (after `blankLines` blank lines); a valid row
    /// follows it, so the error must name the bad row's own line.
    @Test(arguments: personCases, [0, 2])
    func badPersonIsRefusedAtItsLine(_ personCase: PersonCase, blankLines: Int) throws {
        let text = [Self.peopleHeader, Self.coordinatorRow].joined(separator: "\n") + "\n" + String(repeating: "\n", count: blankLines)
            + [personCase.row, Self.managerRow].joined(separator: "\n") + "\n"
        let (error, path) = try Self.peopleError(text)
        #expect(error == (try personCase.expected(InputLocation(file: path, line: 3 + blankLines))))
    }

    @Test func activeToOnActiveFromIsOneDay() throws {
        let (loaded, _) = try Self.people(Self.peopleFile(Self.person(from: "2024-03-01", to: "2024-03-01")))
        let person = try #require(loaded.dropFirst().first?.person)
        #expect(person.activeTo == (try Self.date("2024-03-01")))
        #expect(person.isActive(on: try Self.date("2024-03-01")))
        #expect(!person.isActive(on: try Self.date("2024-03-02")))
    }

    /// Supervisors are checked once every row is read: a later row's own error comes first,
    /// and the unknown supervisor is reported at the first row that names one.
    @Test func supervisorsAreCheckedAfterAllRows() throws {
        let unknownThenBadDate = [
            Self.peopleHeader, Self.coordinatorRow, Self.person(supervisor: "P-SBT-999"), Self.managerRow,
            Self.person("P-SBT-102", from: "2024-02-30"),
        ].joined(separator: "\n")
        let (dateError, datePath) = try Self.peopleError(unknownThenBadDate)
        #expect(dateError == .dateInvalid(InputLocation(file: datePath, line: 5), field: "active_from", value: "2024-02-30"))

        let twoUnknown = [
            Self.peopleHeader, Self.coordinatorRow, Self.person(), Self.person("P-SBT-102", supervisor: "P-SBT-998"),
            Self.managerRow, Self.person("P-SBT-103", supervisor: "P-SBT-999"),
        ].joined(separator: "\n")
        let (error, path) = try Self.peopleError(twoUnknown)
        #expect(error == .personUnknown(InputLocation(file: path, line: 4), field: "supervisor", id: "P-SBT-998"))
    }

    @Test func supervisorLoopIsReportedAtItsFirstRow() throws {
        // P-SBT-101 (line 3) -> P-SBT-102 (line 4) -> P-SBT-103 (line 5) -> P-SBT-102.
        let text = [
            Self.peopleHeader, Self.coordinatorRow, Self.person(supervisor: "P-SBT-102"),
            Self.person("P-SBT-102", supervisor: "P-SBT-103"), Self.person("P-SBT-103", supervisor: "P-SBT-102"), Self.managerRow,
        ].joined(separator: "\n")
        let (error, path) = try Self.peopleError(text)
        #expect(error == .supervisorCycle(
            InputLocation(file: path, line: 4), field: "supervisor", chain: ["P-SBT-102", "P-SBT-103", "P-SBT-102"]))

        // The whole list in a loop: the coordinator (line 2) is supervised by the last row.
        let loop = [
            Self.peopleHeader, Self.coordinatorRow, Self.person(),
            Self.person("P-MKS-100", district: "", roles: "program-manager", supervisor: "P-SBT-101", bank: ""),
        ].joined(separator: "\n")
        let (loopError, loopPath) = try Self.peopleError(loop)
        #expect(loopError == .supervisorCycle(
            InputLocation(file: loopPath, line: 2), field: "supervisor", chain: ["P-SBT-100", "P-MKS-100", "P-SBT-101", "P-SBT-100"]))

        // Reached from above, at its later row: P-SBT-100 (line 2) -> P-MKS-100 (line 4)
        // -> P-SBT-101 (line 3) -> P-MKS-100. The loop is still reported at line 3.
        let entered = [
            Self.peopleHeader, Self.coordinatorRow, Self.person(supervisor: "P-MKS-100"),
            Self.person("P-MKS-100", district: "", roles: "program-manager", supervisor: "P-SBT-101", bank: ""),
        ].joined(separator: "\n")
        let (enteredError, enteredPath) = try Self.peopleError(entered)
        #expect(enteredError == .supervisorCycle(
            InputLocation(file: enteredPath, line: 3), field: "supervisor", chain: ["P-SBT-101", "P-MKS-100", "P-SBT-101"]))
    }

    // MARK: - Approval matrix files

    static let baseMatrix = """
        currency: IDR
        levels:
          - role: coordinator
            limit: 5000000
            scope: own-district
          - role: program-manager
            limit: 25000000
            scope: all
          - role: director
            scope: all
        delegations:
          - from: P-MKS-001
            to: P-MKS-010
            starts: 2024-08-05
            ends: 2024-08-23

        """

    static func matrix(_ text: String) throws -> ApprovalMatrix {
        try withFile(text, name: "approval-matrix.yaml") { path in try ApprovalMatrixLoader.load(path: path) }
    }

    static func matrixError(_ text: String) throws -> (error: SetupError, path: String) {
        try withFile(text, name: "approval-matrix.yaml") { path in
            (try #require(throws: SetupError.self) { try ApprovalMatrixLoader.load(path: path) }, path)
        }
    }

    @Test func baseMatrixLoads() throws {
        #expect(try Self.matrix(Self.baseMatrix) == ApprovalMatrix(
            levels: [
                ApprovalLevel(role: .coordinator, limit: Self.idr(5_000_000), scope: .ownDistrict),
                ApprovalLevel(role: .programManager, limit: Self.idr(25_000_000), scope: .all),
                ApprovalLevel(role: .director, limit: nil, scope: .all),
            ],
            delegations: [
                Delegation(from: "P-MKS-001", to: "P-MKS-010", starts: try Self.date("2024-08-05"), ends: try Self.date("2024-08-23")),
            ]))
    }

    @Test func matrixLimitsAreInTheRootCurrency() throws {
        let usd = try Self.matrix(try Self.replacing("currency: IDR", with: "currency: USD", in: Self.baseMatrix))
        #expect(usd.levels.map(\.limit) == [
            Money(minorUnits: 500_000_000, currency: .usd), Money(minorUnits: 2_500_000_000, currency: .usd), nil,
        ])
        let jpy = try Self.matrix(try Self.replacing("currency: IDR", with: "currency: JPY", in: Self.baseMatrix))
        #expect(jpy.levels.first?.limit == Money(minorUnits: 5_000_000, currency: .jpy))
        // Without a currency: rupiah.
        let bare = try Self.matrix(try Self.replacing("currency: IDR\n", with: "", in: Self.baseMatrix))
        #expect(bare.levels.first?.limit == Self.idr(5_000_000))
    }

    @Test func smallestMatrix() throws {
        // One level without a limit, no delegations; an explicit null limit on the last level.
        #expect(try Self.matrix("levels:\n  - {role: director, scope: all}\n")
            == ApprovalMatrix(levels: [ApprovalLevel(role: .director, limit: nil, scope: .all)], delegations: []))
        let text = "levels:\n  - {role: coordinator, limit: 1, scope: own-district}\n  - {role: director, limit: ~, scope: all}\n"
            + "delegations: []\n"
        #expect(try Self.matrix(text) == ApprovalMatrix(levels: [
            ApprovalLevel(role: .coordinator, limit: Self.idr(1), scope: .ownDistrict),
            ApprovalLevel(role: .director, limit: nil, scope: .all),
        ]))
    }

    @Test func oneDayDelegation() throws {
        let matrix = try Self.matrix(try Self.replacing("ends: 2024-08-23", with: "ends: 2024-08-05", in: Self.baseMatrix))
        #expect(matrix.delegations.map(\.ends) == [try Self.date("2024-08-05")])
    }

    struct YAMLCase: Sendable, CustomTestStringConvertible {
        var name: String
        var old: String
        var new: String
        var expected: @Sendable (String) throws -> SetupError
        var testDescription: String { name }
    }

    static func limitError(_ path: String, _ line: Int, _ column: Int, level: Int, text: String, _ reason: AmountParseError) -> SetupError {
        let field = "levels[\(level)].limit"
        return .amountInvalid(at(path, line, column), field: field, reason: .amountInvalid(field: field, text: text, reason: reason))
    }

    static let matrixCases: [YAMLCase] = [
        YAMLCase(name: "root key typo", old: "currency: IDR", new: "curency: IDR") {
            .unknownKey(at($0, 1, 1), field: "curency", allowed: ["currency", "levels", "delegations"])
        },
        YAMLCase(name: "unknown currency", old: "currency: IDR", new: "currency: RP") {
            .currencyUnknown(at($0, 1, 11), field: "currency", code: "RP")
        },
        YAMLCase(name: "level key typo", old: "    limit: 25000000", new: "    limits: 25000000") {
            .unknownKey(at($0, 7, 5), field: "levels[1].limits", allowed: ["role", "limit", "scope"])
        },
        YAMLCase(name: "delegation key typo", old: "    ends: 2024-08-23", new: "    until: 2024-08-23") {
            .unknownKey(at($0, 15, 5), field: "delegations[0].until", allowed: ["from", "to", "starts", "ends"])
        },
        YAMLCase(name: "unknown role", old: "role: program-manager", new: "role: manager") {
            .valueNotAllowed(at($0, 6, 11), field: "levels[1].role", value: "manager", allowed: roleNames)
        },
        YAMLCase(name: "role with an underscore", old: "role: program-manager", new: "role: program_manager") {
            .valueNotAllowed(at($0, 6, 11), field: "levels[1].role", value: "program_manager", allowed: roleNames)
        },
        YAMLCase(name: "no role", old: "  - role: director\n    scope: all", new: "  - scope: all") {
            .missingKey(at($0, 9, 5), field: "levels[2].role")
        },
        YAMLCase(name: "first level without a limit", old: "    limit: 5000000\n", new: "") {
            .approvalLimitMissing(at($0, 3, 5), field: "levels[0].limit")
        },
        YAMLCase(name: "middle level without a limit", old: "    limit: 25000000\n", new: "") {
            .approvalLimitMissing(at($0, 6, 5), field: "levels[1].limit")
        },
        YAMLCase(name: "middle level with a null limit", old: "limit: 25000000", new: "limit: ~") {
            .approvalLimitMissing(at($0, 7, 12), field: "levels[1].limit")
        },
        YAMLCase(name: "middle level with an empty limit", old: "limit: 25000000", new: "limit: ''") {
            .approvalLimitMissing(at($0, 7, 12), field: "levels[1].limit")
        },
        YAMLCase(name: "equal limits", old: "limit: 25000000", new: "limit: 5000000") {
            .approvalLimitNotIncreasing(at($0, 7, 12), field: "levels[1].limit", limit: idr(5_000_000), previous: idr(5_000_000))
        },
        YAMLCase(name: "decreasing limits", old: "limit: 25000000", new: "limit: 4999999") {
            .approvalLimitNotIncreasing(at($0, 7, 12), field: "levels[1].limit", limit: idr(4_999_999), previous: idr(5_000_000))
        },
        YAMLCase(name: "last level with a limit", old: "  - role: director\n", new: "  - role: director\n    limit: 100000000\n") {
            .approvalLimitOnLastLevel(at($0, 10, 12), field: "levels[2].limit")
        },
        YAMLCase(name: "limit with thousands dots", old: "limit: 5000000", new: "limit: 5.000.000") {
            limitError($0, 4, 12, level: 0, text: "5.000.000", .unexpectedCharacter("."))
        },
        YAMLCase(name: "limit with thousands commas", old: "limit: 5000000", new: "limit: 5,000,000") {
            limitError($0, 4, 12, level: 0, text: "5,000,000", .unexpectedCharacter(","))
        },
        YAMLCase(name: "limit with decimals", old: "limit: 5000000", new: "limit: 5000000.00") {
            limitError($0, 4, 12, level: 0, text: "5000000.00", .unexpectedCharacter("."))
        },
        YAMLCase(name: "limit with a symbol", old: "limit: 5000000", new: "limit: Rp 5000000") {
            limitError($0, 4, 12, level: 0, text: "Rp 5000000", .unexpectedCharacter("R"))
        },
        YAMLCase(name: "negative limit", old: "limit: 5000000", new: "limit: -5000000") {
            limitError($0, 4, 12, level: 0, text: "-5000000", .unexpectedCharacter("-"))
        },
        YAMLCase(name: "limit with underscores", old: "limit: 5000000", new: "limit: 5_000_000") {
            limitError($0, 4, 12, level: 0, text: "5_000_000", .unexpectedCharacter("_"))
        },
        YAMLCase(name: "zero limit", old: "limit: 5000000", new: "limit: 0") {
            .amountInvalid(at($0, 4, 12), field: "levels[0].limit", reason: .amountIsZero(field: "levels[0].limit"))
        },
        YAMLCase(name: "limit overflowing", old: "limit: 5000000", new: "limit: 99999999999999999999") {
            limitError($0, 4, 12, level: 0, text: "99999999999999999999", .overflow)
        },
        YAMLCase(name: "limit above the amount bound", old: "limit: 5000000", new: "limit: 10000000000001") {
            .amountInvalid(at($0, 4, 12), field: "levels[0].limit",
                           reason: .amountAboveLimit(field: "levels[0].limit", minorUnits: 1_000_000_000_000_100))
        },
        YAMLCase(name: "limit as a list", old: "limit: 5000000", new: "limit: [5000000]") {
            .wrongType(at($0, 4, 12), field: "levels[0].limit", expected: .scalar)
        },
        YAMLCase(name: "unknown scope", old: "scope: own-district", new: "scope: district") {
            .valueNotAllowed(at($0, 5, 12), field: "levels[0].scope", value: "district", allowed: ["own-district", "all"])
        },
        YAMLCase(name: "no scope", old: "    scope: own-district\n", new: "") {
            .missingKey(at($0, 3, 5), field: "levels[0].scope")
        },
        YAMLCase(name: "ends before starts", old: "ends: 2024-08-23", new: "ends: 2024-08-04") {
            .dateRangeInverted(
                at($0, 15, 11), field: "delegations[0].ends", startsOn: try date("2024-08-05"), endsOn: try date("2024-08-04"))
        },
        YAMLCase(name: "starts not a day", old: "starts: 2024-08-05", new: "starts: 2024-08-32") {
            .dateInvalid(at($0, 14, 13), field: "delegations[0].starts", value: "2024-08-32")
        },
        YAMLCase(name: "no ends", old: "    ends: 2024-08-23\n", new: "") {
            .missingKey(at($0, 12, 5), field: "delegations[0].ends")
        },
        YAMLCase(name: "delegation to oneself", old: "to: P-MKS-010", new: "to: P-MKS-001") {
            .valueNotAllowed(at($0, 13, 9), field: "delegations[0].to", value: "P-MKS-001", allowed: ["someone other than 'P-MKS-001'"])
        },
        YAMLCase(name: "delegation from an id with a space", old: "from: P-MKS-001", new: "from: P MKS 001") {
            .codeInvalid(at($0, 12, 11), field: "delegations[0].from", value: "P MKS 001")
        },
    ]

    @Test(arguments: matrixCases)
    func matrixErrorIsExact(_ matrixCase: YAMLCase) throws {
        let text = try Self.replacing(matrixCase.old, with: matrixCase.new, in: Self.baseMatrix)
        let (error, path) = try Self.matrixError(text)
        #expect(error == (try matrixCase.expected(path)))
    }

    @Test func matrixWithoutLevels() throws {
        let (missing, missingPath) = try Self.matrixError("currency: IDR\ndelegations: []\n")
        #expect(missing == .missingKey(Self.at(missingPath, 1, 1), field: "levels"))
        let (empty, emptyPath) = try Self.matrixError("currency: IDR\nlevels: []\n")
        #expect(empty == .emptyValue(Self.at(emptyPath, 2, 9), field: "levels"))
        let (null, nullPath) = try Self.matrixError("currency: IDR\nlevels:\ndelegations: []\n")
        #expect(null == .emptyValue(Self.at(nullPath, 2, 8), field: "levels"))
        let (scalar, scalarPath) = try Self.matrixError("currency: IDR\nlevels: director\n")
        #expect(scalar == .wrongType(Self.at(scalarPath, 2, 9), field: "levels", expected: .list))
    }

    // MARK: - Rate files

    static let baseRates = """
        currency: IDR
        payable-account: 2-1100
        payment-accounts:
          SBT: 1-1120
          MKS: 1-1110
        categories:
          honorarium: {account: 5-1100, receipt-required: false}
          transport: {account: 5-2100, receipt-required: true}
          per-diem: {account: 5-2200, receipt-required: false}
          lodging: {account: 5-2300, receipt-required: true}
        rates:
          - {category: per-diem, district: SBT, year: 2024, rate: 350000, kind: ceiling}
          - {category: transport, district: SBT, year: 2024, rate: 250000, kind: estimate}
          - {category: per-diem, district: MKS, year: 2024, rate: 400000, kind: ceiling}
          - {category: per-diem, district: SBT, year: 2025, rate: 375000, kind: ceiling}

        """

    static func rates(_ text: String) throws -> RateTable {
        try withFile(text, name: "rates.yaml") { path in try RateTableLoader.load(path: path) }
    }

    static func ratesError(_ text: String) throws -> (error: SetupError, path: String) {
        try withFile(text, name: "rates.yaml") { path in
            (try #require(throws: SetupError.self) { try RateTableLoader.load(path: path) }, path)
        }
    }

    static let baseCategories: [ClaimCategory: CategoryAccounting] = [
        .honorarium: CategoryAccounting(expenseAccount: "5-1100", receiptRequired: false),
        .transport: CategoryAccounting(expenseAccount: "5-2100", receiptRequired: true),
        .perDiem: CategoryAccounting(expenseAccount: "5-2200", receiptRequired: false),
        .lodging: CategoryAccounting(expenseAccount: "5-2300", receiptRequired: true),
    ]

    @Test func baseRatesLoad() throws {
        #expect(try Self.rates(Self.baseRates) == RateTable(
            rates: [
                Rate(category: .perDiem, district: "SBT", year: 2024, unitRate: Self.idr(350_000), kind: .ceiling),
                Rate(category: .transport, district: "SBT", year: 2024, unitRate: Self.idr(250_000), kind: .estimate),
                Rate(category: .perDiem, district: "MKS", year: 2024, unitRate: Self.idr(400_000), kind: .ceiling),
                Rate(category: .perDiem, district: "SBT", year: 2025, unitRate: Self.idr(375_000), kind: .ceiling),
            ],
            categories: Self.baseCategories, payableAccount: "2-1100", paymentAccounts: ["SBT": "1-1120", "MKS": "1-1110"]))
    }

    @Test func ratesAreInTheRootCurrency() throws {
        let usd = try Self.rates(try Self.replacing("currency: IDR", with: "currency: USD", in: Self.baseRates))
        #expect(usd.rates.map(\.unitRate).first == Money(minorUnits: 35_000_000, currency: .usd))
        let bare = try Self.rates(try Self.replacing("currency: IDR\n", with: "", in: Self.baseRates))
        #expect(bare.rates.map(\.unitRate) == [350_000, 250_000, 400_000, 375_000].map { Self.idr($0) })
    }

    @Test func emptyRatesAndPaymentAccounts() throws {
        let text = """
            payable-account: 2-1100
            payment-accounts: {}
            categories:
              honorarium: {account: 5-1100, receipt-required: false}
              transport: {account: 5-2100, receipt-required: true}
              per-diem: {account: 5-2200, receipt-required: false}
              lodging: {account: 5-2300, receipt-required: true}
            rates: []

            """
        #expect(try Self.rates(text) == RateTable(
            rates: [], categories: Self.baseCategories, payableAccount: "2-1100", paymentAccounts: [:]))
    }

    /// Every claim category must be configured: leaving any one out is refused.
    @Test(arguments: zip(ClaimCategory.allCases, [7, 8, 9, 10]))
    func everyCategoryIsRequired(category: ClaimCategory, line: Int) throws {
        let lines = Self.baseRates.split(separator: "\n", omittingEmptySubsequences: false)
        try #require(lines[line - 1].hasPrefix("  \(category.rawValue): "))
        let text = lines.enumerated().filter { $0.offset != line - 1 }.map(\.element).joined(separator: "\n")
        let (error, path) = try Self.ratesError(text)
        // The categories mapping starts at its first key, on line 7 whichever line is left out.
        #expect(error == .missingKey(Self.at(path, 7, 3), field: "categories.\(category.rawValue)"))
        #expect(Self.categoryNames == ClaimCategory.allCases.map(\.rawValue))
    }

    static func rateError(_ path: String, _ line: Int, _ column: Int, field: String, text: String, _ reason: AmountParseError) -> SetupError {
        .amountInvalid(at(path, line, column), field: field, reason: .amountInvalid(field: field, text: text, reason: reason))
    }

    static let rootRateKeys = ["currency", "payable-account", "payment-accounts", "categories", "rates"]

    static let rateCases: [YAMLCase] = [
        YAMLCase(name: "unknown root key", old: "payable-account: 2-1100\n", new: "payable-account: 2-1100\nrounding: none\n") {
            .unknownKey(at($0, 3, 1), field: "rounding", allowed: rootRateKeys)
        },
        YAMLCase(name: "root key with an underscore", old: "payable-account:", new: "payable_account:") {
            .unknownKey(at($0, 2, 1), field: "payable_account", allowed: rootRateKeys)
        },
        YAMLCase(name: "unknown currency", old: "currency: IDR", new: "currency: Rp") {
            .currencyUnknown(at($0, 1, 11), field: "currency", code: "Rp")
        },
        YAMLCase(name: "no payable account", old: "payable-account: 2-1100\n", new: "") {
            .missingKey(at($0, 1, 1), field: "payable-account")
        },
        YAMLCase(name: "empty payable account", old: "payable-account: 2-1100", new: "payable-account:") {
            .emptyValue(at($0, 2, 17), field: "payable-account")
        },
        YAMLCase(name: "payable account with a semicolon", old: "payable-account: 2-1100", new: "payable-account: '2-1100;x'") {
            .accountRejected(at($0, 2, 18), field: "payable-account",
                             reason: .accountCodeInvalid(field: "payable-account", code: "2-1100;x"))
        },
        YAMLCase(name: "payment district with a space", old: "  MKS: 1-1110", new: "  M KS: 1-1110") {
            .codeInvalid(at($0, 5, 3), field: "payment-accounts", value: "M KS")
        },
        YAMLCase(name: "payment account with a double space", old: "  MKS: 1-1110", new: "  MKS: '1  1110'") {
            .accountRejected(at($0, 5, 8), field: "payment-accounts.MKS",
                             reason: .accountCodeInvalid(field: "payment-accounts.MKS", code: "1  1110"))
        },
        YAMLCase(name: "payment account as a list", old: "  MKS: 1-1110", new: "  MKS: [1-1110]") {
            .wrongType(at($0, 5, 8), field: "payment-accounts.MKS", expected: .scalar)
        },
        YAMLCase(name: "no payment accounts", old: "payment-accounts:\n  SBT: 1-1120\n  MKS: 1-1110\n", new: "") {
            .missingKey(at($0, 1, 1), field: "payment-accounts")
        },
        YAMLCase(name: "payment accounts as a list", old: "payment-accounts:\n  SBT: 1-1120\n  MKS: 1-1110\n",
                 new: "payment-accounts:\n  - 1-1120\n") {
            .wrongType(at($0, 4, 3), field: "payment-accounts", expected: .mapping)
        },
        YAMLCase(name: "unknown category", old: "  lodging: {account: 5-2300, receipt-required: true}\n",
                 new: "  lodging: {account: 5-2300, receipt-required: true}\n  catering: {account: 5-3100, receipt-required: true}\n") {
            .unknownKey(at($0, 11, 3), field: "categories.catering", allowed: categoryNames)
        },
        YAMLCase(name: "category misspelled", old: "  per-diem: {", new: "  perdiem: {") {
            .unknownKey(at($0, 9, 3), field: "categories.perdiem", allowed: categoryNames)
        },
        YAMLCase(name: "receipt-required yes", old: "5-2100, receipt-required: true}", new: "5-2100, receipt-required: yes}") {
            .valueNotAllowed(at($0, 8, 50), field: "categories.transport.receipt-required", value: "yes", allowed: ["true", "false"])
        },
        YAMLCase(name: "no receipt-required", old: "{account: 5-2100, receipt-required: true}", new: "{account: 5-2100}") {
            .missingKey(at($0, 8, 14), field: "categories.transport.receipt-required")
        },
        YAMLCase(name: "category key typo", old: "{account: 5-2100, receipt-required: true}",
                 new: "{account: 5-2100, receipt: true, receipt-required: true}") {
            .unknownKey(at($0, 8, 32), field: "categories.transport.receipt", allowed: ["account", "receipt-required"])
        },
        YAMLCase(name: "no category account", old: "{account: 5-2100, receipt-required: true}", new: "{receipt-required: true}") {
            .missingKey(at($0, 8, 14), field: "categories.transport.account")
        },
        YAMLCase(name: "category account with a semicolon", old: "account: 5-2100", new: "account: '5-2100;'") {
            .accountRejected(at($0, 8, 24), field: "categories.transport.account",
                             reason: .accountCodeInvalid(field: "categories.transport.account", code: "5-2100;"))
        },
        YAMLCase(name: "category as a single value", old: "  lodging: {account: 5-2300, receipt-required: true}", new: "  lodging: 5-2300") {
            .wrongType(at($0, 10, 12), field: "categories.lodging", expected: .mapping)
        },
        YAMLCase(name: "unknown rate category", old: "category: transport", new: "category: travel") {
            .valueNotAllowed(at($0, 13, 16), field: "rates[1].category", value: "travel", allowed: categoryNames)
        },
        YAMLCase(name: "rate key typo", old: "rate: 400000", new: "amount: 400000") {
            .unknownKey(at($0, 14, 53), field: "rates[2].amount", allowed: ["category", "district", "year", "rate", "kind"])
        },
        YAMLCase(name: "no rate", old: ", rate: 400000", new: "") {
            .missingKey(at($0, 14, 5), field: "rates[2].rate")
        },
        YAMLCase(name: "no kind", old: ", kind: estimate", new: "") {
            .missingKey(at($0, 13, 5), field: "rates[1].kind")
        },
        YAMLCase(name: "duplicate rate", old: "year: 2025", new: "year: 2024") {
            .duplicateCode(at($0, 15, 5), field: "rates[3]", code: "per-diem/SBT/2024")
        },
        YAMLCase(name: "unknown kind", old: "kind: estimate", new: "kind: guide") {
            .valueNotAllowed(at($0, 13, 74), field: "rates[1].kind", value: "guide", allowed: ["ceiling", "estimate"])
        },
        YAMLCase(name: "kind in capitals", old: "kind: estimate", new: "kind: Ceiling") {
            .valueNotAllowed(at($0, 13, 74), field: "rates[1].kind", value: "Ceiling", allowed: ["ceiling", "estimate"])
        },
        YAMLCase(name: "rate with thousands dots", old: "rate: 400000", new: "rate: 400.000") {
            rateError($0, 14, 59, field: "rates[2].rate", text: "400.000", .unexpectedCharacter("."))
        },
        YAMLCase(name: "zero rate", old: "rate: 400000", new: "rate: 0") {
            .amountInvalid(at($0, 14, 59), field: "rates[2].rate", reason: .amountIsZero(field: "rates[2].rate"))
        },
        YAMLCase(name: "empty rate", old: "rate: 400000", new: "rate: ~") {
            .emptyValue(at($0, 14, 59), field: "rates[2].rate")
        },
        YAMLCase(name: "two-digit year", old: "year: 2025", new: "year: 25") {
            .valueNotAllowed(at($0, 15, 47), field: "rates[3].year", value: "25", allowed: ["a year, YYYY"])
        },
        YAMLCase(name: "year before 1900", old: "year: 2025", new: "year: 1899") {
            .valueNotAllowed(at($0, 15, 47), field: "rates[3].year", value: "1899", allowed: ["a year, YYYY"])
        },
        YAMLCase(name: "district with a space", old: "district: MKS", new: "district: 'M KS'") {
            .codeInvalid(at($0, 14, 36), field: "rates[2].district", value: "M KS")
        },
        YAMLCase(name: "rate not a mapping", old: "  - {category: per-diem, district: MKS", new: "  - per-diem\n  - {category: per-diem, district: MKS") {
            .wrongType(at($0, 14, 5), field: "rates[2]", expected: .mapping)
        },
    ]

    @Test(arguments: rateCases)
    func rateErrorIsExact(_ rateCase: YAMLCase) throws {
        let text = try Self.replacing(rateCase.old, with: rateCase.new, in: Self.baseRates)
        let (error, path) = try Self.ratesError(text)
        #expect(error == (try rateCase.expected(path)))
    }

    @Test func ratesAreRequired() throws {
        // The base without its last five lines (`rates:` and its items).
        let lines = Self.baseRates.split(separator: "\n", omittingEmptySubsequences: false)
        try #require(lines[10] == "rates:")
        let text = lines.prefix(10).joined(separator: "\n") + "\n"
        let (error, path) = try Self.ratesError(text)
        #expect(error == .missingKey(Self.at(path, 1, 1), field: "rates"))
    }
}
