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
    /// - Throws: `BudgetError.lineReferenceInvalid` unless there is exactly one `/` with
    ///   text on both sides.
    public init(parsing text: String, fiscalYear: Int, field: String) throws(BudgetError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw .lineReferenceInvalid(field: field, value: text) }
        let district = parts[0].trimmingCharacters(in: .whitespacesAndNewlines)
        let code = parts[1].trimmingCharacters(in: .whitespacesAndNewlines)
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
/// A total order: a numeric part comes before a text part, equal numbers are told apart by
/// their text (`2` before `02`), so only identical codes compare equal.
struct CodeOrder: Comparable {
    private struct Part: Comparable {
        let number: Int?
        let text: String

        static func < (lhs: Part, rhs: Part) -> Bool {
            switch (lhs.number, rhs.number) {
            case let (left?, right?): return (left, lhs.text) < (right, rhs.text)
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return lhs.text < rhs.text
            }
        }
    }

    private let parts: [Part]

    init(_ code: String) {
        parts = code.split(separator: ".", omittingEmptySubsequences: false).map { part in
            let text = String(part)
            return Part(number: text.allSatisfy(\.isASCII) ? Int(text) : nil, text: text)
        }
    }

    static func < (lhs: CodeOrder, rhs: CodeOrder) -> Bool {
        lhs.parts.lexicographicallyPrecedes(rhs.parts)
    }

    static func == (lhs: CodeOrder, rhs: CodeOrder) -> Bool { lhs.parts == rhs.parts }
}
