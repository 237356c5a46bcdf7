import ArchiveStore
import Bot
import DiscordModels
import Foundation
import Logging
import SQLiteStore
import Testing

/// Guild settings, the config file, the job schedule and job leases.
@Suite struct BotStateTests {
    static let guild = Snowflake<Guild>(1_200_000_000_000_000_001)

    @Test("settings merge over the defaults, persist across reopening, and keep their history")
    func settings() async throws {
        try await ClipsHarness.withTemporaryDirectory { dir in
            let defaults = Data(
                #"{"clip_kinds":["attachment","link"],"limits":{"max_mb":50,"per_day":10},"reaction":"🎬"}"#.utf8)
            do {
                let store = try SQLiteArchiveStore(path: dir + "/s.sqlite")
                try await store.setGuildSetting(
                    Self.guild, key: "reaction", value: GuildSettings.jsonValue("📼"), at: Date())
                try await store.setGuildSetting(
                    Self.guild, key: "limits", value: GuildSettings.jsonValue(#"{"max_mb":8}"#), at: Date())
                try await store.setGuildSetting(
                    Self.guild, key: "reaction", value: GuildSettings.jsonValue("false"), at: Date())
                try await store.setGuildSetting(Self.guild, key: "reaction", value: nil, at: Date())
                try await store.setGuildSetting(
                    Self.guild, key: "channels", value: GuildSettings.jsonValue("[1,2]"), at: Date())
            }
            let store = try SQLiteArchiveStore(path: dir + "/s.sqlite")
            let merged = try GuildSettings.merged(
                defaults: defaults, overrides: try await store.guildSettings(Self.guild))
            let object = try #require(try JSONSerialization.jsonObject(with: merged) as? [String: Any])
            #expect(object["reaction"] as? String == "🎬")
            #expect(object["clip_kinds"] as? [String] == ["attachment", "link"])
            #expect(object["channels"] as? [Int] == [1, 2])
            #expect(object["limits"] as? [String: Int] == ["max_mb": 8, "per_day": 10])
            let history = try await store.guildSettingChanges(Self.guild)
            #expect(history.map(\.key) == ["reaction", "limits", "reaction", "reaction", "channels"])
            #expect(history.map(\.newValue) == [#""📼""#, #"{"max_mb":8}"#, "false", nil, "[1,2]"])
            #expect(history[2].oldValue == #""📼""#)
            #expect(try await store.guildSettings(Snowflake(7)) == nil)
        }
    }

    @Test("the config file: YAML or JSON, unknown keys and bad jobs refused")
    func config() throws {
        let yaml = """
            database_url: sqlite:a.sqlite
            accounts:
              - {name: main, token: "t0k"}
            defaults:
              clip_kinds: [link]
              max_download_mb: 50
            jobs:
              - name: nightly-scan
                cron: "0 3 * * *"
                job: clips-scan
              - {name: vacuum, cron: "@weekly"}
              - {name: recheck, cron: "30 4 * * *", args: {days: 7}}
            clips: {downloader: yt-dlp}
            """
        let config = try BotConfig.parse(yaml)
        #expect(config.jobs.map(\.name) == ["nightly-scan", "vacuum", "recheck"])
        #expect(config.jobs.map(\.kind) == ["clips-scan", "vacuum", "recheck"])
        #expect(config.jobs[2].args == ["days": "7"])
        #expect(config.clipDownloader == "yt-dlp")
        #expect(try BotConfig.parse("jobs:\nclips: {}").jobs.isEmpty)  // an empty jobs key is no job
        let json = #"{"accounts":[],"jobs":[{"name":"store-verify","cron":"*/5 * * * *"}]}"#
        #expect(try BotConfig.parse(json).jobs.count == 1)
        for (bad, mention) in [
            ("acounts: []", "unknown key \"acounts\""), ("jobs: [{name: x, cron: '* * * * *'}]", "unknown job \"x\""),
            ("jobs: [{name: vacuum, cron: '61 * * * *'}]", "minute"), ("jobs: [{name: vacuum}]", "no cron"),
            ("jobs: [{name: vacuum, cron: '@daily'}, {name: vacuum, cron: '@hourly'}]", "two jobs"),
            ("defaults: {clip_kinds: link}", "clip_kinds takes a list"), ("defaults: {chanels: []}", "not a setting"),
            ("defaults: {channels: [general]}", "channels takes"),
            ("defaults: {max_download_mb: 0}", "max_download_mb"),
            ("defaults: {reaction: true}", "reaction takes"),
            ("jobs: [{name: export, cron: '@daily'}]", "export needs args.out"),
            ("jobs: [{name: recheck, cron: '@daily', args: {days: -3}}]", "args.days takes"),
            ("jobs: [{name: recheck, cron: '@daily', args: {day: 3}}]", "recheck takes no argument \"day\""),
            ("jobs: [{name: export, cron: '@daily', args: {out: x, window: month}}]", "args.window takes"),
            ("jobs: [{name: vacuum, cron: '@daily', args: {foo: 1}}]", "(it takes none)"),
            ("jobs: [{name: clips-scan, cron: '@daily', args: {guild: abc}}]", "args.guild takes"),
            ("jobs: [{name: vacuum, cron: '0 0 31 2 *'}]", "never fires"),
            // Read as "no job" and "no downloader" before.
            ("jobs: {name: vacuum, cron: '@daily'}", "jobs in the config must be a list"),
            ("clips: {downloadr: yt-dlp}", "unknown key \"downloadr\" in clips"),
            ("clips: {downloader: [yt-dlp]}", "clips.downloader in the config must be the name or path"),
        ] {
            #expect(throws: BotConfig.Problem.self) { try BotConfig.parse(bad) }
            #expect(((try? BotConfig.parse(bad)) == nil))
            do {
                _ = try BotConfig.parse(bad)
            } catch {
                #expect("\(error)".contains(mention), "\(error)")
            }
        }
    }

    @Test("a lease held by a process of this host that no longer runs is taken over, its run marked interrupted")
    func leaseOfAKilledProcessIsTakenOver() async throws {
        try await ClipsHarness.withTemporaryDirectory { dir in
            let store = try SQLiteArchiveStore(path: dir + "/k.sqlite")
            let job = JobDefinition(name: "nightly", cron: try CronExpression("@daily"), kind: "vacuum")
            let now = Date()
            // A bot killed (SIGKILL) during the job: its lease runs for hours more, its run never finished. Before,
            // the restarted bot skipped the job ("running elsewhere") until the lease expired.
            #expect(try await store.acquireJobLease("nightly", holder: "killed", until: now + 6 * 3600, now: now))
            try await store.recordJobRun(JobRun(job: "nightly", holder: "killed", startedAt: now - 60))
            func runner(_ holder: String) -> JobRunner {
                JobRunner(
                    jobs: [job], store: store, holder: holder, actions: ["vacuum": { _ in "ran" }],
                    health: BotHealth(), logger: ClipsHarness.logger, holderIsGone: { $0 == "killed" })
            }
            #expect(try await store.acquireJobLease("other", holder: "alive", until: now + 3600, now: now))
            let restarted = try #require(await runner("restarted").run(job))
            #expect(restarted.outcome == "succeeded")
            let runs = try await store.jobRuns(job: "nightly", limit: 10)
            let killed = try #require(runs.first { $0.holder == "killed" })
            #expect(killed.outcome == "interrupted" && killed.finishedAt != nil, "\(killed)")
            // A holder still running (or of another host) keeps its lease.
            let other = JobDefinition(name: "other", cron: try CronExpression("@daily"), kind: "vacuum")
            #expect(await runner("second").run(other) == nil)
        }
    }

    @Test("who holds a lease: this host's processes that no longer run are gone, others never")
    func leaseHolders() {
        let host = ProcessInfo.processInfo.hostName
        #expect(!JobLeaseHolder.isGone(JobLeaseHolder.current()))
        #expect(JobLeaseHolder.isGone("\(host):2147483647:0badf00d"))  // above any pid the kernel hands out
        #expect(!JobLeaseHolder.isGone("another-\(host):2147483647:0badf00d"))
        #expect(!JobLeaseHolder.isGone("\(host):\(ProcessInfo.processInfo.processIdentifier):x"))
        #expect(!JobLeaseHolder.isGone("a"))
        #expect(!JobLeaseHolder.isGone("\(host):abc:x"))
    }

    @Test("the known settings and the values each takes")
    func settingsSchema() {
        for (key, value) in [
            ("channels", [] as Any), ("channels", ["123", 456] as Any), ("clip_kinds", ["link", "embed"] as Any),
            ("max_download_mb", 50 as Any), ("max_download_mb", 2.5 as Any), ("reaction", "🎬" as Any),
            ("reaction", "clapper:123" as Any), ("reaction", "👍🏽" as Any), ("reaction", "🇳🇴" as Any),
            ("reaction", "1️⃣" as Any), ("reaction", "©️" as Any), ("reaction", "<a:party_blob:1234567890>" as Any),
            ("reaction", "<:clapper:123>" as Any), ("reaction", "👨‍👩‍👧" as Any),
        ] {
            #expect(GuildSettingsSchema.problem(key: key, value: value) == nil, "\(key)")
        }
        for (key, value) in [
            ("channels", ["abc"] as Any), ("channels", "123" as Any), ("channels", [true] as Any),
            ("clip_kinds", "link" as Any), ("clip_kinds", ["nope"] as Any), ("max_download_mb", -5 as Any),
            ("max_download_mb", "abc" as Any), ("max_download_mb", true as Any), ("reaction", "" as Any),
            ("reaction", 5 as Any), ("clip_kind", ["link"] as Any), ("reaction", "x" as Any),
            ("reaction", "not an emoji" as Any), ("reaction", "🎬🎬" as Any), ("reaction", "1" as Any),
            ("reaction", "clapper:" as Any), ("reaction", ":123" as Any), ("reaction", "a b:123" as Any),
        ] {
            #expect(GuildSettingsSchema.problem(key: key, value: value) != nil, "\(key) \(value)")
        }
    }

    @Test("the schedule hands out due jobs once and moves them to their next run, in virtual time")
    func schedule() throws {
        let start = ISO8601DateFormatter().date(from: "2026-11-26T12:00:00Z")!
        let jobs = [
            JobDefinition(name: "vacuum", cron: try CronExpression("*/10 * * * *")),
            JobDefinition(name: "recheck", cron: try CronExpression("0 13 * * *")),
        ]
        var schedule = JobSchedule(jobs: jobs, now: start)
        #expect(schedule.nextWake == start.addingTimeInterval(600))
        #expect(schedule.due(at: start.addingTimeInterval(599)).isEmpty)
        #expect(schedule.due(at: start.addingTimeInterval(600)).map(\.name) == ["vacuum"])
        #expect(schedule.due(at: start.addingTimeInterval(601)).isEmpty)
        // Missed runs (the process was busy for an hour) run once, not six times.
        #expect(schedule.due(at: start.addingTimeInterval(3_700)).map(\.name) == ["vacuum", "recheck"])
        #expect(schedule.nextRuns["vacuum"] == start.addingTimeInterval(4_200))
        schedule.replace(
            with: [jobs[0], JobDefinition(name: "recheck", cron: try CronExpression("0 15 * * *"))],
            now: start.addingTimeInterval(3_700))
        #expect(schedule.nextRuns["vacuum"] == start.addingTimeInterval(4_200))
        #expect(schedule.nextRuns["recheck"] == start.addingTimeInterval(3 * 3_600))
    }

    @Test("one instance per job: a second process finds the lease taken and skips; runs are recorded")
    func singleInstance() async throws {
        try await ClipsHarness.withTemporaryDirectory { dir in
            let first = try SQLiteArchiveStore(path: dir + "/j.sqlite")
            let second = try SQLiteArchiveStore(path: dir + "/j.sqlite")
            let job = JobDefinition(name: "nightly", cron: try CronExpression("@daily"), kind: "vacuum")
            let (entered, enteredSink) = AsyncStream.makeStream(of: Void.self)
            let (release, releaseSink) = AsyncStream.makeStream(of: Void.self)
            let blocking: JobRunner.Action = { _ in
                enteredSink.yield()
                for await _ in release { break }
                return "done"
            }
            let a = JobRunner(
                jobs: [job], store: first, holder: "a", actions: ["vacuum": blocking], health: BotHealth(),
                logger: ClipsHarness.logger)
            let b = JobRunner(
                jobs: [job], store: second, holder: "b", actions: ["vacuum": { _ in "b ran" }], health: BotHealth(),
                logger: ClipsHarness.logger)
            let running = Task { await a.run(job) }
            for await _ in entered { break }
            #expect(await b.run(job) == nil)
            releaseSink.yield()
            let finished = try #require(await running.value)
            #expect(finished.outcome == "succeeded")
            #expect(finished.detail == "done")
            let later = try #require(await b.run(job))
            #expect(later.outcome == "succeeded")
            let runs = try await first.jobRuns(job: "nightly", limit: 10)
            #expect(runs.count == 2)
            #expect(Set(runs.map(\.holder)) == ["a", "b"])
            #expect(runs.allSatisfy { $0.finishedAt != nil })
            // An expired lease is taken over.
            #expect(
                try await first.acquireJobLease("x", holder: "a", until: Date().addingTimeInterval(-1), now: Date()))
            #expect(
                try await second.acquireJobLease("x", holder: "b", until: Date().addingTimeInterval(60), now: Date()))
            #expect(
                !(try await first.acquireJobLease("x", holder: "a", until: Date().addingTimeInterval(60), now: Date())))
        }
    }

    @Test("a guild's clip_kinds and channels settings decide which live clips are kept")
    func clipPolicy() throws {
        func clip(_ kind: String, channel: UInt64) -> ClipRecord {
            ClipRecord(
                messageId: Snowflake(1), channelId: Snowflake(channel), guildId: Self.guild, authorId: nil, kind: kind,
                provider: "twitch", url: "https://clips.twitch.tv/x", detectedAt: Date())
        }
        let merged = try GuildSettings.merged(
            defaults: Data(#"{"clip_kinds":["attachment","link"]}"#.utf8),
            overrides: Data(#"{"channels":["5",6]}"#.utf8))
        let policy = ClipPolicy(settings: merged)
        #expect(policy.keeps(clip("link", channel: 5)))
        #expect(policy.keeps(clip("attachment", channel: 6)))
        #expect(!policy.keeps(clip("embed", channel: 5)))
        #expect(!policy.keeps(clip("link", channel: 7)))
        #expect(ClipPolicy(settings: Data("{}".utf8)) == .everything)
    }

    @Test("reaction is read as Create Reaction's route takes it, and max_download_mb as bytes")
    func reactionAndDownloadLimit() {
        let custom = ClipPolicy(settings: Data(#"{"reaction":"<a:clip:123>","max_download_mb":1.5}"#.utf8))
        #expect(custom.reaction == "clip:123")
        #expect(custom.maxDownloadBytes == 1_572_864)
        #expect(custom.downloadRefusal(size: 1_572_864) == nil)
        #expect(custom.downloadRefusal(size: 1_572_865)?.contains("over max_download_mb (1.5 MiB)") == true)
        #expect(ClipPolicy(settings: Data(#"{"reaction":"🎬"}"#.utf8)).reaction == "🎬")
        #expect(ClipPolicy(settings: Data("{}".utf8)).downloadRefusal(size: Int.max) == nil)
    }

    @Test("a failing job is recorded as failed with its error")
    func failingJob() async throws {
        let store = try SQLiteArchiveStore.inMemory()
        let health = BotHealth()
        let job = JobDefinition(name: "export", cron: try CronExpression("@daily"))
        let runner = JobRunner(
            jobs: [job], store: store, holder: "a", actions: ["export": { _ in throw JobError(message: "no out") }],
            health: health, logger: ClipsHarness.logger)
        let run = try #require(await runner.run(job))
        #expect(run.outcome == "failed")
        #expect(run.detail == "no out")
        #expect(health.snapshot.jobRuns == ["failed": 1])
        #expect(try await store.verifyIntegrity() == "quick_check ok")
    }
}
