/// What entry validation needs to know about the ledger it posts into.
public struct ValidationContext: Sendable {
    public var chart: ChartOfAccounts
    /// District codes a posting may carry; any other is refused.
    public var districts: Set<String>
    /// Funding-source codes a posting may carry; any other is refused.
    public var fundingSources: Set<String>

    public init(chart: ChartOfAccounts, districts: Set<String>, fundingSources: Set<String>) {
        self.chart = chart
        self.districts = districts
        self.fundingSources = fundingSources
    }
}

/// The invariants of a journal entry, checked before anything is written.
///
/// The store checks again after writing (per-currency sums of what it stored), so a bug in
/// either place cannot leave an unbalanced entry in the books.
public enum EntryValidator {
    /// Validates `draft` and returns it cleaned: text trimmed and in NFC, empty optional
    /// text turned into nil. The order of checks is fixed so the first error is predictable:
    /// shape, text fields, each posting in order, then balance per currency.
    /// - Throws: the first `LedgerError` found, naming its field (`postings[1].account`).
    public static func validated(_ draft: EntryDraft, in context: ValidationContext) throws(LedgerError) -> EntryDraft {
        guard draft.postings.count >= 2 else { throw .tooFewPostings(count: draft.postings.count) }
        guard draft.postings.count <= Limits.postingsPerEntryMax else {
            throw .tooManyPostings(count: draft.postings.count, max: Limits.postingsPerEntryMax)
        }
        var clean = draft
        clean.description = TextRules.cleaned(draft.description)
        try TextRules.check(clean.description, field: "description", max: Limits.descriptionLengthMax)
        clean.reference = try optionalText(draft.reference, field: "reference", max: Limits.referenceLengthMax)
        clean.author = TextRules.cleaned(draft.author)
        try TextRules.check(clean.author, field: "author", max: Limits.nameLengthMax)
        if let key = draft.idempotencyKey {
            try checkIdempotencyKey(key)
        }

        // Sums per currency, in a small array: entries carry one or two currencies.
        var sums: [(currency: Currency, sum: Int64)] = []
        for index in clean.postings.indices {
            clean.postings[index] = try validatedPosting(clean.postings[index], date: draft.date, index: index, in: context)
            let amount = clean.postings[index].amount
            let slot = sums.firstIndex { $0.currency == amount.currency } ?? {
                sums.append((amount.currency, 0))
                return sums.count - 1
            }()
            let (sum, overflow) = sums[slot].sum.addingReportingOverflow(amount.minorUnits)
            guard !overflow else { throw .amountOverflow(field: "postings[\(index)].amount") }
            sums[slot].sum = sum
        }
        if sums.count > 1 { sums.sort { $0.currency < $1.currency } }
        for (currency, sum) in sums where sum != 0 {
            throw .unbalanced(currency: currency, differenceMinorUnits: sum)
        }
        if sums.count > 1 {
            guard let rate = clean.exchangeRate else { throw .exchangeRateMissing(currencies: sums.map(\.currency.code)) }
            guard sums.contains(where: { $0.currency == rate.base }), sums.contains(where: { $0.currency == rate.quote }) else {
                throw .exchangeRateInvalid(value: rate.description)
            }
        }
        return clean
    }

    /// Checks one posting; field names (`postings[2].account`) are built only on refusal.
    private static func validatedPosting(
        _ posting: PostingDraft, date: LedgerDate, index: Int, in context: ValidationContext
    ) throws(LedgerError) -> PostingDraft {
        func field(_ name: String) -> String { "postings[\(index)].\(name)" }
        var clean = posting
        let code = posting.accountCode
        guard let (account, isLeaf) = context.chart.accountAndLeafness(code: code) else {
            throw .accountUnknown(field: field("account"), code: code)
        }
        guard isLeaf else { throw .accountNotLeaf(field: field("account"), code: code) }
        if let opensOn = account.opensOn, date < opensOn {
            throw .accountNotYetOpen(field: field("account"), code: code, opensOn: opensOn)
        }
        if let closesOn = account.closesOn, date >= closesOn {
            throw .accountClosed(field: field("account"), code: code, closedOn: closesOn)
        }
        let amount = posting.amount
        guard amount.minorUnits != 0 else { throw .amountIsZero(field: field("amount")) }
        guard amount.minorUnits.magnitude <= UInt64(Limits.amountMinorUnitsMax) else {
            throw .amountAboveLimit(field: field("amount"), minorUnits: amount.minorUnits)
        }
        if let accountCurrency = account.currency, accountCurrency != amount.currency {
            throw .accountCurrencyMismatch(
                field: field("amount"), code: code, accountCurrency: accountCurrency, found: amount.currency)
        }
        var dimensions = posting.dimensions
        dimensions.district = try optionalText(dimensions.district, field: field("district"), max: Limits.dimensionLengthMax)
        dimensions.budgetLine = try optionalText(dimensions.budgetLine, field: field("budgetLine"), max: Limits.dimensionLengthMax)
        dimensions.activity = try optionalText(dimensions.activity, field: field("activity"), max: Limits.dimensionLengthMax)
        dimensions.fundingSource = try optionalText(
            dimensions.fundingSource, field: field("fundingSource"), max: Limits.dimensionLengthMax)
        dimensions.party = try optionalText(dimensions.party, field: field("party"), max: Limits.nameLengthMax)
        if let district = dimensions.district, !context.districts.contains(district) {
            throw .districtUnknown(field: field("district"), code: district)
        }
        if let source = dimensions.fundingSource, !context.fundingSources.contains(source) {
            throw .fundingSourceUnknown(field: field("fundingSource"), code: source)
        }
        clean.dimensions = dimensions
        clean.memo = try optionalText(posting.memo, field: field("memo"), max: Limits.memoLengthMax)
        return clean
    }

    /// Optional text: nil or blank becomes nil, anything else is cleaned and checked.
    private static func optionalText(_ text: String?, field: @autoclosure () -> String, max: Int) throws(LedgerError) -> String? {
        guard let text else { return nil }
        let cleaned = TextRules.cleaned(text)
        guard !cleaned.isEmpty else { return nil }
        try TextRules.check(cleaned, field: field(), max: max)
        return cleaned
    }

    /// Idempotency keys are printable ASCII without spaces, 1…`idempotencyKeyLengthMax` long.
    /// - Throws: `textEmpty`, `textTooLong`, `textHasControlCharacters` naming `field`.
    public static func checkIdempotencyKey(_ key: String, field: String = "idempotencyKey") throws(LedgerError) {
        guard !key.isEmpty else { throw .textEmpty(field: field) }
        guard key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else { throw .textHasControlCharacters(field: field) }
        guard key.utf8.count <= Limits.idempotencyKeyLengthMax else {
            throw .textTooLong(field: field, length: key.utf8.count, max: Limits.idempotencyKeyLengthMax)
        }
    }
}
