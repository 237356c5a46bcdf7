import ArchiveStore
import Bot
import DiscordModels
import Foundation
import PostgresStore
import TestSupport
import Testing

/// The bot's state on PostgreSQL: two stores on one schema stand for two bot processes.
@Suite(.enabled(if: TestPostgres.isWanted))
struct BotPostgresTests {
    /// Two stores on one new schema; dropped afterwards.
    static func withTwoStores(_ body: (PostgresArchiveStore, PostgresArchiveStore) async throws -> Void) async throws {
        let configuration = try TestPostgres.configuration(schemaPrefix: "test_bot_", poolSize: 2)
        let first = try await PostgresArchiveStore.connect(configuration)
        let second = try await PostgresArchiveStore.connect(configuration)
        do {
            try await body(first, second)
        } catch {
            await second.shutdown()
            try? await first.dropSchema()
            await first.shutdown()
            throw error
        }
        await second.shutdown()
        try await first.dropSchema()
        await first.shutdown()
    }

    @Test("one instance of a job under two processes on PostgreSQL")
    func singleInstance() async throws {
        try await Self.withTwoStores { first, second in
            let job = JobDefinition(name: "nightly", cron: try CronExpression("@daily"), kind: "vacuum")
            let (entered, enteredSink) = AsyncStream.makeStream(of: Void.self)
            let (release, releaseSink) = AsyncStream.makeStream(of: Void.self)
            let a = JobRunner(
                jobs: [job], store: first, holder: "a",
                actions: [
                    "vacuum": { _ in
                        enteredSink.yield()
                        for await _ in release { break }
                        return "a ran"
                    }
                ], health: BotHealth(), logger: ClipsHarness.logger)
            let b = JobRunner(
                jobs: [job], store: second, holder: "b", actions: ["vacuum": { _ in "b ran" }], health: BotHealth(),
                logger: ClipsHarness.logger)
            let running = Task { await a.run(job) }
            for await _ in entered { break }
            #expect(await b.run(job) == nil)
            releaseSink.yield()
            #expect(try #require(await running.value).detail == "a ran")
            #expect(try #require(await b.run(job)).detail == "b ran")
            let runs = try await first.jobRuns(job: "nightly", limit: 10)
            #expect(runs.map(\.outcome) == ["succeeded", "succeeded"])
            #expect(Set(runs.map(\.holder)) == ["a", "b"])
            // Both race for a free lease: exactly one gets it.
            let until = Date().addingTimeInterval(60)
            async let one = first.acquireJobLease("race", holder: "a", until: until, now: Date())
            async let two = second.acquireJobLease("race", holder: "b", until: until, now: Date())
            let won = try await [one, two].filter { $0 }
            #expect(won.count == 1)
            // Who won is what either process reads.
            let holder = try await first.jobLeaseHolder("race")
            #expect(holder == "a" || holder == "b")
            #expect(try await second.jobLeaseHolder("race") == holder)
            #expect(try await first.jobLeaseHolder("nobody") == nil)
            try await first.vacuum()
        }
    }

    @Test("settings as jsonb, merged over defaults, history kept; clips and scan runs round-trip")
    func settingsAndClips() async throws {
        try await Self.withTwoStores { store, other in
            let guild = Snowflake<Guild>(42)
            try await store.setGuildSetting(guild, key: "clip_kinds", value: Data(#"["link"]"#.utf8), at: Date())
            try await other.setGuildSetting(guild, key: "reaction", value: Data(#""📼""#.utf8), at: Date())
            let merged = try GuildSettings.merged(
                defaults: Data(#"{"reaction":"🎬","max_download_mb":50}"#.utf8),
                overrides: try await store.guildSettings(guild))
            let object = try #require(try JSONSerialization.jsonObject(with: merged) as? [String: Any])
            #expect(object["clip_kinds"] as? [String] == ["link"])
            #expect(object["reaction"] as? String == "📼")
            #expect(object["max_download_mb"] as? Int == 50)
            #expect(try await store.guildSettingChanges(guild).map(\.key) == ["clip_kinds", "reaction"])

            let clip = ClipRecord(
                messageId: Snowflake(7), channelId: Snowflake(8), guildId: guild, authorId: Snowflake(9), kind: "link",
                provider: "twitch", url: "https://clips.twitch.tv/BarsAmazingClip42", detectedAt: Date())
            try await store.recordClips([clip, clip])
            #expect(try await other.clips(guild: guild, kind: "link").map(\.url) == [clip.url])
            #expect(try await other.clips(guild: nil, kind: "attachment").isEmpty)
            var run = ClipScanRun(guildId: guild, channelIds: [Snowflake(8)], since: nil, startedAt: Date())
            run.cursors[Snowflake(8)] = Snowflake(7)
            try await store.saveClipScan(run)
            run.status = .finished
            try await store.saveClipScan(run)
            let scans = try await other.clipScans(limit: 5)
            #expect(scans.count == 1)
            #expect(scans.first?.status == .finished)
            #expect(scans.first?.cursors == [Snowflake(8): Snowflake(7)])
        }
    }
}
