import Foundation
import FraudRules
import LedgerCore
import Yams

/// Reads `Policies/anti-fraud.yaml`: for each of the anti-fraud rules R01…R16, its names,
/// whether it runs, what a finding does, and its figures; and, for R11, the public holidays
/// of every `holidays-YYYY.yaml` in the same directory (`HolidayCalendarLoader`).
///
/// ```yaml
/// rules:                        # every rule R01…R16 exactly once, in any order
///   - id: R09
///     name: Late filing
///     name_id: Pengajuan terlambat
///     enabled: true             # true or false
///     action: flag              # report, flag, hold or block; R01 only block
///     parameters:               # whole numbers in plain digits, 0 or more
///       flag-days: 30
///       block-days: 90
/// ```
///
/// Parameter keys are written in kebab-case in the file and handed to the rules in
/// camelCase (`flag-days` → `flagDays`), the names `FraudScanner` reads. Each rule accepts
/// only its own parameters (`parameterKeys`), so a misspelt one is refused instead of
/// silently leaving the rule on its built-in default; a rule without parameters accepts
/// no `parameters` key.
public enum FraudPolicyLoader {
    static let rootKeys = ["rules"]
    static let ruleKeys = ["id", "name", "name_id", "enabled", "action", "parameters"]
    /// The keys of a rule that has no parameters.
    static let ruleKeysWithoutParameters = ["id", "name", "name_id", "enabled", "action"]
    /// The parameters each rule may set, as written in the file; rules not listed have none.
    static let parameterKeys: [FraudRuleID: [String]] = [
        .r04: ["days", "percent", "tolerance"],
        .r05: ["days"],
        .r06: ["percent", "count"],
        .r08: ["travel-days"],
        .r09: ["flag-days", "block-days"],
        .r12: ["minimum", "multiple", "min-claims"],
        .r13: ["min-amounts"],
        .r16: ["flag-percent", "block-percent"],
    ]
    /// The only action R01 (segregation of duties) may have.
    static let segregationOfDutiesAction = FraudAction.block
    /// What a parameter value must be, as `valueNotAllowed` says it.
    static let wholeNumberAllowed = ["a whole number of 0 or more, in plain digits"]
    /// Items the `rules` list may have: more than the 16 rules, so that a rule given twice
    /// is named as such rather than counted.
    public static let rulesMax = 100

    /// - Throws: `SetupError` at the offending key or value: `unknownKey` (also a
    ///   `parameters` key on a rule without parameters, or a parameter the rule does not
    ///   have), `missingKey` (a missing rule at the `rules` list, field `rules.Rnn`),
    ///   `emptyValue`, `wrongType`, `textInvalid` (a name), `valueNotAllowed` (an unknown
    ///   id, an action other than report, flag, hold or block, R01 with an action other
    ///   than block, `enabled` other than true or false, a parameter that is not a whole
    ///   number of 0 or more), `duplicateCode` (a rule given twice), `tooManyItems`; and
    ///   those of `HolidayCalendarLoader.load(path:)` for a holidays file beside it, and
    ///   `fileUnreadable` when the policy's directory cannot be listed.
    public static func load(path: String) throws(SetupError) -> FraudPolicy {
        let root = try YAMLMapping(try YAMLFile.root(path: path), path: "", file: path)
        try root.checkKeys(rootKeys)
        let rulesNode = try root.requiredNode("rules")
        var rules: [FraudRule] = []
        var seen: Set<FraudRuleID> = []
        for (index, node) in try root.list("rules", max: rulesMax).enumerated() {
            let item = try YAMLMapping(node, path: "rules[\(index)]", file: path)
            try item.checkKeys(ruleKeys)
            let (id, idLocation) = try ruleID(item)
            guard seen.insert(id).inserted else {
                throw .duplicateCode(idLocation, field: item.fieldPath("id"), code: id.rawValue)
            }
            let allowedParameters = parameterKeys[id] ?? []
            if allowedParameters.isEmpty { try item.checkKeys(ruleKeysWithoutParameters) }
            let isEnabled = try enabled(item)
            // Segregation of duties is never switched off.
            if id == .r01, !isEnabled, let location = try item.optionalText("enabled")?.location {
                throw .valueNotAllowed(location, field: item.fieldPath("enabled"), value: "false", allowed: ["true"])
            }
            rules.append(FraudRule(
                id: id,
                nameEn: try item.checkedText("name", max: Limits.nameLengthMax),
                nameId: try item.checkedText("name_id", max: Limits.nameLengthMax),
                enabled: isEnabled,
                action: try action(item, rule: id),
                parameters: try parameters(item, allowed: allowedParameters)))
        }
        if let missing = FraudRuleID.allCases.first(where: { !seen.contains($0) }) {
            throw .missingKey(root.location(of: rulesNode), field: "rules.\(missing.rawValue)")
        }
        let directory = (path as NSString).deletingLastPathComponent
        return FraudPolicy(rules: rules, holidays: try HolidayCalendarLoader.loadAll(directory: directory.isEmpty ? "." : directory))
    }

    /// The name a parameter is handed to the rules by: `flag-days` → `flagDays`; a single
    /// word is unchanged.
    static func parameterName(_ fileKey: String) -> String {
        let words = fileKey.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = words.first else { return fileKey }
        return String(first) + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    private static func ruleID(_ item: YAMLMapping) throws(SetupError) -> (value: FraudRuleID, location: InputLocation) {
        let (text, location) = try item.text("id")
        guard let id = FraudRuleID(rawValue: text) else {
            throw .valueNotAllowed(location, field: item.fieldPath("id"), value: text,
                                   allowed: FraudRuleID.allCases.map(\.rawValue))
        }
        return (id, location)
    }

    private static func enabled(_ item: YAMLMapping) throws(SetupError) -> Bool {
        let (text, location) = try item.text("enabled")
        switch text {
        case "true": return true
        case "false": return false
        default: throw .valueNotAllowed(location, field: item.fieldPath("enabled"), value: text, allowed: ["true", "false"])
        }
    }

    private static func action(_ item: YAMLMapping, rule: FraudRuleID) throws(SetupError) -> FraudAction {
        let (text, location) = try item.text("action")
        guard let action = FraudAction(rawValue: text) else {
            throw .valueNotAllowed(location, field: item.fieldPath("action"), value: text,
                                   allowed: FraudAction.allCases.map(\.rawValue))
        }
        // Segregation of duties always blocks: a policy file cannot soften it.
        guard rule != .r01 || action == segregationOfDutiesAction else {
            throw .valueNotAllowed(location, field: item.fieldPath("action"), value: text,
                                   allowed: [segregationOfDutiesAction.rawValue])
        }
        return action
    }

    /// The rule's parameters by the names the rules read; empty when `parameters` is
    /// absent or `null`.
    private static func parameters(_ item: YAMLMapping, allowed: [String]) throws(SetupError) -> [String: Int64] {
        guard let node = item.node("parameters") else { return [:] }
        if case .scalar = node, node.tag.rawValue == Tag.Name.null.rawValue { return [:] }
        let mapping = try YAMLMapping(node, path: item.fieldPath("parameters"), file: item.file)
        try mapping.checkKeys(allowed)
        var parameters: [String: Int64] = [:]
        for (keyNode, valueNode) in mapping.mapping {
            // checkKeys let only scalar keys through.
            guard let key = keyNode.scalar?.string else { continue }
            let location = mapping.location(of: valueNode)
            guard let text = try mapping.scalarText(valueNode, key: key) else {
                throw .emptyValue(location, field: mapping.fieldPath(key))
            }
            guard let value = wholeNumber(text) else {
                throw .valueNotAllowed(location, field: mapping.fieldPath(key), value: text, allowed: wholeNumberAllowed)
            }
            parameters[parameterName(key)] = value
        }
        return parameters
    }

    /// `text` as a whole number of 0 or more written in ASCII digits only; nil for a sign,
    /// a decimal or grouping mark (`1.000.000` is refused rather than guessed), or a value
    /// past `Int64.max`.
    private static func wholeNumber(_ text: String) -> Int64? {
        guard !text.isEmpty else { return nil }
        var value: Int64 = 0
        for character in text {
            guard character.isASCII, let digit = character.wholeNumberValue else { return nil }
            let (times10, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = times10.addingReportingOverflow(Int64(digit))
            guard !overflowA, !overflowB else { return nil }
            value = next
        }
        return value
    }
}
