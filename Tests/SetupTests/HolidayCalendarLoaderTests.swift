import Foundation
import FraudRules
import LedgerCore
import Setup
import Testing

/// The public-holiday files (`Policies/holidays-YYYY.yaml`) R11 reads: the reference years
/// load with the days the decrees set, they travel with the anti-fraud policy, and every bad
/// file is refused with the exact error, file, line and column.
@Suite struct HolidayCalendarLoaderTests {
    static func date(_ text: String) throws -> LedgerDate { try LedgerDate(parsing: text) }

    static let oneHoliday = """
        year: 2024
        holidays:
          - date: 2024-04-10
            kind: national
            name: Eid al-Fitr 1445 H
            name_id: Hari Raya Idul Fitri 1445 H

        """

    /// Writes `text` as `fileName` in a new directory and hands its path to `body`.
    static func withFile<T>(_ text: String, named fileName: String = "holidays-2024.yaml", _ body: (String) throws -> T) throws -> T {
        let directory = try TestSupport.temporaryDirectory()
        defer { TestSupport.remove(directory) }
        let path = directory + "/" + fileName
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return try body(path)
    }

    static func loadError(_ text: String, named fileName: String = "holidays-2024.yaml") throws -> (error: SetupError, path: String) {
        try withFile(text, named: fileName) { path in
            (try #require(throws: SetupError.self) { try HolidayCalendarLoader.load(path: path) }, path)
        }
    }

    static func at(_ path: String, _ line: Int, _ column: Int) -> InputLocation {
        InputLocation(file: path, line: line, column: column)
    }

    // MARK: The reference years

    @Test func theReferenceYearsHaveTheirHolidaysAndCollectiveLeave() throws {
        let root = TestSupport.repositoryRoot + "/Policies"
        let year2024 = try HolidayCalendarLoader.load(path: root + "/holidays-2024.yaml")
        let year2025 = try HolidayCalendarLoader.load(path: root + "/holidays-2025.yaml")
        #expect(year2024.count == 29 && year2025.count == 28)
        #expect(year2024.allSatisfy { $0.date.year == 2024 } && year2025.allSatisfy { $0.date.year == 2025 })
        #expect(year2024.filter { $0.kind == .collectiveLeave }.count == 10)
        #expect(year2025.filter { $0.kind == .collectiveLeave }.count == 11)
        let eid = try #require(year2024.first { $0.date == (try? Self.date("2024-04-10")) })
        #expect(eid.kind == .national && eid.nameId == "Hari Raya Idul Fitri 1445 H")
        #expect(year2024.contains { $0.date == (try? Self.date("2024-02-14")) && $0.kind == .national })  // election day
        #expect(year2025.contains { $0.date == (try? Self.date("2025-08-18")) && $0.kind == .collectiveLeave })
        // Independence Day, every year.
        #expect(year2025.contains { $0.date == (try? Self.date("2025-08-17")) && $0.nameEn == "Independence Day" })
    }

    @Test func theReferencePolicyCarriesEveryHolidayFileBesideIt() throws {
        let policy = try FraudPolicyLoader.load(path: TestSupport.repositoryRoot + "/Policies/anti-fraud.yaml")
        #expect(policy.holidays.count == 57)
        #expect(policy.holidays[try Self.date("2025-03-31")]?.nameEn == "Eid al-Fitr 1446 H")
        #expect(policy.holidays[try Self.date("2024-04-16")] == nil)
    }

    @Test func aPolicyWithoutHolidayFilesKnowsWeekendsOnly() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { TestSupport.remove(directory) }
        #expect(try HolidayCalendarLoader.loadAll(directory: directory).isEmpty)
        // Other YAML files beside the policy are not holiday files.
        try Data("year: 2024\n".utf8).write(to: URL(fileURLWithPath: directory + "/holidays.yaml"))
        try Data("year: 2024\n".utf8).write(to: URL(fileURLWithPath: directory + "/holidays-24.yaml"))
        #expect(try HolidayCalendarLoader.loadAll(directory: directory).isEmpty)
    }

    @Test func aBadHolidayFileBesideThePolicyStopsThePolicy() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { TestSupport.remove(directory) }
        try FileManager.default.copyItem(atPath: TestSupport.repositoryRoot + "/Policies/anti-fraud.yaml",
                                         toPath: directory + "/anti-fraud.yaml")
        let bad = directory + "/holidays-2025.yaml"
        try Data(Self.oneHoliday.utf8).write(to: URL(fileURLWithPath: bad))
        let error = try #require(throws: SetupError.self) { try FraudPolicyLoader.load(path: directory + "/anti-fraud.yaml") }
        #expect(error == .valueNotAllowed(Self.at(bad, 1, 7), field: "year", value: "2024",
                                          allowed: ["2025, the year in the file name"]))
    }

    // MARK: Refusals

    @Test func theYearMustBeTheFileNamesAndFourDigits() throws {
        let named = try Self.loadError(Self.oneHoliday, named: "holidays-2025.yaml")
        #expect(named.error == .valueNotAllowed(Self.at(named.path, 1, 7), field: "year", value: "2024",
                                                allowed: ["2025, the year in the file name"]))
        let short = try Self.loadError(Self.oneHoliday.replacingOccurrences(of: "year: 2024", with: "year: 24"),
                                       named: "calendar.yaml")
        #expect(short.error == .valueNotAllowed(Self.at(short.path, 1, 7), field: "year", value: "24",
                                                allowed: ["a year of four digits"]))
        let missing = try Self.loadError("holidays: []\n")
        #expect(missing.error == .missingKey(Self.at(missing.path, 1, 1), field: "year"))
    }

    @Test func everyDateFallsInTheYearOnce() throws {
        let outside = try Self.loadError(Self.oneHoliday.replacingOccurrences(of: "2024-04-10", with: "2025-04-10"))
        #expect(outside.error == .valueNotAllowed(Self.at(outside.path, 3, 11), field: "holidays[0].date", value: "2025-04-10",
                                                  allowed: ["a date in 2024"]))
        let twice = try Self.loadError(Self.oneHoliday + """
              - date: 2024-04-10
                kind: collective-leave
                name: Eid al-Fitr 1445 H
                name_id: Cuti bersama Idul Fitri 1445 H

            """)
        #expect(twice.error == .duplicateCode(Self.at(twice.path, 7, 11), field: "holidays[1].date", code: "2024-04-10"))
        let invalid = try Self.loadError(Self.oneHoliday.replacingOccurrences(of: "2024-04-10", with: "2024-02-30"))
        #expect(invalid.error == .dateInvalid(Self.at(invalid.path, 3, 11), field: "holidays[0].date", value: "2024-02-30"))
        let noDate = try Self.loadError(Self.oneHoliday.replacingOccurrences(of: "  - date: 2024-04-10\n    kind", with: "  - kind"))
        #expect(noDate.error == .missingKey(Self.at(noDate.path, 3, 5), field: "holidays[0].date"))
    }

    @Test func theKindNamesAndKeysAreChecked() throws {
        let kind = try Self.loadError(Self.oneHoliday.replacingOccurrences(of: "kind: national", with: "kind: regional"))
        #expect(kind.error == .valueNotAllowed(Self.at(kind.path, 4, 11), field: "holidays[0].kind", value: "regional",
                                               allowed: ["national", "collective-leave"]))
        let unknown = try Self.loadError(Self.oneHoliday.replacingOccurrences(of: "    kind:", with: "    province: Maluku\n    kind:"))
        #expect(unknown.error == .unknownKey(Self.at(unknown.path, 4, 5), field: "holidays[0].province",
                                             allowed: ["date", "kind", "name", "name_id"]))
        let noName = try Self.loadError(Self.oneHoliday.replacingOccurrences(of: "    name_id: Hari Raya Idul Fitri 1445 H\n", with: ""))
        #expect(noName.error == .missingKey(Self.at(noName.path, 3, 5), field: "holidays[0].name_id"))
        let rootKey = try Self.loadError("year: 2024\ndays: []\n")
        #expect(rootKey.error == .unknownKey(Self.at(rootKey.path, 2, 1), field: "days", allowed: ["year", "holidays"]))
        let notAList = try Self.loadError("year: 2024\nholidays: 2024-04-10\n")
        #expect(notAList.error == .wrongType(Self.at(notAList.path, 2, 11), field: "holidays", expected: .list))
    }
}
