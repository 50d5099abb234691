import GRDB

/// The same calls as GRDB's `fetchOne(db, sql:arguments:)` and `execute(sql:arguments:)`,
/// through statements kept prepared on the connection. Every write runs the same few
/// dozen statements (catalogue version, chain head, numbering, claim state, events…), and
/// preparing them again each time cost more than running them (perf on the claims
/// benchmark: ~35 % of the CPU in statement preparation and its authorizer).
/// Only for SQL text that never varies: the cache is keyed by the text.
extension Database {
    func cachedRow(sql: String, arguments: StatementArguments = []) throws -> Row? {
        try Row.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }

    func cachedRows(sql: String, arguments: StatementArguments = []) throws -> [Row] {
        try Row.fetchAll(cachedStatement(sql: sql), arguments: arguments)
    }

    func cachedValue<Value: DatabaseValueConvertible & StatementColumnConvertible>(
        _ type: Value.Type, sql: String, arguments: StatementArguments = []
    ) throws -> Value? {
        try Value.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }

    func cachedValues<Value: DatabaseValueConvertible & StatementColumnConvertible>(
        _ type: Value.Type, sql: String, arguments: StatementArguments = []
    ) throws -> [Value] {
        try Value.fetchAll(cachedStatement(sql: sql), arguments: arguments)
    }

    func cachedExecute(sql: String, arguments: StatementArguments = []) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
