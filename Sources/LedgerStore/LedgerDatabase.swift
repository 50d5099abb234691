import CSQLiteConfig
import FraudRules
import GRDB
import LedgerCore
import Synchronization

/// Process-wide SQLite settings, applied once before the first connection opens.
private let sqliteConfigured: Bool = {
    _ = neraca_sqlite_disable_memory_statistics()
    return true
}()

/// The one door to a ledger file. Every write is an intent-named method running in one
/// SQLite transaction (GRDB `AppDatabase` style); nothing above this module speaks SQL.
///
/// The file is opened in WAL mode with `synchronous=FULL` and foreign keys on, and its
/// schema is brought up to date by frozen migrations.
public final class LedgerDatabase: Sendable {
    let pool: DatabasePool
    /// The path of the SQLite file.
    public let path: String
    private let cachedCatalog = Mutex<LedgerCatalog?>(nil)
    /// The anti-fraud policy in force and its row id: decoded again only when a new one is set.
    let cachedFraudPolicy = Mutex<(id: Int64, policy: FraudPolicy)?>(nil)
    /// Shares one commit among the claim writes that arrive together (`GroupCommit`).
    let groupCommit = GroupCommit()

    /// Opens (creating if needed) the SQLite file at `path` and migrates its schema.
    /// - Throws: `DatabaseError` when the file cannot be opened or is not a Neraca ledger.
    public init(path: String) throws {
        _ = sqliteConfigured
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        // As many readers as the admin server has store threads: reads never wait for each other.
        configuration.maximumReaderCount = 12
        configuration.prepareDatabase { db in
            // Statement journals (kept by multi-row inserts) and temporary b-trees stay in
            // memory instead of temporary files.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // 64 MiB of page cache: a large import spills fewer pages to the WAL mid-transaction.
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        self.path = path
        try LedgerSchema.migrator.migrate(pool)
    }

    /// Creates the ledger described by `profile` in an empty database, in one transaction.
    /// - Throws: `StoreError.alreadyInitialized` if the file already holds a ledger.
    public func initialize(_ profile: LedgerProfile, now: Timestamp) throws {
        try pool.write { db in
            if let existing = try String.fetchOne(db, sql: "SELECT name FROM ledger_meta WHERE id = 1") {
                throw StoreError.alreadyInitialized(name: existing)
            }
            try db.execute(
                sql: """
                    INSERT INTO ledger_meta (id, name, organisation, base_currency, fiscal_start_month, created_at)
                    VALUES (1, ?, ?, ?, ?, ?)
                    """,
                arguments: [profile.name, profile.organisation, profile.baseCurrency.code,
                            profile.fiscalCalendar.startMonth, now.millisecondsSince1970])
            for district in profile.districts {
                try db.execute(
                    sql: "INSERT INTO districts (code, name_en, name_id, province) VALUES (?, ?, ?, ?)",
                    arguments: [district.code, district.nameEn, district.nameId, district.province])
            }
            for source in profile.fundingSources {
                try db.execute(
                    sql: "INSERT INTO funding_sources (code, name, currency, starts_on, ends_on) VALUES (?, ?, ?, ?, ?)",
                    arguments: [source.code, source.name, source.currency?.code,
                                source.startsOn?.description, source.endsOn?.description])
            }
            var ids: [String: Int64] = [:]
            for account in profile.chart.accounts {
                try AccountInsert.insert(account, parentID: account.parentCode.flatMap { ids[$0] }, now: now, in: db)
                ids[account.code] = db.lastInsertedRowID
            }
        }
    }

    /// The catalogue for a write or read on `db`, reloaded only when it changed.
    func catalog(_ db: Database) throws -> LedgerCatalog {
        let version = try LedgerCatalog.currentVersion(db)
        if let cached = cachedCatalog.withLock({ $0 }), cached.version == version {
            return cached
        }
        let loaded = try LedgerCatalog.load(db)
        cachedCatalog.withLock { $0 = loaded }
        return loaded
    }

    /// Copies the whole ledger into a new SQLite file with SQLite's online backup, while
    /// the ledger stays usable. The copy is a complete, consistent ledger.
    /// - Throws: `StoreError.backupDestinationExists` rather than overwrite a file.
    public func backup(to destinationPath: String) throws {
        if FileCheck.exists(destinationPath) { throw StoreError.backupDestinationExists(path: destinationPath) }
        let destination = try DatabaseQueue(path: destinationPath)
        try pool.backup(to: destination)
        try destination.close()
    }
}
