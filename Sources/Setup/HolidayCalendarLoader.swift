import Foundation
import FraudRules
import LedgerCore

/// Reads `Policies/holidays-YYYY.yaml`: a year's Indonesian national holidays and
/// collective-leave days, which R11 flags activities on.
///
/// ```yaml
/// year: 2024                    # must be the year in the file name
/// holidays:                     # 0 or more, each date once, every date in `year`
///   - date: 2024-04-10
///     kind: national            # national or collective-leave
///     name: Eid al-Fitr 1445 H
///     name_id: Hari Raya Idul Fitri 1445 H
/// ```
public enum HolidayCalendarLoader {
    static let rootKeys = ["year", "holidays"]
    static let holidayKeys = ["date", "kind", "name", "name_id"]
    /// More than any year has (about 27 with collective leave), less than a year of days.
    public static let holidaysMax = 100
    static let fileNamePrefix = "holidays-"
    static let fileNameSuffix = ".yaml"

    /// The holidays of every `holidays-YYYY.yaml` in `directory`, in year order; none when
    /// there are no such files.
    /// - Throws: the errors of `load(path:)`, and `fileUnreadable` for a directory that
    ///   cannot be listed.
    public static func loadAll(directory: String) throws(SetupError) -> [PublicHoliday] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw .fileUnreadable(InputLocation(file: directory, line: 0), reason: error.localizedDescription)
        }
        var holidays: [PublicHoliday] = []
        for name in names.filter({ year(inFileName: $0) != nil }).sorted() {
            holidays += try load(path: (directory as NSString).appendingPathComponent(name))
        }
        return holidays
    }

    /// The year a file is named for (`holidays-2024.yaml` → 2024), or nil for other names.
    static func year(inFileName name: String) -> Int? {
        guard name.hasPrefix(fileNamePrefix), name.hasSuffix(fileNameSuffix) else { return nil }
        let digits = name.dropFirst(fileNamePrefix.count).dropLast(fileNameSuffix.count)
        guard digits.count == 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let year = Int(digits),
              (1900...9999).contains(year) else { return nil }
        return year
    }

    /// One year's holidays.
    /// - Throws: `SetupError` at the offending key or value: `unknownKey`, `missingKey`,
    ///   `emptyValue`, `wrongType`, `textInvalid` (a name), `dateInvalid`, `valueNotAllowed`
    ///   (a year that is not four digits or not the file name's, a date outside the year,
    ///   a kind other than national or collective-leave), `duplicateCode` (a date given
    ///   twice), `tooManyItems`.
    public static func load(path: String) throws(SetupError) -> [PublicHoliday] {
        let root = try YAMLMapping(try YAMLFile.root(path: path), path: "", file: path)
        try root.checkKeys(rootKeys)
        let (yearText, yearLocation) = try root.text("year")
        let named = year(inFileName: (path as NSString).lastPathComponent)
        guard yearText.count == 4, let year = Int(yearText), (1900...9999).contains(year), named == nil || named == year else {
            throw .valueNotAllowed(yearLocation, field: "year", value: yearText,
                                   allowed: [named.map { "\($0), the year in the file name" } ?? "a year of four digits"])
        }
        var holidays: [PublicHoliday] = []
        var seen: Set<LedgerDate> = []
        for (index, node) in try root.list("holidays", max: holidaysMax).enumerated() {
            let item = try YAMLMapping(node, path: "holidays[\(index)]", file: path)
            try item.checkKeys(holidayKeys)
            guard let (date, dateLocation) = try item.optionalDate("date") else {
                throw .missingKey(item.location, field: item.fieldPath("date"))
            }
            guard date.year == year else {
                throw .valueNotAllowed(dateLocation, field: item.fieldPath("date"), value: date.description,
                                       allowed: ["a date in \(year)"])
            }
            guard seen.insert(date).inserted else {
                throw .duplicateCode(dateLocation, field: item.fieldPath("date"), code: date.description)
            }
            let (kindText, kindLocation) = try item.text("kind")
            guard let kind = PublicHoliday.Kind(rawValue: kindText) else {
                throw .valueNotAllowed(kindLocation, field: item.fieldPath("kind"), value: kindText,
                                       allowed: PublicHoliday.Kind.allCases.map(\.rawValue))
            }
            holidays.append(PublicHoliday(
                date: date, kind: kind, nameEn: try item.checkedText("name", max: Limits.nameLengthMax),
                nameId: try item.checkedText("name_id", max: Limits.nameLengthMax)))
        }
        return holidays
    }
}
