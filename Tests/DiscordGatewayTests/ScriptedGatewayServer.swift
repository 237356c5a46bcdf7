import Foundation
import HummingbirdWebSocket

/// A gateway that plays a fixed script to each connection: its frames, then a close with a code. Its URL has no path,
/// as Discord's have (`wss://gateway.discord.gg`).
///
/// ```swift
/// try await ScriptedGatewayServer.withRunning(frames: [hello, ready], closeCode: 4004) { gatewayURL in … }
/// ```
enum ScriptedGatewayServer {
    /// Runs the server for the duration of `body`, which gets its gateway URL (no path).
    static func withRunning<T>(frames: [String], closeCode: Int, _ body: (String) async throws -> T) async throws -> T {
        // Discord's URLs have no path: the upgrade must still ask for `/`.
        try await GatewayTestServer.withRunning(label: "scripted", path: "", requiredPrefix: "/?", body: body) {
            outbound in
            for frame in frames { try? await outbound.write(.text(frame)) }
            try? await outbound.close(.init(codeNumber: closeCode), reason: nil)
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
