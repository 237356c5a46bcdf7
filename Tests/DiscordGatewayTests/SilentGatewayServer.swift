import Foundation
import HummingbirdWebSocket

/// A gateway that says HELLO and READY, then never reads again: a close the client sends is never answered and the
/// connection stays open (a dead peer, or a server that stopped reading). The WebSocket layer answers a close only
/// while its reader runs, so this handler simply never asks for the next frame.
///
/// ```swift
/// try await SilentGatewayServer.withRunning { gatewayURL in … }
/// ```
enum SilentGatewayServer {
    /// Runs the server for the duration of `body`, which gets its gateway URL.
    static func withRunning<T>(_ body: (String) async throws -> T) async throws -> T {
        try await GatewayTestServer.withRunning(label: "silent", path: "/gateway", body: body) { _, outbound in
            try? await outbound.write(.text(Self.hello))
            try? await outbound.write(.text(Self.ready))
            // Hold the connection without reading until the server stops (its grace is zero, and its cancellation
            // ends this wait for a value nobody yields).
            let (never, keeper) = AsyncStream.makeStream(of: Void.self)
            for await _ in never {}
            keeper.finish()
        }
    }

    static let hello = #"{"op":10,"d":{"heartbeat_interval":41250},"s":null,"t":null}"#

    static let ready =
        #"{"op":0,"s":1,"t":"READY","d":{"v":10,"session_id":"silent","resume_gateway_url":"ws://127.0.0.1:1","guilds":[]}}"#
}
