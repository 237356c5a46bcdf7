import Archive
import ArchiveStore
import AsyncHTTPClient
import DiscordModels
import DiscordREST
import DiscordSimulator
import Foundation
import Live
import Logging
import NIOCore
import SQLiteStore
import TestSupport
import Testing

/// An observer that wakes waiting tests after each commit, so they re-check the archive on events, not on timers.
final class CommitSignal: LiveObserver, @unchecked Sendable {
    // @unchecked Sendable: `generation`, `waiters` and `seenNotes` are only touched while holding `lock`.
    private let lock = NSLock()
    private var generation = 0
    private var waiters: [(Int, CheckedContinuation<Void, Never>)] = []
    private var seenNotes: [String] = []

    func live(_ progress: LiveProgress) { signal() }
    func live(note: String) {
        lock.withLock { seenNotes.append(note) }
        signal()
    }

    /// The notes received so far.
    var notes: [String] { lock.withLock { seenNotes } }

    func signal() {
        let ready: [CheckedContinuation<Void, Never>] = lock.withLock {
            generation += 1
            let ready = waiters.map(\.1)
            waiters.removeAll()
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    var current: Int { lock.withLock { generation } }

    /// Returns after the next signal following `seen`.
    func next(after seen: Int) async {
        await withCheckedContinuation { continuation in
            let now: Bool = lock.withLock {
                if generation > seen { return true }
                waiters.append((seen, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Re-checks `condition` after every commit until it holds; throws `CancellationError` once the task is
    /// cancelled (a test's time limit), instead of waiting on.
    func waitUntil(_ condition: () async throws -> Bool) async throws {
        while true {
            try Task.checkCancellation()
            let seen = current
            if try await condition() { return }
            await withTaskCancellationHandler {
                await next(after: seen)
            } onCancel: {
                signal()
            }
        }
    }
}

enum LiveHarness {
    static let logger = QuietLogger.make("skald.tests.live")

    static func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
        try await TemporaryDirectory.with(prefix: "live-tests", body)
    }

    static func withSimulator<T>(
        messages: Int = 60, guilds: Int = 1, _ body: (SimulatorServer) async throws -> T
    ) async throws -> T {
        let config = SimulatorConfiguration.testWorld(
            seed: 21, guilds: guilds, channels: 3, messages: messages, threads: 2)
        return try await SimulatorServer.withRunningWithinDeadline(config, body)
    }

    /// Stops `live` and returns what its `run` task returned. A run still going ``TestDeadline/shutdown`` after the
    /// stop is cancelled and fails the test (``HangDetected``), whether or not the cancellation ends it: the run is a
    /// task of its own, which the test's time limit never reaches.
    static func stop(_ live: LiveCapture, _ run: Task<LiveProgress, any Error>) async throws -> LiveProgress {
        live.stop()
        if await finishes(within: TestDeadline.shutdown, { _ = try? await run.value }) {
            return try await run.value
        }
        run.cancel()
        let ended = await finishes(within: TestDeadline.shutdown) { _ = try? await run.value }
        throw HangDetected(
            "the watch did not end within \(TestDeadline.shutdown) of stop()"
                + (ended ? "; cancelling its task ended it" : ", nor once its task was cancelled"))
    }

    /// Runs `body` with a simulator whose invalid-request ban (earned after 3 invalid answers, lasting 3,600 s) runs
    /// on `time`, a folder, and the `clock` of the watch's edge gate: a test advances both together.
    static func withBanningSimulator(
        seed: UInt64, channels: Int, messages: Int,
        _ body: (SimulatorServer, String, VirtualTime, TestClock) async throws -> Void
    ) async throws {
        let time = VirtualTime()
        let clock = TestClock()
        var config = SimulatorConfiguration.testWorld(seed: seed, channels: channels, messages: messages)
        config.invalidRequestThreshold = 3
        config.clock = time.clock
        try await SimulatorServer.withRunningWithinDeadline(config) { sim in
            try await withTemporaryDirectory { dir in try await body(sim, dir, time, clock) }
        }
    }

    /// A watch of `sim` whose REST clients share `gate` (a long-running command's: it waits bans out).
    static func capture(
        _ sim: SimulatorServer, store: any ArchiveStore & LiveCaptureStore, observer: any LiveObserver,
        gate: EdgeRefusalGate
    ) -> LiveCapture {
        var clients = DiscordClientFactory(apiBase: sim.apiBase, logger: logger)
        clients.edgeRefusals = gate
        return LiveCapture(
            configuration: liveConfiguration(sim), store: store, observer: observer, logger: logger,
            io: ArchiveIO(clients: clients))
    }

    static func liveConfiguration(_ sim: SimulatorServer) -> LiveConfiguration {
        var archive = ArchiveConfiguration(accounts: [.init(name: "test", token: sim.tokens[0])])
        archive.apiBase = sim.apiBase
        var configuration = LiveConfiguration(archive: archive)
        configuration.session.invalidSessionDelay = 0...0
        return configuration
    }

    /// Whether the archive holds exactly the simulator's live messages in every readable channel.
    static func archiveMatchesTruth(_ sim: SimulatorServer, _ store: any ArchiveStore) async throws -> Bool {
        for guild in sim.guildIDs {
            for id in sim.channelIDs(guild: guild) + sim.threadIDs(guild: guild) {
                guard let truth = await sim.truthChannel(id), truth.readable, truth.type.holdsMessages else { continue }
                let archived = try await store.messageIDs(in: id, includeDeleted: false)
                if archived != (await sim.truthMessageIDs(channel: id)) { return false }
            }
        }
        return true
    }

    @discardableResult
    static func post(_ sim: SimulatorServer, _ path: String, _ body: [String: Any] = [:]) async throws -> [String: Any]
    {
        try await SimulatorAdmin.postForObject(sim, path, body)
    }

    static func create(_ sim: SimulatorServer, channel: Snowflake<DiscordModels.Channel>, content: String) async throws
        -> Snowflake<Message>
    {
        let body = try await post(
            sim, "/__sim/mutate", ["op": "create", "channelId": "\(channel)", "content": content])
        return Snowflake(UInt64(body["id"] as? String ?? "") ?? 0)
    }

    static func skaldBinary() throws -> String {
        try SkaldBinary.path()
    }
}
