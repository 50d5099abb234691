/// A district or office of the program (`SBT`, `SBD`, `MKS`): the unit budgets are
/// planned and spent in, carried on postings as the `district` dimension.
public struct District: Hashable, Sendable {
    public var code: String
    public var nameEn: String
    public var nameId: String
    public var province: String?

    public init(code: String, nameEn: String, nameId: String? = nil, province: String? = nil) {
        self.code = code
        self.nameEn = nameEn
        self.nameId = nameId ?? nameEn
        self.province = province
    }
}

/// A grant or other source of funds, carried on postings as the `fundingSource` dimension.
/// Its dates bound when its money may be spent (used by the eligibility rules).
public struct FundingSource: Hashable, Sendable {
    public var code: String
    public var name: String
    /// The currency the donor disburses in, e.g. USD.
    public var currency: Currency?
    public var startsOn: LedgerDate?
    /// The grant's closing date: nothing may be spent after it.
    public var endsOn: LedgerDate?

    public init(code: String, name: String, currency: Currency? = nil, startsOn: LedgerDate? = nil, endsOn: LedgerDate? = nil) {
        self.code = code
        self.name = name
        self.currency = currency
        self.startsOn = startsOn
        self.endsOn = endsOn
    }
}

/// What a new ledger is created from: who keeps it, its currency and calendar, and its
/// reference data. Loaded from `Ledgers/<name>/` by the Setup module.
public struct LedgerProfile: Sendable {
    /// Short machine name, e.g. `bangkit`.
    public var name: String
    public var organisation: String
    public var baseCurrency: Currency
    public var fiscalCalendar: FiscalCalendar
    public var districts: [District]
    public var fundingSources: [FundingSource]
    public var chart: ChartOfAccounts

    public init(
        name: String, organisation: String, baseCurrency: Currency, fiscalCalendar: FiscalCalendar,
        districts: [District], fundingSources: [FundingSource], chart: ChartOfAccounts
    ) {
        self.name = name
        self.organisation = organisation
        self.baseCurrency = baseCurrency
        self.fiscalCalendar = fiscalCalendar
        self.districts = districts
        self.fundingSources = fundingSources
        self.chart = chart
    }
}
