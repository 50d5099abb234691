import ArgumentParser
import Foundation
import LedgerCore
import LedgerStore

/// `--db PATH`, shared by every command that opens a ledger.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The ledger's SQLite file (default: $NERACA_DB, else ./neraca.sqlite).")
    var db: String?

    var path: String {
        db ?? ProcessInfo.processInfo.environment["NERACA_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "neraca.sqlite"
    }

    /// Opens an existing ledger; refuses a missing file instead of creating an empty one.
    func openExisting() throws -> LedgerDatabase {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure("error: db: no ledger at '\(path)': run `neraca init --ledger DIR` first, or pass --db")
        }
        return try LedgerDatabase(path: path)
    }
}

/// `--author NAME`: who is recorded on the entries a command writes.
struct AuthorOptions: ParsableArguments {
    @Option(name: .long, help: "Who records this (default: $NERACA_USER, else $USER).")
    var author: String?

    var resolved: String { author ?? Self.currentUser }

    /// `$NERACA_USER`, else `$USER`, else `cli`: who runs the command when nobody is named.
    static var currentUser: String {
        let environment = ProcessInfo.processInfo.environment
        return environment["NERACA_USER"] ?? environment["USER"] ?? "cli"
    }
}

/// The wall clock, read only at the edge: the libraries get "now" passed in.
enum Clock {
    static func now() -> Timestamp {
        Timestamp(millisecondsSince1970: Int64((Date().timeIntervalSince1970 * 1000).rounded()))
    }

    /// Today's date in the machine's time zone (an office in Makassar is 8 hours ahead of UTC).
    /// - Throws: `CommandFailure` if the system clock is outside 1900…9999.
    static func today() throws -> LedgerDate {
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        guard let year = parts.year, let month = parts.month, let day = parts.day,
              let date = LedgerDate(year: year, month: month, day: day) else {
            throw CommandFailure("error: clock: the system date is not a usable date")
        }
        return date
    }
}

extension LedgerDate: ExpressibleByArgument {
    public init?(argument: String) {
        guard let date = try? LedgerDate(parsing: argument) else { return nil }
        self = date
    }
}

extension Period: ExpressibleByArgument {
    public init?(argument: String) {
        guard let period = try? Period(parsing: argument) else { return nil }
        self = period
    }
}

extension EntryNumber: ExpressibleByArgument {
    public init?(argument: String) {
        guard let number = try? EntryNumber(parsing: argument) else { return nil }
        self = number
    }
}

extension AmountLocale: ExpressibleByArgument {}
