import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import ServerLifecycle
import TestSupport

/// A gateway that plays a fixed script to each connection: its frames, then a close with a code. Its URL has no path,
/// as Discord's have (`wss://gateway.discord.gg`).
///
/// ```swift
/// try await ScriptedGatewayServer.withRunning(frames: [hello, ready], closeCode: 4004) { gatewayURL in … }
/// ```
enum ScriptedGatewayServer {
    /// Runs the server for the duration of `body`, which gets its gateway URL (no path).
    static func withRunning<T>(frames: [String], closeCode: Int, _ body: (String) async throws -> T) async throws -> T {
        let logger = QuietLogger.make("skald.gateway-tests.scripted")
        let server = try await InProcessServer.start(gracePeriod: .zero, logger: logger) { onServerRunning in
            Application(
                router: Router(),
                server: .http1WebSocketUpgrade(configuration: .init(autoPing: .disabled)) { head, _, _ in
                    // Discord's URLs have no path: the upgrade must still ask for `/`.
                    guard head.path?.hasPrefix("/?") == true else { return .dontUpgrade }
                    return .upgrade([:]) { _, outbound, _ in
                        for frame in frames { try? await outbound.write(.text(frame)) }
                        try? await outbound.close(.init(codeNumber: closeCode), reason: nil)
                    }
                },
                configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
                onServerRunning: onServerRunning,
                logger: logger)
        }
        do {
            let result = try await body("ws://127.0.0.1:\(server.port)")
            await server.shutdown()
            return result
        } catch {
            await server.shutdown()
            throw error
        }
    }

    static let hello = #"{"op":10,"d":{"heartbeat_interval":41250},"s":null,"t":null}"#

    static let ready =
        #"{"op":0,"s":1,"t":"READY","d":{"v":10,"session_id":"scripted","resume_gateway_url":"ws://127.0.0.1:1","guilds":[]}}"#

    /// A MESSAGE_CREATE with this sequence.
    static func message(_ sequence: Int) -> String {
        #"{"op":0,"s":\#(sequence),"t":"MESSAGE_CREATE","d":{"id":"\#(sequence)","channel_id":"9"}}"#
    }
}
