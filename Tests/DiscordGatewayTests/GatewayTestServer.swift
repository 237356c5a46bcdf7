import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import ServerLifecycle
import TestSupport

/// A one-route WebSocket server for gateway tests: each upgraded connection runs `connection` with its inbound frames
/// and its writer. The shape of ``SilentGatewayServer`` and ``ScriptedGatewayServer``.
enum GatewayTestServer {
    /// Runs the server for the duration of `body`, which gets the gateway URL: `ws://127.0.0.1:PORT` plus `path`.
    /// Upgrades are refused unless the request path starts with `requiredPrefix` (when given).
    static func withRunning<T>(
        label: String, path: String, requiredPrefix: String? = nil, body: (String) async throws -> T,
        connection: @escaping @Sendable (WebSocketInboundStream, WebSocketOutboundWriter) async -> Void
    ) async throws -> T {
        let logger = QuietLogger.make("skald.gateway-tests.\(label)")
        let server = try await InProcessServer.start(gracePeriod: .zero, logger: logger) { onServerRunning in
            Application(
                router: Router(),
                // No automatic ping: its timeout would end the connection (after a minute) for the client.
                server: .http1WebSocketUpgrade(configuration: .init(autoPing: .disabled)) { head, _, _ in
                    if let requiredPrefix, head.path?.hasPrefix(requiredPrefix) != true { return .dontUpgrade }
                    return .upgrade([:]) { inbound, outbound, _ in await connection(inbound, outbound) }
                },
                configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
                onServerRunning: onServerRunning,
                logger: logger)
        }
        do {
            let result = try await body("ws://127.0.0.1:\(server.port)" + path)
            await server.shutdown()
            return result
        } catch {
            await server.shutdown()
            throw error
        }
    }
}
