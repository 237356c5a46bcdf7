import DiscordSimulator

extension SimulatorServer {
    /// Like ``SimulatorServer/withRunning(_:_:)``, but a shutdown still running ``TestDeadline/shutdown`` after it
    /// began fails the test (``HangDetected``) instead of hanging the test process: the server's own task is not the
    /// test's, so the test's time limit cannot end it.
    ///
    /// ```swift
    /// try await SimulatorServer.withRunningWithinDeadline(.testWorld(seed: 1)) { sim in … }
    /// ```
    public static func withRunningWithinDeadline<T>(
        _ configuration: SimulatorConfiguration, _ body: (SimulatorServer) async throws -> T
    ) async throws -> T {
        let sim = try await start(configuration)
        let result: T
        do {
            result = try await body(sim)
        } catch {
            _ = await finishes(within: TestDeadline.shutdown) { await sim.shutdown() }
            throw error
        }
        guard await finishes(within: TestDeadline.shutdown, { await sim.shutdown() }) else {
            throw HangDetected("the simulator did not shut down within \(TestDeadline.shutdown)")
        }
        return result
    }
}
