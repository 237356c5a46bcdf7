import AsyncHTTPClient
import DiscordSimulator
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `SimulatorServer.shutdown()` returns whatever its clients hold: an idle keep-alive connection (the process-wide
/// `HTTPClient.shared` keeps one after a request), a connection that never sent a byte (a client's spare pooled
/// connection), half a request head then silence (a stalled or slow-loris client), a gateway WebSocket. The grace period is an hour, so only closing those connections at once passes;
/// a hang fails the test at ``TestDeadline/shutdown`` instead of hanging the suite.
@Suite("Simulator shutdown") struct SimulatorShutdownTests {
    static func configuration() -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration.testWorld(seed: 3, channels: 1, messages: 5)
        configuration.shutdownGracePeriod = .seconds(3600)
        return configuration
    }

    @Test func idleKeepAliveConnectionDoesNotHoldTheShutdown() async throws {
        let sim = try await SimulatorServer.start(Self.configuration())
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let response = try await client.execute(
            HTTPClientRequest(url: sim.baseURL + "/__sim/stats"), timeout: TestDeadline.request)
        #expect(response.status == .ok)
        _ = try await response.body.collect(upTo: 1 << 20)
        #expect(await finishes(within: TestDeadline.shutdown) { await sim.shutdown() })
        try await client.shutdown()
    }

    @Test func connectionThatNeverSentAByteDoesNotHoldTheShutdown() async throws {
        try await Self.shutdownWithAConnectionThatSent("")
    }

    @Test func halfARequestHeadThenSilenceDoesNotHoldTheShutdown() async throws {
        try await Self.shutdownWithAConnectionThatSent("GET /__sim/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    }

    /// Stops the simulator while a client's connection holds `sent` (nothing, or less than a request head) and has
    /// been silent since: no request of it is with the simulator, so the shutdown closes it at once.
    static func shutdownWithAConnectionThatSent(_ sent: String) async throws {
        let sim = try await SimulatorServer.start(Self.configuration())
        let descriptor = try LoopbackSocket.connect(port: sim.port)
        defer { close(descriptor) }
        LoopbackSocket.send(sent, on: descriptor)
        // A request on a second connection is answered after the first was accepted (the server accepts in order)
        // and, long before, its bytes were read.
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: sim.baseURL + "/__sim/stats"), timeout: TestDeadline.request)
        _ = try await response.body.collect(upTo: 1 << 20)
        let stopped = await finishes(within: TestDeadline.shutdown) { await sim.shutdown() }
        #expect(stopped)
        if stopped {  // a read on a connection left open would block: read only once the server is gone
            var byte: UInt8 = 0
            #expect(read(descriptor, &byte, 1) <= 0, "the server closed the silent connection without an answer")
        }
    }

    @Test func openGatewayWebSocketDoesNotHoldTheShutdown() async throws {
        let sim = try await SimulatorServer.start(Self.configuration())
        let descriptor = try LoopbackSocket.connect(port: sim.port)
        defer { close(descriptor) }
        let upgrade =
            "GET /gateway?v=10&encoding=json HTTP/1.1\r\nHost: 127.0.0.1:\(sim.port)\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        LoopbackSocket.send(upgrade, on: descriptor)
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(descriptor, &buffer, buffer.count)
        #expect(String(decoding: buffer.prefix(max(0, count)), as: UTF8.self).hasPrefix("HTTP/1.1 101"))
        // This client never answers the close frame: the server waits for the gateway's close timeout (1 s), never
        // for the hour of grace.
        #expect(await finishes(within: TestDeadline.shutdown) { await sim.shutdown() })
    }
}
