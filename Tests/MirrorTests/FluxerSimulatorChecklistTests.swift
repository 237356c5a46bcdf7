import DiscordREST
import FluxerSimulator
import Foundation
import Logging
import Mirror
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// fluxer-sim against fluxer-api.md §7, item by item where the mirror tests do not already cover it.
@Suite("fluxer-sim checklist", .serialized)
struct FluxerSimulatorChecklistTests {
    static func withFluxer(
        _ flavour: FluxerSimulatorConfiguration.Flavour, frozenAt instant: Date? = nil,
        _ body: (FluxerSimulatorServer) async throws -> Void
    ) async throws {
        var configuration = FluxerSimulatorConfiguration()
        configuration.flavour = flavour
        if let instant { configuration.now = { instant } }
        try await FluxerSimulatorServer.withRunning(configuration, body)
    }

    /// Runs `body` with a REST client for the fake Fluxer's bot, closed afterwards whether `body` returns or throws.
    static func withClient<T>(_ fluxer: FluxerSimulatorServer, _ body: (DiscordClient) async throws -> T)
        async throws -> T
    {
        try await DiscordClientFactory.forTests(apiBase: fluxer.baseURL + "/v1", logger: Logger(label: "test"))
            .withClient(token: fluxer.token, body)
    }

    /// One raw request (no limiter): its status.
    static func status(_ fluxer: FluxerSimulatorServer, _ method: String, _ path: String, json: String) async throws
        -> Int
    {
        var request = URLRequest(url: URL(string: fluxer.baseURL + "/v1" + path)!)
        request.httpMethod = method
        request.setValue("Bot \(fluxer.token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(json.utf8)
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    /// Item 15: overwrite PUTs share `channel:update::channel_id` with PATCH /channels/{c} (20 per 10 s).
    @Test func overwritesShareTheChannelUpdateBucket() async throws {
        // Time stands still, so the bucket's window cannot lapse while a loaded machine sends the 20 overwrites.
        try await Self.withFluxer(.newer, frozenAt: Date(timeIntervalSince1970: 1_800_000_000)) { fluxer in
            let channel = try await Self.withClient(fluxer) { client in
                let target = FluxerTarget(client: client, guild: fluxer.guildID)
                return try #require(try await target.channels().first { $0.type == 0 })
            }
            for role in 0..<20 {
                let status = try await Self.status(
                    fluxer, "PUT", "/channels/\(channel.id)/permissions/\(fluxer.guildID + UInt64(role))",
                    json: #"{"type":0,"allow":"0","deny":"0"}"#)
                #expect(status == 204)
            }
            #expect(try await Self.status(fluxer, "PATCH", "/channels/\(channel.id)", json: "{}") == 429)
        }
    }

    /// Item 22: [B] a bot message nonce reused in another channel → 404 `UNKNOWN_MESSAGE`; in the same channel, a
    /// duplicate.
    @Test func baselineNonceReuse() async throws {
        try await Self.withFluxer(.baseline) { fluxer in
            let (general, other) = try await Self.withClient(fluxer) { client in
                let target = FluxerTarget(client: client, guild: fluxer.guildID)
                let general = try #require(try await target.channels().first { $0.type == 0 })
                let other = try await target.createChannel(
                    name: "other", type: 0, topic: nil, parent: nil, overwrites: [])
                return (general, other)
            }
            let body = #"{"content":"hello","nonce":"n-1"}"#
            #expect(try await Self.status(fluxer, "POST", "/channels/\(general.id)/messages", json: body) == 200)
            #expect(try await Self.status(fluxer, "POST", "/channels/\(general.id)/messages", json: body) == 200)
            #expect(try await Self.status(fluxer, "POST", "/channels/\(other)/messages", json: body) == 404)
            #expect(await fluxer.messageContents()["general"] == ["hello", "hello"])
        }
    }

    /// Item 16: once a text channel is NSFW every bot call on it is 403 `NSFW_CONTENT_AGE_RESTRICTED`; a webhook
    /// made before still posts. Item 27: [B] bot sends wait for a gateway session (test hook).
    @Test func nsfwTrapAndSessionGate() async throws {
        var configuration = FluxerSimulatorConfiguration()
        configuration.flavour = .baseline
        configuration.requireSession = true
        try await FluxerSimulatorServer.withRunning(configuration) { fluxer in
            try await Self.withClient(fluxer) { client in
                let target = FluxerTarget(client: client, guild: fluxer.guildID)
                let channel = try await target.createChannel(
                    name: "late", type: 0, topic: nil, parent: nil, overwrites: [])
                let webhook = try await target.createWebhook(channel: channel, name: "w")
                let body = #"{"content":"hi"}"#
                #expect(try await Self.status(fluxer, "POST", "/channels/\(channel)/messages", json: body) == 400)
                var start = URLRequest(url: URL(string: fluxer.baseURL + "/__fluxer/session")!)
                start.httpMethod = "POST"
                _ = try await URLSession.shared.data(for: start)
                #expect(try await Self.status(fluxer, "POST", "/channels/\(channel)/messages", json: body) == 200)
                #expect(try await Self.status(fluxer, "PATCH", "/channels/\(channel)", json: #"{"nsfw":true}"#) == 200)
                #expect(try await Self.status(fluxer, "GET", "/channels/\(channel)", json: "") == 403)
                #expect(try await Self.status(fluxer, "POST", "/channels/\(channel)/messages", json: body) == 403)
                _ = try await target.execute(
                    webhook: webhook.id, token: webhook.token, content: "still", username: "u", avatarURL: nil,
                    nonce: nil)
                #expect(await fluxer.messageContents()["late"] == ["hi", "still"])
            }
        }
    }
}
