import DiscordGateway
import Foundation
import Synchronization
import TestSupport
import Testing

/// The gateway client after a close that forbids reconnecting: what arrived before it is still handed over.
///
/// This test hung CI (and one run in three beside `aStopEndsTheRunWhenTheCloseIsNeverAnswered`): its scripted gateway
/// closed in the same instant it upgraded, which loses the frames in swift-nio's client upgrade (see
/// ``ScriptedGatewayServer``), and the client then waited for a HELLO on a silent connection for ever. The gateway now
/// answers IDENTIFY as Discord does, the client gives a silent connection up (``GatewayClientSilentConnectionTests``),
/// and a run that still does not end fails here with what was missing instead of waiting for the suite's time limit.
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
            let received = Mutex<[String]>([])
            let first = Mutex(true)
            let run = Task {
                do {
                    try await client.run(resume: nil) { event in
                        received.withLock { $0.append(H.name(of: event)) }
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
                    return Result<Void, any Error>.success(())
                } catch {
                    return .failure(error)
                }
            }
            guard await finishes(within: TestDeadline.shutdown, { _ = await run.value }) else {
                run.cancel()
                throw HangDetected(
                    "the gateway client's run did not end within \(TestDeadline.shutdown) of the gateway's 4004 close; "
                        + "the handler had received \(received.withLock { $0 })")
            }
            let outcome = await run.value
            let failure = #expect(throws: GatewayError.self) { try outcome.get() }
            #expect(failure?.closeCode == 4004)
            #expect(handled.withLock { $0 } == [2, 3, 4])
        }
    }
}
