import LedgerCore
import NeracaTestSupport
import Testing

@Suite("Dates, periods, timestamps and fiscal years")
struct LedgerDateTests {
    static let validDates: [(String, Int, Int, Int)] = [
        ("2024-02-29", 2024, 2, 29),
        ("2000-02-29", 2000, 2, 29),
        ("2024-01-01", 2024, 1, 1),
        ("2024-12-31", 2024, 12, 31),
        ("1900-01-01", 1900, 1, 1),
        ("9999-12-31", 9999, 12, 31),
        ("2023-04-30", 2023, 4, 30),
    ]

    @Test(arguments: validDates)
    func parsesValidDates(text: String, year: Int, month: Int, day: Int) throws {
        let date = try LedgerDate(parsing: text)
        #expect(date.year == year && date.month == month && date.day == day)
        #expect(date.description == text)
        #expect(LedgerDate(year: year, month: month, day: day) == date)
    }

    static let invalidDates = [
        "2023-02-29", "1900-02-29", "2100-02-29", "2024-02-30", "2024-04-31", "2024-13-01", "2024-00-10",
        "2024-01-00", "2024-01-32", "1899-12-31", "0000-01-01", "2024-1-01", "2024-01-1", "24-01-01",
        "2024/01/01", "2024-01-01 ", " 2024-01-01", "2024-01-01T00:00", "", "abcd-ef-gh", "+024-01-01",
        "2024--1-01", "２０２４-01-01", "2024-0a-01",
    ]

    @Test(arguments: invalidDates)
    func refusesInvalidDates(text: String) {
        #expect(throws: LedgerError.dateInvalid(field: "date", value: text)) { try LedgerDate(parsing: text) }
        #expect(throws: LedgerError.dateInvalid(field: "entries[3].date", value: text)) {
            try LedgerDate(parsing: text, field: "entries[3].date")
        }
    }

    @Test func memberwiseInitRefusesImpossibleDates() {
        #expect(LedgerDate(year: 2023, month: 2, day: 29) == nil)
        #expect(LedgerDate(year: 2024, month: 2, day: 29) != nil)
        #expect(LedgerDate(year: 2024, month: 6, day: 31) == nil)
        #expect(LedgerDate(year: 1899, month: 12, day: 31) == nil)
        #expect(LedgerDate(year: 10_000, month: 1, day: 1) == nil)
        #expect(LedgerDate.daysIn(month: 2, year: 1900) == 28)
        #expect(LedgerDate.daysIn(month: 2, year: 2000) == 29)
        #expect(LedgerDate.daysIn(month: 2, year: 2023) == 28)
        #expect(LedgerDate.daysIn(month: 9, year: 2023) == 30)
    }

    @Test func ordering() throws {
        let dates = try ["2024-12-31", "2024-01-31", "2023-12-31", "2024-02-01"].map { try LedgerDate(parsing: $0) }
        #expect(dates.sorted().map(\.description) == ["2023-12-31", "2024-01-31", "2024-02-01", "2024-12-31"])
    }

    @Test func dayNumbersOfKnownDates() throws {
        #expect(try LedgerDate(parsing: "1970-01-01").dayNumber == 0)
        #expect(try LedgerDate(parsing: "1970-01-02").dayNumber == 1)
        #expect(try LedgerDate(parsing: "1969-12-31").dayNumber == -1)
        #expect(try LedgerDate(parsing: "2000-03-01").dayNumber == 11_017)
        #expect(try LedgerDate(parsing: "2024-06-30").dayNumber == 19_904)
        #expect(try LedgerDate(parsing: "1900-01-01").dayNumber == -25_567)
        #expect(try LedgerDate(parsing: "9999-12-31").dayNumber == 2_932_896)
        #expect(LedgerDate(dayNumber: -25_568) == nil)
        #expect(LedgerDate(dayNumber: 2_932_897) == nil)
        #expect(LedgerDate(dayNumber: 19_904)?.description == "2024-06-30")
    }

    @Test func dayNumberRoundTripsOverTheWholeRange() throws {
        var random = SplitMix64(seed: 1970)
        let first = -25_567
        let last = 2_932_896
        var previous: LedgerDate?
        // Every day of 1999...2001 (leap rules around 2000), then random days anywhere.
        for dayNumber in 10_592...11_688 {
            let date = try #require(LedgerDate(dayNumber: dayNumber))
            #expect(date.dayNumber == dayNumber)
            if let previous { #expect(previous < date) }
            previous = date
        }
        for _ in 0..<5_000 {
            let dayNumber = Int.random(in: first...last, using: &random)
            let date = try #require(LedgerDate(dayNumber: dayNumber))
            #expect(date.dayNumber == dayNumber)
            #expect(try LedgerDate(parsing: date.description) == date)
            let next = try #require(LedgerDate(dayNumber: min(dayNumber + 1, last)))
            #expect(dayNumber == last || date < next)
        }
    }

    // MARK: - Periods

    @Test func parsesPeriods() throws {
        let period = try Period(parsing: "2024-02")
        #expect(period.year == 2024 && period.month == 2)
        #expect(period.description == "2024-02")
        #expect(period.firstDay.description == "2024-02-01")
        #expect(period.lastDay.description == "2024-02-29")
        #expect(try Period(parsing: "2023-02").lastDay.description == "2023-02-28")
        #expect(try Period(parsing: "2024-12").lastDay.description == "2024-12-31")
        #expect(try LedgerDate(parsing: "2024-06-15").period == Period(parsing: "2024-06"))
        #expect(try Period(parsing: "2023-12") < Period(parsing: "2024-01"))
    }

    @Test(arguments: ["2024-13", "2024-00", "2024-6", "24-06", "2024-06-01", "", "1899-12", "2024/06", "2024-0x", " 2024-06"])
    func refusesInvalidPeriods(text: String) {
        #expect(throws: LedgerError.dateInvalid(field: "period", value: text)) { try Period(parsing: text) }
        #expect(throws: LedgerError.dateInvalid(field: "month", value: text)) { try Period(parsing: text, field: "month") }
    }

    // MARK: - Timestamps

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z", "1970-01-01"),
        (Int64(-1), "1969-12-31T23:59:59.999Z", "1969-12-31"),
        (Int64(1_719_791_999_123), "2024-06-30T23:59:59.123Z", "2024-06-30"),
        (Int64(1_719_792_000_000), "2024-07-01T00:00:00.000Z", "2024-07-01"),
        (Int64(951_782_400_000 + 3_723_004), "2000-02-29T01:02:03.004Z", "2000-02-29"),
        (Int64(-2_208_988_800_000), "1900-01-01T00:00:00.000Z", "1900-01-01"),
    ])
    func timestampDescription(milliseconds: Int64, text: String, date: String) {
        let timestamp = Timestamp(millisecondsSince1970: milliseconds)
        #expect(timestamp.description == text)
        #expect(timestamp.utcDate?.description == date)
    }

    @Test func timestampOutsideTheCalendar() {
        let tooEarly = Timestamp(millisecondsSince1970: -2_208_988_800_001)
        #expect(tooEarly.utcDate == nil)
        #expect(tooEarly.description == "out-of-range" + "T23:59:59.999Z")
        #expect(Timestamp(millisecondsSince1970: 1) > Timestamp(millisecondsSince1970: 0))
    }

    // MARK: - Fiscal years

    @Test func fiscalYears() throws {
        let calendar = FiscalCalendar.calendarYear
        #expect(calendar.fiscalYear(of: try LedgerDate(parsing: "2024-01-01")) == 2024)
        #expect(calendar.fiscalYear(of: try LedgerDate(parsing: "2024-12-31")) == 2024)
        let julyToJune = FiscalCalendar(startMonth: 7)
        #expect(julyToJune.fiscalYear(of: try LedgerDate(parsing: "2024-06-30")) == 2024)
        #expect(julyToJune.fiscalYear(of: try LedgerDate(parsing: "2024-07-01")) == 2025)
        #expect(julyToJune.fiscalYear(of: try LedgerDate(parsing: "2025-06-30")) == 2025)
        let aprilToMarch = FiscalCalendar(startMonth: 4)
        #expect(aprilToMarch.fiscalYear(of: try LedgerDate(parsing: "2024-03-31")) == 2024)
        #expect(aprilToMarch.fiscalYear(of: try LedgerDate(parsing: "2024-04-01")) == 2025)
    }
}
