import LedgerCore

/// Why a journal file was refused, one case per precise reason, each with the file, line
/// and column it concerns. Printed as `FILE:LINE:COLUMN: message`, the form compilers
/// use, so that an editor can jump to it.
///
/// The reader checks the journal's syntax and that each transaction balances; whether the
/// accounts exist, are open and so on is LedgerCore's `EntryValidator`'s job.
public enum JournalError: Error, Equatable, Sendable {
    /// Syntax of other ledger/hledger dialects that this reader deliberately does not handle.
    public enum Unsupported: String, Sendable {
        /// `2024-01-05=2024-01-07`
        case secondaryDate = "secondary dates ('=DATE')"
        /// `(Account)` or `[Account]`
        case virtualPosting = "virtual postings ('(ACCOUNT)' or '[ACCOUNT]')"
        /// `* Account` inside a transaction
        case postingStatus = "status marks on postings"
        /// `10 USD @ 15000 IDR`, `@@`
        case price = "prices ('@' or '@@')"
        /// `Account  100 IDR = 500 IDR`
        case balanceAssertion = "balance assertions and assignments ('=')"
        /// `{15000 IDR}`
        case lotPrice = "lot prices ('{…}')"
        /// Indented lines under `account` or `commodity` (`format`, `note`…).
        case subdirective = "indented sub-directives under 'account' or 'commodity'"
    }

    /// The file could not be opened or read.
    case fileUnreadable(InputLocation, reason: String)
    /// A line longer than `Limits.inputLineLengthMax` bytes.
    case lineTooLong(InputLocation, max: Int)
    /// Text that is not valid UTF-8.
    case invalidUTF8(InputLocation)
    /// A transaction line that does not start with a valid `YYYY-MM-DD` or `YYYY/MM/DD` date.
    case dateInvalid(InputLocation, text: String)
    /// Syntax outside the supported subset.
    case unsupportedSyntax(InputLocation, Unsupported)
    /// A directive other than `account`, `commodity` and `comment` (`P`, `include`, `alias`…).
    case directiveUnsupported(InputLocation, name: String)
    /// `account` or `commodity` without its argument.
    case directiveArgumentMissing(InputLocation, directive: String)
    /// `(CODE` without its closing parenthesis.
    case codeUnterminated(InputLocation)
    /// An indented posting line that belongs to no transaction.
    case postingOutsideTransaction(InputLocation)
    /// An amount that does not parse; `reason` is LedgerCore's explanation.
    case amountInvalid(InputLocation, text: String, reason: LedgerError)
    /// An amount or `commodity` directive in a commodity that is no known currency.
    case commodityUnknown(InputLocation, symbol: String)
    /// The postings of one currency cannot be summed without overflow.
    case amountOverflow(InputLocation)
    /// A second posting without an amount in the same transaction (at that posting).
    case multipleElidedAmounts(InputLocation)
    /// A posting without amount in a transaction unbalanced in several currencies.
    case elidedAmountAmbiguous(InputLocation, currencies: [Currency])
    /// A transaction whose postings do not sum to zero in `currency` (at the transaction's line).
    case unbalanced(InputLocation, currency: Currency, differenceMinorUnits: Int64)
    /// More postings in one transaction than `Limits.postingsPerEntryMax` (at the first one too many).
    case tooManyPostings(InputLocation, max: Int)
    /// A `comment` block without its `end comment` (at the `comment` line).
    case commentBlockUnterminated(InputLocation)
    /// An `exchange-rate:` tag that is not `BASE/QUOTE RATE` (reported by `entryDraft`).
    case exchangeRateInvalid(InputLocation, text: String)
}

// MARK: - Location and message

extension JournalError {
    /// Where the problem is.
    public var location: InputLocation {
        switch self {
        case .fileUnreadable(let location, _), .lineTooLong(let location, _), .invalidUTF8(let location),
             .dateInvalid(let location, _), .unsupportedSyntax(let location, _),
             .directiveUnsupported(let location, _), .directiveArgumentMissing(let location, _),
             .codeUnterminated(let location), .postingOutsideTransaction(let location),
             .amountInvalid(let location, _, _), .commodityUnknown(let location, _),
             .amountOverflow(let location), .multipleElidedAmounts(let location),
             .elidedAmountAmbiguous(let location, _), .unbalanced(let location, _, _),
             .tooManyPostings(let location, _), .commentBlockUnterminated(let location),
             .exchangeRateInvalid(let location, _):
            return location
        }
    }

    /// A one-line English explanation.
    public var message: String {
        switch self {
        case .fileUnreadable(_, let reason):
            return "cannot read the journal: \(reason)"
        case .lineTooLong(_, let max):
            return "the line is longer than \(max) bytes"
        case .invalidUTF8:
            return "the text is not valid UTF-8"
        case .dateInvalid(_, let text):
            return "'\(text)' is not a valid date: a transaction starts with YYYY-MM-DD or YYYY/MM/DD"
        case .unsupportedSyntax(_, let what):
            return "\(what.rawValue) are not supported: write the transaction in plain form"
        case .directiveUnsupported(_, let name):
            return "'\(name)' is not supported: only transactions, 'account', 'commodity', 'comment' blocks and comments are"
        case .directiveArgumentMissing(_, let directive):
            return "'\(directive)' needs a name after it"
        case .codeUnterminated:
            return "the transaction code '(' has no closing ')'"
        case .postingOutsideTransaction:
            return "an indented posting line must follow a transaction line (or another posting) without a blank line"
        case .amountInvalid(_, _, let reason):
            return reason.message
        case .commodityUnknown(_, let symbol):
            return "'\(symbol)' is not a known currency (known: \(Currency.known.keys.sorted().joined(separator: ", ")), or Rp)"
        case .amountOverflow:
            return "the amounts are too large to sum without overflow"
        case .multipleElidedAmounts:
            return "only one posting of a transaction may leave its amount out"
        case .elidedAmountAmbiguous(_, let currencies):
            return "the amount left out is ambiguous: the other postings are unbalanced in "
                + currencies.map(\.code).joined(separator: " and ")
        case .unbalanced(_, let currency, let difference):
            let money = Money(minorUnits: difference, currency: currency)
            return "the transaction does not balance: its \(currency.code) postings sum to \(money.formatted(.en))"
        case .tooManyPostings(_, let max):
            return "a transaction may have at most \(max) postings"
        case .commentBlockUnterminated:
            return "'comment' block without 'end comment'"
        case .exchangeRateInvalid(_, let text):
            return "'\(text)' is not a valid exchange rate: write e.g. 'exchange-rate: USD/IDR 15650.25'"
        }
    }
}

// MARK: - CustomStringConvertible

extension JournalError: CustomStringConvertible {
    /// `FILE:LINE:COLUMN: message`.
    public var description: String { "\(location): \(message)" }
}
