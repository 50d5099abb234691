import Foundation
import GRDB
import LedgerCore

/// A month whose books are closed, with who closed it and the chain head at that moment.
public struct ClosedPeriod: Hashable, Sendable {
    public let period: Period
    public let closedAt: Timestamp
    public let closedBy: String
    public let chainHead: EntryHash
}

extension LedgerDatabase {
    /// Closes a month: from now on, entries dated inside it are refused. Records who closed
    /// it, when, and the hash-chain head, so an auditor can tell what the books held.
    /// - Throws: `periodAlreadyClosed`; `periodNotEnded` while the month is not over on
    ///   `now`'s UTC date; `textEmpty` for a blank `by`.
    public func close(_ period: Period, by person: String, now: Timestamp) throws -> ClosedPeriod {
        let closer = TextRules.cleaned(person)
        try TextRules.check(closer, field: "by", max: Limits.nameLengthMax)
        return try pool.write { db in
            _ = try catalog(db)
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM closed_periods WHERE period = ?", arguments: [period.description]) == true {
                throw LedgerError.periodAlreadyClosed(period: period)
            }
            guard let today = now.utcDate, period.lastDay < today else { throw LedgerError.periodNotEnded(period: period) }
            let head = try Row.fetchOne(db, sql: "SELECT id, hash FROM entries ORDER BY id DESC LIMIT 1")
            let headHash = try head.map { try EntryHash.stored($0["hash"], "the last entry") } ?? .genesis
            let lastID: Int64 = head?["id"] ?? 0
            try db.execute(
                sql: "INSERT INTO closed_periods (period, closed_at, closed_by, chain_head, last_entry_id) VALUES (?, ?, ?, ?, ?)",
                arguments: [period.description, now.millisecondsSince1970, closer, Data(headHash.bytes), lastID])
            return ClosedPeriod(period: period, closedAt: now, closedBy: closer, chainHead: headHash)
        }
    }

    /// Every closed month, oldest first.
    public func closedPeriods() throws -> [ClosedPeriod] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM closed_periods ORDER BY period").map { row in
                ClosedPeriod(
                    period: try Period(parsing: row["period"]),
                    closedAt: Timestamp(millisecondsSince1970: row["closed_at"]),
                    closedBy: row["closed_by"], chainHead: try EntryHash.stored(row["chain_head"], "a closed period"))
            }
        }
    }
}
