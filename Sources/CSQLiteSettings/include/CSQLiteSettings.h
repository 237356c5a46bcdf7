// Process-wide SQLite settings that must be made before SQLite initializes (`sqlite3_config`), for SQLiteStore.
#ifndef SKALD_CSQLITESETTINGS_H
#define SKALD_CSQLITESETTINGS_H

#include <stdint.h>

/// Turns SQLite's memory statistics off for the process, once; returns `sqlite3_config`'s result (0, SQLITE_OK,
/// when it took effect; 21, SQLITE_MISUSE, when SQLite was already initialized). Runs at load, before `main`.
int skald_sqlite_memory_statistics_off(void);

/// The bytes SQLite's allocator counts as in use (`sqlite3_memory_used`): 0 while the statistics are off.
int64_t skald_sqlite_memory_counted(void);

#endif
