#ifndef NERACA_CSQLITECONFIG_H
#define NERACA_CSQLITECONFIG_H

/// Turns off SQLite's global memory statistics (SQLITE_CONFIG_MEMSTATUS), which take a
/// process-wide mutex on every allocation. Must run before SQLite is initialised; returns
/// SQLite's result code (SQLITE_MISUSE when it is too late, which is harmless).
///
/// A C shim because `sqlite3_config` is variadic and cannot be called from Swift.
int neraca_sqlite_disable_memory_statistics(void);

#endif
