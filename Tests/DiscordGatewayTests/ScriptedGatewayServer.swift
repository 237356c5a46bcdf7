import Foundation
import HummingbirdWebSocket

/// A gateway that plays a fixed script to each connection: HELLO, then (once the client has sent IDENTIFY or RESUME,
/// as Discord waits for it) the other frames, then a close with a code. Its URL has no path, as Discord's have
/// (`wss://gateway.discord.gg`).
///
/// It played the whole script and closed the moment the connection opened, which Discord never does (a 4004 answers
/// an IDENTIFY), and which hit a bug of swift-nio 2.101.3's WebSocket client upgrade about one run in six under load:
/// when the server's end of the connection follows the frames within the same event-loop turn as the 101, the HTTP
/// decoder drops the bytes after the 101 and the end-of-input event passes before the WebSocket handlers exist, so the
/// client's connection stayed open and silent for ever (see ``GatewayClientSilentConnectionTests``).
///
/// ```swift
/// try await ScriptedGatewayServer.withRunning(frames: [hello, ready], closeCode: 4004) { gatewayURL in … }
/// ```
enum ScriptedGatewayServer {
    /// Runs the server for the duration of `body`, which gets its gateway URL (no path).
    static func withRunning<T>(frames: [String], closeCode: Int, _ body: (String) async throws -> T) async throws -> T {
        // Discord's URLs have no path: the upgrade must still ask for `/`.
        try await GatewayTestServer.withRunning(label: "scripted", path: "", requiredPrefix: "/?", body: body) {
            inbound, outbound in
            guard let hello = frames.first else { return }
            try? await outbound.write(.text(hello))
            guard await Self.identifiedOrResumed(inbound) else { return }
            for frame in frames.dropFirst() { try? await outbound.write(.text(frame)) }
            try? await outbound.close(.init(codeNumber: closeCode), reason: nil)
        }
    }

    /// Reads the client's frames until an IDENTIFY (op 2) or a RESUME (op 6); false if the connection ended first.
    private static func identifiedOrResumed(_ inbound: WebSocketInboundStream) async -> Bool {
        do {
            for try await message in inbound.messages(maxSize: 1 << 20) {
                guard case .text(let text) = message,
                    let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                else { continue }
                if let op = object["op"] as? Int, op == 2 || op == 6 { return true }
            }
        } catch {}
        return false
    }

    static let hello = #"{"op":10,"d":{"heartbeat_interval":41250},"s":null,"t":null}"#

    static let ready =
        #"{"op":0,"s":1,"t":"READY","d":{"v":10,"session_id":"scripted","resume_gateway_url":"ws://127.0.0.1:1","guilds":[]}}"#

    /// A MESSAGE_CREATE with this sequence.
    static func message(_ sequence: Int) -> String {
        #"{"op":0,"s":\#(sequence),"t":"MESSAGE_CREATE","d":{"id":"\#(sequence)","channel_id":"9"}}"#
    }
}
