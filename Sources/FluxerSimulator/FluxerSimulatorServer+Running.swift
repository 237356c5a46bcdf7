extension FluxerSimulatorServer {
    /// Starts a fake Fluxer, runs `body` with it and shuts it down when `body` returns or throws, so no server
    /// outlives the code that uses it (as ``DiscordSimulator/SimulatorServer/withRunning(_:_:)`` does for Discord).
    ///
    /// ```swift
    /// try await FluxerSimulatorServer.withRunning(FluxerSimulatorConfiguration()) { fluxer in
    ///     print(fluxer.baseURL, fluxer.token)   // point a client at it
    /// }
    /// ```
    public static func withRunning<T>(
        _ configuration: FluxerSimulatorConfiguration, _ body: (FluxerSimulatorServer) async throws -> T
    ) async throws -> T {
        let fluxer = try await start(configuration)
        do {
            let result = try await body(fluxer)
            await fluxer.shutdown()
            return result
        } catch {
            await fluxer.shutdown()
            throw error
        }
    }
}
