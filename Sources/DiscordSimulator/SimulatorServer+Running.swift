extension SimulatorServer {
    /// Starts a simulator, runs `body` with it and shuts it down when `body` returns or throws, so no server
    /// outlives the code that uses it (the test-server lifecycle of HummingbirdTesting's `test(_:_:)`).
    ///
    /// ```swift
    /// try await SimulatorServer.withRunning(SimulatorConfiguration()) { sim in
    ///     print(sim.apiBase, sim.tokens[0])   // point a client at it
    ///     …
    /// }
    /// ```
    public static func withRunning<T>(
        _ configuration: SimulatorConfiguration, _ body: (SimulatorServer) async throws -> T
    ) async throws -> T {
        let sim = try await start(configuration)
        do {
            let result = try await body(sim)
            await sim.shutdown()
            return result
        } catch {
            await sim.shutdown()
            throw error
        }
    }
}
