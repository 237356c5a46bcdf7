import Foundation
import NIOConcurrencyHelpers

/// What `/healthz` and `/metrics` report: whether the gateway is connected and the store writable, and counters.
/// Thread-safe; every part of the bot writes to it.
public final class BotHealth: Sendable {
    /// A copy of the state at one moment.
    public struct Snapshot: Sendable, Hashable {
        /// A gateway session is ready.
        public var gatewayConnected = false
        /// The last store write that failed, with its error (nil once a later write succeeds).
        public var storeError: String?
        /// Messages looked at for clips.
        public var messagesSeen = 0
        /// Clips recorded.
        public var clipsSaved = 0
        /// Clip files downloaded.
        public var filesSaved = 0
        /// Reactions added to saved clips' messages (the guild's `reaction`).
        public var reactionsAdded = 0
        /// Reactions Discord refused (logged with what to do).
        public var reactionsFailed = 0
        /// Gateway connections lost.
        public var disconnects = 0
        /// Job runs, by outcome.
        public var jobRuns: [String: Int] = [:]

        /// Why the bot is unhealthy, or nil when it is healthy.
        public var problem: String? {
            if !gatewayConnected { return "gateway not connected" }
            if let storeError { return "store not writable: \(storeError)" }
            return nil
        }
    }

    private let state = NIOLockedValueBox(
        (snapshot: Snapshot(), waiters: [(predicate: @Sendable (Snapshot) -> Bool, CheckedContinuation<Void, Never>)]())
    )

    /// A bot not yet connected.
    public init() {}

    /// The state now.
    public var snapshot: Snapshot { state.withLockedValue { $0.snapshot } }

    /// Records a change and wakes those waiting for it.
    public func update(_ change: (inout Snapshot) -> Void) {
        let ready = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            change(&state.snapshot)
            let snapshot = state.snapshot
            let ready = state.waiters.filter { $0.predicate(snapshot) }.map(\.1)
            state.waiters.removeAll { $0.predicate(snapshot) }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    /// Returns once the state satisfies `predicate` (at once if it does now): waits on changes, not on time.
    public func waitUntil(_ predicate: @escaping @Sendable (Snapshot) -> Bool) async {
        await withCheckedContinuation { continuation in
            let now = state.withLockedValue { state -> Bool in
                if predicate(state.snapshot) { return true }
                state.waiters.append((predicate, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Records whether the gateway is connected.
    public func gateway(connected: Bool) {
        update {
            if $0.gatewayConnected && !connected { $0.disconnects += 1 }
            $0.gatewayConnected = connected
        }
    }

    /// The Prometheus text exposition of the counters.
    public func metricsText() -> String {
        let s = snapshot
        var lines: [String] = []
        func metric(_ name: String, _ type: String, _ help: String, _ value: Int) {
            lines += ["# HELP \(name) \(help)", "# TYPE \(name) \(type)", "\(name) \(value)"]
        }
        metric(
            "skald_bot_gateway_connected", "gauge", "1 while a gateway session is ready.", s.gatewayConnected ? 1 : 0)
        metric(
            "skald_bot_store_writable", "gauge", "1 unless the last store write failed.", s.storeError == nil ? 1 : 0)
        metric("skald_bot_messages_seen_total", "counter", "Messages looked at for clips.", s.messagesSeen)
        metric("skald_bot_clips_saved_total", "counter", "Clips recorded.", s.clipsSaved)
        metric("skald_bot_clip_files_total", "counter", "Clip files downloaded.", s.filesSaved)
        metric("skald_bot_reactions_total", "counter", "Reactions added to saved clips' messages.", s.reactionsAdded)
        metric("skald_bot_reactions_failed_total", "counter", "Reactions Discord refused.", s.reactionsFailed)
        metric("skald_bot_gateway_disconnects_total", "counter", "Gateway connections lost.", s.disconnects)
        lines += [
            "# HELP skald_bot_job_runs_total Scheduled job runs by outcome.", "# TYPE skald_bot_job_runs_total counter",
        ]
        for (outcome, count) in s.jobRuns.sorted(by: { $0.key < $1.key }) {
            lines.append("skald_bot_job_runs_total{outcome=\"\(outcome)\"} \(count)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
