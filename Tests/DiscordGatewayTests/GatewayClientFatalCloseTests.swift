import DiscordGateway
import Foundation
import Synchronization
import TestSupport
import Testing

/// The gateway client after a close that forbids reconnecting: what arrived before it is still handed over.
///
/// An extension of ``GatewayClientUnansweredCloseTests``, whose suite is serialized: run in parallel with
/// `aStopEndsTheRunWhenTheCloseIsNeverAnswered`, this test hung about one run in three (its connection never ended;
/// not understood yet), alone it passed 8 runs of 8.
extension GatewayClientUnansweredCloseTests {

    /// Before, the run threw as soon as the connection failed and cancelled the handler, so the events received just
    /// before a 4004 (or 4014, or 4013) were never stored.
    @Test func eventsReceivedBeforeAFatalCloseReachTheHandlerThenTheRunThrows() async throws {
        let frames =
            [ScriptedGatewayServer.hello, ScriptedGatewayServer.ready] + (2...4).map(ScriptedGatewayServer.message)
        try await ScriptedGatewayServer.withRunning(frames: frames, closeCode: 4004) { gatewayURL in
            // The handler holds its first batch until the run has seen the close twice (the socket's close, then the
            // run's end), so the remaining events wait in the queue while the run fails.
            let (closes, closed) = AsyncStream.makeStream(of: Void.self)
            var configuration = GatewayClientConfiguration(token: "scripted", gatewayURL: gatewayURL)
            configuration.onConnectionChange = { connected in if !connected { closed.yield() } }
            let client = GatewayClient(configuration: configuration, logger: H.logger)
            let handled = Mutex<[Int]>([])
            let first = Mutex(true)
            let failure = await #expect(throws: GatewayError.self) {
                try await client.run(resume: nil) { event in
                    let isFirst = first.withLock { value in
                        let was = value
                        value = false
                        return was
                    }
                    if isFirst {
                        var seen = 0
                        for await _ in closes {
                            seen += 1
                            if seen == 2 { break }
                        }
                    }
                    try Task.checkCancellation()
                    if case .dispatch(let dispatch) = event, dispatch.name == "MESSAGE_CREATE" {
                        handled.withLock { $0.append(dispatch.sequence) }
                    }
                }
            }
            #expect(failure?.closeCode == 4004)
            #expect(handled.withLock { $0 } == [2, 3, 4])
        }
    }
}
