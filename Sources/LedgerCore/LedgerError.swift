/// Every reason the ledger refuses an input or an operation, one case per precise reason.
///
/// Each case carries the field it concerns (a path such as `postings[2].amount`) and the
/// offending value, so that the CLI and the HTTP API can say exactly what was wrong. The
/// mapping to exit codes and HTTP statuses lives at those edges, not here.
public enum LedgerError: Error, Equatable, Sendable {
    // MARK: Amounts and currencies
    case currencyUnknown(field: String, code: String)
    case amountOverflow(field: String)
    case amountInvalid(field: String, text: String, reason: AmountParseError)
    case amountIsZero(field: String)
    case amountAboveLimit(field: String, minorUnits: Int64)
    case currencyMismatch(field: String, expected: Currency, found: Currency)

    // MARK: Entry shape
    case tooFewPostings(count: Int)
    case tooManyPostings(count: Int, max: Int)
    case unbalanced(currency: Currency, differenceMinorUnits: Int64)
    case exchangeRateMissing(currencies: [String])
    case exchangeRateInvalid(value: String)
    case textEmpty(field: String)
    case textTooLong(field: String, length: Int, max: Int)
    case textHasControlCharacters(field: String)
    case dateInvalid(field: String, value: String)

    // MARK: Accounts and dimensions
    case accountUnknown(field: String, code: String)
    case accountNotLeaf(field: String, code: String)
    case accountNotYetOpen(field: String, code: String, opensOn: LedgerDate)
    case accountClosed(field: String, code: String, closedOn: LedgerDate)
    case accountCurrencyMismatch(field: String, code: String, accountCurrency: Currency, found: Currency)
    case accountCodeInvalid(field: String, code: String)
    case accountDuplicate(field: String, code: String)
    case accountParentUnknown(field: String, code: String, parent: String)
    case accountParentTypeMismatch(field: String, code: String, type: AccountType, parentType: AccountType)
    case accountTooDeep(field: String, code: String)
    case accountHasPostings(field: String, code: String)
    case districtUnknown(field: String, code: String)
    case fundingSourceUnknown(field: String, code: String)

    // MARK: Budgets (checked when the entry's fiscal year has a budget)
    /// An expense posting lacks the district or the budget line its year's budget needs.
    case budgetDimensionRequired(field: String, fiscalYear: Int)
    /// No line `line` (`DISTRICT/CODE`) in the fiscal year's budget.
    case budgetLineUnknown(field: String, line: String, fiscalYear: Int)
    /// A posting or commitment in another currency than its budget line's.
    case budgetCurrencyMismatch(field: String, line: String, budgetCurrency: Currency, found: Currency)
    /// The line's policy is `block` and `requested` would take spent + committed past the
    /// (revised) budget.
    case overBudget(field: String, line: String, budget: Money, spent: Money, committed: Money, requested: Money)

    /// `reversal` is written only by reversing an entry; `closing` only by a year-end close.
    case sourceNotAllowed(field: String, source: EntrySource)

    // MARK: Store state
    case periodClosed(field: String, period: Period)
    case periodAlreadyClosed(period: Period)
    case periodNotEnded(period: Period)
    case idempotencyKeyReused(key: String, existingEntry: EntryNumber)
    case entryNotFound(number: String)
    case entryAlreadyReversed(number: EntryNumber, reversal: EntryNumber)
    case reversalOfReversalForbidden(number: EntryNumber)
    case batchTooLarge(count: Int, max: Int)
    /// Entry `index` of a batch was refused for `reason`; nothing of the batch was written.
    indirect case batchEntryRefused(index: Int, reason: LedgerError)
}

// MARK: - Field and message

extension LedgerError {
    /// The input field the error concerns, as a path (`postings[1].account`), or `entry`.
    public var field: String {
        switch self {
        case .currencyUnknown(let field, _), .amountOverflow(let field), .amountIsZero(let field),
             .amountAboveLimit(let field, _), .currencyMismatch(let field, _, _),
             .amountInvalid(let field, _, _),
             .textEmpty(let field), .textTooLong(let field, _, _),
             .textHasControlCharacters(let field), .dateInvalid(let field, _),
             .accountUnknown(let field, _), .accountNotLeaf(let field, _),
             .accountNotYetOpen(let field, _, _), .accountClosed(let field, _, _),
             .accountCurrencyMismatch(let field, _, _, _), .districtUnknown(let field, _),
             .fundingSourceUnknown(let field, _), .periodClosed(let field, _),
             .accountCodeInvalid(let field, _), .accountDuplicate(let field, _),
             .accountParentUnknown(let field, _, _), .accountParentTypeMismatch(let field, _, _, _),
             .accountTooDeep(let field, _), .accountHasPostings(let field, _),
             .budgetDimensionRequired(let field, _), .budgetLineUnknown(let field, _, _),
             .budgetCurrencyMismatch(let field, _, _, _), .overBudget(let field, _, _, _, _, _),
             .sourceNotAllowed(let field, _):
            return field
        case .tooFewPostings, .tooManyPostings:
            return "postings"
        case .unbalanced:
            return "postings.amount"
        case .exchangeRateMissing, .exchangeRateInvalid:
            return "exchangeRate"
        case .periodAlreadyClosed, .periodNotEnded:
            return "period"
        case .idempotencyKeyReused:
            return "idempotencyKey"
        case .entryNotFound, .entryAlreadyReversed, .reversalOfReversalForbidden:
            return "entry"
        case .batchTooLarge:
            return "entries"
        case .batchEntryRefused(let index, let reason):
            return "entries[\(index)].\(reason.field)"
        }
    }

    /// A one-line English explanation naming the value and the reason.
    public var message: String {
        switch self {
        case .currencyUnknown(_, let code):
            return "'\(code)' is not a known ISO 4217 currency (known: \(Currency.known.keys.sorted().joined(separator: ", ")))"
        case .amountOverflow:
            return "the amount is too large to compute without overflow"
        case .amountInvalid(_, let text, let reason):
            return "'\(text)' is not a valid amount: \(reason.explanation)"
        case .amountIsZero:
            return "a posting amount must not be zero"
        case .amountAboveLimit(_, let minorUnits):
            return "amount of \(minorUnits) minor units exceeds the limit of \(Limits.amountMinorUnitsMax)"
        case .currencyMismatch(_, let expected, let found):
            return "expected an amount in \(expected.code), found \(found.code)"
        case .tooFewPostings(let count):
            return "an entry needs at least 2 postings, found \(count)"
        case .tooManyPostings(let count, let max):
            return "an entry may have at most \(max) postings, found \(count)"
        case .unbalanced(let currency, let difference):
            let money = Money(minorUnits: difference, currency: currency)
            return "postings in \(currency.code) do not sum to zero: they are off by \(money.formatted(.en))"
        case .exchangeRateMissing(let currencies):
            return "an entry in several currencies (\(currencies.joined(separator: ", "))) must record its exchange rate"
        case .exchangeRateInvalid(let value):
            return "'\(value)' is not a valid exchange rate: write e.g. 'USD/IDR 15650.25'"
        case .textEmpty:
            return "must not be empty"
        case .textTooLong(_, let length, let max):
            return "is \(length) characters long, at most \(max) are allowed"
        case .textHasControlCharacters:
            return "must not contain control characters (tabs, line breaks, …)"
        case .dateInvalid(_, let value):
            return "'\(value)' is not a valid date: write YYYY-MM-DD"
        case .accountUnknown(_, let code):
            return "account '\(code)' is not in the chart of accounts"
        case .accountNotLeaf(_, let code):
            return "account '\(code)' has sub-accounts: post to one of them instead"
        case .accountNotYetOpen(_, let code, let opensOn):
            return "account '\(code)' opens on \(opensOn)"
        case .accountClosed(_, let code, let closedOn):
            return "account '\(code)' was closed on \(closedOn)"
        case .accountCurrencyMismatch(_, let code, let accountCurrency, let found):
            return "account '\(code)' holds \(accountCurrency.code) only, found \(found.code)"
        case .accountCodeInvalid(_, let code):
            return "'\(code)' is not a valid account code: use letters, digits, '-', '_', '.', ':' and single spaces"
        case .accountDuplicate(_, let code):
            return "account '\(code)' is defined twice"
        case .accountParentUnknown(_, let code, let parent):
            return "account '\(code)' names parent '\(parent)', which is not in the chart"
        case .accountParentTypeMismatch(_, let code, let type, let parentType):
            return "account '\(code)' is of type \(type.rawValue) but its parent is \(parentType.rawValue)"
        case .accountTooDeep(_, let code):
            return "account '\(code)' is nested deeper than \(Limits.accountDepthMax) levels (or its parents form a cycle)"
        case .accountHasPostings(_, let code):
            return "account '\(code)' already has postings and cannot become a parent"
        case .districtUnknown(_, let code):
            return "'\(code)' is not a district of this ledger"
        case .fundingSourceUnknown(_, let code):
            return "'\(code)' is not a funding source of this ledger"
        case .budgetDimensionRequired(_, let year):
            return "fiscal year \(year) has a budget: an expense needs a district and a budget line"
                + " (or an account marked as not budgeted in the budget policy)"
        case .budgetLineUnknown(_, let line, let year):
            return "budget line '\(line)' is not in the \(year) budget"
        case .budgetCurrencyMismatch(_, let line, let budgetCurrency, let found):
            return "budget line '\(line)' is budgeted in \(budgetCurrency.code), found \(found.code)"
        case .overBudget(_, let line, let budget, let spent, let committed, let requested):
            return "over budget on line '\(line)': budget \(budget.formatted(.en)), spent \(spent.formatted(.en)),"
                + " committed \(committed.formatted(.en)), requested \(requested.formatted(.en))"
        case .sourceNotAllowed(_, let source):
            return "an entry cannot be posted as '\(source.rawValue)': reversals are made with `reverse`"
        case .periodClosed(_, let period):
            return "period \(period) is closed: date the entry in an open period, or post a correction there"
        case .periodAlreadyClosed(let period):
            return "period \(period) is already closed"
        case .periodNotEnded(let period):
            return "period \(period) has not ended yet and cannot be closed"
        case .idempotencyKeyReused(let key, let existing):
            return "idempotency key '\(key)' was already used by \(existing) with different content"
        case .entryNotFound(let number):
            return "no entry numbered '\(number)'"
        case .entryAlreadyReversed(let number, let reversal):
            return "\(number) was already reversed by \(reversal)"
        case .reversalOfReversalForbidden(let number):
            return "\(number) is itself a reversal: post a new entry instead of reversing it"
        case .batchTooLarge(let count, let max):
            return "a batch may hold at most \(max) entries, found \(count)"
        case .batchEntryRefused(_, let reason):
            return reason.message + "; nothing in the batch was posted"
        }
    }
}
