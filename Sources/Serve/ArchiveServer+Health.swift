import ArchiveStore
import Foundation
import Hummingbird

extension ArchiveServer {
    /// `GET /healthz` and `GET /metrics`.
    func addHealthRoutes(to router: Router<BasicRequestContext>) {
        router.get("healthz") { _, _ in
            do {
                let store = try archive.current()
                let stats = try await store.stats()
                let lastRun = try await store.runs(limit: 1).first
                return ServeResponses.encoded(
                    Health(status: "ok", archive: stats, lastRun: lastRun.map(RunSummary.init)))
            } catch {
                return ServeResponses.encoded(
                    Health(status: "unavailable", archive: nil, lastRun: nil, error: "\(error)"),
                    status: .serviceUnavailable)
            }
        }
        router.get("metrics") { _, _ in
            if let store = try? archive.current(), let stats = try? await store.stats() {
                metrics.update(stats: stats, lastRun: try? await store.runs(limit: 1).first)
            }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: .init(bytes: metrics.render())))
        }
    }
}

/// The body of `/healthz`.
struct Health: Encodable {
    var status: String
    var archive: ArchiveStats?
    var lastRun: RunSummary?
    var error: String?
}

/// The last run as `/healthz` shows it.
struct RunSummary: Encodable {
    var id: String
    var command: String
    var status: String
    var startedAt: String
    var finishedAt: String?

    init(_ run: RunRecord) {
        id = run.id.uuidString
        command = run.command
        status = run.status.rawValue
        startedAt = ISO8601DateFormatter().string(from: run.startedAt)
        finishedAt = run.finishedAt.map { ISO8601DateFormatter().string(from: $0) }
    }
}
