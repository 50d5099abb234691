import FeeClaims
import LedgerCore
import Yams

/// Reads `Policies/rates.yaml`: the unit rates of fee claims per category, district and
/// year, and the accounts claims are booked to and paid from.
///
/// ```yaml
/// currency: IDR                   # optional, the currency of the rates; default IDR
/// payable-account: 2-1100         # credited when a claim is posted
/// payment-accounts:               # the account each district pays claims from
///   SBT: 1-1120
/// categories:                     # every claim category, each with its expense account
///   honorarium: {account: 5-1100, receipt-required: false}
///   transport: {account: 5-2100, receipt-required: true}
///   per-diem: {account: 5-2200, receipt-required: false}
///   lodging: {account: 5-2300, receipt-required: true}
/// rates:
///   - {category: per-diem, district: SBT, year: 2024, rate: 350000, kind: ceiling}
/// ```
///
/// Rates are whole units of the currency in plain digits (`350000`), as approval limits.
/// Accounts and districts are checked for their shape only: whether the chart and the
/// ledger have them is for the caller, which knows the ledger.
public enum RateTableLoader {
    static let rootKeys = ["currency", "payable-account", "payment-accounts", "categories", "rates"]
    static let categoryKeys = ["account", "receipt-required"]
    static let rateKeys = ["category", "district", "year", "rate", "kind"]
    /// Rates one table may list.
    public static let ratesMax = 10_000
    /// Districts `payment-accounts` may list.
    public static let paymentAccountsMax = SetupLimits.districtsMax

    /// - Throws: `SetupError` at the offending key or value: `unknownKey` (also a category
    ///   that does not exist), `missingKey` (also a category left out), `emptyValue`,
    ///   `wrongType`, `currencyUnknown`, `accountRejected` (an account code that cannot
    ///   name an account), `codeInvalid` (a district), `valueNotAllowed` (an unknown
    ///   category, kind or year, `receipt-required` other than true or false),
    ///   `amountInvalid`, `duplicateCode` (a second rate for the same category, district
    ///   and year), `tooManyItems`.
    public static func load(path: String) throws(SetupError) -> RateTable {
        let root = try YAMLMapping(try YAMLFile.root(path: path), path: "", file: path)
        try root.checkKeys(rootKeys)
        let currency = try root.optionalCurrency("currency") ?? .idr
        let payableAccount = try accountCode(root, "payable-account")
        let paymentAccounts = try paymentAccounts(root)
        let categories = try categories(root)

        var rates: [Rate] = []
        var seen: Set<String> = []
        _ = try root.requiredNode("rates")
        for (index, node) in try root.list("rates", max: ratesMax).enumerated() {
            let item = try YAMLMapping(node, path: "rates[\(index)]", file: path)
            let rate = try rate(item, currency: currency)
            let key = "\(rate.category.rawValue)/\(rate.district)/\(rate.year)"
            guard seen.insert(key).inserted else { throw .duplicateCode(item.location, field: item.path, code: key) }
            rates.append(rate)
        }
        return RateTable(rates: rates, categories: categories, payableAccount: payableAccount, paymentAccounts: paymentAccounts)
    }

    private static func accountCode(_ mapping: YAMLMapping, _ key: String) throws(SetupError) -> String {
        let (code, location) = try mapping.text(key)
        try checkAccountCode(code, at: location, field: mapping.fieldPath(key))
        return code
    }

    private static func checkAccountCode(_ code: String, at location: InputLocation, field: String) throws(SetupError) {
        do throws(LedgerError) {
            try Account.validateCode(code, field: field)
        } catch {
            throw .accountRejected(location, field: field, reason: error)
        }
    }

    /// `payment-accounts`: district code → account code.
    private static func paymentAccounts(_ root: YAMLMapping) throws(SetupError) -> [String: String] {
        let mapping = try YAMLMapping(try root.requiredNode("payment-accounts"), path: "payment-accounts", file: root.file)
        guard mapping.mapping.count <= paymentAccountsMax else {
            throw .tooManyItems(mapping.location, field: mapping.path, count: mapping.mapping.count, max: paymentAccountsMax)
        }
        var accounts: [String: String] = [:]
        for (keyNode, valueNode) in mapping.mapping {
            let location = mapping.location(of: keyNode)
            guard let district = keyNode.scalar.map({ TextRules.cleaned($0.string) }), isCode(district) else {
                throw .codeInvalid(location, field: mapping.path, value: keyNode.scalar?.string ?? "?")
            }
            guard let code = try mapping.scalarText(valueNode, key: district) else {
                throw .emptyValue(mapping.location(of: valueNode), field: mapping.fieldPath(district))
            }
            try checkAccountCode(code, at: mapping.location(of: valueNode), field: mapping.fieldPath(district))
            accounts[district] = code
        }
        return accounts
    }

    /// `categories`: every claim category, none other, each with its account and whether
    /// it needs a receipt.
    private static func categories(_ root: YAMLMapping) throws(SetupError) -> [ClaimCategory: CategoryAccounting] {
        let mapping = try YAMLMapping(try root.requiredNode("categories"), path: "categories", file: root.file)
        try mapping.checkKeys(ClaimCategory.allCases.map(\.rawValue))
        var categories: [ClaimCategory: CategoryAccounting] = [:]
        for category in ClaimCategory.allCases {
            let key = category.rawValue
            let item = try YAMLMapping(try mapping.requiredNode(key), path: mapping.fieldPath(key), file: root.file)
            try item.checkKeys(categoryKeys)
            let account = try accountCode(item, "account")
            let (text, location) = try item.text("receipt-required")
            guard let receiptRequired = ["true": true, "false": false][text] else {
                throw .valueNotAllowed(location, field: item.fieldPath("receipt-required"), value: text, allowed: ["true", "false"])
            }
            categories[category] = CategoryAccounting(expenseAccount: account, receiptRequired: receiptRequired)
        }
        return categories
    }

    private static func rate(_ item: YAMLMapping, currency: Currency) throws(SetupError) -> Rate {
        try item.checkKeys(rateKeys)
        let (categoryText, categoryLocation) = try item.text("category")
        guard let category = ClaimCategory(rawValue: categoryText) else {
            throw .valueNotAllowed(categoryLocation, field: item.fieldPath("category"), value: categoryText,
                                   allowed: ClaimCategory.allCases.map(\.rawValue))
        }
        let district = try item.code("district")
        let (yearText, yearLocation) = try item.text("year")
        guard yearText.utf8.count == 4, yearText.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let year = Int(yearText), (1900...9999).contains(year) else {
            throw .valueNotAllowed(yearLocation, field: item.fieldPath("year"), value: yearText, allowed: ["a year, YYYY"])
        }
        let unitRate = try item.wholeAmount("rate", currency: currency)
        let (kindText, kindLocation) = try item.text("kind")
        guard let kind = Rate.Kind(rawValue: kindText) else {
            throw .valueNotAllowed(kindLocation, field: item.fieldPath("kind"), value: kindText,
                                   allowed: Rate.Kind.allCases.map(\.rawValue))
        }
        return Rate(category: category, district: district, year: year, unitRate: unitRate, kind: kind)
    }

    private static func isCode(_ text: String) -> Bool {
        !text.isEmpty && text.count <= Limits.dimensionLengthMax
            && text.unicodeScalars.allSatisfy { scalar in
                !scalar.properties.isWhitespace && scalar.properties.generalCategory != .control
                    && scalar != "," && scalar != ";"
            }
    }
}
