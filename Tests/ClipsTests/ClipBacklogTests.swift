import ArchiveStore
import Bot
import DiscordModels
import Foundation
import SQLiteStore
import TestSupport
import Testing

/// The clip saver's marks (`clip_pending`) on both backends: written with the live batch that commits the message,
/// read with the message, deleted by id in the transaction that records the clips, so a mark written after the saver
/// read the message (another edit) survives the first one's consumption.
@Suite struct ClipBacklogTests {
    static func exercise(_ store: any BotStore) async throws {
        let message = try Decoded<Message>(
            decoding: ClipDetectorTests.message(content: "see https://streamable.com/backlog1"))
        var batch = LiveBatch(at: Date())
        batch.pages = [MessagePage(channelId: message.value.channelId, guildId: nil, messages: [message])]
        batch.marksClips = true
        try await store.storeLiveBatch(batch)
        let read = try await store.clipBacklog(limit: 10)
        #expect(read.marks.count == 1)
        #expect(read.messages.map(\.id) == [message.value.id])
        // The same message committed again after the read (an edit would be): its own mark.
        try await store.storeLiveBatch(batch)
        // A batch of `skald watch` marks nothing.
        var unmarked = batch
        unmarked.marksClips = false
        try await store.storeLiveBatch(unmarked)
        let clips = read.messages.flatMap { ClipRecords.of($0, at: Date()) }
        #expect(clips.map(\.url) == ["https://streamable.com/backlog1"])
        try await store.recordClips(clips, consumingMarks: read.marks)
        let left = try await store.clipBacklog(limit: 10)
        #expect(left.marks.count == 1 && !read.marks.contains(left.marks[0]))
        #expect(left.messages.map(\.id) == [message.value.id])
        try await store.recordClips(clips, consumingMarks: left.marks)
        #expect(try await store.clipBacklog(limit: 10).marks.isEmpty)
        // Recorded twice, kept once.
        #expect(try await store.clips(guild: nil, kind: nil).count == 1)
    }

    @Test func sqlite() async throws {
        try await ClipsHarness.withTemporaryDirectory { folder in
            let store = try SQLiteArchiveStore(path: folder + "/m.sqlite")
            try await Self.exercise(store)
            await store.close()
        }
    }

    @Test(.enabled(if: TestPostgres.isWanted)) func postgres() async throws {
        try await BotPostgresTests.withTwoStores { store, _ in try await Self.exercise(store) }
    }
}
