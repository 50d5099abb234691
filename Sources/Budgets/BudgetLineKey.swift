import Foundation
import LedgerCore

/// Which budget line: a code within one district's budget for one fiscal year. Postings
/// name it through their `district` and `budgetLine` dimensions; people write it
/// `DISTRICT/CODE` (`SBT/1.2`) together with the year.
public struct BudgetLineKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let fiscalYear: Int
    public let district: String
    public let code: String

    public init(fiscalYear: Int, district: String, code: String) {
        self.fiscalYear = fiscalYear
        self.district = district
        self.code = code
    }

    /// Reads `DISTRICT/CODE` for `fiscalYear`.
    /// - Throws: `BudgetError.lineReferenceInvalid` when either side of the `/` is empty.
    public init(parsing text: String, fiscalYear: Int, field: String) throws(BudgetError) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw .lineReferenceInvalid(field: field, value: text) }
        let district = parts[0].trimmingCharacters(in: .whitespaces)
        let code = parts[1].trimmingCharacters(in: .whitespaces)
        guard !district.isEmpty, !code.isEmpty else { throw .lineReferenceInvalid(field: field, value: text) }
        self.init(fiscalYear: fiscalYear, district: district, code: code)
    }

    /// `SBT/1.2`: the year is shown apart, where it is needed.
    public var description: String { "\(district)/\(code)" }

    public static func < (lhs: BudgetLineKey, rhs: BudgetLineKey) -> Bool {
        (lhs.fiscalYear, lhs.district, CodeOrder(lhs.code)) < (rhs.fiscalYear, rhs.district, CodeOrder(rhs.code))
    }
}

/// Orders line codes as people number them: `1.2` before `1.10`, numeric parts by value.
struct CodeOrder: Comparable {
    let parts: [String]

    init(_ code: String) {
        parts = code.split(separator: ".").map(String.init)
    }

    static func < (lhs: CodeOrder, rhs: CodeOrder) -> Bool {
        for (left, right) in zip(lhs.parts, rhs.parts) where left != right {
            if let l = Int(left), let r = Int(right) { return l < r }
            return left < right
        }
        return lhs.parts.count < rhs.parts.count
    }

    static func == (lhs: CodeOrder, rhs: CodeOrder) -> Bool { lhs.parts == rhs.parts }
}
