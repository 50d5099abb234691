/// Why the store itself (not an entry) refused to work.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file holds no ledger yet: run `neraca init` first.
    case notInitialized
    /// `init` was asked to create a ledger in a file that already has one.
    case alreadyInitialized(name: String)
    /// The file's data contradicts the schema's promises (edited behind the store's back).
    case corrupt(String)
    /// The backup destination exists already and would be overwritten.
    case backupDestinationExists(path: String)

    public var description: String {
        switch self {
        case .notInitialized:
            return "the database holds no ledger: run `neraca init --ledger DIR` first"
        case .alreadyInitialized(let name):
            return "the database already holds ledger '\(name)'"
        case .corrupt(let detail):
            return "the database is inconsistent: \(detail); run `neraca verify`"
        case .backupDestinationExists(let path):
            return "'\(path)' already exists: choose a new file for the backup"
        }
    }
}
