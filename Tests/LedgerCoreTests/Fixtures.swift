import LedgerCore

/// A small chart and context shared by the validation and encoding tests.
enum Fixtures {
    static func date(_ text: String) -> LedgerDate {
        guard let date = try? LedgerDate(parsing: text) else { preconditionFailure("bad test date \(text)") }
        return date
    }

    static func idr(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: .idr) }
    static func usd(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: .usd) }

    static let chart: ChartOfAccounts = {
        do {
            return try ChartOfAccounts([
                Account(code: "1-1000", nameEn: "Cash and bank", nameId: "Kas dan bank", type: .asset),
                Account(code: "1-1100", nameEn: "Bank BRI (IDR)", type: .asset, parentCode: "1-1000", currency: .idr),
                Account(code: "1-1200", nameEn: "Bank BNI (USD)", type: .asset, parentCode: "1-1000", currency: .usd),
                Account(code: "1-1300", nameEn: "Petty cash", type: .asset, parentCode: "1-1000"),
                Account(code: "1-9000", nameEn: "Currency exchange", type: .asset),
                Account(code: "2-1000", nameEn: "Claims payable", type: .liability),
                Account(code: "4-1000", nameEn: "Grant income", type: .income),
                Account(code: "5-1000", nameEn: "Program costs", type: .expense),
                Account(code: "5-1100", nameEn: "Honoraria", type: .expense, parentCode: "5-1000"),
                Account(code: "5-1200", nameEn: "Transport", type: .expense, parentCode: "5-1000"),
                Account(code: "5-1300", nameEn: "Pilot project", type: .expense, parentCode: "5-1000",
                        opensOn: date("2024-03-01"), closesOn: date("2024-09-01")),
            ])
        } catch {
            preconditionFailure("fixture chart is invalid: \(error)")
        }
    }()

    static let context = ValidationContext(chart: chart, districts: ["SBT", "SBD", "MKS"], fundingSources: ["DTF"])

    /// A valid, already clean entry: Dr honoraria (SBT) / Cr bank, Rp 1.500.000.
    static func draft(
        date: String = "2024-06-15", description: String = "Honorarium June, Desa Wunga", reference: String? = "KW-0612",
        author: String = "finance.mks", idempotencyKey: String? = nil, postings: [PostingDraft]? = nil
    ) -> EntryDraft {
        EntryDraft(
            date: Fixtures.date(date), description: description, reference: reference, source: .manual, author: author,
            idempotencyKey: idempotencyKey,
            postings: postings ?? [
                PostingDraft(
                    accountCode: "5-1100", amount: idr(150_000_000),
                    dimensions: Dimensions(district: "SBT", budgetLine: "2.1.3", activity: "Village training",
                                           fundingSource: "DTF", party: "Ibu Maria"),
                    memo: "3 days × Rp 500.000"),
                PostingDraft(accountCode: "1-1100", amount: idr(-150_000_000)),
            ])
    }

    /// A balanced USD→IDR conversion through the exchange account.
    static func conversion(rate: String?) throws -> EntryDraft {
        EntryDraft(
            date: date("2024-06-03"), description: "Convert USD 1,000 at 15,650.25", author: "finance.mks",
            exchangeRate: try rate.map { try ExchangeRate(parsing: $0) },
            postings: [
                PostingDraft(accountCode: "1-9000", amount: usd(100_000)),
                PostingDraft(accountCode: "1-1200", amount: usd(-100_000)),
                PostingDraft(accountCode: "1-1100", amount: idr(1_565_025_000)),
                PostingDraft(accountCode: "1-9000", amount: idr(-1_565_025_000)),
            ])
    }
}
