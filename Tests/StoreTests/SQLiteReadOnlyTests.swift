import ArchiveStore
import Foundation
import TestSupport
import Testing

@testable import SQLiteStore

/// Reading an archive where SQLite cannot create the `-shm` index (a read-only folder or mount): `stats`, `export`
/// and `serve` open it as immutable, which reads the main file alone.
@Suite struct SQLiteReadOnlyTests {
    /// With committed pages still in the `-wal` (every archive a run just wrote), an immutable read would see the file
    /// without them: an older archive, or (all of it in the WAL) "not a Skald archive". It is refused with what to do.
    @Test func writesStillInTheWALAreNotReadAsAnOlderArchive() async throws {
        try await TemporaryDirectory.withURL(prefix: "store-tests") { directory in
            let path = directory.appendingPathComponent("a.sqlite").path
            let writer = try SQLiteArchiveStore(path: path)
            try await writer.storeMessagePage(
                MessagePage(channelId: Fixture.channel, guildId: nil, messages: [try Fixture.message(1)]))
            let error = #expect(throws: ArchiveStoreError.self) {
                try SQLiteArchiveStore.openForReading(path: path, configuration: .init(), plainFirst: false)
            }
            #expect(error?.isUnsupportedOperation == true)
            #expect(error?.message.contains("\(path)-wal") == true)
            // Once the WAL is folded into the file, the immutable read sees the whole archive.
            try await writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            let reader = try SQLiteArchiveStore.openForReading(path: path, configuration: .init(), plainFirst: false)
            #expect(try await reader.stats().messages == 1)
        }
    }
}
