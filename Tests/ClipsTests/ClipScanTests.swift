import ArchiveStore
import Bot
import DiscordModels
import Foundation
import SQLiteStore
import Testing

/// `skald clips scan` over an archive of the simulator equals the clips the simulator generated.
@Suite struct ClipScanTests {
    @Test("a scan records exactly the generated clips; scanning again adds nothing")
    func scanEqualsTruth() async throws {
        try await ClipsHarness.withTemporaryDirectory { dir in
            try await ClipsHarness.withSimulator { sim in
                let truth = try await ClipsHarness.truthClips(sim)
                #expect(truth.count > 20)
                for kind in ["attachment", "link", "embed"] {
                    #expect(truth.contains { $0.contains("/\(kind)/") }, "the simulator generated no \(kind) clip")
                }
                let store = try SQLiteArchiveStore(path: dir + "/a.sqlite")
                try await ClipsHarness.archive(sim, into: store)
                let run = try await ClipScanner(store: store).scan(guild: nil, channels: [], since: nil)
                #expect(run.status == .finished)
                let clips = try await store.clips(guild: nil, kind: nil)
                #expect(ClipsHarness.lines(clips) == truth)
                #expect(run.clipsFound == truth.count)
                let again = try await ClipScanner(store: store).scan(guild: nil, channels: [], since: nil)
                #expect(again.id != run.id)
                #expect(try await store.clips(guild: nil, kind: nil).count == truth.count)
                #expect(try await store.clipScans(limit: 10).count == 2)
            }
        }
    }

    @Test("an interrupted scan is resumed from its cursors by the next scan with the same selection")
    func scanResumes() async throws {
        try await ClipsHarness.withTemporaryDirectory { dir in
            try await ClipsHarness.withSimulator(messages: 120) { sim in
                let store = try SQLiteArchiveStore(path: dir + "/a.sqlite")
                try await ClipsHarness.archive(sim, into: store)
                let channels = try await store.channels(in: nil).map(\.id).sorted()
                let first = try #require(await ClipsHarness.readableTextChannel(sim))
                let ids = try await store.messageIDs(in: first, includeDeleted: false)
                try #require(ids.count > 10)
                // A run that stopped half-way through the first channel.
                let stopped = ClipScanRun(
                    guildId: nil, channelIds: [], since: nil, startedAt: Date(), messagesScanned: ids.count / 2,
                    cursors: [first: ids[ids.count / 2 - 1]])
                try await store.saveClipScan(stopped)
                let resumed = try await ClipScanner(store: store).scan(guild: nil, channels: [], since: nil)
                #expect(resumed.id == stopped.id)
                #expect(resumed.status == .finished)
                var total = 0
                for channel in channels {
                    total += try await store.messageIDs(in: channel, includeDeleted: false).count
                }
                #expect(resumed.messagesScanned == total)
                // Only the second half of the first channel was read again: clips before the cursor are missing.
                let firstHalf = Set(ids.prefix(ids.count / 2))
                let clips = try await store.clips(guild: nil, kind: nil)
                #expect(!clips.contains { $0.channelId == first && firstHalf.contains($0.messageId) })
            }
        }
    }

    @Test("--channel and --since narrow a scan")
    func scanSelection() async throws {
        try await ClipsHarness.withTemporaryDirectory { dir in
            try await ClipsHarness.withSimulator(messages: 120) { sim in
                let store = try SQLiteArchiveStore(path: dir + "/a.sqlite")
                try await ClipsHarness.archive(sim, into: store)
                let truth = try await ClipsHarness.truthClips(sim)
                let channel = try #require(await ClipsHarness.readableTextChannel(sim))
                _ = try await ClipScanner(store: store).scan(guild: nil, channels: [channel], since: nil)
                let clips = try await store.clips(guild: nil, kind: nil)
                #expect(ClipsHarness.lines(clips) == truth.filter { $0.contains("/\(channel)/") })
                let future = Date().addingTimeInterval(86_400)
                let later = try await ClipScanner(store: store).scan(guild: nil, channels: [], since: future)
                #expect(later.messagesScanned == 0)
            }
        }
    }
}
