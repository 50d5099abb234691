import FeeClaims
import LedgerCore
import Yams

/// Reads `Policies/approval-matrix.yaml`: who approves fee claims, up to which amount and
/// over which districts, and who stands in for whom.
///
/// ```yaml
/// currency: IDR            # optional, the currency of the limits; default IDR
/// levels:                  # in order; a claim needs every level up to the first whose
///   - {role: coordinator, limit: 5000000, scope: own-district}    # limit covers it
///   - {role: program-manager, limit: 25000000, scope: all}
///   - {role: director, scope: all}                                # the last: no limit
/// delegations:
///   - {from: P-MKS-001, to: P-MKS-010, starts: 2024-08-05, ends: 2024-08-23}
/// ```
///
/// Limits are whole units of the currency in plain digits (`5000000`): `5.000.000` or
/// `5,000,000` are refused rather than guessed.
public enum ApprovalMatrixLoader {
    static let rootKeys = ["currency", "levels", "delegations"]
    static let levelKeys = ["role", "limit", "scope"]
    static let delegationKeys = ["from", "to", "starts", "ends"]
    /// Approval levels one matrix may have.
    public static let levelsMax = 20
    /// Delegations one matrix may list.
    public static let delegationsMax = 1_000

    /// - Throws: `SetupError` at the offending key or value: `unknownKey`, `missingKey`,
    ///   `emptyValue` (also for an empty list of levels), `wrongType`, `valueNotAllowed` (an
    ///   unknown role or scope, a delegation to oneself), `currencyUnknown`, `amountInvalid`
    ///   (a limit that is not plain digits, or zero), `approvalLimitMissing`,
    ///   `approvalLimitOnLastLevel`, `approvalLimitNotIncreasing`, `codeInvalid` (a person
    ///   id), `dateInvalid`, `dateRangeInverted`, `tooManyItems`.
    public static func load(path: String) throws(SetupError) -> ApprovalMatrix {
        let root = try YAMLMapping(try YAMLFile.root(path: path), path: "", file: path)
        try root.checkKeys(rootKeys)
        let currency = try root.optionalCurrency("currency") ?? .idr
        let levelsNode = try root.requiredNode("levels")
        let levelNodes = try root.list("levels", max: levelsMax)
        guard !levelNodes.isEmpty else { throw .emptyValue(root.location(of: levelsNode), field: "levels") }
        var levels: [ApprovalLevel] = []
        var previous: Money?
        for (index, node) in levelNodes.enumerated() {
            let item = try YAMLMapping(node, path: "levels[\(index)]", file: path)
            try item.checkKeys(levelKeys)
            let role = try role(item)
            let limit = try item.optionalWholeAmount("limit", currency: currency)
            let isLast = index == levelNodes.count - 1
            if let (limit, location) = limit {
                guard !isLast else { throw .approvalLimitOnLastLevel(location, field: item.fieldPath("limit")) }
                if let previous, limit.minorUnits <= previous.minorUnits {
                    throw .approvalLimitNotIncreasing(location, field: item.fieldPath("limit"), limit: limit, previous: previous)
                }
                previous = limit
            } else if !isLast {
                let location = item.node("limit").map { item.location(of: $0) } ?? item.location
                throw .approvalLimitMissing(location, field: item.fieldPath("limit"))
            }
            levels.append(ApprovalLevel(role: role, limit: limit?.value, scope: try scope(item)))
        }
        var delegations: [Delegation] = []
        for (index, node) in try root.list("delegations", max: delegationsMax).enumerated() {
            let item = try YAMLMapping(node, path: "delegations[\(index)]", file: path)
            delegations.append(try delegation(item))
        }
        return ApprovalMatrix(levels: levels, delegations: delegations)
    }

    private static func role(_ item: YAMLMapping) throws(SetupError) -> Role {
        let (text, location) = try item.text("role")
        guard let role = Role(rawValue: text) else {
            throw .valueNotAllowed(location, field: item.fieldPath("role"), value: text, allowed: Role.allCases.map(\.rawValue))
        }
        return role
    }

    private static func scope(_ item: YAMLMapping) throws(SetupError) -> ApprovalLevel.Scope {
        let (text, location) = try item.text("scope")
        guard let scope = ApprovalLevel.Scope(rawValue: text) else {
            let allowed = [ApprovalLevel.Scope.ownDistrict, .all].map(\.rawValue)
            throw .valueNotAllowed(location, field: item.fieldPath("scope"), value: text, allowed: allowed)
        }
        return scope
    }

    private static func delegation(_ item: YAMLMapping) throws(SetupError) -> Delegation {
        try item.checkKeys(delegationKeys)
        let from = try item.code("from")
        let to = try item.code("to")
        guard to != from else {
            let location = try item.text("to").location
            throw .valueNotAllowed(location, field: item.fieldPath("to"), value: to, allowed: ["someone other than '\(from)'"])
        }
        let starts = try item.requiredDate("starts")
        let ends = try item.requiredDate("ends")
        // One day is a valid delegation: `ends` is the last day, inclusive.
        guard starts.value <= ends.value else {
            throw .dateRangeInverted(ends.location, field: item.fieldPath("ends"), startsOn: starts.value, endsOn: ends.value)
        }
        return Delegation(from: from, to: to, starts: starts.value, ends: ends.value)
    }
}

// MARK: - Values of the claim policies

extension YAMLMapping {
    /// A required `YYYY-MM-DD` date.
    /// - Throws: `missingKey`, `emptyValue`, `wrongType`, `dateInvalid`.
    func requiredDate(_ key: String) throws(SetupError) -> (value: LedgerDate, location: InputLocation) {
        let (text, location) = try text(key)
        do throws(LedgerError) {
            return (try LedgerDate(parsing: text, field: fieldPath(key)), location)
        } catch {
            throw .dateInvalid(location, field: fieldPath(key), value: text)
        }
    }

    /// An optional amount of whole major units written in plain digits (`5000000`), more
    /// than zero; nil when absent, `null` or empty. Rupiah amounts are written `5.000.000`
    /// in Indonesian, so a `.` is refused rather than read as a decimal mark.
    /// - Throws: `amountInvalid` (`unexpectedCharacter`, `amountIsZero`, `overflow`,
    ///   `amountAboveLimit`), `wrongType`.
    func optionalWholeAmount(_ key: String, currency: Currency) throws(SetupError) -> (value: Money, location: InputLocation)? {
        guard let (text, location) = try optionalText(key) else { return nil }
        let field = fieldPath(key)
        func refuse(_ reason: AmountParseError) -> SetupError {
            .amountInvalid(location, field: field, reason: .amountInvalid(field: field, text: text, reason: reason))
        }
        var major: Int64 = 0
        for character in text {
            guard let digit = character.wholeNumberValue, character.isASCII else { throw refuse(.unexpectedCharacter(character)) }
            let (times10, overflowA) = major.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = times10.addingReportingOverflow(Int64(digit))
            guard !overflowA, !overflowB else { throw refuse(.overflow) }
            major = next
        }
        let (minorUnits, overflow) = major.multipliedReportingOverflow(by: currency.minorUnitsPerMajor)
        guard !overflow else { throw refuse(.overflow) }
        guard minorUnits != 0 else { throw .amountInvalid(location, field: field, reason: .amountIsZero(field: field)) }
        guard minorUnits <= Limits.amountMinorUnitsMax else {
            throw .amountInvalid(location, field: field, reason: .amountAboveLimit(field: field, minorUnits: minorUnits))
        }
        return (Money(minorUnits: minorUnits, currency: currency), location)
    }

    /// A required amount in the notation of `optionalWholeAmount(_:currency:)`.
    /// - Throws: `missingKey`, `emptyValue` and the errors of `optionalWholeAmount`.
    func wholeAmount(_ key: String, currency: Currency) throws(SetupError) -> Money {
        _ = try text(key)
        guard let (amount, _) = try optionalWholeAmount(key, currency: currency) else {
            throw .emptyValue(location, field: fieldPath(key))
        }
        return amount
    }
}
