import AsyncHTTPClient
import DiscordModels
import DiscordREST
import DiscordSimulator
import Foundation
import Logging
import TestSupport

/// Reads the simulator's test-only `/__sim/` surface over HTTP.
struct SimulatorAdmin {
    let baseURL: String

    /// `GET /__sim/...` decoded as JSON (`JSONSerialization` objects).
    func get(_ path: String) async throws -> Any {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .GET
        let response = try await HTTPClient.shared.execute(request, timeout: TestDeadline.request)
        let body = try await response.body.collect(upTo: 256 << 20)
        return try JSONSerialization.jsonObject(with: Data(body.readableBytesView))
    }

    /// `/__sim/stats` as a dictionary.
    func stats() async throws -> [String: Any] {
        try await get("/__sim/stats") as? [String: Any] ?? [:]
    }

    /// Non-deleted message ids of a channel, ascending, with their content when the truth carries it.
    func messages(in channel: Snowflake<Channel>) async throws -> [(id: UInt64, content: String?)] {
        let rows = try await get("/__sim/truth/channels/\(channel)/messages") as? [[String: Any]] ?? []
        return rows.compactMap { row in
            if row["deleted"] as? Bool == true { return nil }
            guard let id = Self.uint64(row["id"]) else { return nil }
            return (id, row["content"] as? String)
        }
    }

    /// Readable text-like channels of a guild per the truth.
    func readableTextChannels(in guild: Snowflake<Guild>) async throws -> [Snowflake<Channel>] {
        try await channels(in: guild, flag: "readable")
    }

    /// Text-like channels of a guild whose truth row has `flag` (`readable`, `viewable`) true.
    func channels(in guild: Snowflake<Guild>, flag: String) async throws -> [Snowflake<Channel>] {
        let rows = try await get("/__sim/truth/guilds/\(guild)/channels") as? [[String: Any]] ?? []
        return rows.compactMap { row in
            guard row[flag] as? Bool != false, let type = row["type"] as? Int, type == 0 || type == 5,
                let id = Self.uint64(row["id"])
            else { return nil }
            return Snowflake<Channel>(id)
        }
    }

    static func uint64(_ value: Any?) -> UInt64? {
        if let text = value as? String { return UInt64(text) }
        if let number = value as? NSNumber { return number.uint64Value }
        return nil
    }

    static func int(_ value: Any?) -> Int { (value as? NSNumber)?.intValue ?? 0 }
}

extension Logger {
    /// A quiet logger for tests.
    static let test: Logger = {
        var logger = Logger(label: "skald.tests.rest")
        logger.logLevel = .warning
        return logger
    }()
}

/// Starts a simulator and a client on `token` (its first token when `nil`), runs `body` with them and the admin reader, and shuts both
/// down (TestSupport's ``SimulatorServer/withClient``).
func withSimulator(
    _ config: SimulatorConfiguration, token: String? = nil,
    configure: (inout DiscordClientConfiguration) -> Void = { _ in },
    _ body: (SimulatorServer, DiscordClient, SimulatorAdmin) async throws -> Void
) async throws {
    try await SimulatorServer.withClient(config, token: token, logger: .test, configure: configure) { sim, client in
        try await body(sim, client, SimulatorAdmin(baseURL: sim.baseURL))
    }
}

/// Collects every page of a sequence.
func collect<Page>(_ pages: PageSequence<Page>) async throws -> [Page] {
    var result: [Page] = []
    for try await page in pages { result.append(page) }
    return result
}
