/// A calendar date without a time zone: the date an entry belongs to.
///
/// Accounting dates are civil dates (the receipt's date), not instants, so they carry no
/// time zone and never shift. Stored and printed as `YYYY-MM-DD`, which sorts correctly as
/// text. Years are limited to 1900...9999 so that every date prints in four digits.
public struct LedgerDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Creates a date, or returns nil when the combination does not exist (2024-02-30).
    public init?(year: Int, month: Int, day: Int) {
        guard (1900...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= LedgerDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`.
    /// - Throws: `LedgerError.dateInvalid` naming `field` for any other text.
    public init(parsing text: String, field: String = "date") throws(LedgerError) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = LedgerDate.digits(bytes[0..<4]), let month = LedgerDate.digits(bytes[5..<7]),
              let day = LedgerDate.digits(bytes[8..<10]),
              let date = LedgerDate(year: year, month: month, day: day)
        else { throw .dateInvalid(field: field, value: text) }
        self = date
    }

    /// Days since 1970-01-01 (negative before), for day arithmetic and compact keys.
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `dayNumber` days after 1970-01-01, or nil outside 1900...9999.
    public init?(dayNumber: Int) {
        // 1900-01-01 ... 9999-12-31; also keeps the arithmetic below from overflowing.
        guard (-25_567...2_932_896).contains(dayNumber) else { return nil }
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        self.init(year: year, month: month, day: day)
    }

    /// The month this date falls in.
    public var period: Period { Period(uncheckedYear: year, month: month) }

    public var description: String {
        LedgerDate.pad(year, 4) + "-" + LedgerDate.pad(month, 2) + "-" + LedgerDate.pad(day, 2)
    }

    public static func < (lhs: LedgerDate, rhs: LedgerDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

/// A calendar month, the unit in which the books are closed (`2024-06`).
public struct Period: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    init(uncheckedYear year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    /// Parses exactly `YYYY-MM`.
    /// - Throws: `LedgerError.dateInvalid` naming `field`.
    public init(parsing text: String, field: String = "period") throws(LedgerError) {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"),
              let year = LedgerDate.digits(bytes[0..<4]), let month = LedgerDate.digits(bytes[5..<7]),
              (1900...9999).contains(year), (1...12).contains(month)
        else { throw .dateInvalid(field: field, value: text) }
        self.init(uncheckedYear: year, month: month)
    }

    public var firstDay: LedgerDate {
        LedgerDate(year: year, month: month, day: 1)!  // allowed: year and month were validated
    }

    public var lastDay: LedgerDate {
        LedgerDate(year: year, month: month, day: LedgerDate.daysIn(month: month, year: year))!  // allowed: validated
    }

    public var description: String { LedgerDate.pad(year, 4) + "-" + LedgerDate.pad(month, 2) }

    public static func < (lhs: Period, rhs: Period) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }
}

/// An instant, in whole milliseconds since 1970-01-01T00:00:00Z.
///
/// LedgerCore has no clock: the caller passes "now" in, so tests and replays are exact.
public struct Timestamp: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let millisecondsSince1970: Int64

    public init(millisecondsSince1970: Int64) {
        self.millisecondsSince1970 = millisecondsSince1970
    }

    /// The UTC calendar date of this instant.
    public var utcDate: LedgerDate? {
        let millisPerDay: Int64 = 86_400_000
        var days = millisecondsSince1970 / millisPerDay
        if millisecondsSince1970 % millisPerDay < 0 { days -= 1 }
        return LedgerDate(dayNumber: Int(days))
    }

    /// ISO 8601 in UTC with milliseconds, e.g. `2024-06-30T23:59:59.123Z`.
    public var description: String {
        let millisPerDay: Int64 = 86_400_000
        var days = millisecondsSince1970 / millisPerDay
        var rest = millisecondsSince1970 % millisPerDay
        if rest < 0 { days -= 1; rest += millisPerDay }
        let date = LedgerDate(dayNumber: Int(days))?.description ?? "out-of-range"
        let ms = Int(rest)
        return date + "T" + LedgerDate.pad(ms / 3_600_000, 2) + ":" + LedgerDate.pad(ms / 60_000 % 60, 2) + ":"
            + LedgerDate.pad(ms / 1000 % 60, 2) + "." + LedgerDate.pad(ms % 1000, 3) + "Z"
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSince1970 < rhs.millisecondsSince1970
    }
}
