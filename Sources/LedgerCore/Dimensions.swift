/// The analysis codes every posting carries, so budgets, districts and donors can be
/// reported without parsing descriptions.
public struct Dimensions: Hashable, Sendable {
    /// District or office code: `SBT`, `SBD`, `MKS`.
    public var district: String?
    /// Budget line code, e.g. `2.1.3`.
    public var budgetLine: String?
    /// Activity code or name.
    public var activity: String?
    /// The grant paying for it.
    public var fundingSource: String?
    /// A person or vendor, for payables and advances.
    public var party: String?

    public init(
        district: String? = nil, budgetLine: String? = nil, activity: String? = nil,
        fundingSource: String? = nil, party: String? = nil
    ) {
        self.district = district
        self.budgetLine = budgetLine
        self.activity = activity
        self.fundingSource = fundingSource
        self.party = party
    }

    public static let none = Dimensions()
}
