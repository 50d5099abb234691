import GRDB
import LedgerCore

/// The physical floor the benchmarks compare the store against: plain rows inserted with
/// a raw prepared statement into a table with no index, trigger or check, in transactions
/// of the same size and with the same durability (`synchronous=FULL`, WAL) as the ledger.
public enum SQLiteBaseline {
    /// Inserts `rows` rows of (id, account, amount, currency, date) into a new database at
    /// `path`, committing every `rowsPerTransaction` rows. Returns the number of rows.
    /// - Throws: `DatabaseError` from SQLite.
    public static func insertRows(_ rows: Int, rowsPerTransaction: Int, path: String) throws -> Int {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try pool.write { db in
            try db.execute(sql: """
                CREATE TABLE raw_postings (entry_id INTEGER, account_id INTEGER, amount INTEGER, currency TEXT, entry_date TEXT)
                """)
        }
        var inserted = 0
        while inserted < rows {
            let chunk = min(rowsPerTransaction, rows - inserted)
            try pool.write { db in
                let statement = try RawStatement(db, sql: "INSERT INTO raw_postings VALUES (?1, ?2, ?3, ?4, ?5)")
                for index in 0..<chunk {
                    let row = Int64(inserted + index)
                    statement.bind(1, row / 2)
                    statement.bind(2, row % 197)
                    statement.bind(3, row % 2 == 0 ? 1_000_000 : -1_000_000)
                    statement.bind(4, "IDR")
                    statement.bind(5, "2024-06-15")
                    try statement.execute()
                }
            }
            inserted += chunk
        }
        try pool.close()
        return inserted
    }
}
