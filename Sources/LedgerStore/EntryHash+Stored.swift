import Foundation
import LedgerCore

extension EntryHash {
    /// A digest read from a BLOB column. The schema's CHECK keeps them 32 bytes long; a file
    /// rebuilt behind the store's back might not, and that must be an error, not a crash.
    /// - Throws: `StoreError.corrupt` naming `what` for any other length.
    static func stored(_ data: Data, _ what: @autoclosure () -> String) throws -> EntryHash {
        guard data.count == 32 else { throw StoreError.corrupt("\(what()) has a digest of \(data.count) bytes") }
        return EntryHash(bytes: Array(data))
    }
}
