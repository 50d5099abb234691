import Budgets
import LedgerCore

/// Why a ledger setup (`ledger.yaml`, `accounts.yaml`) was refused, one case per precise
/// reason.
///
/// Every case carries where the problem is (file, line, column) and the field concerned,
/// written as a path in the file's own terms (`districts[1].province`,
/// `accounts[12].parent`), so that the person editing the file can fix it without
/// reading code. Printed as `FILE:LINE:COLUMN: FIELD: message`.
public enum SetupError: Error, Equatable, Sendable {
    /// What kind of YAML value a field needed.
    public enum Expected: String, Sendable {
        case mapping = "a mapping of 'key: value' lines"
        case list = "a list of '- ' items"
        case scalar = "a single value"
    }

    /// The file could not be opened or read (missing, permissions, not UTF-8).
    case fileUnreadable(InputLocation, reason: String)
    /// The file is larger than `SetupLimits.setupFileBytesMax`.
    case fileTooLarge(InputLocation, bytes: Int, max: Int)
    /// The text is not valid YAML; `problem` is the YAML parser's own explanation.
    case syntax(InputLocation, problem: String)
    /// A mapping gives the same key twice (the location is its first occurrence).
    case duplicateKey(InputLocation, field: String)
    /// A key this file format does not have (often a typo); `allowed` lists the valid keys.
    case unknownKey(InputLocation, field: String, allowed: [String])
    /// A required key is absent; the location is the mapping that lacks it.
    case missingKey(InputLocation, field: String)
    /// A key is present but its value is empty or `null`.
    case emptyValue(InputLocation, field: String)
    /// A value has the wrong shape, e.g. a list where a single value belongs.
    case wrongType(InputLocation, field: String, expected: Expected)
    /// A name or text field breaks LedgerCore's text rules (too long, control characters).
    case textInvalid(InputLocation, field: String, reason: LedgerError)
    /// A district or funding-source code is empty, too long, or has spaces, control
    /// characters, `,` or `;` (which would break journal tags).
    case codeInvalid(InputLocation, field: String, value: String)
    /// A ledger's machine name must be lower-case letters, digits, `-` and `_`: it names files.
    case ledgerNameInvalid(InputLocation, field: String, value: String)
    /// Not a `YYYY-MM-DD` calendar date.
    case dateInvalid(InputLocation, field: String, value: String)
    /// An end date that is not after its start date.
    case dateRangeInverted(InputLocation, field: String, startsOn: LedgerDate, endsOn: LedgerDate)
    /// Not a currency LedgerCore knows.
    case currencyUnknown(InputLocation, field: String, code: String)
    /// A fiscal-year start month outside 1...12.
    case monthInvalid(InputLocation, field: String, value: String)
    /// An account type other than asset, liability, net-assets, income, expense.
    case accountTypeUnknown(InputLocation, field: String, value: String)
    /// Two districts or two funding sources share a code.
    case duplicateCode(InputLocation, field: String, code: String)
    /// A list longer than its `SetupLimits` bound.
    case tooManyItems(InputLocation, field: String, count: Int, max: Int)
    /// A CSV file that cannot be split into fields (an unclosed quote…).
    case csvSyntax(InputLocation, problem: String)
    /// The CSV header is not the one the format needs.
    case csvHeaderInvalid(InputLocation, expected: [String], found: [String])
    /// A CSV row with another number of fields than its header.
    case csvFieldCount(InputLocation, expected: Int, found: Int)
    /// An amount that does not parse in its currency.
    case amountInvalid(InputLocation, field: String, reason: LedgerError)
    /// A value outside the allowed set (`block` or `warn`…).
    case valueNotAllowed(InputLocation, field: String, value: String, allowed: [String])
    /// A budget line or policy refused by the budget rules.
    case budgetRejected(InputLocation, field: String, reason: BudgetError)
    /// The chart of accounts refused the account (duplicate code, unknown parent, parent of
    /// another type, too deep…); `reason` is LedgerCore's error.
    case accountRejected(InputLocation, field: String, reason: LedgerError)
    /// A person id (a supervisor) that is not on the people list.
    case personUnknown(InputLocation, field: String, id: String)
    /// Supervisors that lead back to the person: `chain` starts and ends with the person's
    /// id (`[P-1, P-1]` for someone named as their own supervisor).
    case supervisorCycle(InputLocation, field: String, chain: [String])
    /// An approval level other than the last without a limit: the levels after it would
    /// never be reached.
    case approvalLimitMissing(InputLocation, field: String)
    /// A limit on the last approval level: it decides every claim above the levels before
    /// it, so a limit there would be ignored.
    case approvalLimitOnLastLevel(InputLocation, field: String)
    /// An approval limit not above the limit of the level before it.
    case approvalLimitNotIncreasing(InputLocation, field: String, limit: Money, previous: Money)
}

// MARK: - Location, field and message

extension SetupError {
    /// Where the problem is.
    public var location: InputLocation {
        switch self {
        case .fileUnreadable(let location, _), .fileTooLarge(let location, _, _), .syntax(let location, _),
             .duplicateKey(let location, _), .unknownKey(let location, _, _), .missingKey(let location, _),
             .emptyValue(let location, _), .wrongType(let location, _, _), .textInvalid(let location, _, _),
             .codeInvalid(let location, _, _), .ledgerNameInvalid(let location, _, _), .dateInvalid(let location, _, _),
             .dateRangeInverted(let location, _, _, _), .currencyUnknown(let location, _, _),
             .monthInvalid(let location, _, _), .accountTypeUnknown(let location, _, _),
             .duplicateCode(let location, _, _), .tooManyItems(let location, _, _, _),
             .accountRejected(let location, _, _), .csvSyntax(let location, _),
             .csvHeaderInvalid(let location, _, _), .csvFieldCount(let location, _, _),
             .amountInvalid(let location, _, _), .valueNotAllowed(let location, _, _, _),
             .budgetRejected(let location, _, _), .personUnknown(let location, _, _),
             .supervisorCycle(let location, _, _), .approvalLimitMissing(let location, _),
             .approvalLimitOnLastLevel(let location, _), .approvalLimitNotIncreasing(let location, _, _, _):
            return location
        }
    }

    /// The field concerned, as a path in the file (`accounts[3].parent`); empty for errors
    /// about the file as a whole or its YAML syntax.
    public var field: String {
        switch self {
        case .fileUnreadable, .fileTooLarge, .syntax, .csvSyntax, .csvFieldCount:
            return ""
        case .csvHeaderInvalid:
            return "header"
        case .duplicateKey(_, let field), .unknownKey(_, let field, _), .missingKey(_, let field),
             .emptyValue(_, let field), .wrongType(_, let field, _), .textInvalid(_, let field, _),
             .codeInvalid(_, let field, _), .ledgerNameInvalid(_, let field, _), .dateInvalid(_, let field, _),
             .dateRangeInverted(_, let field, _, _), .currencyUnknown(_, let field, _),
             .monthInvalid(_, let field, _), .accountTypeUnknown(_, let field, _),
             .duplicateCode(_, let field, _), .tooManyItems(_, let field, _, _),
             .accountRejected(_, let field, _), .amountInvalid(_, let field, _),
             .valueNotAllowed(_, let field, _, _), .budgetRejected(_, let field, _),
             .personUnknown(_, let field, _), .supervisorCycle(_, let field, _), .approvalLimitMissing(_, let field),
             .approvalLimitOnLastLevel(_, let field), .approvalLimitNotIncreasing(_, let field, _, _):
            return field
        }
    }

    /// A one-line English explanation.
    public var message: String {
        switch self {
        case .fileUnreadable(_, let reason):
            return "cannot read the file: \(reason)"
        case .fileTooLarge(_, let bytes, let max):
            return "the file has \(bytes) bytes, at most \(max) are allowed"
        case .syntax(_, let problem):
            return "not valid YAML: \(problem)"
        case .duplicateKey:
            return "this key is given more than once in the same mapping"
        case .unknownKey(_, _, let allowed):
            return "unknown key; the keys allowed here are: \(allowed.joined(separator: ", "))"
        case .missingKey:
            return "this key is required"
        case .emptyValue:
            return "must not be empty"
        case .wrongType(_, _, let expected):
            return "must be \(expected.rawValue)"
        case .textInvalid(_, _, let reason):
            return reason.message
        case .codeInvalid(_, _, let value):
            return "'\(value)' is not a valid code: use 1 to \(Limits.dimensionLengthMax) printable characters without spaces, ',' or ';'"
        case .ledgerNameInvalid(_, _, let value):
            return "'\(value)' is not a valid ledger name: use 1 to \(SetupLimits.ledgerNameLengthMax) lower-case letters, digits, '-' and '_'"
        case .dateInvalid(_, _, let value):
            return "'\(value)' is not a valid date: write YYYY-MM-DD"
        case .dateRangeInverted(_, _, let startsOn, let endsOn):
            return "the end date \(endsOn) must be after the start date \(startsOn)"
        case .currencyUnknown(_, _, let code):
            return "'\(code)' is not a known ISO 4217 currency (known: \(Currency.known.keys.sorted().joined(separator: ", ")))"
        case .monthInvalid(_, _, let value):
            return "'\(value)' is not a month: write a number from 1 (January) to 12 (December)"
        case .accountTypeUnknown(_, _, let value):
            return "'\(value)' is not an account type: use one of "
                + AccountType.allCases.map(\.rawValue).joined(separator: ", ")
        case .duplicateCode(_, _, let code):
            return "code '\(code)' is used twice"
        case .tooManyItems(_, _, let count, let max):
            return "has \(count) items, at most \(max) are allowed"
        case .accountRejected(_, _, let reason):
            return reason.message
        case .csvSyntax(_, let problem):
            return "not valid CSV: \(problem)"
        case .csvHeaderInvalid(_, let expected, let found):
            return "the header must be '\(expected.joined(separator: ","))', found '\(found.joined(separator: ","))'"
        case .csvFieldCount(_, let expected, let found):
            return "this row has \(found) fields, the header has \(expected)"
        case .amountInvalid(_, _, let reason):
            return reason.message
        case .valueNotAllowed(_, _, let value, let allowed):
            return "'\(value)' is not allowed here; use one of: \(allowed.joined(separator: ", "))"
        case .budgetRejected(_, _, let reason):
            return reason.message
        case .personUnknown(_, _, let id):
            return "no person '\(id)' on the people list"
        case .supervisorCycle(_, _, let chain):
            return "the supervisors lead back to this person (\(chain.joined(separator: " -> "))): "
                + "nobody may supervise themselves, directly or through others"
        case .approvalLimitMissing:
            return "only the last level may have no limit: a claim above this level's limit goes on to the next level"
        case .approvalLimitOnLastLevel:
            return "the last level decides every claim above the levels before it and has no limit: remove this limit"
        case .approvalLimitNotIncreasing(_, _, let limit, let previous):
            return "the limit \(limit.formatted(.en)) must be above the limit of the level before, \(previous.formatted(.en))"
        }
    }
}

// MARK: - CustomStringConvertible

extension SetupError: CustomStringConvertible {
    /// `FILE:LINE:COLUMN: FIELD: message`, the form compilers use, so editors can jump to it.
    public var description: String {
        let field = self.field
        return "\(location): " + (field.isEmpty ? "" : field + ": ") + message
    }
}
