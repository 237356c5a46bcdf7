import Archive
import ArchiveStore
import DiscordModels
import DiscordSimulator
import Export
import Foundation
import Logging
import SQLiteStore
import TestSupport
import Testing

@Suite("Simulator guild: export → import → export", .serialized)
struct SimulatorRoundTripTests {
    /// Archives the simulated guilds into `store` (with members and reaction users when `everything`).
    static func archive(_ sim: SimulatorServer, into store: SQLiteArchiveStore, everything: Bool = false) async throws {
        var archive = ArchiveConfiguration(accounts: [.init(name: "test", token: sim.tokens[0])])
        archive.apiBase = sim.apiBase
        archive.members = everything
        archive.reactionUsers = everything
        var logger = Logger(label: "skald.tests.export")
        logger.logLevel = .critical
        _ = try await ArchiveEngine(
            configuration: archive, store: store, observer: SilentArchiveObserver(), logger: logger
        ).run()
    }

    /// Runs `body` with an archive of a simulated guild (seed 6) in a temporary folder: the store, the guild, the folder.
    static func withArchivedGuild(
        channels: Int, messages: Int, threads: Int,
        _ body: (SQLiteArchiveStore, Snowflake<Guild>, String) async throws -> Void
    ) async throws {
        let config = SimulatorConfiguration.testWorld(seed: 6, channels: channels, messages: messages, threads: threads)
        try await SimulatorServer.withRunning(config) { sim in
            try await ExportHarness.withTemporaryDirectory { dir in
                let store = try ExportHarness.store(in: dir)
                try await Self.archive(sim, into: store)
                let guild = try #require(try await store.objects(.guild, in: nil).first)
                try await body(store, Snowflake(guild.id.rawValue), dir)
            }
        }
    }

    @Test func simulatorGuildRoundTripsByteIdentical() async throws {
        let config = SimulatorConfiguration.testWorld(seed: 5, channels: 4, messages: 300, threads: 3)
        try await SimulatorServer.withRunning(config) { sim in
            try await ExportHarness.withTemporaryDirectory { dir in
                let store = try ExportHarness.store(in: dir)
                try await Self.archive(sim, into: store, everything: true)
                let guild = try #require(try await store.objects(.guild, in: nil).first)
                var options = ExportHarness.utcOptions()
                options.includeThreads = .all
                options.partition = .bytes(200_000)
                let first = try await DCEExporter(store: store, options: options)
                    .exportGuild(Snowflake(guild.id.rawValue), to: dir + "/first")
                let total = first.reduce(0) { $0 + $1.messageCount }
                #expect(total > 500)
                // Channels exported two at a time write what one at a time writes, listed in the same order.
                var serialOptions = options
                serialOptions.parallelChannels = 1
                let serial = try await DCEExporter(store: store, options: serialOptions)
                    .exportGuild(Snowflake(guild.id.rawValue), to: dir + "/serial")
                #expect(
                    serial.map { ($0.path as NSString).lastPathComponent }
                        == first.map { ($0.path as NSString).lastPathComponent })
                #expect(serial.map(\.sha256) == first.map(\.sha256))
                let empty = try ExportHarness.store(in: dir, name: "empty.sqlite")
                let outcomes = try await DCEImporter(store: empty).importPaths([dir + "/first"])
                #expect(outcomes.allSatisfy { $0.error == nil }, "\(outcomes.compactMap(\.error))")
                #expect(outcomes.reduce(0) { $0 + $1.messages } == total)
                let second = try await DCEExporter(store: empty, options: options)
                    .exportGuild(Snowflake(guild.id.rawValue), to: dir + "/second")
                #expect(second.count == first.count)
                let firstByName = Dictionary(
                    uniqueKeysWithValues: first.map { (($0.path as NSString).lastPathComponent, $0) })
                for file in second {
                    let name = (file.path as NSString).lastPathComponent
                    let original = try #require(firstByName[name], "\(name) not in the first export")
                    #expect(original.sha256 == file.sha256, "\(name) differs")
                }
            }
        }
    }

    /// A guild export with threads writes a forum's posts (threads), as it writes a text channel's threads; the forum
    /// itself holds no message and gets no file. Before, the forum was reported as "never archived" and its posts
    /// were left out (a docs-only fake Discord: 10 forum and media posts missing from `export --guild`).
    @Test func aGuildExportWithThreadsWritesForumPosts() async throws {
        let config = SimulatorConfiguration.testWorld(seed: 6, channels: 4, messages: 60, threads: 8)
        try await SimulatorServer.withRunning(config) { sim in
            try await ExportHarness.withTemporaryDirectory { dir in
                let store = try ExportHarness.store(in: dir)
                try await Self.archive(sim, into: store)
                let channels = try await store.channels(in: nil)
                let forums = Set(channels.filter { $0.type == .guildForum }.map(\.id))
                var posts: Set<String> = []
                for thread in channels where thread.isThread && thread.parentId.map(forums.contains) == true {
                    if try await !store.messages(in: thread.id, after: nil, limit: 1).isEmpty {
                        posts.insert("\(thread.id)")
                    }
                }
                #expect(!posts.isEmpty, "the simulated guild has no forum post with messages")
                let guild = try #require(try await store.objects(.guild, in: nil).first)
                var options = ExportHarness.utcOptions()
                options.includeThreads = .all
                let files = try await DCEExporter(store: store, options: options)
                    .exportGuild(Snowflake(guild.id.rawValue), to: dir + "/out")
                let exported = Set(files.map(\.channelId))
                #expect(posts.isSubset(of: exported), "missing posts: \(posts.subtracting(exported))")
                #expect(exported.isDisjoint(with: Set(forums.map { "\($0)" })))
            }
        }
    }

    /// A windowed guild export covers the channels a plain one does: forum posts with threads included, and the
    /// channels never archived skipped and named. Before, it wrote an empty manifest ("0 message(s), high-water mark
    /// none") for a channel the bot could not read, as if it were a complete, empty channel, and left threads out.
    @Test func aWindowedGuildExportCoversThePlainExportsChannels() async throws {
        try await Self.withArchivedGuild(channels: 4, messages: 60, threads: 8) { store, guild, dir in
            var options = ExportHarness.utcOptions()
            options.includeThreads = .all
            let plainSkipped = SkippedChannels()
            let files = try await DCEExporter(store: store, options: options)
                .exportGuild(guild, to: dir + "/plain") { plainSkipped.add($0) }
            let windowed = WindowedExporter(store: store, options: options, window: .day)
            let windowedSkipped = SkippedChannels()
            let ids = try await windowed.exportableChannels(in: guild) {
                windowedSkipped.add($0)
            }
            let runs = try await windowed.export(channels: ids, to: dir + "/windowed")
            #expect(Set(runs.map { "\($0.channelId)" }) == Set(files.map(\.channelId)))
            #expect(!plainSkipped.all.isEmpty, "the simulated guild hides no channel from the bot")
            #expect(windowedSkipped.all == plainSkipped.all)
            #expect(runs.reduce(0) { $0 + $1.messages } == files.reduce(0) { $0 + $1.messageCount })
        }
    }

    /// An output template that names one file for several channels is refused before any file is written (DCE
    /// refuses a path that is neither a folder nor a template for several channels); before, each channel
    /// overwrote the last and the export reported every message exported.
    @Test func aTemplateNamingOneFileForSeveralChannelsIsRefusedBeforeWriting() async throws {
        try await Self.withArchivedGuild(channels: 4, messages: 20, threads: 0) { store, guild, dir in
            for template in ["same.json", "%G.json"] {
                var options = ExportHarness.utcOptions()
                options.outputTemplate = template
                let error = await #expect(throws: ExportError.self) {
                    _ = try await DCEExporter(store: store, options: options)
                        .exportGuild(guild, to: dir + "/out")
                }
                #expect(error?.message.contains("put %c") == true)
                #expect(!FileManager.default.fileExists(atPath: dir + "/out"))
            }
            var options = ExportHarness.utcOptions()
            options.outputTemplate = "%G/%c.json"
            let files = try await DCEExporter(store: store, options: options)
                .exportGuild(guild, to: dir + "/out")
            #expect(files.count > 1)
            #expect(Set(files.map(\.path)).count == files.count)
        }
    }

    /// A channel named twice, or by `--channel` and by its `--guild`, is exported once; before, it was written twice
    /// into one file and its messages counted twice ("exported 1200 message(s) in 2 file(s)", one file on disk).
    @Test func aChannelNamedTwiceIsExportedOnce() async throws {
        try await Self.withArchivedGuild(channels: 3, messages: 20, threads: 0) { store, guild, dir in
            let exporter = DCEExporter(store: store, options: ExportHarness.utcOptions())
            let inGuild = try await exporter.channels(ofGuild: guild)
            let channel = try #require(inGuild.first)
            let twice = try await exporter.exportChannels([channel, channel], to: dir + "/twice")
            #expect(twice.count == 1)
            let both = try await exporter.exportChannels(inGuild + [channel], to: dir + "/both")
            #expect(both.count == inGuild.count)
            #expect(Set(both.map(\.path)).count == both.count)
        }
    }
}
