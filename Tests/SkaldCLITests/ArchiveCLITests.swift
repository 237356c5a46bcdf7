import ArchiveStore
import DiscordModels
import DiscordSimulator
import Foundation
import SQLiteStore
import TestSupport
import Testing

/// `skald archive` as the user runs it: interrupted by SIGINT, run three times at once with `--media`, verbose;
/// and what `export` makes of the result (channels never archived, media links). Against the simulator.
@Suite("Archive on the command line", .serialized) struct ArchiveCLITests {
    static func withSimulator<T>(
        channels: Int, messages: Int, latency: Duration = .zero, _ body: (SimulatorServer) async throws -> T
    ) async throws -> T {
        var config = SimulatorConfiguration.testWorld(seed: 11, channels: channels, messages: messages)
        config.latency = latency
        return try await SimulatorServer.withRunning(config, body)
    }

    static func archive(_ sim: SimulatorServer, _ extra: [String] = [], db: String = "sqlite:a.sqlite") -> [String] {
        ["archive", "--token", sim.tokens[0], "--api-base", sim.apiBase, "--db", db] + extra
    }

    @Test func sigintSaysWhatWasSavedRecordsTheRunAndTheRerunContinues() async throws {
        try await Self.withSimulator(channels: 4, messages: 3000, latency: .milliseconds(150)) { sim in
            try await withTemporaryFolder { folder in
                let process = try SkaldProcess(Self.archive(sim), in: folder)
                let early = try #require(await process.waitForOutput(containing: "planned "), "the run never planned")
                process.send(SIGINT)
                let result = await process.finish(prefix: early)
                #expect(result.status == 130, "\(result.output)")
                #expect(result.output.contains("interrupted by SIGINT"), "\(result.output)")
                #expect(result.output.contains("message(s) were saved"))
                #expect(result.output.contains("Run the same command again to continue"))
                let store = try SQLiteArchiveStore.openForReading(path: folder + "/a.sqlite")
                let runs = try await store.runs(limit: 5)
                #expect(runs.first?.status == .cancelled, "\(runs)")

                let rerun = try await SkaldProcess.run(Self.archive(sim), in: folder)
                #expect(rerun.status == 0, "\(rerun.output)")
                #expect(rerun.output.contains("Archive complete."))
            }
        }
    }

    /// The archive's files deleted while the run writes (SQLite keeps writing to the files it opened): before, the
    /// run ended "Archive complete", exit 0, with nothing at the path. It now says the run's pages are not there.
    @Test func anArchiveDeletedUnderTheRunIsNotReportedComplete() async throws {
        try await Self.withSimulator(channels: 4, messages: 3000, latency: .milliseconds(150)) { sim in
            try await withTemporaryFolder { folder in
                let process = try SkaldProcess(Self.archive(sim), in: folder)
                let early = try #require(await process.waitForOutput(containing: "planned "), "the run never planned")
                for suffix in ["", "-wal", "-shm"] {
                    try? FileManager.default.removeItem(atPath: folder + "/a.sqlite" + suffix)
                }
                let result = await process.finish(prefix: early)
                #expect(result.status == 1, "\(result.output)")
                #expect(!result.output.contains("Archive complete."), "\(result.output)")
                #expect(result.output.contains("was deleted, moved or replaced while this run wrote to it"))
            }
        }
    }

    /// A media folder that cannot be written is refused once, before any request; before, each of the run's downloads
    /// failed on its own (687 `FAILED attachment … permission denied` lines on a read-only folder) and the run ended
    /// partial (exit 2). Tests run as root, which may write anywhere: a file stands where the folder should be.
    @Test func aMediaFolderThatCannotBeWrittenIsRefusedBeforeAnyRequest() async throws {
        try await Self.withSimulator(channels: 1, messages: 50) { sim in
            try await withTemporaryFolder { folder in
                try Data("not a folder".utf8).write(to: URL(fileURLWithPath: folder + "/media"))
                let result = try await SkaldProcess.run(Self.archive(sim, ["--media"]), in: folder)
                #expect(result.status == 1, "\(result.output)")
                #expect(
                    result.output.contains("cannot write downloaded attachments to the media folder")
                        && result.output.contains("run without --media"), "\(result.output)")
                #expect(!result.output.contains("FAILED attachment"))
                #expect(await sim.stats().requests == 0)
            }
        }
    }

    @Test func threeMediaRunsAtOnceShareTheMediaFolderSafely() async throws {
        try await Self.withSimulator(channels: 4, messages: 400) { sim in
            try await withTemporaryFolder { folder in
                try FileManager.default.createDirectory(atPath: folder + "/media", withIntermediateDirectories: true)
                // A partial download an earlier, killed run left behind.
                try Data("half".utf8).write(to: URL(fileURLWithPath: folder + "/media/.partial-1-dead"))
                let runs = try (0..<3).map { _ in try SkaldProcess(Self.archive(sim, ["--media"]), in: folder) }
                var results: [SkaldProcess.Result] = []
                for run in runs { results.append(await run.finish()) }
                for result in results {
                    #expect(result.status == 0, "\(result.output)")
                    #expect(!result.output.contains("File exists"))
                    #expect(!result.output.contains("0 channel(s) failed"))
                }
                let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder + "/media")
                    .filter { $0.hasPrefix(".partial-") }
                #expect(leftovers.isEmpty, "\(leftovers)")

                let store = try SQLiteArchiveStore.openForReading(path: folder + "/a.sqlite")
                var downloaded = 0
                for channel in try await store.channels(in: nil) {
                    for message in try await store.messages(in: channel.id, after: nil, limit: 10_000) {
                        for attachment in try await store.attachments(of: message.id, in: channel.id) {
                            if let local = attachment.localPath {
                                downloaded += 1
                                #expect(attachment.downloadError == nil, "stale error beside \(local)")
                                #expect(FileManager.default.fileExists(atPath: folder + "/media/" + local))
                            }
                        }
                    }
                }
                #expect(downloaded > 0)
            }
        }
    }

    @Test func verboseLogsRequestsWithoutTheToken() async throws {
        try await Self.withSimulator(channels: 2, messages: 30) { sim in
            try await withTemporaryFolder { folder in
                let run = try await SkaldProcess.run(Self.archive(sim, ["--verbose"]), in: folder)
                #expect(run.status == 0, "\(run.output)")
                #expect(run.output.contains("request"), "\(run.output)")
                #expect(run.output.contains("GET /users/@me"))
                #expect(!run.output.contains(sim.tokens[0] + " "))
                let quiet = try await SkaldProcess.run(
                    Self.archive(sim), in: folder, environment: ["SKALD_LOG_LEVEL": "debug"])
                #expect(quiet.output.contains("GET /channels/"), "SKALD_LOG_LEVEL=debug logs requests too")
            }
        }
    }

    @Test func exportGuildSaysWhichChannelsWereNeverArchived() async throws {
        try await Self.withSimulator(channels: 5, messages: 20) { sim in
            try await withTemporaryFolder { folder in
                let run = try await SkaldProcess.run(Self.archive(sim), in: folder)
                #expect(run.status == 0, "\(run.output)")
                #expect(run.output.contains("skipped"))
                let store = try SQLiteArchiveStore.openForReading(path: folder + "/a.sqlite")
                let guild = try #require(try await store.channels(in: nil).compactMap(\.guildId).first)
                let export = try await SkaldProcess.run(
                    ["export", "--db", "sqlite:a.sqlite", "--guild", "\(guild)", "--out", "o"], in: folder)
                #expect(export.status == 0, "\(export.output)")
                let skipped = export.output.split(separator: "\n").filter { $0.contains("never archived") }
                #expect(!skipped.isEmpty, "\(export.output)")
                let files = try FileManager.default.contentsOfDirectory(atPath: folder + "/o")
                for line in skipped {
                    let id = line.split(separator: "[").last?.split(separator: "]").first.map(String.init) ?? "?"
                    #expect(!files.contains { $0.contains("[\(id)]") }, "a file was written for \(id)")
                }
            }
        }
    }

    /// Options that cannot work are usage errors before anything is read: a lease of 0 s (its heartbeat spun on the
    /// database), a lease without `--worker` (ignored), an empty worker name (leases tell workers apart by it); an
    /// export's `--window` with another format (exit 1 after opening the archive) or with `--output` (ignored);
    /// `--repair` without `--window`.
    @Test func optionsThatCannotWorkAreUsageErrors() async throws {
        try await withTemporaryFolder { folder in
            let api = ["--token", "t", "--api-base", "http://127.0.0.1:9/api/v10", "--db", "sqlite:a.sqlite"]
            let export = ["export", "--db", "sqlite:a.sqlite", "--guild", "1", "--out", "o", "--window", "day"]
            let cases: [([String], String)] = [
                (["archive", "--worker", "--lease-seconds", "0"] + api, "--lease-seconds must be 5...3600"),
                (["archive", "--lease-seconds", "60"] + api, "applies to --worker runs only"),
                (["archive", "--worker-name", " "] + api, "--worker-name must not be empty"),
                (export + ["--format", "csv"], "--window writes DCE JSON only"),
                (export + ["--output", "x.json"], "drop --output"),
                (Array(export.dropLast(2)) + ["--repair"], "--repair mends a windowed export"),
            ]
            let typo = try await SkaldProcess.run(["archiv"], in: folder)
            #expect(typo.status == 64 && typo.output.contains("did you mean `skald archive`?"), "\(typo.output)")
            let version = try await SkaldProcess.run(["--version"], in: folder)
            #expect(version.status == 0 && version.output.hasPrefix("0."), "\(version.output)")
            for (arguments, message) in cases {
                let run = try await SkaldProcess.run(arguments, in: folder)
                #expect(run.status == 64, "\(arguments): \(run.output)")
                #expect(run.output.contains(message), "\(arguments): \(run.output)")
            }
            #expect(!FileManager.default.fileExists(atPath: folder + "/a.sqlite"))
        }
    }

    @Test func exportMediaLinksResolveFromTheExportedFile() async throws {
        try await Self.withSimulator(channels: 3, messages: 300) { sim in
            try await withTemporaryFolder { folder in
                let run = try await SkaldProcess.run(
                    Self.archive(sim, ["--media"], db: "sqlite:data/a.sqlite"), in: folder)
                #expect(run.status == 0, "\(run.output)")
                let store = try SQLiteArchiveStore.openForReading(path: folder + "/data/a.sqlite")
                var channelWithMedia: Snowflake<Channel>?
                search: for channel in try await store.channels(in: nil) {
                    for message in try await store.messages(in: channel.id, after: nil, limit: 10_000) {
                        if try await store.attachments(of: message.id, in: channel.id).contains(where: {
                            $0.localPath != nil
                        }) {
                            channelWithMedia = channel.id
                            break search
                        }
                    }
                }
                let channel = try #require(channelWithMedia)
                // The other assets `--media` downloads come from the simulator's CDN, never from the internet.
                let assetsFromSim = ["--cdn", sim.cdnBase, "--discord-media-only"]
                // DCE 2.41+'s rule (`ExportContext.ResolveAssetUrlAsync`): relative to the exported file's folder
                // when the media folder is inside it, absolute when the relative path would start with `../`.
                // Before, every link was relative (`../../data/media/…`).
                let layouts: [(out: String, extra: [String], absolute: Bool)] = [
                    ("out/deep", [], true), ("out/deep", ["--media-root", "data/media"], true),
                    ("out/deep", ["--media-root", folder + "/data/media"], true), ("data", [], false),
                    ("data/media/..", [], false),
                ]
                for (out, extra, absolute) in layouts {
                    try? FileManager.default.removeItem(atPath: folder + "/out")
                    let export = try await SkaldProcess.run(
                        ["export", "--db", "sqlite:data/a.sqlite", "--channel", "\(channel)", "--media", "--out", out]
                            + extra + assetsFromSim, in: folder)
                    #expect(export.status == 0, "\(export.output)")
                    let outDir = folder + "/" + out
                    let name = try #require(
                        try FileManager.default.contentsOfDirectory(atPath: outDir).first { $0.hasSuffix(".json") })
                    let data = try Data(contentsOf: URL(fileURLWithPath: outDir + "/" + name))
                    try FileManager.default.removeItem(atPath: outDir + "/" + name)
                    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                    var links = 0
                    for message in object["messages"] as? [[String: Any]] ?? [] {
                        for attachment in message["attachments"] as? [[String: Any]] ?? [] {
                            guard let url = attachment["url"] as? String, !url.hasPrefix("http") else { continue }
                            links += 1
                            if absolute {
                                #expect(url.hasPrefix(folder + "/data/media/"), "\(url) with \(extra)")
                                #expect(FileManager.default.fileExists(atPath: url), "\(url) \(extra)")
                            } else {
                                #expect(url.hasPrefix("media/"), "\(url) into \(out)")
                                #expect(FileManager.default.fileExists(atPath: outDir + "/" + url), "\(url) \(out)")
                            }
                        }
                    }
                    #expect(links > 0, "no local media links with \(extra) into \(out)")
                }
                // A windowed export's files sit at several depths: absolute links (before, none: `--window --media`
                // kept every Discord URL).
                let windowed = try await SkaldProcess.run(
                    [
                        "export", "--db", "sqlite:data/a.sqlite", "--channel", "\(channel)", "--media", "--window",
                        "week", "--out", "out/windows",
                    ], in: folder)
                #expect(windowed.status == 0, "\(windowed.output)")
                var windowedLinks = 0
                let walk = FileManager.default.enumerator(atPath: folder + "/out/windows")
                while let path = walk?.nextObject() as? String {
                    guard (path as NSString).lastPathComponent.hasPrefix("dce-part-") else { continue }
                    let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/out/windows/" + path))
                    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                    for message in object["messages"] as? [[String: Any]] ?? [] {
                        for attachment in message["attachments"] as? [[String: Any]] ?? [] {
                            guard let url = attachment["url"] as? String, !url.hasPrefix("http") else { continue }
                            windowedLinks += 1
                            #expect(url.hasPrefix(folder + "/data/media/"), "\(url)")
                            #expect(FileManager.default.fileExists(atPath: url), "\(url)")
                        }
                    }
                }
                #expect(windowedLinks > 0, "no local media links in the windowed export")
                // HTML percent-encodes the link and writes an absolute one as a `file://` URL (DCE's
                // `Url.EncodeFilePath`); the media folder's name has a space and a non-ASCII letter here.
                try FileManager.default.copyItem(atPath: folder + "/data/media", toPath: folder + "/my média")
                let html = try await SkaldProcess.run(
                    [
                        "export", "--db", "sqlite:data/a.sqlite", "--channel", "\(channel)", "--media", "--format",
                        "html-dark", "--media-root", "my média", "--out", "out/html",
                    ] + assetsFromSim, in: folder)
                #expect(html.status == 0, "\(html.output)")
                let page = try #require(
                    try FileManager.default.contentsOfDirectory(atPath: folder + "/out/html").first {
                        $0.hasSuffix(".html")
                    })
                let pageText = try String(contentsOfFile: folder + "/out/html/" + page, encoding: .utf8)
                let encodedFolder = try #require(folder.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed))
                #expect(
                    pageText.contains("src=\"file://\(encodedFolder)/my%20m%C3%A9dia/"), "\(pageText.prefix(3000))")
                try FileManager.default.removeItem(atPath: folder + "/my média")
                // A file gone from the media folder keeps its URL (DCE's rule for a failed download); a --media-root
                // that is not there is refused before anything is written.
                var local: [String] = []
                for message in try await store.messages(in: channel, after: nil, limit: 10_000) {
                    local += try await store.attachments(of: message.id, in: channel).compactMap(\.localPath)
                }
                let gone = try #require(local.first)
                try FileManager.default.removeItem(atPath: folder + "/data/media/" + gone)
                try? FileManager.default.removeItem(atPath: folder + "/out")
                let after = try await SkaldProcess.run(
                    [
                        "export", "--db", "sqlite:data/a.sqlite", "--channel", "\(channel)", "--media", "--out",
                        "out/deep",
                    ] + assetsFromSim,
                    in: folder)
                #expect(after.status == 0, "\(after.output)")
                let outDir = folder + "/out/deep"
                let name = try #require(
                    try FileManager.default.contentsOfDirectory(atPath: outDir).first { $0.hasSuffix(".json") })
                let text = try String(contentsOfFile: outDir + "/" + name, encoding: .utf8)
                #expect(!text.contains((gone as NSString).lastPathComponent), "a link to the deleted \(gone)")
                let nowhere = try await SkaldProcess.run(
                    [
                        "export", "--db", "sqlite:data/a.sqlite", "--channel", "\(channel)", "--media", "--media-root",
                        "nowhere", "--out", "out/none",
                    ], in: folder)
                #expect(
                    nowhere.status == 1 && nowhere.output.contains("no media folder at nowhere"), "\(nowhere.output)")
                #expect(!FileManager.default.fileExists(atPath: folder + "/out/none"))
                // A copy of the archive elsewhere says where its downloads stay (files are not rows).
                let copy = try await SkaldProcess.run(
                    ["migrate-store", "--from", "sqlite:data/a.sqlite", "--to", "sqlite:copy/a.sqlite"], in: folder)
                #expect(copy.status == 0, "\(copy.output)")
                #expect(copy.output.contains("downloaded attachments stay in data/media"), "\(copy.output)")
                #expect(copy.output.contains("--media-root data/media"), "\(copy.output)")
            }
        }
    }
}
