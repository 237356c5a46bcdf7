import AsyncHTTPClient
import DiscordGateway
import DiscordSimulator
import Foundation
import Logging
import NIOCore
import TestSupport

/// Collects what a ``GatewayClient`` hands its handler and lets a test wait for a condition on it (woken by each
/// event, never by a timer).
actor GatewayEventLog {
    private(set) var events: [GatewayEvent] = []
    private var waiters:
        [UInt64: (condition: @Sendable ([GatewayEvent]) -> Bool, continuation: CheckedContinuation<Void, Never>)] =
            [:]
    private var lastWaiter: UInt64 = 0

    func append(_ event: GatewayEvent) {
        events.append(event)
        let ready = waiters.filter { $0.value.condition(events) }
        for (id, waiter) in ready {
            waiters[id] = nil
            waiter.continuation.resume()
        }
    }

    /// Returns once `condition` holds for the events received so far. One that still does not hold after `deadline`
    /// fails the test (``HangDetected``) naming what the client did hand over, instead of leaving the test to its time
    /// limit with no word of what was missing.
    func waitUntil(
        within deadline: Duration = TestDeadline.shutdown, _ condition: @escaping @Sendable ([GatewayEvent]) -> Bool
    ) async throws {
        guard await finishes(within: deadline, { await self.waitUntilHolds(condition) }) else {
            throw HangDetected(
                "the awaited gateway events did not come within \(deadline); the client handed over: \(summary)")
        }
    }

    /// The events received so far, by name.
    var summary: [String] { events.map(GatewayTestHarness.name(of:)) }

    /// Returns once `condition` holds, or once the task is cancelled.
    private func waitUntilHolds(_ condition: @escaping @Sendable ([GatewayEvent]) -> Bool) async {
        if condition(events) { return }
        lastWaiter += 1
        let id = lastWaiter
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume()
                } else {
                    waiters[id] = (condition, continuation)
                }
            }
        } onCancel: {
            Task { await self.release(id) }
        }
    }

    /// A cancelled waiter stops waiting.
    private func release(_ id: UInt64) {
        waiters.removeValue(forKey: id)?.continuation.resume()
    }

    var dispatches: [GatewayDispatch] {
        events.compactMap { if case .dispatch(let d) = $0 { d } else { nil } }
    }
}

enum GatewayTestHarness {
    static var logger: Logger { QuietLogger.make("skald.gateway-tests") }

    static func configuration(_ sim: SimulatorServer, token: String? = nil) -> GatewayClientConfiguration {
        var configuration = GatewayClientConfiguration(token: token ?? sim.tokens[0], gatewayURL: sim.gatewayURL)
        // Tests identify again at once after op 9 (Discord asks for 1–5 s; the simulator does not check).
        configuration.session.invalidSessionDelay = 0...0
        return configuration
    }

    /// Starts `client` in the background, logging its events; returns the task (its value is the run's outcome).
    static func start(_ client: GatewayClient, log: GatewayEventLog, resume: GatewayResumeState? = nil)
        -> Task<Result<Void, any Error>, Never>
    {
        Task {
            do {
                try await client.run(resume: resume) { event in await log.append(event) }
                return .success(())
            } catch {
                return .failure(error)
            }
        }
    }

    /// Stops `client` and returns once its run ended, throwing what the run threw. A run still going
    /// ``TestDeadline/shutdown`` after the stop fails the test (``HangDetected``) instead of hanging the process: the
    /// run is a task of its own, which the test's time limit never reaches.
    static func stop(_ client: GatewayClient, _ run: Task<Result<Void, any Error>, Never>) async throws {
        client.stop()
        guard await finishes(within: TestDeadline.shutdown, { _ = await run.value }) else {
            throw HangDetected("the gateway client did not end within \(TestDeadline.shutdown) of stop()")
        }
        try await run.value.get()
    }

    /// An event as a test's failure names it: a dispatch's name and sequence, `ready`, `resumed` or `session invalidated`.
    static func name(of event: GatewayEvent) -> String {
        switch event {
        case .dispatch(let dispatch): "\(dispatch.name) \(dispatch.sequence)"
        case .ready(_, let resumed): resumed ? "resumed" : "ready"
        case .sessionInvalidated: "session invalidated"
        }
    }

    static func readyCount(_ events: [GatewayEvent], resumed: Bool) -> Int {
        events.filter { if case .ready(_, let r) = $0 { r == resumed } else { false } }.count
    }

    static func hasDispatch(_ events: [GatewayEvent], _ name: String, containing text: String) -> Bool {
        events.contains {
            guard case .dispatch(let d) = $0, d.name == name else { return false }
            return text.isEmpty || String(decoding: d.frame, as: UTF8.self).contains(text)
        }
    }

    /// POSTs JSON to an admin path of the simulator; returns the body.
    @discardableResult
    static func post(_ sim: SimulatorServer, _ path: String, _ body: [String: Any] = [:]) async throws -> Data {
        try await SimulatorAdmin.post(sim, path, body)
    }

    /// Creates a message through `/__sim/mutate`; returns its id.
    static func create(_ sim: SimulatorServer, channel: String, content: String) async throws -> String {
        let data = try await post(sim, "/__sim/mutate", ["op": "create", "channelId": channel, "content": content])
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["id"] as? String ?? ""
    }

    /// Runs a small simulator (or `configuration`) for the duration of `body`.
    static func withSimulator(
        _ configuration: SimulatorConfiguration? = nil, _ body: (SimulatorServer) async throws -> Void
    ) async throws {
        let config = SimulatorConfiguration.testWorld(seed: 11, channels: 2, messages: 20, threads: 1)
        try await SimulatorServer.withRunningWithinDeadline(configuration ?? config, body)
    }
}
