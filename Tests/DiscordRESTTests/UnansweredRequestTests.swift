import DiscordREST
import TestSupport
import Testing

/// A request the server reads and never answers: the client's deadline (`requestTimeout`) ends it with a transport
/// error, and cancelling the task that waits for it ends it at once with `CancellationError`.
@Suite struct UnansweredRequestTests {
    private static func configuration(port: Int) -> DiscordClientConfiguration {
        var configuration = DiscordClientConfiguration(
            token: String(repeating: "t", count: 60), apiBase: "http://127.0.0.1:\(port)/api/v10")
        configuration.retry.maxRetries = 0
        return configuration
    }

    @Test func anUnansweredRequestEndsAtItsDeadline() async throws {
        let server = try await SilentServer.start()
        var configuration = Self.configuration(port: server.port)
        // Short, as no answer ever comes: however slow the machine, the request can only end by its deadline.
        configuration.requestTimeout = .milliseconds(300)
        let client = DiscordClient(configuration: configuration)
        let error = await #expect(throws: DiscordRESTError.self) { _ = try await client.currentUser() }
        #expect(error?.code == .transport)
        #expect(error.map { "\($0)" }?.contains("timed out") == true, "\(error.map { "\($0)" } ?? "")")
        try await client.shutdown()
        try await server.stop()
    }

    @Test func cancellingTheWaitingTaskEndsTheRequestInFlight() async throws {
        let server = try await SilentServer.start()
        var configuration = Self.configuration(port: server.port)
        configuration.requestTimeout = TestDeadline.clientRequest  // only the cancellation can end it
        let client = DiscordClient(configuration: configuration)
        let call = Task { try await client.currentUser() }
        var arrived = server.requests.makeAsyncIterator()
        _ = await arrived.next()  // the request reached the server: it is in flight
        call.cancel()
        let ended = await finishes(within: TestDeadline.shutdown) {
            let result = await call.result
            #expect(throws: CancellationError.self) { try result.get() }
        }
        #expect(ended)
        try await client.shutdown()
        try await server.stop()
    }

    @Test func aTaskCancelledBeforeItsRequestFailsWithCancellationError() async throws {
        let server = try await SilentServer.start()
        let client = DiscordClient(configuration: Self.configuration(port: server.port))
        let call = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.currentUser()
        }
        let ended = await finishes(within: TestDeadline.shutdown) {
            let result = await call.result
            #expect(throws: CancellationError.self) { try result.get() }
        }
        #expect(ended)
        try await client.shutdown()
        try await server.stop()
    }
}
