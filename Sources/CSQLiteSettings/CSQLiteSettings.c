// Debian's libsqlite3 is built with SQLITE_DEFAULT_MEMSTATUS=1: every allocation and free takes a global mutex to
// count the bytes in use, a statistic Skald never reads (no soft or hard heap limit is set). Off, the writer alone
// spent 7% fewer instructions in a C harness. `sqlite3_config` only works before SQLite initializes (the first
// `sqlite3_open_v2` does that), and `sqlite3_config` is variadic, which Swift cannot call: hence this file, and a
// constructor, so that the call comes before any thread of the process can open a database.
#include "CSQLiteSettings.h"

#include <sqlite3.h>

static int memory_statistics_result = -1;

int skald_sqlite_memory_statistics_off(void) {
    if (memory_statistics_result == -1) {
        memory_statistics_result = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    }
    return memory_statistics_result;
}

int64_t skald_sqlite_memory_counted(void) { return sqlite3_memory_used(); }

__attribute__((constructor)) static void skald_sqlite_settings_at_load(void) {
    skald_sqlite_memory_statistics_off();
}
