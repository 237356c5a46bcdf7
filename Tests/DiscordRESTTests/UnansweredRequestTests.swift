import DiscordModels
import DiscordREST
import TestSupport
import Testing

/// A request the server reads and never answers: the client's deadline (`requestTimeout`) ends it with a transport
/// error, and cancelling the task that waits for it ends it at once with `CancellationError`.
@Suite struct UnansweredRequestTests {
    @Test func anUnansweredRequestEndsAtItsDeadline() async throws {
        // Short, as no answer ever comes: however slow the machine, the request can only end by its deadline.
        try await withSilentServer(requestTimeout: .milliseconds(300)) { _, client in
            let error = await #expect(throws: DiscordRESTError.self) { _ = try await client.currentUser() }
            #expect(error?.code == .transport)
            #expect(error.map { "\($0)" }?.contains("timed out") == true, "\(error.map { "\($0)" } ?? "")")
        }
    }

    @Test func cancellingTheWaitingTaskEndsTheRequestInFlight() async throws {
        // Only the cancellation can end it.
        try await withSilentServer(requestTimeout: TestDeadline.clientRequest) { server, client in
            let call = Task { try await client.currentUser() }
            var arrived = server.requests.makeAsyncIterator()
            _ = await arrived.next()  // the request reached the server: it is in flight
            call.cancel()
            await expectCancellationError(from: call)
        }
    }

    @Test func aTaskCancelledBeforeItsRequestFailsWithCancellationError() async throws {
        try await withSilentServer(requestTimeout: TestDeadline.clientRequest) { _, client in
            let call = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await client.currentUser()
            }
            await expectCancellationError(from: call)
        }
    }

    /// A client without retries pointed at a ``SilentServer``, both stopped after `body`.
    private func withSilentServer(
        requestTimeout: Duration, _ body: (SilentServer, DiscordClient) async throws -> Void
    ) async throws {
        let server = try await SilentServer.start()
        var configuration = DiscordClientConfiguration(
            token: String(repeating: "t", count: 60), apiBase: "http://127.0.0.1:\(server.port)/api/v10")
        configuration.retry.maxRetries = 0
        configuration.requestTimeout = requestTimeout
        let client = DiscordClient(configuration: configuration)
        try await body(server, client)
        try await client.shutdown()
        try await server.stop()
    }

    /// `call` ends (a hang fails the test instead of the suite) with `CancellationError`.
    private func expectCancellationError(from call: Task<Decoded<User>, any Error>) async {
        let ended = await finishes(within: TestDeadline.shutdown) {
            let result = await call.result
            #expect(throws: CancellationError.self) { try result.get() }
        }
        #expect(ended)
    }
}
