import ArchiveStore
import AsyncHTTPClient
import DiscordSimulator
import Foundation
import SQLiteStore
import Testing

@testable import Archive

/// An attachment whose signed link the CDN refuses, even after the message was read again: the failure says what
/// happened and what to do (before: `ExpiredURL()`).
@Suite struct MediaExpiredLinkTests {
    @Test func aLinkRefusedOrAnAttachmentRemovedIsSaidInWords() async throws {
        let time = VirtualTime()
        var config = SimulatorConfiguration.testWorld(seed: 3, channels: 1, messages: 60, threads: 0)
        config.clock = time.clock
        try await ArchiveHarness.withSimulator(config) { sim in
            try await ArchiveHarness.withTemporaryDirectory { dir in
                let store = try SQLiteArchiveStore(path: dir + "/archive.sqlite")
                _ = try await ArchiveHarness.archive(ArchiveHarness.configuration(for: sim), into: store)
                let pending = try await store.attachmentsLackingDownload(after: nil, maxFailures: 3, limit: 2)
                try #require(pending.count == 2, "the world has no attachment to download")
                // Every signed link the archive holds is now past its expiry: the CDN answers 404.
                time.advance(by: .seconds(2 * 86_400))
                let staleLink = pending[1].url
                let outcome = try await MediaDownloader(
                    store: store, directory: dir + "/media", http: HTTPClient.shared,
                    observer: SilentArchiveObserver(), logger: ArchiveHarness.logger, now: { Date() },
                    refresh: { attachment in
                        // The first: removed from its message since; the second: the fresh link refused too.
                        attachment.id == pending[0].id ? nil : staleLink
                    }
                ).downloadPending()
                let reasons = Dictionary(
                    outcome.failures.map { ($0.attachmentId, $0.reason) }, uniquingKeysWith: { first, _ in first })
                let removed = try #require(reasons[pending[0].id])
                #expect(removed.contains("no longer holds it: it was removed from the message"), "\(removed)")
                let refused = try #require(reasons[pending[1].id])
                #expect(refused.contains("the CDN refused even a fresh link from Discord (404)"), "\(refused)")
                #expect(!outcome.failures.contains { $0.reason.contains("ExpiredURL") })
            }
        }
    }
}
