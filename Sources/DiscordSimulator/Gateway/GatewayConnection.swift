import CompressNIO
import DiscordModels
import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

/// One gateway WebSocket: HELLO, heartbeats, IDENTIFY/RESUME and the close codes, over the session state kept by
/// ``GatewayHub``. Rendering goes through the simulator's own ``JSONWriter`` (never the client's models).
struct GatewayConnection: Sendable {
    let responder: SimulatorResponder
    let query: Parameters
    let baseURL: String
    /// The close code the client sent, filled in by ``CloseCodeSniffer``.
    let clientCloseCode: NIOLockedValueBox<UInt16?>

    var hub: GatewayHub { responder.gatewayHub }

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        let (stream, continuation) = AsyncStream.makeStream(of: GatewayOutbound.self)
        let connection = await hub.open(continuation)
        if let version = query.get("v"), version != "10" && version != "9" {
            await hub.close(
                connection, code: GatewayCloseCode.invalidAPIVersion, reason: "Invalid API version.",
                endsSession: true)
        } else if let encoding = query.get("encoding"), encoding != "json" {
            await hub.close(
                connection, code: GatewayCloseCode.decodeError, reason: "Error while decoding payload.",
                endsSession: false)
        } else {
            let interval = Int(hub.configuration.heartbeatInterval * 1000)
            await hub.send(connection, GatewayHub.frame(op: 10, data: "{\"heartbeat_interval\":\(interval)}"))
        }
        // `compress=zlib-stream`: one zlib context for the connection, each payload sync-flushed (so it ends with
        // 00 00 FF FF) in a binary frame (reference §7).
        let compressed = query.get("compress") == "zlib-stream"
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                let compressor = compressed ? try? ZlibCompressor(algorithm: .zlib) : nil
                for await item in stream {
                    switch item {
                    case .text(let bytes):
                        do {
                            if let compressor {
                                var payload = ByteBuffer(bytes: bytes)
                                let deflated = try payload.compressStream(with: compressor, flush: .sync)
                                try await outbound.write(.binary(deflated))
                            } else {
                                try await outbound.write(.text(String(decoding: bytes, as: UTF8.self)))
                            }
                        } catch {
                            return
                        }
                    case .close(let code, let reason):
                        try? await outbound.close(.unknown(code), reason: reason)
                        return
                    }
                }
            }
            group.addTask {
                do {
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        await receive(message, connection: connection)
                    }
                } catch {}
                await hub.closed(connection, clientCode: clientCloseCode.withLockedValue { $0 })
            }
            group.addTask {
                // The server is stopping: the WebSocket layer sends the client a close frame at once; a client that
                // does not answer it within `closeTimeout` is dropped, instead of holding the server's whole grace
                // period (this ends the group, and with it the reader that waits for the answer).
                // Cancelled first (the connection ended otherwise): nothing to do.
                try? await gracefulShutdown()
                try? await Task.sleep(for: hub.configuration.closeTimeout)
            }
            group.addTask {
                // The zombie check: a connection without heartbeats for 1.5 intervals is closed (4009).
                // It keeps running after closing, so the writer (whose end ends the connection) sends the close frame.
                let period = max(0.05, hub.configuration.heartbeatInterval / 4)
                var closed = false
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(Int(period * 1000)))
                    if Task.isCancelled { return }
                    if !closed, await hub.isZombie(connection) {
                        await hub.close(
                            connection, code: GatewayCloseCode.sessionTimedOut, reason: "Session timed out.",
                            endsSession: true)
                        closed = true
                    }
                }
            }
            await group.next()
            group.cancelAll()
        }
        await hub.closed(connection, clientCode: clientCloseCode.withLockedValue { $0 })
    }

    // MARK: Receiving

    func receive(_ message: WebSocketMessage, connection: UInt64) async {
        guard case .text(let text) = message else {
            await hub.close(
                connection, code: GatewayCloseCode.decodeError, reason: "Error while decoding payload.",
                endsSession: false)
            return
        }
        guard text.utf8.count <= 4096 else {
            await hub.close(
                connection, code: GatewayCloseCode.decodeError, reason: "Error while decoding payload.",
                endsSession: false)
            return
        }
        guard await hub.countSend(connection) else {
            await hub.close(
                connection, code: GatewayCloseCode.rateLimited, reason: "You are being rate limited.",
                endsSession: false)
            return
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let op = object["op"] as? Int
        else {
            await hub.close(
                connection, code: GatewayCloseCode.decodeError, reason: "Error while decoding payload.",
                endsSession: false)
            return
        }
        let data = object["d"] as? [String: Any]
        switch op {
        case 1:
            await hub.heartbeat(connection)
        case 2:
            await identify(data ?? [:], connection: connection)
        case 6:
            await resume(data ?? [:], connection: connection)
        case 3, 4, 8, 31, 43:
            if !(await hub.isIdentified(connection)) {
                await hub.close(
                    connection, code: GatewayCloseCode.notAuthenticated, reason: "Not authenticated.",
                    endsSession: false)
            }
        default:
            await hub.close(
                connection, code: GatewayCloseCode.unknownOpcode, reason: "Unknown opcode.",
                endsSession: false)
        }
    }

    func botIndex(token: Any?) -> Int? {
        guard var token = token as? String else { return nil }
        if token.hasPrefix("Bot ") { token.removeFirst(4) }
        return responder.tokens[token]
    }

    func identify(_ data: [String: Any], connection: UInt64) async {
        guard let botIndex = botIndex(token: data["token"]) else {
            await hub.countRefusedIdentify()
            await hub.close(
                connection, code: GatewayCloseCode.authenticationFailed, reason: "Authentication failed.",
                endsSession: true)
            return
        }
        let intents = data["intents"] as? Int ?? 0
        if intents & ~GatewayIntent.defined != 0 || intents < 0 {
            await hub.close(
                connection, code: GatewayCloseCode.invalidIntents, reason: "Invalid intent(s).",
                endsSession: true)
            return
        }
        let configuration = responder.configuration
        let disallowed =
            (intents & GatewayIntent.messageContent != 0 && !configuration.messageContentIntent)
            || (intents & GatewayIntent.guildMembers != 0 && !configuration.guildMembersIntent)
            || intents & GatewayIntent.guildPresences != 0
        if disallowed {
            await hub.close(
                connection, code: GatewayCloseCode.disallowedIntents, reason: "Disallowed intent(s).",
                endsSession: true)
            return
        }
        var shard: (id: Int, count: Int)?
        if let pair = data["shard"] as? [Int] {
            guard pair.count == 2, pair[1] >= 1, (0..<pair[1]).contains(pair[0]) else {
                await hub.close(
                    connection, code: GatewayCloseCode.invalidShard, reason: "Invalid shard.",
                    endsSession: true)
                return
            }
            shard = (pair[0], pair[1])
        }
        let initial = await initialEvents(botIndex: botIndex, intents: intents, shard: shard)
        let outcome = await hub.identify(
            connection, botIndex: botIndex, intents: intents, shard: shard, initial: initial)
        switch outcome {
        case .ready: break
        case .alreadyIdentified:
            await hub.close(
                connection, code: GatewayCloseCode.alreadyAuthenticated, reason: "Already authenticated.",
                endsSession: false)
        case .overConcurrency:
            await hub.send(connection, GatewayHub.frame(op: 9, data: "false"))
        case .budgetExhausted:
            await hub.close(
                connection, code: GatewayCloseCode.authenticationFailed, reason: "Authentication failed.",
                endsSession: true)
        }
    }

    func resume(_ data: [String: Any], connection: UInt64) async {
        guard let botIndex = botIndex(token: data["token"]) else {
            await hub.close(
                connection, code: GatewayCloseCode.authenticationFailed, reason: "Authentication failed.",
                endsSession: true)
            return
        }
        let sessionId = data["session_id"] as? String ?? ""
        let sequence = data["seq"] as? Int ?? 0
        if !(await hub.resume(connection, sessionId: sessionId, botIndex: botIndex, sequence: sequence)) {
            await hub.send(connection, GatewayHub.frame(op: 9, data: "false"))
        }
    }

    // MARK: READY and GUILD_CREATE

    /// READY and one GUILD_CREATE per guild of the shard, rendered now (the world as it is at identify).
    func initialEvents(botIndex: Int, intents: Int, shard: (id: Int, count: Int)?) async
        -> @Sendable (String) -> [(name: String, guildId: UInt64?, payload: [UInt8])]
    {
        let world = responder.world
        let botId = world.bots[botIndex].id
        let context = responder.gatewayRenderContext(
            botIndex: botIndex, messageContent: intents & GatewayIntent.messageContent != 0, baseURL: baseURL)
        let departures = await responder.state.departures
        let guilds = world.guilds.filter { guild in
            guard responder.isMember(departures, botId: botId, guildIndex: guild.index) else { return false }
            guard let shard else { return true }
            return Int((guild.id >> 22) % UInt64(shard.count)) == shard.id
        }
        var creates: [(name: String, guildId: UInt64?, payload: [UInt8])] = []
        for guild in guilds {
            creates.append(("GUILD_CREATE", guild.id, await responder.renderGuildCreate(guild, context: context)))
        }
        // Without a path, as Discord's are (`wss://gateway-us-east1-b.discord.gg`).
        let resumeURL = baseURL.replacingOccurrences(of: "http://", with: "ws://")
        let applicationFlags = responder.applicationFlags
        let done = creates
        return { sessionId in
            var w = JSONWriter(capacity: 2048)
            w.beginObject()
            w.key("v")
            w.int(10)
            w.key("user_settings")
            w.beginObject()
            w.endObject()
            w.key("user")
            context.writeUser(id: botId, into: &w)
            w.key("guilds")
            w.beginArray()
            for guild in guilds {
                w.beginObject()
                w.key("id")
                w.id(guild.id)
                w.key("unavailable")
                w.bool(true)
                w.endObject()
            }
            w.endArray()
            w.key("session_id")
            w.string(sessionId)
            w.key("session_type")
            w.string("normal")
            w.key("resume_gateway_url")
            w.string(resumeURL)
            if let shard {
                w.key("shard")
                w.beginArray()
                w.int(shard.id)
                w.int(shard.count)
                w.endArray()
            }
            w.key("application")
            w.beginObject()
            w.key("id")
            w.id(botId)
            w.key("flags")
            w.int(applicationFlags)
            w.endObject()
            w.endObject()
            return [("READY", nil, w.bytes)] + done
        }
    }
}
