import Foundation
import LedgerCore
import LedgerStore
import NIOPosix
import Synchronization

/// The ledger as handlers use it: every store call runs on a thread pool of its own,
/// because the store's calls block (SQLite, `synchronous=FULL` fsyncs) and event loops
/// must not.
///
/// The pool has more threads than the machine has cores: SQLite lets one transaction write
/// at a time while others read, so a request waiting for the writer must not keep reads
/// (a claim's visibility check, a trial balance) from running beside it.
struct LedgerAccess: Sendable {
    /// Shared by every server in the process; started on first use.
    static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 12)
        pool.start()
        return pool
    }()

    let ledger: LedgerDatabase
    /// The clock, injectable so that tests can move time (session expiry, login throttling).
    let clock: @Sendable () -> Timestamp
    /// The ledger's base currency once read: it never changes after `init`.
    private let knownBaseCurrency = BaseCurrencyMemo()

    init(ledger: LedgerDatabase, clock: @escaping @Sendable () -> Timestamp) {
        self.ledger = ledger
        self.clock = clock
    }

    /// The currency of claims and of amounts given without one.
    func baseCurrency() async throws -> Currency {
        if let known = knownBaseCurrency.value.withLock({ $0 }) { return known }
        let currency = try await run { try $0.baseCurrency() }
        knownBaseCurrency.value.withLock { $0 = currency }
        return currency
    }

    func run<Value: Sendable>(_ work: @escaping @Sendable (LedgerDatabase) throws -> Value) async throws -> Value {
        let ledger = ledger
        return try await Self.threads.runIfActive { try work(ledger) }
    }

    var now: Timestamp { clock() }

    /// Today in the server's time zone, as the command line reads it (an office in Makassar
    /// is 8 hours ahead of UTC): the date of claim actions taken through the server.
    func today() throws -> LedgerDate {
        let instant = Date(timeIntervalSince1970: Double(clock().millisecondsSince1970) / 1000)
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: instant)
        guard let year = parts.year, let month = parts.month, let day = parts.day,
              let date = LedgerDate(year: year, month: month, day: day) else {
            throw APIError.notReady(reason: "the server clock is outside 1900…9999")
        }
        return date
    }
}

/// Holder of the memoised base currency (a class: `LedgerAccess` is copied into every route).
private final class BaseCurrencyMemo: Sendable {
    let value = Mutex<Currency?>(nil)
}
