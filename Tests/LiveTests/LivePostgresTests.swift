import ArchiveStore
import DiscordModels
import DiscordSimulator
import Foundation
import Live
import PostgresStore
import TestSupport
import Testing

/// Live capture into PostgreSQL (`SKALD_TEST_POSTGRES_URL`; under CI=true the tests run and fail without it).
@Suite("Live capture on PostgreSQL", .serialized, .timeLimit(.minutes(10)), .enabled(if: TestPostgres.isWanted))
struct LivePostgresTests {
    typealias H = LiveHarness

    @Test func liveEventsAndTheSessionCommitTogetherAndAStoppedWatchResumes() async throws {
        try await Self.withStore(schemaPrefix: "live_") { store in
            try await H.withSimulator(messages: 40) { sim in
                let signal = CommitSignal()
                let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0]
                let existing = await sim.truthMessageIDs(channel: channel)
                _ = try await LiveCaptureTests.watching(sim, store: store, signal: signal) {
                    try await signal.waitUntil { try await H.archiveMatchesTruth(sim, store) }
                    try await H.post(
                        sim, "/__sim/mutate",
                        ["op": "edit", "channelId": "\(channel)", "messageId": "\(existing[1])", "content": "pg edit"])
                    let doomed = ["\(existing[2])", "\(existing[3])"]
                    try await H.post(
                        sim, "/__sim/mutate", ["op": "bulkDelete", "channelId": "\(channel)", "messageIds": doomed])
                    try await signal.waitUntil {
                        try await store.deletionSource(of: existing[3], in: channel) == .live
                    }
                    #expect(try await store.revisions(of: existing[1], in: channel).count == 1)
                }
                let missed = try await H.create(sim, channel: channel, content: "while stopped")
                let second = try await LiveCaptureTests.watching(sim, store: store, signal: signal) {
                    try await signal.waitUntil { try await store.message(missed, in: channel) != nil }
                }
                #expect(second.resumes == 1)
                #expect(try await H.archiveMatchesTruth(sim, store))
                let session = try #require(try await store.gatewaySession("0/1"))
                #expect(session.sequence > 0)
            }
        }
    }

    /// The pins scenario of ``LiveCaptureTests/pinThenUnpinWhileWatching(_:store:)`` on PostgreSQL (its own
    /// `pinned_at` writes and reads).
    @Test func pinsAndUnpinsSeenLiveLeaveTheArchivesPinsEqualToThePinsRoute() async throws {
        try await Self.withStore(schemaPrefix: "live_pins_") { store in
            try await H.withSimulator(messages: 60) { sim in
                try await LiveCaptureTests.pinThenUnpinWhileWatching(sim, store: store)
            }
        }
    }

    /// The members scenario of ``LiveCaptureTests/membersChangeWhileWatching(_:store:)`` on PostgreSQL (its own
    /// member writes, left marks and listing).
    @Test func membersJoiningChangingAndLeavingReachTheArchivesMemberListLive() async throws {
        try await Self.withStore(schemaPrefix: "live_members_") { store in
            try await H.withSimulator(messages: 5) { sim in
                try await LiveCaptureTests.membersChangeWhileWatching(sim, store: store)
            }
        }
    }

    /// Runs `body` with a PostgreSQL store in a schema of its own, dropped afterwards whether `body` throws or not.
    static func withStore(schemaPrefix: String, _ body: (PostgresArchiveStore) async throws -> Void) async throws {
        let store = PostgresArchiveStore(configuration: try TestPostgres.configuration(schemaPrefix: schemaPrefix))
        do {
            try await body(store)
        } catch {
            try? await store.dropSchema()
            await store.shutdown()
            throw error
        }
        try? await store.dropSchema()
        await store.shutdown()
    }
}
