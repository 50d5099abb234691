import GRDB
import LedgerCore

/// The physical floor the benchmarks compare the store against: rows of the same shape as
/// the ledger's (an entry row of 14 columns, then its posting rows of 11 columns), inserted
/// with raw prepared statements into tables with no index, trigger, check or foreign key,
/// in transactions of the same size and with the same durability (WAL, `synchronous=FULL`).
public enum SQLiteBaseline {
    /// Inserts one entry row and `postingsPerEntry[i]` posting rows for every entry into a
    /// new database at `path`, committing every `entriesPerTransaction` entries.
    /// - Returns: the number of posting rows inserted.
    /// - Throws: `DatabaseError` from SQLite.
    public static func insertRows(postingsPerEntry: [Int], entriesPerTransaction: Int, path: String) throws -> Int {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try pool.write { db in
            try db.execute(sql: """
                CREATE TABLE raw_entries (id INTEGER, fiscal_year INTEGER, sequence INTEGER, entry_date TEXT,
                    posted_at INTEGER, description TEXT, reference TEXT, source TEXT, author TEXT, idempotency_key TEXT,
                    body_digest BLOB, exchange_rate TEXT, reverses_id INTEGER, hash BLOB);
                CREATE TABLE raw_postings (entry_id INTEGER, line INTEGER, account_id INTEGER, amount INTEGER,
                    currency TEXT, district TEXT, budget_line TEXT, activity TEXT, funding_source TEXT, party TEXT, memo TEXT);
                """)
        }
        let hash = Array(repeating: UInt8(0xab), count: 32)
        var postings = 0
        var entry = 0
        while entry < postingsPerEntry.count {
            let end = min(entry + entriesPerTransaction, postingsPerEntry.count)
            try pool.write { db in
                let insertEntry = try RawStatement(db, sql: "INSERT INTO raw_entries VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)")
                let insertPosting = try RawStatement(db, sql: "INSERT INTO raw_postings VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")
                for index in entry..<end {
                    let id = Int64(index + 1)
                    insertEntry.bind(1, id)
                    insertEntry.bind(2, 2024)
                    insertEntry.bind(3, id)
                    insertEntry.bind(4, "2024-06-15")
                    insertEntry.bind(5, 1_718_409_600_000)
                    insertEntry.bind(6, "Benchmark expense \(index)")
                    insertEntry.bind(7, "PV-SBT-\(index)")
                    insertEntry.bind(8, "manual")
                    insertEntry.bind(9, "bench")
                    insertEntry.bind(10, nil as String?)
                    insertEntry.bind(11, bytes: nil)
                    insertEntry.bind(12, nil as String?)
                    insertEntry.bind(13, nil as Int64?)
                    insertEntry.bind(14, bytes: hash)
                    try insertEntry.execute()
                    for line in 0..<postingsPerEntry[index] {
                        insertPosting.bind(1, id)
                        insertPosting.bind(2, Int64(line))
                        insertPosting.bind(3, Int64(40 + line))
                        insertPosting.bind(4, line == 0 ? 1_000_000 : -1_000_000)
                        insertPosting.bind(5, "IDR")
                        insertPosting.bind(6, "SBT")
                        insertPosting.bind(7, "2.1")
                        insertPosting.bind(8, nil as String?)
                        insertPosting.bind(9, "JSDF-TF0B1234")
                        insertPosting.bind(10, nil as String?)
                        insertPosting.bind(11, nil as String?)
                        try insertPosting.execute()
                        postings += 1
                    }
                }
            }
            entry = end
        }
        try pool.close()
        return postings
    }
}
