import AuditExport
import Budgets
import FeeClaims
import FraudRules
import GRDB
import LedgerCore
import LedgerStore
import Setup

/// An error as the CLI reports it: one line, and the exit code that goes with it.
///
/// This is the one place where core errors meet exit codes (STYLE.md §8).
struct CommandFailure: Error {
    /// The line printed on stderr; nil when the command already printed its explanation.
    let line: String?
    let exitCode: Int32

    init(_ line: String?, exitCode: Int32 = 1) {
        self.line = line
        self.exitCode = exitCode
    }

    /// Presents the errors the libraries throw; nil for ArgumentParser's own errors.
    init?(presenting error: any Error) {
        switch error {
        case let error as LedgerError:
            self.init("error: \(error.field): \(error.message)")
        case let error as FraudError:
            self.init("error: \(error.field): \(error.message)")
        case let error as ClaimError:
            self.init("error: \(error.field): \(error.message)")
        case let error as BudgetError:
            self.init("error: \(error.field): \(error.message)")
        case let error as StoreError:
            self.init("error: \(error.description)")
        case let error as SetupError:
            self.init("error: \(error.description)")
        case let error as JournalError:
            self.init("error: \(error.description)")
        case let error as EntryInputError:
            self.init("error: \(error.description)")
        case let error as UserError:
            self.init("error: \(error.field): \(error.message)")
        case let error as ExportError:
            self.init("error: \(error.field): \(error.message)")
        case let error as DatabaseError:
            self.init("error: database: \(error.message ?? error.description)")
        default:
            return nil
        }
    }
}
