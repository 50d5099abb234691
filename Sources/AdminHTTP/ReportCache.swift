import LedgerCore
import LedgerStore
import NIOCore
import Synchronization

/// Encoded trial balances, kept while the ledger's data version stays the same: the
/// dashboard and scripts ask for it far more often than entries are posted.
///
/// The version is read before the report, so a cached report is never older than the
/// version it is filed under (at worst a little newer, which is what "now" means).
final class ReportCache: Sendable {
    struct Key: Hashable, Sendable {
        let version: LedgerDataVersion
        let asOf: LedgerDate?
        let district: String?
    }

    private let reports = Mutex<[Key: ByteBuffer]>([:])
    private static let capacity = 64

    func report(_ key: Key) -> ByteBuffer? { reports.withLock { $0[key] } }

    func store(_ report: ByteBuffer, for key: Key) {
        reports.withLock { reports in
            // A new version makes every older report useless.
            if reports.count >= Self.capacity || reports.keys.contains(where: { $0.version != key.version }) {
                reports.removeAll()
            }
            reports[key] = report
        }
    }
}
