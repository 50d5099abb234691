import LedgerCore
import Yams

extension LedgerSetupLoader {
    static let chartKeys = ["accounts"]
    static let accountKeys = ["code", "name", "name_id", "type", "parent", "currency", "opens_on", "closes_on"]
    /// LedgerCore's field suffixes (`accounts[3].nameId`) and the YAML keys they come from.
    static let accountFieldKeys = ["code": "code", "name": "name", "nameId": "name_id", "type": "type", "parent": "parent"]

    /// Reads the root mapping of `accounts.yaml` into a validated chart, in file order
    /// (a parent must come before its children).
    static func readChart(_ root: Node, file: String) throws(SetupError) -> ChartOfAccounts {
        let document = try YAMLMapping(root, path: "", file: file)
        try document.checkKeys(chartKeys)
        _ = try document.requiredNode("accounts")
        let items = try document.list("accounts", max: SetupLimits.accountsMax)
        guard !items.isEmpty else {
            let location = document.node("accounts").map { document.location(of: $0) } ?? document.location
            throw .emptyValue(location, field: "accounts")
        }
        var chart = ChartOfAccounts()
        for (index, node) in items.enumerated() {
            let item = try YAMLMapping(node, path: "accounts[\(index)]", file: file)
            let account = try readAccount(item)
            do throws(LedgerError) {
                try chart.add(account, field: item.path)
            } catch {
                throw accountRejection(error, item: item)
            }
        }
        return chart
    }

    static func readAccount(_ item: YAMLMapping) throws(SetupError) -> Account {
        try item.checkKeys(accountKeys)
        let code = try item.text("code").value
        let nameEn = try item.text("name").value
        let nameId = try item.optionalText("name_id")?.value
        let (typeText, typeLocation) = try item.text("type")
        guard let type = AccountType(rawValue: typeText) else {
            throw .accountTypeUnknown(typeLocation, field: item.fieldPath("type"), value: typeText)
        }
        let parent = try item.optionalText("parent")?.value
        let currency = try item.optionalCurrency("currency")
        let opensOn = try item.optionalDate("opens_on")
        let closesOn = try item.optionalDate("closes_on")
        try item.checkRange(opensOn, closesOn, endKey: "closes_on")
        return Account(
            code: code, nameEn: nameEn, nameId: nameId, type: type, parentCode: parent, currency: currency,
            opensOn: opensOn?.value, closesOn: closesOn?.value)
    }

    /// Points the chart's refusal at the key it concerns (`parent`, `type`…) in this item.
    static func accountRejection(_ error: LedgerError, item: YAMLMapping) -> SetupError {
        let prefix = item.path + "."
        var field = item.path
        var location = item.location
        if error.field.hasPrefix(prefix), let key = accountFieldKeys[String(error.field.dropFirst(prefix.count))] {
            field = item.fieldPath(key)
            if let node = item.node(key) { location = item.location(of: node) }
        }
        return .accountRejected(location, field: field, reason: error)
    }
}
