/// The accounts of a ledger as a validated tree: unique codes, known parents of the same
/// type, bounded depth, no cycles.
///
/// Entry validation asks it whether an account exists, is a leaf and is open.
public struct ChartOfAccounts: Sendable {
    /// An account and whether any other account names it as parent, found with one lookup.
    private struct Node: Sendable {
        var account: Account
        var isParent = false
    }

    private var nodes: [String: Node] = [:]
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
        nodes[account.code] = Node(account: account)
        accounts.append(account)
        if let parent = account.parentCode { nodes[parent]?.isParent = true }
    }

    /// Checks `account` as `add` would, without adding it.
    public func validate(_ account: Account, field: String) throws(LedgerError) {
        try Account.validateCode(account.code, field: field + ".code")
        guard nodes[account.code] == nil else {
            throw .accountDuplicate(field: field + ".code", code: account.code)
        }
        try TextRules.check(account.nameEn, field: field + ".name", max: Limits.accountNameLengthMax)
        try TextRules.check(account.nameId, field: field + ".nameId", max: Limits.accountNameLengthMax)
        if let parentCode = account.parentCode {
            guard let parent = nodes[parentCode]?.account else {
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

    public func account(code: String) -> Account? { nodes[code]?.account }

    /// True when no account names `code` as its parent.
    public func isLeaf(_ code: String) -> Bool { nodes[code]?.isParent != true }

    /// The account with `code` and whether it is a leaf, with a single lookup (the hot path
    /// of entry validation).
    public func accountAndLeafness(code: String) -> (account: Account, isLeaf: Bool)? {
        nodes[code].map { ($0.account, !$0.isParent) }
    }

    public var count: Int { accounts.count }

    /// Number of levels from the root down to `code` (a root account has depth 1).
    public func depth(of code: String) -> Int {
        var depth = 0
        var current: String? = code
        while let currentCode = current, depth <= Limits.accountDepthMax {
            depth += 1
            current = nodes[currentCode]?.account.parentCode
        }
        return depth
    }
}
