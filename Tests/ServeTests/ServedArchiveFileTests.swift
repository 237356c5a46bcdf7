import ArchiveStore
import FileSafety
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLiteStore
import Serve
import Synchronization
import Testing

/// `skald serve` follows its SQLite file by path: a backup restored over the archive is served from the next request,
/// a deleted archive is refused (503, `/healthz` says why) instead of answered from a file nobody can see.
@Suite struct ServedArchiveFileTests {
    /// The lines the server logs.
    final class Reports: Sendable {
        let lines = Mutex<[String]>([])
        func add(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    /// An archive of `count` messages at `path`, its WAL folded in (a finished run's files).
    static func makeArchive(at path: String, count: Int) async throws {
        let store = try await ServeFixture.makeArchive(at: path, count: count)
        await store.close()
    }

    /// `/healthz`'s status and message count (nil when unavailable).
    static func health(_ client: any TestClientProtocol) async throws -> (HTTPResponse.Status, Int?, String) {
        let (status, body, _) = try await ServeRoutesTests.get(client, "/healthz")
        let health = try #require(try ServeRoutesTests.json(body) as? [String: Any])
        return (status, (health["archive"] as? [String: Any])?["messages"] as? Int, body)
    }

    @Test func aReplacedArchiveIsServedAndADeletedOneRefused() async throws {
        try await TemporaryArchive.with { path in
            let folder = (path as NSString).deletingLastPathComponent
            try await Self.makeArchive(at: path, count: 40)
            try await Self.makeArchive(at: folder + "/backup.sqlite", count: 90)
            try FileManager.default.copyItem(atPath: path, toPath: folder + "/first.sqlite")
            let reports = Reports()
            let archive = ServedArchive(
                store: try SQLiteArchiveStore.openForReading(path: path), file: path,
                opened: FileIdentity(path: path), reopen: { try SQLiteArchiveStore.openForReading(path: path) },
                report: reports.add)
            let server = ArchiveServer(archive: archive, configuration: ServeConfiguration())
            try await Application(router: server.makeRouter()).test(.router) { client in
                #expect(try await Self.health(client).1 == 41)

                // A backup restored over the archive (renamed into place, as `mv` and most restore tools do).
                try Self.replace(path, with: folder + "/backup.sqlite")
                let (status, count, _) = try await Self.health(client)
                #expect(status == .ok)
                #expect(count == 91)
                #expect(reports.all.last?.contains("was replaced: serving the file now at that path") == true)
                let (guildsStatus, _, _) = try await ServeRoutesTests.get(client, "/skald/api/guilds")
                #expect(guildsStatus == .ok)

                // Deleted: refused with the reason, said once however many requests follow.
                try FileManager.default.removeItem(atPath: path)
                let (goneStatus, goneCount, goneBody) = try await Self.health(client)
                #expect(goneStatus == .serviceUnavailable)
                #expect(goneCount == nil)
                #expect(goneBody.contains("was deleted or moved away"))
                let (pageStatus, pageBody, _) = try await ServeRoutesTests.get(client, "/skald/api/guilds")
                #expect(pageStatus == .serviceUnavailable)
                #expect(pageBody.contains("was deleted or moved away"))
                let (assetStatus, _, _) = try await ServeRoutesTests.get(client, "/assets/viewer.js")
                #expect(assetStatus == .ok)
                #expect(reports.all.filter { $0.contains("deleted or moved away") }.count == 1)

                // A file that is not an archive yet (a copy being written): refused, tried again, said once.
                try Data(repeating: 0x5A, count: 4096).write(to: URL(fileURLWithPath: path))
                #expect(try await Self.health(client).0 == .serviceUnavailable)
                let (halfStatus, halfBody, _) = try await ServeRoutesTests.get(client, "/skald/api/guilds")
                #expect(halfStatus == .serviceUnavailable)
                #expect(halfBody.contains("cannot read as an archive"))
                #expect(reports.all.filter { $0.contains("cannot read as an archive") }.count == 1)

                // The archive back at its path: served again.
                try Self.replace(path, with: folder + "/first.sqlite")
                let (backStatus, backCount, _) = try await Self.health(client)
                #expect(backStatus == .ok)
                #expect(backCount == 41)
            }
        }
    }

    /// Renames `source` over `path`, as a restore does (the file's WAL and index beside it go too).
    static func replace(_ path: String, with source: String) throws {
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        guard rename(source, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}
