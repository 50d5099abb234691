import GRDB
import GRDBSQLite

/// A prepared statement driven through the SQLite C API, for the few hot insert paths
/// where GRDB's argument arrays cost more than the insert itself (see STACK.md: ~254k
/// rows/s with cached statements against ~776k rows/s raw).
///
/// Lives only inside one `Database` access closure; finalised when released.
final class RawStatement {
    private let connection: OpaquePointer
    private let handle: OpaquePointer
    private let sql: String

    init(_ db: Database, sql: String) throws {
        guard let connection = db.sqliteConnection else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "database connection is closed")
        }
        var handle: OpaquePointer?
        let code = sqlite3_prepare_v2(connection, sql, -1, &handle, nil)
        guard code == SQLITE_OK, let handle else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
        self.connection = connection
        self.handle = handle
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: String?) {
        guard let value else {
            sqlite3_bind_null(handle, index)
            return
        }
        var text = value
        text.withUTF8 { buffer in
            _ = sqlite3_bind_text(handle, index, buffer.baseAddress, Int32(buffer.count), sqliteTransient)
        }
    }

    func bind(_ index: Int32, bytes: [UInt8]?) {
        guard let bytes else {
            sqlite3_bind_null(handle, index)
            return
        }
        bytes.withUnsafeBytes { buffer in
            _ = sqlite3_bind_blob(handle, index, buffer.baseAddress, Int32(buffer.count), sqliteTransient)
        }
    }

    /// Binds `values[range]` to parameters 1…n, reading text and blobs in place from `bytes`
    /// (SQLITE_STATIC): the caller executes the statement before `bytes` goes away.
    func bind(_ values: ArraySlice<EncodedRows.Value>, bytes: UnsafeBufferPointer<UInt8>) {
        var index: Int32 = 1
        for value in values {
            switch value {
            case .null:
                sqlite3_bind_null(handle, index)
            case .integer(let integer):
                sqlite3_bind_int64(handle, index, integer)
            case .text(let start, let count):
                if let base = bytes.baseAddress {
                    let text = UnsafeRawPointer(base + start).assumingMemoryBound(to: CChar.self)
                    sqlite3_bind_text(handle, index, text, Int32(count), sqliteStatic)
                } else {
                    sqlite3_bind_text(handle, index, "", 0, sqliteTransient)
                }
            case .blob(let start, let count):
                if let base = bytes.baseAddress {
                    sqlite3_bind_blob(handle, index, base + start, Int32(count), sqliteStatic)
                } else {
                    sqlite3_bind_zeroblob(handle, index, 0)
                }
            }
            index += 1
        }
    }

    /// Rows changed by the last completed statement on this connection.
    var changes: Int { Int(sqlite3_changes(connection)) }

    /// Runs the statement to completion and resets it for the next use.
    /// - Throws: `DatabaseError` with SQLite's message (constraint, trigger, I/O).
    func execute() throws {
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
    }
}

/// SQLite copies bound values when given this destructor.
private let sqliteTransient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
/// SQLite reads bound values in place when given this destructor (a null pointer).
private let sqliteStatic: sqlite3_destructor_type? = nil
