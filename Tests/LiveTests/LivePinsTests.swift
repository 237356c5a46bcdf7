import ArchiveStore
import AsyncHTTPClient
import DiscordModels
import DiscordREST
import DiscordSimulator
import Foundation
import Live
import NIOCore
import SQLiteStore
import TestSupport
import Testing

/// Pins seen live: CHANNEL_PINS_UPDATE was ignored, so a pin or an unpin left the archive's pins as the backfill saw
/// them. Now the channel's pins are read again, and the archive's pinned messages (with `pinned_at`) equal the REST
/// pins route after each change.
extension LiveCaptureTests {
    /// The pins route as REST gives it now: message id → `pinned_at`.
    static func restPins(_ sim: SimulatorServer, channel: Snowflake<DiscordModels.Channel>) async throws
        -> [Snowflake<Message>: String]
    {
        try await DiscordClientFactory(apiBase: sim.apiBase, logger: H.logger).withClient(token: sim.tokens[0]) {
            client in
            var pins: [Snowflake<Message>: String] = [:]
            for try await page in client.pins(in: channel) {
                for item in page.items { pins[item.value.message.id] = item.value.pinnedAt.rawValue }
            }
            return pins
        }
    }

    /// The archive's pins: the messages stored as pinned (not deleted), with their stored `pinned_at`.
    static func archivedPins(_ store: any ArchiveStore & LiveCaptureStore, channel: Snowflake<DiscordModels.Channel>)
        async throws
        -> (pinned: Set<Snowflake<Message>>, pinnedAt: [Snowflake<Message>: String])
    {
        let pinned = try await store.search(
            MessageSearch(channels: [channel], pinned: true, deleted: false), before: nil, limit: 1_000)
        return (Set(pinned.map(\.id)), try await store.pinTimes(in: channel))
    }

    /// `PUT` or `DELETE /channels/{c}/messages/pins/{m}` as the bot.
    static func setPin(
        _ sim: SimulatorServer, _ pinned: Bool, message: Snowflake<Message>,
        in channel: Snowflake<DiscordModels.Channel>
    ) async throws {
        var request = HTTPClientRequest(url: sim.apiBase + "/channels/\(channel)/messages/pins/\(message)")
        request.method = pinned ? .PUT : .DELETE
        request.headers.add(name: "Authorization", value: "Bot \(sim.tokens[0])")
        request.headers.add(name: "User-Agent", value: "DiscordBot (skald tests, 1)")
        let response = try await HTTPClient.shared.execute(request, timeout: TestDeadline.request)
        #expect(response.status == .noContent)
    }

    @Test func pinsAndUnpinsSeenLiveLeaveTheArchivesPinsEqualToThePinsRoute() async throws {
        try await H.withSimulator(messages: 60) { sim in
            try await H.withTemporaryDirectory { dir in
                try await Self.pinThenUnpinWhileWatching(
                    sim, store: try SQLiteArchiveStore(path: dir + "/archive.sqlite"))
            }
        }
    }

    /// Watches `sim` into `store` while the bot pins a message (REST), a moderator unpins one the backfill saw
    /// (`/__sim/mutate`) and the bot unpins its own: after each, the archive's pins equal the pins route, `pinned_at`
    /// included, and an unpinned message stays archived.
    static func pinThenUnpinWhileWatching(_ sim: SimulatorServer, store: any ArchiveStore & LiveCaptureStore)
        async throws
    {
        let signal = CommitSignal()
        let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0]
        _ = try await Self.watching(sim, store: store, signal: signal) {
            try await signal.waitUntil { try await H.archiveMatchesTruth(sim, store) }
            let generated = try await Self.restPins(sim, channel: channel)
            #expect(!generated.isEmpty)
            let messages = await sim.truthMessageIDs(channel: channel)
            let fresh = try #require(messages.first { generated[$0] == nil })
            let oldPin = try #require(generated.keys.min())
            func archiveEqualsTheRoute() async throws {
                let rest = try await Self.restPins(sim, channel: channel)
                let archived = try await Self.archivedPins(store, channel: channel)
                #expect(archived.pinned == Set(rest.keys))
                #expect(archived.pinnedAt == rest)
            }

            try await Self.setPin(sim, true, message: fresh, in: channel)
            try await signal.waitUntil { try await store.pinTimes(in: channel)[fresh] != nil }
            #expect(try await Self.restPins(sim, channel: channel).count == generated.count + 1)
            try await archiveEqualsTheRoute()
            // The pin's system message (type 6, naming the pinned message) came as a MESSAGE_CREATE.
            try await signal.waitUntil { try await H.archiveMatchesTruth(sim, store) }

            try await H.post(
                sim, "/__sim/mutate", ["op": "unpin", "channelId": "\(channel)", "messageId": "\(oldPin)"])
            try await signal.waitUntil {
                try await Self.archivedPins(store, channel: channel).pinned.contains(oldPin) == false
            }
            #expect(try await Self.restPins(sim, channel: channel)[oldPin] == nil)
            try await archiveEqualsTheRoute()
            // Unpinned, the message stays archived, as it now is.
            let unpinned = try #require(try await store.message(oldPin, in: channel))
            #expect(!unpinned.pinned)
            #expect(unpinned.deletedAt == nil)

            try await Self.setPin(sim, false, message: fresh, in: channel)
            try await signal.waitUntil { try await store.pinTimes(in: channel)[fresh] == nil }
            try await archiveEqualsTheRoute()
            #expect(try await H.archiveMatchesTruth(sim, store))
        }
    }
}
