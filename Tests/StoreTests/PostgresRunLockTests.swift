import Foundation
import PostgresStore
import Synchronization
import TestSupport
import Testing

/// The PostgreSQL run lock of `skald mirror`: a session advisory lock on a connection of its own.
@Suite("PostgreSQL run lock", .enabled(if: TestPostgres.isWanted))
struct PostgresRunLockTests {
    @Test func aSecondRunWaitsUntilTheFirstReleases() async throws {
        let store = try await TestPostgres.makeStore()
        let first = try await PostgresRunLock.acquire(store: store, target: "fluxer:1", waiting: { _ in })
        // Another target is not held.
        let other = try await PostgresRunLock.acquire(store: store, target: "fluxer:2", waiting: { _ in })
        await other.release()

        let holders = Mutex<[String]>([])
        let (busy, signal) = AsyncStream.makeStream(of: Void.self)
        let second = Task {
            try await PostgresRunLock.acquire(
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

    /// A watch's lock (per gateway session) is another key than a mirror's of the same name, and a `waiting` that
    /// throws gives up at once instead of waiting: what `skald watch` does when another capture holds its session.
    @Test func aWatchLockGivesUpWhenWaitingThrows() async throws {
        struct Refused: Error {}
        let store = try await TestPostgres.makeStore()
        let first = try await PostgresRunLock.acquire(store: store, kind: .watch, target: "0/1", waiting: { _ in })
        let mirror = try await PostgresRunLock.acquire(store: store, kind: .mirror, target: "0/1", waiting: { _ in })
        await mirror.release()
        await #expect(throws: Refused.self) {
            try await PostgresRunLock.acquire(
                store: store, kind: .watch, target: "0/1", waiting: { _ in throw Refused() })
        }
        await first.release()
        let again = try await PostgresRunLock.acquire(
            store: store, kind: .watch, target: "0/1", waiting: { _ in throw Refused() })
        await again.release()
        await store.shutdown()
    }
}
