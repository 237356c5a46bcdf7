import DiscordModels
import DiscordREST
import DiscordSimulator
import Foundation
import Logging
import TestSupport
import Testing

/// The client against the real simulator over loopback HTTP.
@Suite(.serialized) struct SimulatorPagingTests {
    /// Pages every channel at once; returns, per channel, the pages as received.
    func pageAll(_ client: DiscordClient, channels: [Snowflake<Channel>]) async throws
        -> [Snowflake<Channel>: [[Decoded<Message>]]]
    {
        try await withThrowingTaskGroup(of: (Snowflake<Channel>, [[Decoded<Message>]]).self) { group in
            for channel in channels {
                group.addTask {
                    var pages: [[Decoded<Message>]] = []
                    for try await page in client.messages(in: channel, after: Snowflake(0)) { pages.append(page) }
                    return (channel, pages)
                }
            }
            var result: [Snowflake<Channel>: [[Decoded<Message>]]] = [:]
            for try await (channel, pages) in group { result[channel] = pages }
            return result
        }
    }

    /// Text channels the token can read, from the client itself (guild list, then channels).
    func textChannels(_ client: DiscordClient, admin: SimulatorAdmin) async throws -> [Snowflake<Channel>] {
        var channels: [Snowflake<Channel>] = []
        for try await page in client.guilds() {
            for guild in page {
                let readable = Set(try await admin.readableTextChannels(in: guild.value.id))
                let listed = try await client.guildChannels(guild.value.id)
                channels += listed.map(\.value.id).filter { readable.contains($0) }
            }
        }
        return channels.sorted()
    }

    func verify(
        _ pages: [Snowflake<Channel>: [[Decoded<Message>]]], admin: SimulatorAdmin, pageSize: Int = 100
    ) async throws {
        for (channel, channelPages) in pages {
            let truth = try await admin.messages(in: channel)
            let received = channelPages.flatMap { $0 }
            #expect(received.map(\.value.id.rawValue) == truth.map(\.id), "channel \(channel)")
            #expect(Set(received.map(\.value.id)).count == received.count, "duplicates in channel \(channel)")
            for (message, expected) in zip(received, truth) where expected.content != nil {
                #expect(message.value.content == expected.content)
            }
            // Each page is ascending, pages follow each other, all but the last are full.
            for (index, page) in channelPages.enumerated() {
                #expect(page.map(\.value.id) == page.map(\.value.id).sorted())
                if index + 1 < channelPages.count {
                    #expect(page.count == pageSize)
                    #expect(page.last!.value.id < channelPages[index + 1].first!.value.id)
                }
            }
            // The raw JSON kept for each message decodes to the same id.
            if let first = received.first {
                let again = try Decoded<Message>(decoding: first.json)
                #expect(again.value == first.value)
            }
        }
    }

    /// Twenty channels paged at once under Discord's limits draw no user or global 429. The simulator runs in the
    /// test's process, sharing two cores with the tests beside it, so a request can reach it 50-100 ms or more after
    /// the client sent it (over a network, a few ms): more than any margin on the send instants covers (a margin of
    /// 150 ms still drew one global 429 beside the whole suite). The client holds each global slot until a window
    /// after the answer (`GlobalWindow`), which no lateness defeats: these tests run with the client's defaults and
    /// assert no global 429.
    /// A page `limit` outside 1…100 is sent within it: Discord answers 400 50035 to `limit=0` or `limit=500`, and
    /// before the client sent either as given.
    @Test func aMessagePageLimitOutsideDiscordsRangeIsSentWithinIt() async throws {
        let config = SimulatorConfiguration.testWorld(seed: 14, channels: 2, messages: 150, rateLimits: .off)
        try await withSimulator(config) { _, client, admin in
            let channel = try #require(try await textChannels(client, admin: admin).first)
            #expect(try await client.messagePage(in: channel, limit: 0).count == 1)
            #expect(try await client.messagePage(in: channel, limit: 500).count == 100)
            #expect(try await client.indexedMessagePage(in: channel, after: Snowflake(0), limit: -3).count == 1)
        }
    }

    @Test func twentyChannelsPagedConcurrentlyUnderDiscordLimitsGetNoUserOrGlobal429s() async throws {
        let config = SimulatorConfiguration.testWorld(
            seed: 11, guilds: 2, channels: 16, messages: 750, rateLimits: .discord)
        try await withSimulator(config) { _, client, admin in
            let channels = Array(try await textChannels(client, admin: admin).prefix(20))
            #expect(channels.count == 20)
            let pages = try await pageAll(client, channels: channels)
            try await verify(pages, admin: admin)
            let stats = try await admin.stats()
            let limited = stats["rateLimited"] as? [String: Any] ?? [:]
            // The simulator tallies each successfully served page; faulted answers are not tallied.
            #expect(SimulatorAdmin.int(stats["duplicatePages"]) == 0)
            #expect(SimulatorAdmin.int(limited["user"]) == 0)
            #expect(SimulatorAdmin.int(limited["global"]) == 0)
            #expect(await client.invalidRequestCount() == 0)
        }
    }

    @Test func globalBoundPagingStaysUnderFiftyPerSecond() async throws {
        var config = SimulatorConfiguration.testWorld(
            seed: 12, guilds: 2, channels: 16, messages: 700, rateLimits: .discord)
        // Roomy per-channel buckets: 20 channels could send 400/s, so the global 50/s is the ceiling.
        config.bucketOverrides = ["messages": .init(limit: 20, window: .seconds(1))]
        try await withSimulator(config) { _, client, admin in
            let channels = Array(try await textChannels(client, admin: admin).prefix(20))
            let pages = try await pageAll(client, channels: channels)
            try await verify(pages, admin: admin)
            let stats = try await admin.stats()
            let limited = stats["rateLimited"] as? [String: Any] ?? [:]
            // The simulator tallies each successfully served page; faulted answers are not tallied.
            #expect(SimulatorAdmin.int(stats["duplicatePages"]) == 0)
            #expect(SimulatorAdmin.int(limited["user"]) == 0)
            #expect(SimulatorAdmin.int(limited["global"]) == 0)
        }
    }

    @Test func faultsAreRetriedAndEveryMessageArrivesOnce() async throws {
        var config = SimulatorConfiguration.testWorld(seed: 13, channels: 8, messages: 800, rateLimits: .discord)
        config.bucketOverrides = ["messages": .init(limit: 50, window: .seconds(1))]
        config.faultRate = 0.05
        let configure: (inout DiscordClientConfiguration) -> Void = { configuration in
            configuration.retry = RetryPolicy(
                maxRetries: 8, initialBackoff: .milliseconds(20), maxBackoff: .milliseconds(200))
            configuration.requestTimeout = TestDeadline.clientRequest
        }
        try await withSimulator(config, configure: configure) { _, client, admin in
            let channels = try await textChannels(client, admin: admin)
            #expect(!channels.isEmpty)
            let pages = try await pageAll(client, channels: channels)
            try await verify(pages, admin: admin)
            let stats = try await admin.stats()
            let faults = stats["faults"] as? [String: Any] ?? [:]
            #expect(SimulatorAdmin.int(faults["total"]) > 0, "the simulator injected no fault")
            let limited = stats["rateLimited"] as? [String: Any] ?? [:]
            // The simulator tallies each successfully served page; faulted answers are not tallied.
            #expect(SimulatorAdmin.int(stats["duplicatePages"]) == 0)
            #expect(SimulatorAdmin.int(limited["user"]) == 0)
            #expect(SimulatorAdmin.int(limited["global"]) == 0)
        }
    }

    /// An answer past `maxResponseBytes` fails as a transport error whether it came compressed or not (the
    /// collector refuses its announced length, or the inflater stops at the limit), and is sent again as one; the
    /// small answers before it are read whole.
    @Test(arguments: [true, false]) func answersPastTheSizeLimitFail(compression: Bool) async throws {
        var config = SimulatorConfiguration.testWorld(seed: 15, channels: 3, messages: 150, rateLimits: .off)
        config.compression = compression
        let configure: (inout DiscordClientConfiguration) -> Void = {
            $0.maxResponseBytes = 16 << 10
            $0.retry.maxRetries = 1
            $0.retry.initialBackoff = .milliseconds(1)
        }
        try await withSimulator(config, configure: configure) { _, client, admin in
            let channels = try await textChannels(client, admin: admin)
            let channel = try #require(channels.first)
            let before = SimulatorAdmin.int(try await admin.stats()["requests"])
            let error = await #expect(throws: DiscordRESTError.self) {
                _ = try await client.indexedMessagePage(in: channel, after: Snowflake(0))
            }
            #expect(error?.code == .transport)
            #expect("\(error.map { String(describing: $0) } ?? "")".contains("NIOTooManyBytesError"))
            // The page was asked for twice: once, then once more (`maxRetries` 1).
            #expect(SimulatorAdmin.int(try await admin.stats()["requests"]) - before == 2)
            // A page that fits is read as before.
            let small = try await client.indexedMessagePage(in: channel, after: Snowflake(0), limit: 2)
            #expect(small.count == 2)
        }
    }

    /// The client asks for gzip (`Accept-Encoding: gzip, deflate`) and inflates what Discord sends: pages through the
    /// simulator's gzip are the very bytes it sends uncompressed (`--no-compression`), message for message.
    @Test func pagesThroughGzipAreTheSameBytes() async throws {
        func pages(compression: Bool) async throws -> (json: [[UInt8]], compressed: Int) {
            var config = SimulatorConfiguration.testWorld(seed: 14, channels: 3, messages: 250, rateLimits: .off)
            config.compression = compression
            // One instant for both runs: attachment URLs are signed with the time.
            config.clock = SimulatorClock { 1_790_000_000 }
            var json: [[UInt8]] = []
            var compressed = 0
            try await withSimulator(config) { sim, client, admin in
                let channels = try await textChannels(client, admin: admin)
                #expect(!channels.isEmpty)
                let paged = try await pageAll(client, channels: channels)
                try await verify(paged, admin: admin)
                // The two simulators' ports differ, and attachment URLs name them.
                let base = Array(sim.baseURL.utf8)
                for channel in channels {
                    json += (paged[channel] ?? []).flatMap { $0 }.map {
                        Array($0.json).replacing(base, with: [UInt8]())
                    }
                }
                compressed = SimulatorAdmin.int(try await admin.stats()["compressedAnswers"])
            }
            return (json, compressed)
        }
        let gzip = try await pages(compression: true)
        let identity = try await pages(compression: false)
        #expect(gzip.compressed > 0, "the simulator compressed no answer")
        #expect(identity.compressed == 0)
        #expect(!gzip.json.isEmpty)
        #expect(gzip.json.count == identity.json.count)
        let differing = zip(gzip.json, identity.json).filter { $0.0 != $0.1 }.count
        #expect(differing == 0, "messages through gzip that differ from the uncompressed ones")
    }

    @Test func badTokenStopsAfterExactlyOneRequestWithAClearError() async throws {
        let config = SimulatorConfiguration.testWorld(
            seed: 1, channels: 2, messages: 10, threads: 6, rateLimits: .discord)
        let secret = "definitely-not-a-valid-token-\(UInt64.random(in: 1...UInt64.max))"
        try await withSimulator(config, token: secret) { _, client, admin in
            let error = await #expect(throws: DiscordRESTError.self) { try await client.currentUser() }
            #expect(error?.code == .unauthorized)
            #expect(error?.status == 401)
            #expect(error?.route == "GET /users/@me")
            let text = String(describing: error)
            #expect(!text.contains(secret))
            #expect(text.contains("401"))
            // The client refuses further requests without sending them.
            let second = await #expect(throws: DiscordRESTError.self) {
                for try await _ in client.messages(in: Snowflake(1), after: Snowflake(0)) {}
            }
            #expect(second?.code == .unauthorized)
            #expect(!String(describing: second).contains(secret))
            let stats = try await admin.stats()
            #expect(SimulatorAdmin.int(stats["requests"]) == 1)
        }
    }
}
