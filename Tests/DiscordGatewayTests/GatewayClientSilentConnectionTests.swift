import DiscordGateway
import Foundation
import Synchronization
import TestSupport
import Testing

/// The gateway client against a connection that opens and says nothing: it is given up at the HELLO deadline and the
/// next one carries the session.
///
/// Discord sends HELLO as soon as the WebSocket is open. A connection that says nothing is what the client saw when
/// swift-nio 2.101.3's client upgrade lost the frames a server sent, and closed, in the same instant as the 101 (the
/// hang of `eventsReceivedBeforeAFatalCloseReachTheHandlerThenTheRunThrows`): such a connection stayed open and silent,
/// and `watch` waited on it for ever.
@Suite("Gateway client, silent connection", .timeLimit(.minutes(10)))
struct GatewayClientSilentConnectionTests {
    typealias H = GatewayTestHarness

    @Test func aConnectionThatSaysNoHelloIsGivenUpAndTheNextOneIdentifies() async throws {
        let connections = Mutex(0)
        try await GatewayTestServer.withRunning(
            label: "mute-first", path: "",
            body: { gatewayURL in
                var configuration = GatewayClientConfiguration(token: "mute", gatewayURL: gatewayURL)
                configuration.session.helloTimeout = .seconds(1)
                let client = GatewayClient(configuration: configuration, logger: H.logger)
                let log = GatewayEventLog()
                let run = H.start(client, log: log)
                // Before, the run waited on the first connection for ever and no READY ever came.
                do {
                    try await log.waitUntil { H.readyCount($0, resumed: false) == 1 }
                } catch {
                    run.cancel()
                    throw HangDetected(
                        "\(error): the client still waits on a connection that never said HELLO "
                            + "(\(connections.withLock { $0 }) connections opened)")
                }
                // The silent one, then one that said HELLO (a loaded machine may give up a slow one in between).
                #expect(connections.withLock { $0 } >= 2)
                try await H.stop(client, run)
            },
            connection: { inbound, outbound in
                let number = connections.withLock { count in
                    count += 1
                    return count
                }
                do {
                    if number == 1 {
                        // Open and silent: no HELLO, no close, until the client gives the connection up.
                        for try await _ in inbound {}
                        return
                    }
                    try await outbound.write(.text(ScriptedGatewayServer.hello))
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message, text.contains(#""op":2"#) else { continue }
                        try await outbound.write(.text(ScriptedGatewayServer.ready))
                    }
                } catch {}  // the client went away
            })
    }
}
