import DiscordREST
import DiscordSimulator
import Logging

extension SimulatorServer {
    /// Starts a simulator and a REST client pointed at it, runs `body` with both, and shuts both down whether `body`
    /// returns or throws: the one teardown of the tests that talk to the simulator through the client.
    ///
    /// ```swift
    /// try await SimulatorServer.withClient(.testWorld(seed: 1, channels: 2, messages: 5)) { sim, client in
    ///     _ = try await client.currentUser()
    /// }
    /// ```
    /// - Parameters:
    ///   - token: the client's token; the simulator's first token when `nil`.
    ///   - configure: adjusts the client's configuration (retries, timeouts) before the client is made; requests
    ///     wait up to ``TestDeadline/clientRequest`` unless it says otherwise.
    public static func withClient<T>(
        _ configuration: SimulatorConfiguration, token: String? = nil,
        logger: Logger = QuietLogger.make("skald.tests.client"),
        configure: (inout DiscordClientConfiguration) -> Void = { _ in },
        _ body: (SimulatorServer, DiscordClient) async throws -> T
    ) async throws -> T {
        try await withRunning(configuration) { sim in
            var clientConfiguration = DiscordClientConfiguration(token: token ?? sim.tokens[0], apiBase: sim.apiBase)
            clientConfiguration.requestTimeout = TestDeadline.clientRequest
            configure(&clientConfiguration)
            let client = DiscordClient(configuration: clientConfiguration, logger: logger)
            let result: T
            do {
                result = try await body(sim, client)
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
            return result
        }
    }
}
