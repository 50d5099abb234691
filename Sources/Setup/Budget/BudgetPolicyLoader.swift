import Budgets
import LedgerCore
import Yams

/// Reads `Policies/budget.yaml`: what over-spending does per budget category, when to warn,
/// and which expense accounts carry no budget line.
///
/// ```yaml
/// over-budget: block        # default for categories that do not say
/// warning-level: 90         # percent, default for categories that do not say
/// categories:
///   staff-fees: {over-budget: block}
///   travel: {over-budget: warn, warning-level: 85}
/// not-budgeted-accounts: [5-8100]
/// ```
public enum BudgetPolicyLoader {
    static let rootKeys = ["over-budget", "warning-level", "categories", "not-budgeted-accounts"]
    static let categoryKeys = ["over-budget", "warning-level"]
    /// Categories and not-budgeted accounts one policy may list.
    public static let itemsMax = 1_000

    /// - Throws: `SetupError` at the offending key or value: `unknownKey`, `missingKey`,
    ///   `wrongType`, `valueNotAllowed` (an action other than block or warn), `budgetRejected`
    ///   (a warning level outside 1…100), `codeInvalid`, `duplicateCode`, `tooManyItems`.
    public static func load(path: String) throws(SetupError) -> BudgetPolicy {
        let root = try YAMLMapping(try YAMLFile.root(path: path), path: "", file: path)
        try root.checkKeys(rootKeys)
        let defaultAction = try action(root, key: "over-budget") ?? .block
        let defaultPercent = try percent(root, key: "warning-level") ?? 90
        let categoriesNode = try root.requiredNode("categories")
        let categories = try YAMLMapping(categoriesNode, path: "categories", file: path)
        guard categories.mapping.count <= itemsMax else {
            throw .tooManyItems(categories.location, field: "categories", count: categories.mapping.count, max: itemsMax)
        }
        var rules: [String: CategoryRule] = [:]
        for (keyNode, valueNode) in categories.mapping {
            let location = categories.location(of: keyNode)
            guard let code = keyNode.scalar.map({ TextRules.cleaned($0.string) }), Self.isCode(code) else {
                throw .codeInvalid(location, field: "categories", value: keyNode.scalar?.string ?? "?")
            }
            var rule = CategoryRule(overBudget: defaultAction, warningPercent: defaultPercent)
            let isEmpty = valueNode.scalar != nil && (try? categories.scalarText(valueNode, key: code)) == nil
            if !isEmpty {
                let item = try YAMLMapping(valueNode, path: "categories.\(code)", file: path)
                try item.checkKeys(categoryKeys)
                rule.overBudget = try action(item, key: "over-budget") ?? defaultAction
                rule.warningPercent = try percent(item, key: "warning-level") ?? defaultPercent
            }
            rules[code] = rule
        }
        var accounts: Set<String> = []
        for node in try root.list("not-budgeted-accounts", max: itemsMax) {
            let location = root.location(of: node)
            guard let code = node.scalar.map({ TextRules.cleaned($0.string) }), !code.isEmpty,
                  !code.contains(where: \.isNewline) else {
                throw .codeInvalid(location, field: "not-budgeted-accounts", value: node.scalar?.string ?? "?")
            }
            guard accounts.insert(code).inserted else {
                throw .duplicateCode(location, field: "not-budgeted-accounts", code: code)
            }
        }
        return BudgetPolicy(categories: rules, notBudgetedAccounts: accounts)
    }

    private static func isCode(_ text: String) -> Bool {
        !text.isEmpty && text.count <= Limits.dimensionLengthMax
            && !text.contains(where: { $0.isWhitespace || $0 == "," || $0 == ";" })
    }

    private static func action(_ mapping: YAMLMapping, key: String) throws(SetupError) -> OverBudgetAction? {
        guard let (text, location) = try mapping.optionalText(key) else { return nil }
        guard let action = OverBudgetAction(rawValue: text) else {
            throw .valueNotAllowed(location, field: mapping.fieldPath(key), value: text,
                                   allowed: OverBudgetAction.allCases.map(\.rawValue))
        }
        return action
    }

    private static func percent(_ mapping: YAMLMapping, key: String) throws(SetupError) -> Int? {
        guard let (text, location) = try mapping.optionalText(key) else { return nil }
        let digits = text.hasSuffix("%") ? TextRules.cleaned(String(text.dropLast())) : text
        guard let value = Int(digits) else {
            throw .valueNotAllowed(location, field: mapping.fieldPath(key), value: text, allowed: ["a whole percentage, 1 to 100"])
        }
        guard BudgetPolicy.warningPercentRange.contains(value) else {
            throw .budgetRejected(location, field: mapping.fieldPath(key), reason: .warningPercentInvalid(
                field: mapping.fieldPath(key), value: value))
        }
        return value
    }
}
