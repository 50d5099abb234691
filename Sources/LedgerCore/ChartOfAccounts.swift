/// The accounts of a ledger as a validated tree: unique codes, known parents of the same
/// type, bounded depth, no cycles.
///
/// Entry validation asks it whether an account exists, is a leaf and is open.
public struct ChartOfAccounts: Sendable {
    public private(set) var accountsByCode: [String: Account] = [:]
    private var parentCodes: Set<String> = []
    /// Accounts in the order they were added (parents before children).
    public private(set) var accounts: [Account] = []

    public init() {}

    /// Builds a chart, validating every account in order; a parent must come before its children.
    /// - Throws: the first `LedgerError` found, its field naming the account's position.
    public init(_ accounts: [Account]) throws(LedgerError) {
        for (index, account) in accounts.enumerated() {
            try add(account, field: "accounts[\(index)]")
        }
    }

    /// Adds one account after checking it against the chart.
    /// - Throws: `accountCodeInvalid`, `accountDuplicate`, `accountParentUnknown`,
    ///   `accountParentTypeMismatch`, `accountTooDeep`, `textEmpty`, `textTooLong`.
    public mutating func add(_ account: Account, field: String) throws(LedgerError) {
        try validate(account, field: field)
        accountsByCode[account.code] = account
        accounts.append(account)
        if let parent = account.parentCode { parentCodes.insert(parent) }
    }

    /// Checks `account` as `add` would, without adding it.
    public func validate(_ account: Account, field: String) throws(LedgerError) {
        try Account.validateCode(account.code, field: field + ".code")
        guard accountsByCode[account.code] == nil else {
            throw .accountDuplicate(field: field + ".code", code: account.code)
        }
        try TextRules.check(account.nameEn, field: field + ".name", max: Limits.accountNameLengthMax)
        try TextRules.check(account.nameId, field: field + ".nameId", max: Limits.accountNameLengthMax)
        if let parentCode = account.parentCode {
            guard let parent = accountsByCode[parentCode] else {
                throw .accountParentUnknown(field: field + ".parent", code: account.code, parent: parentCode)
            }
            guard parent.type == account.type else {
                throw .accountParentTypeMismatch(
                    field: field + ".type", code: account.code, type: account.type, parentType: parent.type)
            }
            guard depth(of: parentCode) < Limits.accountDepthMax else {
                throw .accountTooDeep(field: field + ".parent", code: account.code)
            }
        }
    }

    public func account(code: String) -> Account? { accountsByCode[code] }

    /// True when no account names `code` as its parent.
    public func isLeaf(_ code: String) -> Bool { !parentCodes.contains(code) }

    public var count: Int { accounts.count }

    /// Number of levels from the root down to `code` (a root account has depth 1).
    public func depth(of code: String) -> Int {
        var depth = 0
        var current: String? = code
        while let currentCode = current, depth <= Limits.accountDepthMax {
            depth += 1
            current = accountsByCode[currentCode]?.parentCode
        }
        return depth
    }
}
