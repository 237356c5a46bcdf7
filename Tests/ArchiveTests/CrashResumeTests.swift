import ArchiveStore
import DiscordModels
import DiscordSimulator
import Foundation
import PostgresStore
import SQLiteStore
import TestSupport
import Testing

/// Runs the real `skald` executable, kills it with SIGKILL at random moments, reruns it, and compares the result
/// with an uninterrupted run: a crash at any instant followed by a rerun must yield the same archive.
@Suite("Crash and resume", .serialized)
struct CrashResumeTests {
    struct RunResult {
        var status: Int32
        var output: String
        var killed: Bool
    }

    /// When to kill a run.
    enum KillPoint: Sendable, CustomStringConvertible {
        /// On the `count`th line of its (piped, `key=value`) output that starts with `prefix`: the first `planned `
        /// line is a guild planned, its channels' first pages about to be asked for.
        case line(prefix: String, count: Int)
        /// While the simulator holds a page that continues a channel, after `after` such pages went through: the run
        /// is in the middle of that channel (its earlier pages fetched, the page group holding them waiting up to its
        /// linger to commit) and of the others it is fetching. The process cannot get past the held page, so the kill
        /// lands there whatever the machine's speed.
        case heldPage(after: Int)
        /// While the simulator holds an attachment download halfway through its body, after `after` whole ones: the
        /// run is in the middle of writing a media file.
        case heldDownload(after: Int)

        var description: String {
            switch self {
            case .line(let prefix, let count): "line \(count) starting \"\(prefix)\""
            case .heldPage(let after): "a held page after \(after) continuing pages"
            case .heldDownload(let after): "a held download after \(after) whole ones"
            }
        }
    }

    /// One of the simulator's test-only holds, as the kill points use it.
    struct Hold {
        var waitUntilHeld: @Sendable () async -> Void
        var held: @Sendable () async -> Int
        var release: @Sendable () async -> Void
    }

    /// Runs `skald` with `arguments`; kills it with SIGKILL at `killAt` if it gets that far. A line is acted on by the
    /// thread reading the output, the moment it is read; a held page the moment the simulator (`sim`) holds it.
    static func runSkald(
        _ arguments: [String], killAt: KillPoint? = nil, sim: SimulatorServer? = nil
    ) async throws -> RunResult {
        var environment = ProcessInfo.processInfo.environment
        environment["DISCORD_TOKEN"] = nil
        let killed = Killed()
        var linePoint: (prefix: String, count: Int)?
        var hold: Hold?
        switch killAt {
        case .line(let prefix, let count): linePoint = (prefix, count)
        case .heldPage(let after):
            let sim = try #require(sim, "a held-page kill point needs the simulator")
            await sim.holdMessagePages(after: after)
            hold = Hold(
                waitUntilHeld: { await sim.waitUntilMessagePagesHeld(1) }, held: { await sim.messagePagesHeld() },
                release: { await sim.releaseMessagePages(drop: true) })
        case .heldDownload(let after):
            let sim = try #require(sim, "a held-download kill point needs the simulator")
            await sim.holdAttachmentDownloads(after: after)
            hold = Hold(
                waitUntilHeld: { await sim.waitUntilAttachmentDownloadsHeld(1) },
                held: { await sim.attachmentDownloadsHeld() },
                release: { await sim.releaseAttachmentDownloads(drop: true) })
        case nil: break
        }
        let point = linePoint
        let child = try ChildProcess(
            executable: try ArchiveHarness.skaldBinary(), arguments: arguments, environment: environment
        ) { line, child in
            guard let point, line.hasPrefix(point.prefix), killed.count() == point.count else { return }
            child.send(SIGKILL)
            killed.mark()
        }
        var watcher: Task<Void, Never>?
        if let hold {
            watcher = Task {
                // Wakes on the first held request, or on the release after a run that never made one.
                await hold.waitUntilHeld()
                guard await hold.held() > 0 else { return }
                child.send(SIGKILL)
                killed.mark()
            }
        }
        let text = await child.waitForEnd()
        let status = await child.waitForExit()
        if let hold {
            // The held request's client is gone: cut its connection.
            await hold.release()
            await watcher?.value
        }
        return RunResult(status: status, output: text, killed: killed.value)
    }

    /// Counts matching lines and remembers a kill; touched from the output's reading thread.
    final class Killed: @unchecked Sendable {
        // @unchecked Sendable: `seen` and `done` are only accessed while `lock` is held.
        private let lock = NSLock()
        private var seen = 0
        private var done = false

        /// Counts one more matching line and returns the count.
        func count() -> Int {
            lock.lock()
            defer { lock.unlock() }
            seen += 1
            return seen
        }

        func mark() {
            lock.lock()
            done = true
            lock.unlock()
        }

        var value: Bool {
            lock.lock()
            defer { lock.unlock() }
            return done
        }
    }

    /// What must be identical between two archives: counts, and every channel's messages (ids, content, edits,
    /// tombstones, revision counts).
    static func fingerprint(_ store: any ArchiveStore) async throws -> [String] {
        var lines = ["\(try await store.stats())"]
        for channel in try await store.channels(in: nil) {
            var after: Snowflake<Message>?
            while true {
                let batch = try await store.messages(in: channel.id, after: after, limit: 500)
                guard let last = batch.last else { break }
                for message in batch {
                    lines.append(
                        "\(channel.id) \(message.id) \(message.content.hashValue) \(message.editedTimestamp?.rawValue ?? "-") "
                            + "\(message.deletedAt == nil) \(message.revisionCount)")
                }
                after = last.id
            }
        }
        return lines
    }

    @Test func killedFiveTimesThenRerunEqualsUninterruptedRun() async throws {
        try await ArchiveHarness.withTemporaryDirectory { dir in
            try await Self.killFiveTimesThenRerun(into: "sqlite:\(dir)/crashed.sqlite", referenceIn: dir) {
                try SQLiteArchiveStore(path: "\(dir)/crashed.sqlite")
            }
        }
    }

    /// The same on PostgreSQL, where the pages of several channels commit as one group (one transaction: the
    /// messages, then the checkpoints and segments in one statement): a kill between two groups or inside one
    /// leaves what the last committed group wrote, and the rerun completes the archive exactly as one run does.
    @Test(.enabled(if: TestPostgres.isWanted)) func killedFiveTimesOnPostgreSQLThenRerunEqualsUninterruptedRun()
        async throws
    {
        let schema = TestPostgres.freshSchema(prefix: "crash_")
        var configuration = PostgresArchiveStore.Configuration(location: try TestPostgres.location())
        configuration.schema = schema
        configuration.poolSize = 1
        let url = try TestPostgres.requiredURL() + "?schema=" + schema
        var opened: [PostgresArchiveStore] = []
        do {
            try await ArchiveHarness.withTemporaryDirectory { dir in
                try await Self.killFiveTimesThenRerun(into: url, referenceIn: dir) {
                    let store = try await PostgresArchiveStore.connect(configuration)
                    opened.append(store)
                    return store
                }
            }
        } catch {
            await Self.drop(opened)
            throw error
        }
        await Self.drop(opened)
    }

    /// Drops the schema of the PostgreSQL stores a test opened and closes them.
    static func drop(_ stores: [PostgresArchiveStore]) async {
        for store in stores {
            try? await store.dropSchema()
            await store.shutdown()
        }
    }

    /// Archives a simulated world into `database` five times, each run killed at a different moment of progress
    /// and resuming what the previous one left, then once more to the end; the archive (opened by `open`) must
    /// then equal an uninterrupted run's into a SQLite file in `directory`.
    static func killFiveTimesThenRerun(
        into database: String, referenceIn directory: String, open: () async throws -> any ArchiveStore
    ) async throws {
        var config = SimulatorConfiguration.testWorld(
            seed: 7, guilds: 2, channels: 5, messages: 900, threads: 6, rateLimits: .discord)
        config.latency = .milliseconds(15)
        config.bucketOverrides = ["messages": .init(limit: 20, window: .seconds(1))]
        try await ArchiveHarness.withSimulator(config) { sim in
            let common = ["archive", "--token", sim.tokens[0], "--api-base", sim.apiBase]
            let reference = try await Self.runSkald(common + ["--db", "sqlite:\(directory)/reference.sqlite"])
            #expect(reference.status == 0, "uninterrupted run failed: \(reference.output)")

            // Five kills at different moments of progress: when a guild is planned (before or during its first
            // pages), then four times in the middle of channels, each while the simulator holds the next page of one
            // of them (after 0, 5, 15 and 30 continuing pages of that run): that channel's earlier pages fetched and
            // possibly still in an uncommitted page group, the other fetchers mid-page. Each run resumes what the
            // previous one left.
            let killPoints: [KillPoint] = [
                .line(prefix: "planned ", count: 1), .heldPage(after: 0), .heldPage(after: 5), .heldPage(after: 15),
                .heldPage(after: 30),
            ]
            var kills = 0
            for point in killPoints {
                let run = try await Self.runSkald(common + ["--db", database], killAt: point, sim: sim)
                if run.killed { kills += 1 } else { #expect(run.status == 0, "\(run.output)") }
            }
            #expect(kills == killPoints.count, "the runs finished before reaching \(killPoints): make the world larger")
            let final = try await Self.runSkald(common + ["--db", database])
            #expect(final.status == 0, "final run failed: \(final.output)")

            let crashed = try await Self.fingerprint(open())
            let uninterrupted = try await Self.fingerprint(SQLiteArchiveStore(path: "\(directory)/reference.sqlite"))
            #expect(crashed.count == uninterrupted.count)
            #expect(crashed == uninterrupted)
        }
    }

    /// Killed while a media file is half written (the simulator holds the download halfway through its body), then
    /// rerun: the media folder holds exactly an uninterrupted run's files, whole, and no partial file.
    @Test func killedMidMediaDownloadThenRerunHasEveryFileWhole() async throws {
        let config = SimulatorConfiguration.testWorld(seed: 11, channels: 2, messages: 150, threads: 2)
        try await ArchiveHarness.withSimulator(config) { sim in
            try await ArchiveHarness.withTemporaryDirectory { dir in
                let common = ["archive", "--token", sim.tokens[0], "--api-base", sim.apiBase, "--media"]
                let reference = try await Self.runSkald(common + ["--db", "sqlite:\(dir)/reference/a.sqlite"])
                #expect(reference.status == 0, "uninterrupted run failed: \(reference.output)")
                let expected = Self.mediaFiles(in: "\(dir)/reference/media")
                #expect(expected.count > 3, "the world has too few attachments: \(expected.count)")
                let database = ["--db", "sqlite:\(dir)/crashed/a.sqlite"]
                for after in [0, 3] {
                    let run = try await Self.runSkald(common + database, killAt: .heldDownload(after: after), sim: sim)
                    #expect(run.killed, "the run ended before its download \(after + 1): \(run.output)")
                }
                let final = try await Self.runSkald(common + database)
                #expect(final.status == 0, "final run failed: \(final.output)")
                #expect(Self.mediaFiles(in: "\(dir)/crashed/media") == expected)
            }
        }
    }

    /// Every file under `folder` (relative path and size), partial files included.
    static func mediaFiles(in folder: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: folder)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            let attributes = try? FileManager.default.attributesOfItem(atPath: folder + "/" + path)
            guard attributes?[.type] as? FileAttributeType == .typeRegular else { continue }
            files.append("\(path) \(attributes?[.size] as? Int ?? -1)")
        }
        return files.sorted()
    }

    @Test func badTokenExitsOneWithAClearMessage() async throws {
        let config = SimulatorConfiguration.testWorld(
            seed: 1, channels: 1, messages: 5, threads: 6, rateLimits: .discord)
        try await ArchiveHarness.withSimulator(config) { sim in
            try await ArchiveHarness.withTemporaryDirectory { dir in
                let run = try await Self.runSkald([
                    "archive", "--token", "wrong-token-xyz", "--api-base", sim.apiBase, "--db",
                    "sqlite:\(dir)/a.sqlite",
                ])
                #expect(run.status == 1)
                #expect(run.output.contains("rejected the bot token"))
                #expect(!run.output.contains("wrong-token-xyz"))
                // The user and the guild list go out at once; nothing after them.
                #expect(await sim.stats().requests <= 2)
            }
        }
    }

    @Test func hiddenChannelsMakeNoPartialExit() async throws {
        let config = SimulatorConfiguration.testWorld(seed: 1, channels: 5, messages: 60, threads: 6)
        try await ArchiveHarness.withSimulator(config) { sim in
            try await ArchiveHarness.withTemporaryDirectory { dir in
                let run = try await Self.runSkald([
                    "archive", "--token", sim.tokens[0], "--api-base", sim.apiBase, "--db", "sqlite:\(dir)/a.sqlite",
                ])
                #expect(run.status == 0, "\(run.output)")
                #expect(run.output.contains("skipped"))
                #expect(run.output.contains("Archive complete."))
            }
        }
    }
}
