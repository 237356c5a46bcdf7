import Foundation
import Hummingbird
import Logging
import ServerLifecycle

/// The bot's HTTP surface: `GET /healthz` (200 while the gateway is connected and the store writable, 503 with
/// the reason otherwise) and `GET /metrics` (Prometheus text).
public enum BotHTTP {
    /// The application on `host:port` (port 0 picks one); `onListening` gets the bound port once accepting.
    public static func makeApplication(
        host: String, port: Int, health: BotHealth, logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        let router = Router()
        router.get("healthz") { _, _ -> Response in
            let snapshot = health.snapshot
            let problem = snapshot.problem
            let body: [String: Any] = [
                "status": problem == nil ? "ok" : "unavailable",
                "gateway": snapshot.gatewayConnected ? "connected" : "disconnected",
                "store": snapshot.storeError == nil ? "writable" : "failing",
                "reason": problem ?? NSNull(),
                "clipsSaved": snapshot.clipsSaved,
            ]
            let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
            return Response(
                status: problem == nil ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: .init(bytes: data)))
        }
        router.get("metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: .init(string: health.metricsText())))
        }
        return Application(
            router: router, server: .shutdownAwareHTTP1,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) }, logger: logger)
    }
}
