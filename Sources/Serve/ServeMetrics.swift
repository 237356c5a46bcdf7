import ArchiveStore
import Foundation
import Prometheus

/// The Prometheus metrics of `skald serve`: HTTP requests and latencies by route, archive counts and the last run,
/// in one registry owned by the server (no process-wide metrics system).
public final class ServeMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry = PrometheusCollectorRegistry()

    /// A registry with no samples yet.
    public init() {}

    /// Records one answered request: `skald_http_requests_total` and `skald_http_request_duration_seconds`.
    func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "skald", metricName: "http_requests", unitName: "total",
                helpText: "HTTP requests answered, by route, method and status."),
            labels: [("route", route), ("method", method), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "skald", metricName: "http_request_duration", unitName: "seconds",
                helpText: "Time to answer an HTTP request, by route."),
            labels: [("route", route)],
            buckets: [
                .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(20), .milliseconds(50),
                .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
            ]
        ).record(duration)
    }

    /// Sets the archive gauges from the store's counts and its last run.
    func update(stats: ArchiveStats, lastRun: RunRecord?) {
        let counts: [(String, Int)] = [
            ("guilds", stats.guilds), ("channels", stats.channels), ("threads", stats.threads),
            ("messages", stats.messages), ("deleted_messages", stats.deletedMessages),
            ("revisions", stats.revisions), ("attachments", stats.attachments), ("users", stats.users),
        ]
        for (name, value) in counts {
            registry.makeGauge(
                descriptor: MetricNameDescriptor(
                    namespace: "skald", subsystem: "archive", metricName: name, unitName: "",
                    helpText: "Archived \(name.replacingOccurrences(of: "_", with: " ")).")
            ).set(to: Double(value))
        }
        guard let lastRun else { return }
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "skald", subsystem: "last_run", metricName: "start", unitName: "timestamp_seconds",
                helpText: "When the last archive run started (Unix time).")
        ).set(to: lastRun.startedAt.timeIntervalSince1970)
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "skald", subsystem: "last_run", metricName: "succeeded", unitName: "",
                helpText: "1 when the last archive run succeeded, else 0.")
        ).set(to: lastRun.status == .succeeded ? 1 : 0)
    }

    /// The Prometheus text exposition.
    func render() -> [UInt8] { registry.emitToBuffer() }
}
