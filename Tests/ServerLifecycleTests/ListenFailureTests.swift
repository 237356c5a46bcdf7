import Hummingbird
import NIOCore
import ServerLifecycle
import TestSupport
import Testing

/// A server that cannot listen reports why in words (``ListenFailure``), and errors of other kinds are left alone.
@Suite("Listen failures in words") struct ListenFailureTests {
    @Test func aTakenPortIsNamedWithWhatToDo() async throws {
        let logger = QuietLogger.make("skald.test.listen")
        func start(port: Int) async throws -> InProcessServer {
            try await InProcessServer.start(gracePeriod: .zero, logger: logger) { onServerRunning in
                Application(
                    router: Router(), server: .shutdownAwareHTTP1,
                    configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil),
                    onServerRunning: onServerRunning, logger: logger)
            }
        }
        let first = try await start(port: 0)
        let error = await #expect(throws: (any Error).self) { _ = try await start(port: first.port) }
        await first.shutdown()
        let thrown = try #require(error)
        let failure = try #require(ListenFailure(thrown, host: "127.0.0.1", port: first.port))
        #expect(failure.description.hasPrefix("cannot listen on 127.0.0.1:\(first.port): "))
        #expect(failure.description.contains("already in use"))
        #expect(failure.description.contains("port 0 for a free one"))
    }

    @Test func otherErrorsAreNotListenFailures() {
        #expect(ListenFailure(CancellationError(), host: "127.0.0.1", port: 1) == nil)
        #expect(
            ListenFailure.describe(CancellationError(), host: "127.0.0.1", port: 1)
                == "could not start on 127.0.0.1:1: CancellationError()")
        #expect(
            ListenFailure(
                SocketAddressError.unknown(host: "nowhere.invalid", port: 1), host: "nowhere.invalid", port: 1)?
                .description.contains("does not resolve") == true)
    }
}
