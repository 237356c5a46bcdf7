import Archive
import ArchiveStore
import AsyncHTTPClient
import DiscordModels
import DiscordSimulator
import Foundation
import Logging
import NIOCore
import SQLiteStore
import TestSupport

enum ClipsHarness {
    static let logger = QuietLogger.make("skald.tests.clips")

    static func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
        try await TemporaryDirectory.with(prefix: "clips-tests", body)
    }

    /// The acceptance check's world: seed 29, one guild, four channels of 400 messages, two threads.
    static func withSimulator<T>(messages: Int = 400, _ body: (SimulatorServer) async throws -> T) async throws -> T {
        let config = SimulatorConfiguration.testWorld(seed: 29, channels: 4, messages: messages, threads: 2)
        return try await SimulatorServer.withRunning(config, body)
    }

    static func archiveConfiguration(_ sim: SimulatorServer) -> ArchiveConfiguration {
        var archive = ArchiveConfiguration(accounts: [.init(name: "test", token: sim.tokens[0])])
        archive.apiBase = sim.apiBase
        return archive
    }

    /// Archives the whole simulator into `store`.
    static func archive(_ sim: SimulatorServer, into store: any ArchiveStore) async throws {
        let engine = ArchiveEngine(
            configuration: archiveConfiguration(sim), store: store, observer: SilentArchiveObserver(), logger: logger)
        _ = try await engine.run()
    }

    /// `GET path` on the simulator (or any base URL) as JSON.
    static func getJSON(_ url: String) async throws -> Any {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: TestDeadline.request)
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return try JSONSerialization.jsonObject(with: Data(buffer: bytes))
    }

    /// `GET url`: the status code.
    static func status(_ url: String) async throws -> UInt {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: TestDeadline.request)
        _ = try await response.body.collect(upTo: 1 << 20)
        return response.status.code
    }

    /// The simulator's clip truth as `messageId/channelId/kind/provider` lines, sorted.
    static func truthClips(_ sim: SimulatorServer) async throws -> [String] {
        let rows = try await getJSON(sim.baseURL + "/__sim/truth/clips") as? [[String: Any]] ?? []
        return rows.map { row in
            "\(row["messageId"] ?? "")/\(row["channelId"] ?? "")/\(row["kind"] ?? "")/\(row["provider"] ?? "")"
        }.sorted()
    }

    /// Recorded clips in the same form.
    static func lines(_ clips: [ClipRecord]) -> [String] {
        clips.map { "\($0.messageId)/\($0.channelId)/\($0.kind)/\($0.provider)" }.sorted()
    }

    @discardableResult
    static func post(_ sim: SimulatorServer, _ path: String, _ body: [String: Any] = [:]) async throws -> [String: Any]
    {
        try await SimulatorAdmin.postForObject(sim, path, body)
    }

    /// A readable text channel of the first guild.
    static func readableTextChannel(_ sim: SimulatorServer) async -> Snowflake<DiscordModels.Channel>? {
        for id in sim.channelIDs(guild: sim.guildIDs[0]) {
            if let truth = await sim.truthChannel(id), truth.readable, truth.type == .guildText { return id }
        }
        return nil
    }
}

extension ClipsHarness {
    /// `GET url` as text.
    static func text(_ url: String) async throws -> String {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: TestDeadline.request)
        return String(buffer: try await response.body.collect(upTo: 1 << 20))
    }
}
