import ArchiveStore
import DiscordModels
import DiscordSimulator
import Foundation
import SQLiteStore
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `skald bot` does after it records a clip, through the binary against the simulator: the guild's `reaction`
/// (it was stored and never applied), its `max_download_mb` (likewise), and the files of clips across a kill -9
/// (recorded clips lost their files for good when the process died mid-download).
@Suite(.timeLimit(.minutes(3))) struct BotClipFollowUpCLITests {
    static func withSimulator<T>(_ body: (SimulatorServer) async throws -> T) async throws -> T {
        let config = SimulatorConfiguration.testWorld(seed: 31, channels: 2, messages: 40, threads: 0)
        return try await SimulatorServer.withRunning(config, body)
    }

    /// One API request as the bot (status, JSON body).
    static func api(_ sim: SimulatorServer, _ method: String, _ path: String, json: String? = nil) async throws
        -> (status: Int, body: Any?)
    {
        let reply = try await SimulatorAdmin.asBot(sim, method, path, json: json)
        return (Int(reply.status), try? JSONSerialization.jsonObject(with: reply.body))
    }

    /// An archive of the simulator's world (`archive`, with `--media` when asked): its `--db` and the connection
    /// flags.
    static func archived(_ sim: SimulatorServer, in folder: String, file: String, media: Bool = false) async throws
        -> (db: String, connection: [String])
    {
        let db = "sqlite:\(folder)/\(file)"
        let connection = ["--api-base", sim.apiBase, "--token", sim.tokens[0]]
        let archived = try await SkaldProcess.run(
            ["archive", "--db", db] + (media ? ["--media"] : []) + connection, in: folder)
        #expect(archived.status == 0, "\(archived.output)")
        return (db, connection)
    }

    /// Posts a message as a user through the simulator's mutation surface; returns its id.
    static func post(
        _ sim: SimulatorServer, in channel: Snowflake<Channel>, _ content: String, files: [[String: Any]] = []
    )
        async throws -> String
    {
        var body: [String: Any] = ["op": "create", "channelId": channel.description, "content": content]
        if !files.isEmpty { body["attachments"] = files }
        let created = try await SimulatorAdmin.postForObject(sim, "/__sim/mutate", body)
        return try #require(created["id"] as? String)
    }

    /// `clips ls --json`, parsed.
    static func clips(_ db: String, in folder: String) async throws -> [[String: Any]] {
        let listed = try await SkaldProcess.run(["clips", "ls", "--db", db, "--json"], in: folder)
        #expect(listed.status == 0, "\(listed.output)")
        return try #require(try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]])
    }

    @Test("the bot reacts to a saved clip's message with the guild's reaction; a refused one is logged with advice")
    func reactsToSavedClips() async throws {
        try await withTemporaryFolder { folder in
            try await Self.withSimulator { sim in
                let (db, connection) = try await Self.archived(sim, in: folder, file: "r.sqlite")
                let guild = sim.guildIDs[0]
                let set = try await SkaldProcess.run(
                    ["settings", "set", "--db", db, "--guild", guild.description, "reaction", "🎬"], in: folder)
                #expect(set.status == 0, "\(set.output)")
                let channels = sim.messageChannelIDs(guild: guild)
                let (open, closed) = (channels[0], channels[1])
                // ADD_REACTIONS denied to @everyone in the second channel; the bot's role does not grant it.
                let denied = try await Self.api(
                    sim, "PUT", "/channels/\(closed)/permissions/\(guild)", json: #"{"type":0,"allow":"0","deny":"64"}"#
                )
                #expect(denied.status == 204)

                let bot = try SkaldProcess(
                    ["bot", "--db", db, "--http", "127.0.0.1:0", "--log-level", "info"] + connection, in: folder)
                let ready = await bot.waitForOutput(containing: "skald-watch ready")
                #expect(ready != nil, "the bot did not get ready")
                let reacted = try await Self.post(sim, in: open, "a clip https://streamable.com/react27")
                let done = await bot.waitForOutput(containing: "clip reacted to")
                #expect(done != nil, "no reaction")
                _ = try await Self.post(sim, in: closed, "another https://streamable.com/refused27")
                let refused = await bot.waitForOutput(containing: "clip not reacted to")
                #expect(
                    refused?.contains("give it Add Reactions and Read Message History there") == true,
                    "\(refused ?? "")")
                bot.send(SIGTERM)
                let stopped = await bot.finish()
                #expect(stopped.status == 0, "\(stopped.output)")

                let message = try await Self.api(sim, "GET", "/channels/\(open)/messages/\(reacted)")
                let reactions = (message.body as? [String: Any])?["reactions"] as? [[String: Any]] ?? []
                let mine = reactions.first { ($0["emoji"] as? [String: Any])?["name"] as? String == "🎬" }
                #expect(mine?["me"] as? Bool == true, "\(reactions)")
                let rows = try await Self.clips(db, in: folder)
                for url in ["https://streamable.com/react27", "https://streamable.com/refused27"] {
                    #expect(rows.filter { $0["url"] as? String == url }.count == 1, "\(url)")
                }
            }
        }
    }

    @Test("max_download_mb: a larger attachment clip is not downloaded, and clips ls says why; a smaller one is")
    func largerAttachmentsAreSkipped() async throws {
        try await withTemporaryFolder { folder in
            try await Self.withSimulator { sim in
                let (db, connection) = try await Self.archived(sim, in: folder, file: "m.sqlite")
                let guild = sim.guildIDs[0]
                // 0.004 MiB: 4,194 bytes.
                let set = try await SkaldProcess.run(
                    ["settings", "set", "--db", db, "--guild", guild.description, "max_download_mb", "0.004"],
                    in: folder)
                #expect(set.status == 0, "\(set.output)")
                let channel = sim.messageChannelIDs(guild: guild)[0]
                let bot = try SkaldProcess(
                    ["bot", "--db", db, "--http", "127.0.0.1:0", "--media", "--log-level", "info"] + connection,
                    in: folder)
                let ready = await bot.waitForOutput(containing: "skald-watch ready")
                #expect(ready != nil, "the bot did not get ready")
                let small = Data(repeating: 7, count: 1_000).base64EncodedString()
                let large = Data(repeating: 9, count: 10_000).base64EncodedString()
                _ = try await Self.post(
                    sim, in: channel, "two clips",
                    files: [
                        ["filename": "small27.mp4", "contentType": "video/mp4", "base64": small],
                        ["filename": "large27.mp4", "contentType": "video/mp4", "base64": large],
                    ])
                let saved = await bot.waitForOutput(containing: "large27.mp4")
                #expect(saved != nil, "the clips were not saved")
                bot.send(SIGTERM)
                let stopped = await bot.finish()
                #expect(stopped.status == 0, "\(stopped.output)")

                let rows = try await Self.clips(db, in: folder)
                let smallRow = try #require(rows.first { ($0["url"] as? String)?.contains("small27.mp4") == true })
                let largeRow = try #require(rows.first { ($0["url"] as? String)?.contains("large27.mp4") == true })
                #expect(smallRow["path"] is String, "\(smallRow)")
                #expect(largeRow["path"] is NSNull, "\(largeRow)")
                let why = largeRow["fileError"] as? String ?? ""
                #expect(why.contains("over max_download_mb"), "\(largeRow)")
                let text = try await SkaldProcess.run(["clips", "ls", "--db", db], in: folder)
                #expect(text.output.contains("(no file: skipped: "), "\(text.output)")
            }
        }
    }

    /// A fake `yt-dlp` that, the first time, kills the bot running it (SIGKILL to its parent) while the link clip's
    /// download is in flight; afterwards it downloads. Before, the clip was recorded and its mark gone before the
    /// download: the restarted bot never fetched the file.
    @Test("a link clip whose download is in flight at a kill -9 gets its file after the restart, and is recorded once")
    func linkDownloadSurvivesKill() async throws {
        try await withTemporaryFolder { folder in
            try await Self.withSimulator { sim in
                let (db, connection) = try await Self.archived(sim, in: folder, file: "k.sqlite")
                let script = folder + "/fake-yt-dlp"
                try """
                #!/bin/sh
                if [ ! -e "\(folder)/killed-once" ]; then
                  touch "\(folder)/killed-once"
                  kill -9 $PPID
                  exit 1
                fi
                while [ $# -gt 1 ]; do
                  if [ "$1" = "-o" ]; then out="$2"; shift; fi
                  shift
                done
                printf 'video of %s' "$1" > "$(echo "$out" | sed 's/%(ext)s/mp4/')"
                """.write(toFile: script, atomically: true, encoding: .utf8)
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
                try "clips: {downloader: \(script)}\n".write(
                    toFile: folder + "/bot.yaml", atomically: true, encoding: .utf8)
                let bot = ["bot", "--config", folder + "/bot.yaml", "--db", db, "--http", "127.0.0.1:0"] + connection

                let first = try SkaldProcess(bot, in: folder)
                let ready = await first.waitForOutput(containing: "skald-watch ready")
                #expect(ready != nil, "the bot did not get ready")
                let link = "https://streamable.com/kill27"
                _ = try await Self.post(sim, in: sim.messageChannelIDs(guild: sim.guildIDs[0])[0], "clip \(link)")
                let killed = await first.finish()
                #expect(killed.status == SIGKILL, "\(killed.output)")
                let between = try await Self.clips(db, in: folder).filter { $0["url"] as? String == link }
                #expect(between.count == 1 && between.first?["path"] is NSNull, "\(between)")

                try await Self.startAgainAndStop(bot, in: folder)
                let rows = try await Self.clips(db, in: folder).filter { $0["url"] as? String == link }
                #expect(rows.count == 1, "\(rows)")
                let path = try #require(rows.first?["path"] as? String, "\(rows)")
                let stored = try await Self.storedFile(db: folder + "/k.sqlite", path: path)
                #expect(stored == "video of \(link)")
            }
        }
    }

    /// The attachment clip's download held by the simulator's CDN when the bot is killed (SIGKILL); after a restart
    /// its file is downloaded. Before, the restarted bot downloaded nothing until another attachment clip came.
    @Test("an attachment download in flight at a kill -9 is completed after the restart")
    func attachmentDownloadSurvivesKill() async throws {
        try await withTemporaryFolder { folder in
            try await Self.withSimulator { sim in
                let (db, connection) = try await Self.archived(sim, in: folder, file: "a.sqlite", media: true)
                let bot = ["bot", "--db", db, "--http", "127.0.0.1:0", "--media"] + connection
                let first = try SkaldProcess(bot, in: folder)
                let ready = await first.waitForOutput(containing: "skald-watch ready")
                #expect(ready != nil, "the bot did not get ready")
                await sim.holdAttachmentDownloads(after: 0)
                let bytes = Data((0..<5_000).map { UInt8(truncatingIfNeeded: $0 &* 13) })
                _ = try await Self.post(
                    sim, in: sim.messageChannelIDs(guild: sim.guildIDs[0])[0], "a video",
                    files: [
                        ["filename": "held27.mp4", "contentType": "video/mp4", "base64": bytes.base64EncodedString()]
                    ])
                await sim.waitUntilAttachmentDownloadsHeld(1)
                first.send(SIGKILL)
                let killed = await first.finish()
                #expect(killed.status == SIGKILL, "\(killed.output)")
                await sim.releaseAttachmentDownloads(drop: true)
                let between = try await Self.clips(db, in: folder).filter {
                    ($0["url"] as? String)?.contains("held27.mp4") == true
                }
                #expect(between.count == 1 && between.first?["path"] is NSNull, "\(between)")

                try await Self.startAgainAndStop(bot, in: folder)
                let rows = try await Self.clips(db, in: folder).filter {
                    ($0["url"] as? String)?.contains("held27.mp4") == true
                }
                #expect(rows.count == 1, "\(rows)")
                let path = try #require(rows.first?["path"] as? String, "\(rows)")
                let stored = try Data(
                    contentsOf: URL(fileURLWithPath: Self.mediaFolder(db: folder + "/a.sqlite") + "/" + path))
                #expect(stored == bytes)
            }
        }
    }

    /// Starts the killed bot again, lets it get ready (what a killed process left is handled before the saver
    /// stops) and stops it with SIGTERM: exit 0.
    static func startAgainAndStop(_ bot: [String], in folder: String) async throws {
        let second = try SkaldProcess(bot, in: folder)
        let again = await second.waitForOutput(containing: "skald-watch ready")
        #expect(again != nil, "the bot did not get ready again")
        second.send(SIGTERM)
        let stopped = await second.finish()
        #expect(stopped.status == 0, "\(stopped.output)")
    }

    /// The media folder beside an SQLite archive.
    static func mediaFolder(db path: String) -> String {
        (path as NSString).deletingLastPathComponent + "/media"
    }

    /// The text of a stored clip file.
    static func storedFile(db path: String, path relative: String) async throws -> String {
        try String(contentsOfFile: mediaFolder(db: path) + "/" + relative, encoding: .utf8)
    }
}
