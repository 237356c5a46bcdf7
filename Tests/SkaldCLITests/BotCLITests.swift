import ArchiveStore
import DiscordSimulator
import Foundation
import SQLiteStore
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `skald clips`, `skald settings`, `skald jobs` and `skald bot` as the user runs them.
@Suite struct BotCLITests {
    static func withSimulator<T>(_ body: (SimulatorServer) async throws -> T) async throws -> T {
        let config = SimulatorConfiguration.testWorld(seed: 29, channels: 2, messages: 120, threads: 6)
        return try await SimulatorServer.withRunning(config, body)
    }

    @Test("archive, clips scan, ls --json, export; the bot answers SIGTERM with exit 0")
    func clipsAndBot() async throws {
        try await withTemporaryFolder { folder in
            try await Self.withSimulator { sim in
                let db = "sqlite:\(folder)/a.sqlite"
                let connection = ["--api-base", sim.apiBase, "--token", sim.tokens[0]]
                let archived = try await SkaldProcess.run(["archive", "--db", db] + connection, in: folder)
                #expect(archived.status == 0, "\(archived.output)")
                let scan = try await SkaldProcess.run(["clips", "scan", "--db", db], in: folder)
                #expect(scan.status == 0, "\(scan.output)")
                #expect(scan.output.contains("clips scan "))
                let listed = try await SkaldProcess.run(["clips", "ls", "--db", db, "--json"], in: folder)
                #expect(listed.status == 0)
                let rows = try #require(
                    try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]])
                #expect(!rows.isEmpty)
                let keys: Set<String> = [
                    "messageId", "channelId", "guildId", "kind", "provider", "url", "sha256", "path", "fileError",
                ]
                #expect(rows.allSatisfy { Set($0.keys) == keys })
                let export = try await SkaldProcess.run(
                    ["clips", "export", "--db", db, "--out", folder + "/out"], in: folder)
                #expect(export.status == 0, "\(export.output)")
                let index = try Data(contentsOf: URL(fileURLWithPath: folder + "/out/index.json"))
                #expect((try JSONSerialization.jsonObject(with: index) as? [Any])?.count == rows.count)

                let bot = try SkaldProcess(["bot", "--db", db, "--http", "127.0.0.1:0"] + connection, in: folder)
                let ready = await bot.waitForOutput(containing: "skald-watch ready")
                #expect(ready?.contains("skald-bot http on http://127.0.0.1:") == true, "\(ready ?? "")")
                // Clients still holding connections to /healthz (one idle keep-alive, one silent) do not hold it.
                let http = try ShutdownCLITests.baseURL(in: ready ?? "")
                let silent = try LoopbackSocket.connect(port: http.port)
                defer { close(silent) }
                let (_, health) = try await URLSession.shared.data(
                    from: try #require(URL(string: http.url + "/healthz")))
                #expect((health as? HTTPURLResponse)?.statusCode == 200)
                bot.send(SIGTERM)
                let result = await bot.finish(prefix: ready ?? "")
                #expect(result.status == 0, "\(result.output)")
                #expect(result.output.contains("bot stopped:"))
            }
        }
    }

    /// A `--media-dir` that is not there is refused before anything is written; each stored file is checked against
    /// its hash, and a missing or damaged one is named (exit 1).
    @Test("clips export checks each stored file against its hash and names the missing and the damaged")
    func clipsExportChecksStoredFiles() async throws {
        try await withTemporaryFolder { folder in
            try await Self.withSimulator { sim in
                let db = "sqlite:\(folder)/a.sqlite"
                let connection = ["--api-base", sim.apiBase, "--token", sim.tokens[0]]
                let archived = try await SkaldProcess.run(["archive", "--db", db, "--media"] + connection, in: folder)
                #expect(archived.status == 0, "\(archived.output)")
                #expect(try await SkaldProcess.run(["clips", "scan", "--db", db], in: folder).status == 0)
                let listed = try await SkaldProcess.run(["clips", "ls", "--db", db, "--json"], in: folder)
                let rows = try #require(
                    try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]])
                let paths = Array(Set(rows.compactMap { $0["path"] as? String })).sorted()
                try #require(paths.count >= 3, "\(rows)")

                let elsewhere = try await SkaldProcess.run(
                    ["clips", "export", "--db", db, "--out", folder + "/none", "--media-dir", folder + "/nowhere"],
                    in: folder)
                #expect(elsewhere.status == 1, "\(elsewhere.output)")
                #expect(elsewhere.output.contains("no media folder at \(folder)/nowhere"), "\(elsewhere.output)")
                #expect(!FileManager.default.fileExists(atPath: folder + "/none"))

                try FileManager.default.removeItem(atPath: folder + "/media/" + paths[0])
                try Data("not the clip".utf8).write(to: URL(fileURLWithPath: folder + "/media/" + paths[1]))
                let export = try await SkaldProcess.run(
                    ["clips", "export", "--db", db, "--out", folder + "/out"], in: folder)
                #expect(export.status == 1, "\(export.output)")
                #expect(export.output.contains("stored clip file(s) missing (first: "), "\(export.output)")
                #expect(export.output.contains("damaged: not the bytes the archive recorded"), "\(export.output)")
                let index = try #require(
                    try JSONSerialization.jsonObject(
                        with: Data(contentsOf: URL(fileURLWithPath: folder + "/out/index.json"))) as? [[String: Any]])
                for row in index {
                    guard let path = row["path"] as? String else {
                        #expect(row["file"] is NSNull)
                        continue
                    }
                    if path == paths[0] || path == paths[1] {
                        #expect(row["file"] is NSNull, "\(row)")
                    } else {
                        let file = try #require(row["file"] as? String, "\(row)")
                        let copy = try Data(contentsOf: URL(fileURLWithPath: folder + "/out/" + file))
                        let original = try Data(contentsOf: URL(fileURLWithPath: folder + "/media/" + path))
                        #expect(copy == original)
                    }
                }
                let names = try FileManager.default.contentsOfDirectory(atPath: folder + "/out/files")
                #expect(names.count == paths.count - 2, "\(names)")
                #expect(!names.contains { $0.hasPrefix(".") }, "no temporary left: \(names)")
            }
        }
    }

    @Test("settings get|set over the config's defaults, and jobs ls with next run times")
    func settingsAndJobs() async throws {
        try await withTemporaryFolder { folder in
            let config = folder + "/bot.yaml"
            try """
            database_url: sqlite:\(folder)/s.sqlite
            defaults: {reaction: "🎬", clip_kinds: [link]}
            jobs:
              - {name: nightly, cron: "0 3 * * *", job: clips-scan}
            """.write(toFile: config, atomically: true, encoding: .utf8)
            let set = try await SkaldProcess.run(
                ["settings", "set", "--config", config, "--guild", "42", "reaction", "📼"], in: folder)
            #expect(set.status == 0, "\(set.output)")
            let get = try await SkaldProcess.run(["settings", "get", "--config", config, "--guild", "42"], in: folder)
            #expect(
                get.output.trimmingCharacters(in: .whitespacesAndNewlines) == #"{"clip_kinds":["link"],"reaction":"📼"}"#
            )
            let one = try await SkaldProcess.run(
                ["settings", "get", "--config", config, "--guild", "42", "clip_kinds"], in: folder)
            #expect(one.output.trimmingCharacters(in: .whitespacesAndNewlines) == #"["link"]"#)
            // A value the bot could not use is refused (64): before, each was stored and read as "keep everything".
            for (key, value) in [
                ("channels", #"["abc"]"#), ("clip_kinds", "link"), ("clip_kinds", #"["nope"]"#),
                ("max_download_mb", "abc"), ("reaction", ""), ("clip_kind", #"["link"]"#),
            ] {
                let bad = try await SkaldProcess.run(
                    ["settings", "set", "--config", config, "--guild", "42", key, value], in: folder)
                #expect(bad.status == 64, "\(key) \(value): \(bad.output)")
                #expect(bad.output.contains("takes") || bad.output.contains("not a setting"), "\(bad.output)")
            }
            let missing = try await SkaldProcess.run(
                ["settings", "get", "--config", config, "--guild", "42", "max_download_mb"], in: folder)
            #expect(missing.status == 1 && missing.output.contains("is not set"), "\(missing.output)")
            let jobs = try await SkaldProcess.run(["jobs", "ls", "--config", config], in: folder)
            #expect(jobs.status == 0, "\(jobs.output)")
            #expect(jobs.output.contains("nightly  clips-scan  \"0 3 * * *\"  next "))
            #expect(jobs.output.contains("T03:00:00.000000+00:00"))
            // A failed last run says why where the job is listed (before: "last failed" alone).
            let store = try SQLiteArchiveStore(path: folder + "/s.sqlite")
            try await store.recordJobRun(
                JobRun(
                    job: "nightly", holder: "h", startedAt: Date(), finishedAt: Date(), outcome: "failed",
                    detail: "cannot create /proc/nope"))
            await store.close()
            let failed = try await SkaldProcess.run(["jobs", "ls", "--config", config], in: folder)
            #expect(failed.output.contains("last failed: cannot create /proc/nope"), "\(failed.output)")
            try "jobs: [{name: x, cron: '* * * * *'}]".write(toFile: config, atomically: true, encoding: .utf8)
            let bad = try await SkaldProcess.run(["jobs", "ls", "--config", config], in: folder)
            #expect(bad.status == 1)
            #expect(bad.output.contains("unknown job \"x\""))
        }
    }

    @Test("clips, settings get, jobs ls and migrate-store refuse an archive that does not exist, and do not create it")
    func missingArchiveIsNamed() async throws {
        try await withTemporaryFolder { folder in
            let missing = folder + "/typo.sqlite"
            let commands = [
                ["clips", "ls", "--db", "sqlite:" + missing], ["clips", "scan", "--db", "sqlite:" + missing],
                ["clips", "export", "--db", "sqlite:" + missing, "--out", folder + "/clips"],
                ["migrate-store", "--from", "sqlite:" + missing, "--to", "sqlite:" + folder + "/to.sqlite"],
                ["settings", "get", "--guild", "42", "--db", "sqlite:" + missing],
                ["jobs", "ls", "--config", folder + "/bot.yaml", "--db", "sqlite:" + missing],
            ]
            try "jobs: [{name: vacuum, cron: '@daily'}]".write(
                toFile: folder + "/bot.yaml", atomically: true, encoding: .utf8)
            for command in commands {
                let result = try await SkaldProcess.run(command, in: folder)
                #expect(result.status == 1, "\(command): \(result.output)")
                #expect(result.output.contains("no archive at \(missing)"), "\(command): \(result.output)")
                #expect(!FileManager.default.fileExists(atPath: missing), "\(command) created the archive")
            }
        }
    }

    @Test("clips refuse a guild the archive does not hold, and name a file in the way of the export's folder")
    func unknownGuildAndBlockedFolderAreNamed() async throws {
        try await withTemporaryFolder { folder in
            let archive = "sqlite:" + folder + "/a.sqlite"
            // An archive with no guild: `settings set` creates one (the bot's setup works before any archive run).
            let setup = try await SkaldProcess.run(
                ["settings", "set", "--db", archive, "--guild", "42", "reaction", "📼"], in: folder)
            #expect(setup.status == 0, "\(setup.output)")
            for command in [
                ["clips", "ls", "--guild", "7"], ["clips", "scan", "--guild", "7"],
                ["clips", "export", "--guild", "7", "--out", folder + "/out"],
            ] {
                let result = try await SkaldProcess.run(command + ["--db", archive], in: folder)
                #expect(result.status == 1, "\(command): \(result.output)")
                #expect(result.output.contains("guild 7 is not in the archive"), "\(command): \(result.output)")
            }
            try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/taken"))
            let blocked = try await SkaldProcess.run(
                ["clips", "export", "--db", archive, "--out", folder + "/taken"], in: folder)
            #expect(blocked.status == 1, "\(blocked.output)")
            #expect(blocked.output.contains("a file of that name is in the way"), "\(blocked.output)")
        }
    }

    /// A negative `max_download_mb` (a likely typo) is refused saying what the key takes, however it is written:
    /// before, `-5` was taken for an option and the answer was "give a VALUE or --unset", and `KEY=-5` read as a
    /// key with no value.
    @Test("settings set: a negative max_download_mb is refused in every form; KEY=VALUE and -- work")
    func negativeDownloadLimitIsRefusedClearly() async throws {
        try await withTemporaryFolder { folder in
            let base = ["settings", "set", "--db", "sqlite:\(folder)/s.sqlite", "--guild", "1"]
            for form in [["max_download_mb", "-5"], ["max_download_mb", "--", "-5"], ["max_download_mb=-5"]] {
                let refused = try await SkaldProcess.run(base + form, in: folder)
                #expect(refused.status == 64, "\(form): \(refused.output)")
                #expect(
                    refused.output.contains("max_download_mb must be a positive number of MiB"), "\(refused.output)")
            }
            let typo = try await SkaldProcess.run(base + ["max_download_mb", "--unsett"], in: folder)
            #expect(typo.status == 64 && typo.output.contains("unknown option --unsett"), "\(typo.output)")
            let two = try await SkaldProcess.run(base + ["reaction", "🎬", "📌"], in: folder)
            #expect(two.status == 64 && two.output.contains("give one VALUE"), "\(two.output)")
            let set = try await SkaldProcess.run(base + ["max_download_mb=12.5"], in: folder)
            #expect(set.status == 0, "\(set.output)")
            // Guild 1 is in no archive: kept, with a note (before, a mistyped id was kept without a word).
            #expect(set.output.contains("note: the archive holds no guild 1 yet"), "\(set.output)")
            let read = try await SkaldProcess.run(
                ["settings", "get", "--db", "sqlite:\(folder)/s.sqlite", "--guild", "1", "max_download_mb"], in: folder)
            #expect(read.output.contains("12.5"), "\(read.output)")
        }
    }

    /// Killed (SIGKILL) the moment the edit that added a link to an old message commits, before its clip is
    /// recorded (the binary's test-only fault point), then started again: the clip is recorded, once. Before, no
    /// scan reached the message again (it lies below the scan's cursor) and the clip was lost for good.
    @Test("a clip added by an edit survives a kill -9 between the edit's commit and the clip's record")
    func clipOfAnEditSurvivesKillBetweenCommitAndRecord() async throws {
        try await withTemporaryFolder { folder in
            try await Self.withSimulator { sim in
                let db = "sqlite:\(folder)/k.sqlite"
                let connection = ["--api-base", sim.apiBase, "--token", sim.tokens[0]]
                let archived = try await SkaldProcess.run(["archive", "--db", db] + connection, in: folder)
                #expect(archived.status == 0, "\(archived.output)")
                // Every archived message scanned: the bot's catch-up scan continues from these cursors.
                let scan = try await SkaldProcess.run(["clips", "scan", "--db", db], in: folder)
                #expect(scan.status == 0, "\(scan.output)")
                let store = try SQLiteArchiveStore(path: folder + "/k.sqlite")
                var old: StoredMessage?
                for channel in try await store.channels(in: nil) where old == nil {
                    old = try await store.messages(in: channel.id, after: nil, limit: 1, includeDeleted: false).first
                }
                await store.close()
                let message = try #require(old)
                let link = "https://streamable.com/edit26"

                let bot = ["bot", "--db", db, "--http", "127.0.0.1:0"] + connection
                let first = try SkaldProcess(
                    bot, in: folder, environment: ["SKALD_TEST_KILL_AFTER_COMMIT": message.id.description])
                let ready = await first.waitForOutput(containing: "skald-watch ready")
                #expect(ready != nil, "the bot did not get ready")
                try await SimulatorAdmin.postForObject(
                    sim, "/__sim/mutate",
                    [
                        "op": "edit", "channelId": message.channelId.description,
                        "messageId": message.id.description, "content": "now with a clip: \(link)",
                    ])
                let killed = await first.finish(prefix: ready ?? "")
                #expect(killed.status == SIGKILL, "\(killed.output)")
                let between = try await SkaldProcess.run(["clips", "ls", "--db", db, "--json"], in: folder)
                #expect(!between.output.contains(link), "the clip was recorded before the kill point")

                let second = try SkaldProcess(bot, in: folder)
                let again = await second.waitForOutput(containing: "skald-watch ready")
                #expect(again != nil, "the bot did not get ready again")
                second.send(SIGTERM)
                let stopped = await second.finish(prefix: again ?? "")
                #expect(stopped.status == 0, "\(stopped.output)")
                let listed = try await SkaldProcess.run(["clips", "ls", "--db", db, "--json"], in: folder)
                let rows = try #require(
                    try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]])
                let found = rows.filter { ($0["url"] as? String) == link }
                #expect(found.count == 1, "\(listed.output)")
                #expect(found.first?["messageId"] as? String == message.id.description)
            }
        }
    }
}
