import ArchiveStore
import DiscordModels
import DiscordSimulator
import Foundation
import Live
import PostgresStore
import SkaldConfiguration
import Testing

/// Live capture into PostgreSQL (`SKALD_TEST_POSTGRES_URL`; under CI=true the tests run and fail without it).
@Suite("Live capture on PostgreSQL", .serialized, .timeLimit(.minutes(3)), .enabled(if: LivePostgres.isWanted))
struct LivePostgresTests {
    typealias H = LiveHarness

    @Test func liveEventsAndTheSessionCommitTogetherAndAStoppedWatchResumes() async throws {
        let store = PostgresArchiveStore(configuration: try LivePostgres.freshConfiguration())
        do {
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
        } catch {
            try? await store.dropSchema()
            await store.shutdown()
            throw error
        }
        try? await store.dropSchema()
        await store.shutdown()
    }
}

enum LivePostgres {
    static var url: String? {
        ProcessInfo.processInfo.environment["SKALD_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var isWanted: Bool { url != nil || ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Settings for a new, uniquely named schema of the test database.
    static func freshConfiguration() throws -> PostgresArchiveStore.Configuration {
        guard let url, case .postgres(let location) = try DatabaseLocation(parsing: url) else {
            throw LiveHarnessError(description: "SKALD_TEST_POSTGRES_URL is not set to a postgres:// URL")
        }
        var configuration = PostgresArchiveStore.Configuration(location: location)
        configuration.schema = "live_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        configuration.poolSize = 4
        return configuration
    }
}

struct LiveHarnessError: Error, CustomStringConvertible {
    var description: String
}
