import LedgerCore

/// Why a budget operation (loading lines, a revision, a reallocation, a policy) was
/// refused, one case per precise reason. Each names the field and the value, so the CLI and
/// the API can point at exactly what to fix. Refusals of postings and commitments are
/// `LedgerError`s (`overBudget`, `budgetLineUnknown`…): they belong to the entry.
public enum BudgetError: Error, Equatable, Sendable {
    /// `DISTRICT/CODE` was expected.
    case lineReferenceInvalid(field: String, value: String)
    /// No such line in that year's budget.
    case lineUnknown(field: String, line: BudgetLineKey)
    /// The line exists already (a second load of the same line, or twice in one file).
    case lineDuplicate(field: String, line: BudgetLineKey)
    /// A budget file with no line.
    case noLines
    /// Lines of another fiscal year than the operation's.
    case fiscalYearMismatch(field: String, expected: Int, found: Int)
    /// A fiscal year outside 1900…9999.
    case fiscalYearInvalid(field: String, value: Int)
    /// A category code that is empty or has spaces, `,`, `;` or control characters.
    case categoryInvalid(field: String, value: String)
    /// The line's district is not a district of the ledger.
    case districtUnknown(field: String, code: String)
    /// The line's category is not in the budget policy.
    case categoryUnknown(field: String, category: String, known: [String])
    /// Budget amounts are zero or more.
    case amountNegative(field: String, amount: Money)
    /// A revision that leaves the line's amount as it was.
    case amountUnchanged(field: String, line: BudgetLineKey)
    /// A revision or reallocation would leave the line below what it has spent and committed.
    case revisedBelowUsed(field: String, line: BudgetLineKey, revised: Money, actual: Money, committed: Money)
    /// A reallocation needs two different lines.
    case reallocationToSameLine(line: BudgetLineKey)
    /// Lines in different currencies: moving between them would change both currencies' totals.
    case reallocationChangesTotal(from: BudgetLineKey, to: BudgetLineKey, fromCurrency: Currency, toCurrency: Currency)
    /// A reallocation moves money within one fiscal year.
    case reallocationAcrossYears(from: BudgetLineKey, to: BudgetLineKey)
    /// A reallocated amount must be more than zero.
    case reallocationAmountNotPositive(field: String)
    /// A policy that drops a category budget lines still use.
    case categoryInUse(field: String, category: String)
    /// A warning level outside 1…100 %.
    case warningPercentInvalid(field: String, value: Int)
    /// A commitment reference used before (each claim commits once).
    case commitmentDuplicate(reference: String)
    /// No open commitment with this reference.
    case commitmentUnknown(reference: String)
    /// An entry- or money-level refusal inside a budget operation (text rules, overflow…).
    case invalid(LedgerError)

    /// The input field the error concerns.
    public var field: String {
        switch self {
        case .lineReferenceInvalid(let field, _), .lineUnknown(let field, _), .lineDuplicate(let field, _),
             .districtUnknown(let field, _), .categoryUnknown(let field, _, _), .amountNegative(let field, _),
             .amountUnchanged(let field, _), .revisedBelowUsed(let field, _, _, _, _),
             .reallocationAmountNotPositive(let field), .categoryInUse(let field, _),
             .warningPercentInvalid(let field, _):
            return field
        case .noLines: return "lines"
        case .fiscalYearMismatch(let field, _, _), .fiscalYearInvalid(let field, _), .categoryInvalid(let field, _):
            return field
        case .reallocationToSameLine, .reallocationChangesTotal, .reallocationAcrossYears: return "to"
        case .commitmentDuplicate, .commitmentUnknown: return "reference"
        case .invalid(let error): return error.field
        }
    }

    /// One line of English naming the value and the reason.
    public var message: String {
        switch self {
        case .lineReferenceInvalid(_, let value):
            return "'\(value)' is not a budget line: write DISTRICT/CODE, e.g. SBT/1.2"
        case .lineUnknown(_, let line):
            return "budget line '\(line)' is not in the \(line.fiscalYear) budget"
        case .lineDuplicate(_, let line):
            return "budget line '\(line)' is already in the \(line.fiscalYear) budget: revise it instead"
        case .noLines:
            return "the budget has no lines"
        case .fiscalYearMismatch(_, let expected, let found):
            return "a line of fiscal year \(found) in a budget for \(expected)"
        case .fiscalYearInvalid(_, let value):
            return "\(value) is not a fiscal year: write it with four digits, e.g. 2025"
        case .categoryInvalid(_, let value):
            return "'\(value)' is not a valid category code: use letters, digits and '-' without spaces"
        case .districtUnknown(_, let code):
            return "'\(code)' is not a district of this ledger"
        case .categoryUnknown(_, let category, let known):
            return "'\(category)' is not a category of the budget policy (known: \(known.joined(separator: ", ")))"
        case .amountNegative(_, let amount):
            return "a budget amount cannot be negative, found \(amount.formatted(.en))"
        case .amountUnchanged(_, let line):
            return "the amount of '\(line)' would not change"
        case .revisedBelowUsed(_, let line, let revised, let actual, let committed):
            return "'\(line)' would be budgeted \(revised.formatted(.en)), below what it has spent"
                + " (\(actual.formatted(.en))) and committed (\(committed.formatted(.en)))"
        case .reallocationToSameLine(let line):
            return "a reallocation needs two different lines, found '\(line)' twice"
        case .reallocationChangesTotal(let from, let to, let fromCurrency, let toCurrency):
            return "'\(from)' is budgeted in \(fromCurrency.code) and '\(to)' in \(toCurrency.code):"
                + " moving between them would change the year's totals"
        case .reallocationAcrossYears(let from, let to):
            return "'\(from)' is in the \(from.fiscalYear) budget and '\(to)' in \(to.fiscalYear):"
                + " a reallocation stays within one year"
        case .reallocationAmountNotPositive:
            return "the amount to move must be more than zero"
        case .categoryInUse(_, let category):
            return "category '\(category)' is used by budget lines and cannot be dropped from the policy"
        case .warningPercentInvalid(_, let value):
            return "a warning level is a percentage from 1 to 100, found \(value)"
        case .commitmentDuplicate(let reference):
            return "'\(reference)' already holds an open budget commitment"
        case .commitmentUnknown(let reference):
            return "no open budget commitment '\(reference)'"
        case .invalid(let error):
            return error.message
        }
    }
}
