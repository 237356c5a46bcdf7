import CSQLiteSettings

/// SQLite's process-wide settings (`sqlite3_config`), which only take effect before SQLite initializes.
///
/// `CSQLiteSettings` makes them from a constructor, before `main`; every path that opens an archive also asks for
/// them here first (a no-op by then), which keeps that object file linked into every binary that opens one.
enum SQLiteProcessSettings {
    /// `sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0)`'s result: `SQLITE_OK` (0) when the statistics are off.
    static let memoryStatisticsResult: Int32 = skald_sqlite_memory_statistics_off()

    /// Makes the settings if nothing has yet (before the first connection opens).
    static func apply() { _ = memoryStatisticsResult }

    /// The bytes SQLite counts as allocated: stays 0 while its memory statistics are off.
    static var countedMemory: Int64 { skald_sqlite_memory_counted() }
}
