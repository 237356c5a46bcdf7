import Foundation
import PostgresStore
import Synchronization
import TestSupport
import Testing

/// The PostgreSQL run lock of `skald mirror`: a session advisory lock on a connection of its own.
@Suite("PostgreSQL mirror lock", .enabled(if: TestPostgres.isWanted))
struct PostgresMirrorLockTests {
    @Test func aSecondRunWaitsUntilTheFirstReleases() async throws {
        let store = try await TestPostgres.makeStore()
        let first = try await PostgresMirrorLock.acquire(store: store, target: "fluxer:1", waiting: { _ in })
        // Another target is not held.
        let other = try await PostgresMirrorLock.acquire(store: store, target: "fluxer:2", waiting: { _ in })
        await other.release()

        let holders = Mutex<[String]>([])
        let (busy, signal) = AsyncStream.makeStream(of: Void.self)
        let second = Task {
            try await PostgresMirrorLock.acquire(
                store: store, target: "fluxer:1", waiting: { holder in holders.withLock { $0.append(holder) } },
                sleep: {
                    signal.yield(())
                    await Task.yield()
                })
        }
        // Waits on the event "the second run found the lock busy", then lets it go.
        for await _ in busy { break }
        #expect(holders.withLock { $0.count } == 1)
        #expect(holders.withLock { $0.first?.hasPrefix("server pid ") } == true)
        await first.release()
        let taken = try await second.value
        await taken.release()
        await store.shutdown()
    }
}
