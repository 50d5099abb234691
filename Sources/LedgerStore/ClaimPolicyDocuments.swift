import FeeClaims
import Foundation
import LedgerCore

/// The approval matrix and the rates as JSON documents in `claim_policies`: each change a
/// new row, the newest in force. Amounts are minor units with their currency.
enum ClaimPolicyDocuments {
    private struct MoneyDocument: Codable {
        let minorUnits: Int64
        let currency: String

        init(_ money: Money) {
            minorUnits = money.minorUnits
            currency = money.currency.code
        }

        func money() throws -> Money {
            guard let currency = Currency.known[currency] else {
                throw StoreError.corrupt("a claim policy names unknown currency \(self.currency)")
            }
            return Money(minorUnits: minorUnits, currency: currency)
        }
    }

    private struct MatrixDocument: Codable {
        struct Level: Codable {
            let role: String
            let limit: MoneyDocument?
            let scope: String
        }

        struct Delegation: Codable {
            let from: String
            let to: String
            let starts: String
            let ends: String
        }

        let levels: [Level]
        let delegations: [Delegation]
    }

    private struct RatesDocument: Codable {
        struct RateDocument: Codable {
            let category: String
            let district: String
            let year: Int
            let unitRate: MoneyDocument
            let kind: String
        }

        struct Category: Codable {
            let category: String
            let expenseAccount: String
            let receiptRequired: Bool
        }

        let rates: [RateDocument]
        let categories: [Category]
        let payableAccount: String
        let paymentAccounts: [String: String]
    }

    static func encode(_ matrix: ApprovalMatrix) throws -> String {
        let document = MatrixDocument(
            levels: matrix.levels.map {
                .init(role: $0.role.rawValue, limit: $0.limit.map(MoneyDocument.init), scope: $0.scope.rawValue)
            },
            delegations: matrix.delegations.map {
                .init(from: $0.from, to: $0.to, starts: $0.starts.description, ends: $0.ends.description)
            })
        return try text(document)
    }

    static func encode(_ rates: RateTable) throws -> String {
        let document = RatesDocument(
            rates: rates.rates.map {
                .init(category: $0.category.rawValue, district: $0.district, year: $0.year,
                      unitRate: MoneyDocument($0.unitRate), kind: $0.kind.rawValue)
            },
            categories: rates.categories.sorted { $0.key < $1.key }.map {
                .init(category: $0.key.rawValue, expenseAccount: $0.value.expenseAccount,
                      receiptRequired: $0.value.receiptRequired)
            },
            payableAccount: rates.payableAccount, paymentAccounts: rates.paymentAccounts)
        return try text(document)
    }

    static func matrix(_ text: String) throws -> ApprovalMatrix {
        let document = try JSONDecoder().decode(MatrixDocument.self, from: Data(text.utf8))
        return ApprovalMatrix(
            levels: try document.levels.map { level in
                guard let role = Role(rawValue: level.role), let scope = ApprovalLevel.Scope(rawValue: level.scope) else {
                    throw StoreError.corrupt("the approval matrix names role \(level.role) or scope \(level.scope)")
                }
                return ApprovalLevel(role: role, limit: try level.limit?.money(), scope: scope)
            },
            delegations: try document.delegations.map {
                Delegation(from: $0.from, to: $0.to, starts: try LedgerDate(parsing: $0.starts),
                           ends: try LedgerDate(parsing: $0.ends))
            })
    }

    static func rates(_ text: String) throws -> RateTable {
        let document = try JSONDecoder().decode(RatesDocument.self, from: Data(text.utf8))
        var categories: [ClaimCategory: CategoryAccounting] = [:]
        for item in document.categories {
            guard let category = ClaimCategory(rawValue: item.category) else {
                throw StoreError.corrupt("the rates name category \(item.category)")
            }
            categories[category] = CategoryAccounting(expenseAccount: item.expenseAccount, receiptRequired: item.receiptRequired)
        }
        return RateTable(
            rates: try document.rates.map { rate in
                guard let category = ClaimCategory(rawValue: rate.category), let kind = Rate.Kind(rawValue: rate.kind) else {
                    throw StoreError.corrupt("the rates name category \(rate.category) or kind \(rate.kind)")
                }
                return Rate(category: category, district: rate.district, year: rate.year,
                            unitRate: try rate.unitRate.money(), kind: kind)
            },
            categories: categories, payableAccount: document.payableAccount, paymentAccounts: document.paymentAccounts)
    }

    private static func text(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
