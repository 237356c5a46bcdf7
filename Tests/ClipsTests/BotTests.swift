import Archive
import ArchiveStore
import Bot
import DiscordModels
import DiscordSimulator
import Foundation
import Hummingbird
import Live
import SQLiteStore
import TestSupport
import Testing

/// `skald bot` in process: a clip posted while it runs is saved; /healthz follows the gateway.
@Suite struct BotTests {
    /// A running bot: its live capture, clip saver and HTTP surface.
    struct RunningBot {
        let health: BotHealth
        let capture: LiveCapture
        let bot: BotService
        let service: Task<Void, any Error>
        let http: Task<Void, any Error>
        let port: Int

        func stop() async throws {
            capture.stop()
            try await service.value
            http.cancel()
            _ = try? await http.value
        }
    }

    static func startBot(_ sim: SimulatorServer, store: any BotStore, media: String? = nil) async throws
        -> RunningBot
    {
        let health = BotHealth()
        var archive = ClipsHarness.archiveConfiguration(sim)
        if let media {
            archive.media = true
            archive.mediaDirectory = media
        }
        let mediaArchive = archive
        var download: ClipSaver.MediaDownload?
        if media != nil {
            download = { @Sendable refusal in
                try await ArchiveEngine(
                    configuration: mediaArchive, store: store, observer: SilentArchiveObserver(),
                    logger: ClipsHarness.logger
                ).downloadMedia(refusing: refusal).downloaded
            }
        }
        let saver = ClipSaver(store: store, health: health, logger: ClipsHarness.logger, downloadMedia: download)
        var live = LiveConfiguration(archive: archive)
        live.session.invalidSessionDelay = 0...0
        live.onGatewayConnection = { connected in health.gateway(connected: connected) }
        live.marksClips = true
        let capture = LiveCapture(
            configuration: live, store: store, observer: BotObserver(saver: saver, next: SilentLiveObserver()),
            logger: ClipsHarness.logger)
        let service = BotService(captures: [capture], saver: saver)
        let serviceTask = Task { try await service.run() }
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let app = BotHTTP.makeApplication(host: "127.0.0.1", port: 0, health: health, logger: ClipsHarness.logger) {
            portSink.yield($0)
        }
        let http = Task { try await app.runService() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        return RunningBot(
            health: health, capture: capture, bot: service, service: serviceTask, http: http, port: port)
    }

    /// Runs `body` with a bot started on a simulated world of `messages` per channel and connected to its gateway.
    static func withConnectedBot(
        messages: Int, _ body: (SimulatorServer, SQLiteArchiveStore, RunningBot) async throws -> Void
    ) async throws {
        try await ClipsHarness.withTemporaryDirectory { dir in
            try await ClipsHarness.withSimulator(messages: messages) { sim in
                let store = try SQLiteArchiveStore(path: dir + "/b.sqlite")
                let bot = try await Self.startBot(sim, store: store)
                await bot.health.waitUntil { $0.gatewayConnected }
                try await body(sim, store, bot)
            }
        }
    }

    @Test("a Twitch clip posted through /__sim/mutate is saved while the bot runs; SIGTERM's path loses nothing")
    func liveClipSaved() async throws {
        try await Self.withConnectedBot(messages: 60) { sim, store, bot in
            // The catch-up scan found the generated clips.
            let truth = try await ClipsHarness.truthClips(sim)
            await bot.health.waitUntil { $0.clipsSaved >= truth.count }
            let channel = try #require(await ClipsHarness.readableTextChannel(sim))
            let saved = bot.health.snapshot.clipsSaved
            let created = try await ClipsHarness.post(
                sim, "/__sim/mutate",
                [
                    "op": "create", "channelId": "\(channel)",
                    "content": "look at this https://clips.twitch.tv/BarsAmazingClip42",
                ])
            await bot.health.waitUntil { $0.clipsSaved > saved }
            // Saved from the live event, not a later scan (latency is a bench figure, not a timed assertion).
            // An edit that adds a clip is saved too.
            let id = try #require(created["id"] as? String)
            try await ClipsHarness.post(
                sim, "/__sim/mutate",
                [
                    "op": "edit", "channelId": "\(channel)", "messageId": id,
                    "content": "and https://streamable.com/moo42 https://clips.twitch.tv/BarsAmazingClip42",
                ])
            await bot.health.waitUntil { $0.clipsSaved > saved + 1 }
            try await bot.stop()
            let clips = try await store.clips(guild: nil, kind: "link").filter { $0.messageId.description == id }
            #expect(clips.map(\.provider).sorted() == ["streamable", "twitch"])
            #expect(clips.allSatisfy { $0.channelId == channel && $0.guildId == sim.guildIDs[0] })
            let all = try await store.clips(guild: nil, kind: nil)
            #expect(Set(ClipsHarness.lines(all)).isSuperset(of: truth))
        }
    }

    @Test("cancelled with its service group (another service failed), the capture reports no gateway failure")
    func cancelledCaptureIsNoFailure() async throws {
        try await Self.withConnectedBot(messages: 20) { _, _, bot in
            // What ServiceGroup does when another service fails: it cancels every service's task.
            bot.service.cancel()
            _ = try? await bot.service.value
            bot.http.cancel()
            _ = try? await bot.http.value
            #expect(bot.bot.failure.withLockedValue { $0 } == nil)
        }
    }

    @Test("with media, attachment clips are stored content-addressed and listed with their hash and path")
    func attachmentClipFiles() async throws {
        try await ClipsHarness.withTemporaryDirectory { dir in
            try await ClipsHarness.withSimulator(messages: 60) { sim in
                let store = try SQLiteArchiveStore(path: dir + "/m.sqlite")
                let bot = try await Self.startBot(sim, store: store, media: dir + "/media")
                let truth = try await ClipsHarness.truthClips(sim)
                await bot.health.waitUntil { $0.clipsSaved >= truth.count }
                try await bot.stop()
                let files = try await store.clips(guild: nil, kind: "attachment")
                #expect(!files.isEmpty)
                for clip in files {
                    let path = try #require(clip.path)
                    let sha = try #require(clip.sha256)
                    #expect(path.contains(sha))
                    #expect(FileManager.default.fileExists(atPath: dir + "/media/" + path))
                }
            }
        }
    }

    @Test("/healthz answers 200 while the gateway is connected and 503 with the reason once it is cut")
    func healthFollowsGateway() async throws {
        try await ClipsHarness.withTemporaryDirectory { dir in
            let config = SimulatorConfiguration.testWorld(seed: 29, channels: 2, messages: 20, threads: 6)
            let sim = try await SimulatorServer.start(config)
            let store = try SQLiteArchiveStore(path: dir + "/h.sqlite")
            let bot = try await Self.startBot(sim, store: store)
            let healthz = "http://127.0.0.1:\(bot.port)/healthz"
            // No 503 check before the first READY: the bot connects while its HTTP port opens, so the answer then
            // depends on which comes first (it failed a run). The not-connected answer is checked after the cut.
            await bot.health.waitUntil { $0.gatewayConnected }
            #expect(try await ClipsHarness.status(healthz) == 200)
            let metrics = try await ClipsHarness.text("http://127.0.0.1:\(bot.port)/metrics")
            #expect(metrics.contains("skald_bot_gateway_connected 1"))
            await sim.shutdown()
            await bot.health.waitUntil { !$0.gatewayConnected }
            #expect(try await ClipsHarness.status(healthz) == 503)
            let body = try await ClipsHarness.getJSON(healthz) as? [String: Any]
            #expect(body?["reason"] as? String == "gateway not connected")
            try await bot.stop()
        }
    }
}

/// Link clips fetched with a downloader (a fake yt-dlp script: nothing reaches the internet).
@Suite struct LinkClipDownloaderTests {
    /// Writes a fake yt-dlp at `dir/yt-dlp`: it reads `-o` into `$out` (with `%(ext)s` to fill), `--max-filesize`
    /// into `$limit` and the URL into `$url`, then runs `body`. Returns its path.
    static func fakeDownloader(in dir: String, _ body: String) throws -> String {
        let script = dir + "/yt-dlp"
        try """
        #!/bin/sh
        limit=""
        while [ $# -gt 1 ]; do
          if [ "$1" = "-o" ]; then out="$2"; shift; fi
          if [ "$1" = "--max-filesize" ]; then limit="$2"; shift; fi
          shift
        done
        url="$1"
        out="$(echo "$out" | sed 's/%(ext)s/mp4/')"
        \(body)
        """.write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        return script
    }

    @Test("clips.downloader: the link clip's file is stored content-addressed and recorded on the clip")
    func fakeDownloader() async throws {
        try await ClipsHarness.withTemporaryDirectory { dir in
            // Writes the URL's bytes where -o says, with ext mp4.
            let script = try Self.fakeDownloader(
                in: dir,
                """
                case "$url" in *fail*) exit 1;; esac
                printf 'video of %s' "$url" > "$out"
                """)
            let store = try SQLiteArchiveStore(path: dir + "/l.sqlite")
            let health = BotHealth()
            let saver = ClipSaver(
                store: store, health: health, logger: ClipsHarness.logger,
                linkDownloader: LinkClipDownloader(executable: script, directory: dir + "/media"))
            // The saver's own path: a page committed with its clip marks, clips recorded, link clips fetched.
            let running = Task { await saver.run() }
            let message = try Decoded<Message>(
                decoding: ClipDetectorTests.message(
                    content: "https://streamable.com/moo42 and https://streamable.com/fail"))
            var batch = LiveBatch(at: Date())
            batch.pages = [MessagePage(channelId: message.value.channelId, guildId: nil, messages: [message])]
            batch.marksClips = true
            try await store.storeLiveBatch(batch)
            saver.stored(batch.pages)
            saver.finish()
            await running.value
            let clips = try await store.clips(guild: nil, kind: "link")
            #expect(clips.count == 2)
            let stored = try #require(clips.first { $0.url == "https://streamable.com/moo42" })
            let path = try #require(stored.path)
            #expect(path.hasSuffix(".mp4"))
            #expect(path.contains(try #require(stored.sha256)))
            let bytes = try String(contentsOfFile: dir + "/media/" + path, encoding: .utf8)
            #expect(bytes == "video of https://streamable.com/moo42")
            #expect(clips.first { $0.url == "https://streamable.com/fail" }?.path == nil)
            #expect(health.snapshot.filesSaved == 1)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir + "/media").filter {
                $0.hasPrefix(".partial")
            }
            #expect(leftovers.isEmpty)
            #expect(LinkClipDownloader(executable: "no-such-downloader-13", directory: dir).resolvedExecutable() == nil)
        }
    }
}

extension LinkClipDownloaderTests {
    /// `max_download_mb` reaches the link downloader as `--max-filesize` (bytes); a downloader that skips the larger
    /// video (yt-dlp: exit 0, no file) is reported as such. Before, link clips were fetched whatever their size.
    @Test("clips.downloader gets --max-filesize from max_download_mb, and a skipped video is said to be too large")
    func downloaderIsGivenTheSizeLimit() async throws {
        try await ClipsHarness.withTemporaryDirectory { dir in
            // Every video is 5,000 bytes: over --max-filesize it writes nothing and exits 0.
            let script = try Self.fakeDownloader(
                in: dir,
                """
                if [ -n "$limit" ] && [ "$limit" -lt 5000 ]; then exit 0; fi
                head -c 5000 /dev/zero > "$out"
                """)
            let downloader = LinkClipDownloader(executable: script, directory: dir + "/media")
            let clip = ClipRecord(
                messageId: Snowflake(1), channelId: Snowflake(2), guildId: Snowflake(3), authorId: nil, kind: "link",
                provider: "streamable", url: "https://streamable.com/big27", detectedAt: Date())
            await #expect {
                _ = try await downloader.download(clip, maxBytes: 4_194)
            } throws: { error in
                "\(error)".contains("larger than max_download_mb (0.004 MiB)")
            }
            let stored = try await downloader.download(clip, maxBytes: 10_485_760)
            #expect(stored.size == 5_000)
        }
    }
}
