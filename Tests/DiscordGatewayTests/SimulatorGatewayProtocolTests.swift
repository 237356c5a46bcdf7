import CompressNIO
import DiscordSimulator
import Foundation
import Logging
import NIOWebSocket
import Testing
import WSClient

/// The simulator's gateway spoken to frame by frame (reference §7 and fidelity items 31–35): what a client sees
/// when it follows the protocol, and when it does not.
@Suite("Simulator gateway protocol", .serialized, .timeLimit(.minutes(10)))
struct SimulatorGatewayProtocolTests {
    typealias H = GatewayTestHarness

    /// Reads JSON frames from the gateway.
    struct Reader {
        var iterator: WebSocketInboundMessageStream.AsyncIterator

        /// The next JSON payload, or nil when the connection ended.
        mutating func next() async throws -> [String: Any]? {
            while let message = try await iterator.next() {
                if case .text(let text) = message {
                    return try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                }
            }
            return nil
        }

        /// Skips payloads until one with `op` (and `t` for dispatches) arrives.
        mutating func next(op: Int, name: String? = nil) async throws -> [String: Any]? {
            while let payload = try await next() {
                if payload["op"] as? Int == op && (name == nil || payload["t"] as? String == name) { return payload }
            }
            return nil
        }
    }

    /// Connects, runs `script`, and returns the code of the close frame the simulator sent (nil if none).
    static func exchange(
        _ sim: SimulatorServer,
        _ script: @escaping @Sendable (inout Reader, WebSocketOutboundWriter) async throws -> Void
    ) async throws -> UInt16? {
        let frame = try await WebSocketClient.connect(
            url: sim.gatewayURL + "/?v=10&encoding=json", configuration: .init(maxFrameSize: 1 << 24),
            logger: H.logger
        ) { inbound, outbound, _ in
            var reader = Reader(iterator: inbound.messages(maxSize: 1 << 24).makeAsyncIterator())
            try await script(&reader, outbound)
            // Read until the server closes (the WebSocket layer finishes a close the script started).
            while try await reader.next() != nil {}
        }
        return frame.map { UInt16(webSocketErrorCode: $0.closeCode) }
    }

    /// Ends an exchange by having the simulator close (an unknown opcode: 4001), which it does at once.
    static func end(_ outbound: WebSocketOutboundWriter) async throws {
        try await outbound.write(.text("{\"op\":99}"))
    }

    static func json(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static func identify(_ token: String, intents: Int = 33_281) throws -> String {
        try json(["op": 2, "d": ["token": token, "intents": intents, "properties": ["os": "linux"]] as [String: Any]])
    }

    @Test func helloComesFirstAndEveryHeartbeatIsAcknowledged() async throws {
        try await H.withSimulator { sim in
            _ = try await Self.exchange(sim) { reader, outbound in
                let hello = try #require(try await reader.next())
                #expect(hello["op"] as? Int == 10)
                #expect((hello["d"] as? [String: Any])?["heartbeat_interval"] as? Int == 41_250)
                for _ in 0..<3 {
                    try await outbound.write(.text("{\"op\":1,\"d\":null}"))
                    #expect(try await reader.next()?["op"] as? Int == 11)
                }
                try await Self.end(outbound)
            }
        }
    }

    @Test func protocolErrorsCloseWithDiscordsCodes() async throws {
        try await H.withSimulator { sim in
            let token = sim.tokens[0]
            // A payload other than IDENTIFY/RESUME/heartbeat before identifying: 4003.
            let notIdentified = try await Self.exchange(sim) { reader, outbound in
                _ = try await reader.next(op: 10)
                try await outbound.write(.text("{\"op\":8,\"d\":{\"guild_id\":\"1\"}}"))
            }
            #expect(notIdentified == 4003)
            // A second IDENTIFY: 4005.
            let secondIdentify = try await Self.exchange(sim) { reader, outbound in
                _ = try await reader.next(op: 10)
                try await outbound.write(.text(try Self.identify(token)))
                _ = try await reader.next(op: 0, name: "READY")
                try await outbound.write(.text(try Self.identify(token)))
            }
            #expect(secondIdentify == 4005)
            // More than 4096 bytes: 4002. Not JSON: 4002. An unknown opcode: 4001.
            let oversize = try await Self.exchange(sim) { _, outbound in
                try await outbound.write(.text("{\"op\":1,\"d\":\"" + String(repeating: "x", count: 5000) + "\"}"))
            }
            #expect(oversize == 4002)
            let notJSON = try await Self.exchange(sim) { _, outbound in try await outbound.write(.text("not json")) }
            #expect(notJSON == 4002)
            let unknownOpcode = try await Self.exchange(sim) { _, outbound in
                try await outbound.write(.text("{\"op\":99}"))
            }
            #expect(unknownOpcode == 4001)
            // More than 120 payloads in 60 s: 4008.
            let overSendLimit = try await Self.exchange(sim) { _, outbound in
                for _ in 0..<121 { try await outbound.write(.text("{\"op\":1,\"d\":null}")) }
            }
            #expect(overSendLimit == 4008)
            // A bad token: 4004. Undefined intents: 4013.
            let badToken = try await Self.exchange(sim) { _, outbound in
                try await outbound.write(.text(try Self.identify("x")))
            }
            #expect(badToken == 4004)
            let undefinedIntent = try await Self.exchange(sim) { _, outbound in
                try await outbound.write(.text(try Self.identify(token, intents: 1 << 40)))
            }
            #expect(undefinedIntent == 4013)
        }
    }

    @Test func readyListsGuildsUnavailableThenOneGuildCreateEachWithIncreasingSequence() async throws {
        try await H.withSimulator { sim in
            _ = try await Self.exchange(sim) { reader, outbound in
                _ = try await reader.next(op: 10)
                try await outbound.write(.text(try Self.identify(sim.tokens[0])))
                let ready = try #require(try await reader.next(op: 0, name: "READY"))
                let data = try #require(ready["d"] as? [String: Any])
                let guilds = try #require(data["guilds"] as? [[String: Any]])
                #expect(guilds.count == sim.guildIDs.count && guilds.allSatisfy { $0["unavailable"] as? Bool == true })
                #expect((data["session_id"] as? String)?.isEmpty == false)
                #expect((data["resume_gateway_url"] as? String)?.hasPrefix("ws://") == true)
                #expect(ready["s"] as? Int == 1)
                let create = try #require(try await reader.next(op: 0, name: "GUILD_CREATE"))
                #expect(create["s"] as? Int == 2)
                let guild = try #require(create["d"] as? [String: Any])
                #expect(guild["id"] as? String == sim.guildIDs[0].description)
                #expect((guild["channels"] as? [Any])?.isEmpty == false)
                try await Self.end(outbound)
            }
        }
    }

    @Test func withoutMessageContentTheContentArrivesEmpty() async throws {
        try await H.withSimulator { sim in
            let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0].description
            _ = try await Self.exchange(sim) { reader, outbound in
                _ = try await reader.next(op: 10)
                // GUILDS | GUILD_MESSAGES, no MESSAGE_CONTENT.
                try await outbound.write(.text(try Self.identify(sim.tokens[0], intents: 513)))
                _ = try await reader.next(op: 0, name: "GUILD_CREATE")
                _ = try await H.create(sim, channel: channel, content: "secret words")
                let created = try #require(try await reader.next(op: 0, name: "MESSAGE_CREATE"))
                let message = try #require(created["d"] as? [String: Any])
                #expect(message["content"] as? String == "")
                #expect(message["guild_id"] as? String == sim.guildIDs[0].description)
                #expect((message["member"] as? [String: Any])?["user"] == nil)
                try await Self.end(outbound)
            }
        }
    }

    @Test func aConnectionWithoutHeartbeatsIsClosedAndAStaleResumeGetsOp9False() async throws {
        var config = SimulatorConfiguration()
        config.guilds = 1
        config.gateway.heartbeatInterval = 0.2
        try await H.withSimulator(config) { sim in
            let zombie = try await Self.exchange(sim) { reader, outbound in
                _ = try await reader.next(op: 10)
                try await outbound.write(.text(try Self.identify(sim.tokens[0])))
                // Then silence: no heartbeat within 1.5 intervals.
            }
            #expect(zombie == 4009)
        }
        // (On the default interval, so that a loaded machine cannot turn the wait for op 9 into a zombie close.)
        try await H.withSimulator { sim in
            _ = try await Self.exchange(sim) { reader, outbound in
                _ = try await reader.next(op: 10)
                let resume: [String: Any] = ["token": sim.tokens[0], "session_id": "no-such-session", "seq": 3]
                try await outbound.write(.text(try Self.json(["op": 6, "d": resume])))
                let invalid = try #require(try await reader.next(op: 9))
                #expect(invalid["d"] as? Bool == false)
                try await Self.end(outbound)
            }
        }
    }

    @Test func zlibStreamSendsBinaryFramesOfOneContextEachEndingWithTheSyncFlushSuffix() async throws {
        try await H.withSimulator { sim in
            let token = sim.tokens[0]
            _ = try await WebSocketClient.connect(
                url: sim.gatewayURL + "/?v=10&encoding=json&compress=zlib-stream",
                configuration: .init(maxFrameSize: 1 << 24), logger: H.logger
            ) { inbound, outbound, _ in
                let decompressor = try ZlibDecompressor(algorithm: .zlib)
                var ops: [Int] = []
                var iterator = inbound.messages(maxSize: 1 << 24).makeAsyncIterator()
                while ops.count < 3, let message = try await iterator.next() {
                    guard case .binary(var frame) = message else {
                        Issue.record("a text frame on a zlib-stream connection")
                        return
                    }
                    #expect(Array(frame.readableBytesView.suffix(4)) == [0x00, 0x00, 0xFF, 0xFF])
                    let inflated = try frame.decompressStream(with: decompressor)
                    let payload = try JSONSerialization.jsonObject(with: Data(inflated.readableBytesView))
                    ops.append((payload as? [String: Any])?["op"] as? Int ?? -1)
                    if ops.count == 1 { try await outbound.write(.text(try Self.identify(token))) }
                }
                // HELLO, then READY and GUILD_CREATE inflated with the same context.
                #expect(ops == [10, 0, 0])
                try await Self.end(outbound)
            }
        }
    }
}
