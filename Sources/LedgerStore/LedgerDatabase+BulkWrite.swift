import GRDB

extension LedgerDatabase {
    /// Runs a bulk write — a large import — on the writer connection, set up so that
    /// millions of rows cost as little as their integrity allows. Two settings change for
    /// the duration, and both are put back before the connection serves anything else:
    ///
    /// - **Each new page reaches the disk once.** In WAL mode every page of an import is
    ///   written twice: into the WAL, then into the file by the checkpoint (on a 2.5M-posting
    ///   import, ~250 MB and ~0.8 s more). With a rollback journal, pages appended beyond the
    ///   file's old end need no journal copy; only the few existing pages the import touches
    ///   are journaled. The write is as atomic and durable (`synchronous=FULL`): a killed
    ///   process leaves a hot journal that the next open rolls back. SQLite refuses to leave
    ///   WAL mode while another connection has the file open; then the import runs in WAL
    ///   mode, and readers elsewhere keep reading during it. While the rollback journal is in
    ///   use, other processes that open the file wait for the import to end.
    /// - **Foreign keys are proved per chunk instead of per row.** SQLite's check is one
    ///   lookup per posting (~1 s of the writer's time on 2.5M postings); the import's
    ///   read-back (`EntryWriter.checkInsertedEntries`) proves the same for postings and
    ///   entries with set arithmetic, and `checkForeignKeys(ofCatalogTables:)` checks the
    ///   small tables before commit. Nothing dangling can be committed either way.
    ///
    /// The caller opens and commits the transaction inside `body`.
    func withBulkWriteConnection<T>(_ body: (Database) throws -> T) throws -> T {
        // Idle readers of this pool count as other connections: close them (reopened on demand).
        pool.invalidateReadOnlyConnections()
        return try pool.writeWithoutTransaction { db in
            let leftWAL = try leaveWALIfAlone(db)
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            let outcome = Result { try body(db) }
            // Every later write on this connection relies on foreign keys: this must succeed.
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            if leftWAL {
                // Should this fail, the next open restores WAL mode (GRDB sets it on every
                // writer connection it opens); until then readers wait instead of reading.
                _ = try? db.execute(sql: "PRAGMA journal_mode = WAL")
            }
            return try outcome.get()
        }
    }

    /// Switches to a rollback journal unless another connection has the file open.
    /// - Returns: true when the file left WAL mode.
    private func leaveWALIfAlone(_ db: Database) throws -> Bool {
        do {
            return try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE") == "delete"
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            return false  // another connection has the file open: stay in WAL mode
        }
    }

    /// The foreign keys of the tables a bulk write touches besides entries and postings
    /// (which `EntryWriter.checkInsertedEntries` covers), checked in full: they are small.
    /// - Throws: `StoreError.corrupt` naming the table of the first dangling reference.
    static func checkForeignKeys(ofCatalogTables db: Database) throws {
        for table in ["accounts", "balances", "daily_balances"] {
            if try Row.fetchOne(db, sql: "PRAGMA foreign_key_check(\(table))") != nil {
                throw StoreError.corrupt("a row of \(table) refers to a row that does not exist")
            }
        }
    }
}
