import ArchiveStore
import DiscordModels
import Foundation
import Testing

extension StoreConformance {
    // MARK: Page groups

    /// Pages of several channels stored in one transaction: all of them with their checkpoints and segments, or
    /// (one page invalid) none of them; each page's result is its own.
    static func pageGroupAllOrNothing(_ store: any ArchiveStore) async throws {
        let first = try Fixture.messages(0..<40)
        let second = try Fixture.messages(40..<80)
        let other = try Fixture.messages(100..<130, channel: Fixture.otherChannel)
        let checkpoint = ChannelCheckpoint(
            channelId: channel, guildId: Fixture.guild, oldestArchivedId: first[0].value.id,
            newestArchivedId: second.last?.value.id)
        let otherCheckpoint = ChannelCheckpoint(
            channelId: Fixture.otherChannel, guildId: Fixture.guild, newestArchivedId: other.last?.value.id)
        let segment = ChannelSegment(
            channelId: channel, low: first[0].value.id, high: second[0].value.id, cursor: first.last?.value.id,
            done: true)
        let pages = [
            MessagePage(channelId: channel, guildId: Fixture.guild, messages: first, segment: segment),
            MessagePage(
                channelId: Fixture.otherChannel, guildId: Fixture.guild, messages: other,
                checkpoint: otherCheckpoint),
            MessagePage(channelId: channel, guildId: Fixture.guild, messages: second, checkpoint: checkpoint),
        ]

        // The last page holds a message of another channel: nothing of the group is stored.
        var invalid = pages
        invalid[2].messages.append(IndexedMessage(try Fixture.message(99, channel: Fixture.otherChannel)))
        await #expect(throws: ArchiveStoreError.self) { try await store.storeMessagePages(invalid) }
        #expect(try await store.messageIDs(in: channel).isEmpty)
        #expect(try await store.messageIDs(in: Fixture.otherChannel).isEmpty)
        #expect(try await store.checkpoint(for: Fixture.otherChannel) == nil)
        #expect(try await store.checkpoint(for: channel) == nil)
        #expect(try await store.segments(of: channel).isEmpty)
        #expect(try await store.stats() == ArchiveStats())

        let results = try await store.storeMessagePages(pages)
        #expect(
            results == [
                MessagePageResult(inserted: 40), MessagePageResult(inserted: 30), MessagePageResult(inserted: 40),
            ])
        #expect(try await store.messageIDs(in: channel) == (first + second).map(\.value.id))
        #expect(try await store.messageIDs(in: Fixture.otherChannel) == other.map(\.value.id))
        #expect(try await store.checkpoint(for: channel) == checkpoint)
        #expect(try await store.checkpoint(for: Fixture.otherChannel) == otherCheckpoint)
        #expect(try await store.segments(of: channel) == [segment])
        // Stored again in one group: unchanged, page by page.
        #expect(try await store.storeMessagePages(pages).map(\.unchanged) == [40, 30, 40])
        #expect(try await store.storeMessagePages([]).isEmpty)
    }

    /// Full-text search after a group that inserts a message and edits it in a later page (the index is fed once
    /// per group, and an edit re-indexes a row the group inserted), and after a page whose ids are spread far
    /// apart (the stored versions are then looked up one by one).
    static func searchFollowsAGroup(_ store: any ArchiveStore) async throws {
        let pages = [
            MessagePage(
                channelId: channel, guildId: Fixture.guild,
                messages: [
                    IndexedMessage(try Fixture.message(1, content: "an amber lantern")),
                    IndexedMessage(try Fixture.message(2, content: "a quiet harbour")),
                ]),
            MessagePage(
                channelId: Fixture.otherChannel, guildId: Fixture.guild,
                messages: [IndexedMessage(try Fixture.message(3, channel: Fixture.otherChannel, content: "amber"))]),
            MessagePage(
                channelId: channel, guildId: Fixture.guild,
                messages: [
                    IndexedMessage(
                        try Fixture.message(1, content: "a crimson lantern", edited: "2026-11-20T10:00:00.000000+00:00")
                    )
                ]),
        ]
        #expect(
            try await store.storeMessagePages(pages)
                == [MessagePageResult(inserted: 2), MessagePageResult(inserted: 1), MessagePageResult(edited: 1)])
        #expect(try await store.searchMessages("amber", in: nil, limit: 10).map(\.id) == [Fixture.messageID(3)])
        #expect(
            try await store.searchMessages("crimson lantern", in: nil, limit: 10).map(\.id) == [Fixture.messageID(1)])
        #expect(try await store.searchMessages("harbour", in: channel, limit: 10).map(\.id) == [Fixture.messageID(2)])

        // Many stored messages between two ids of one page: the first is edited, the last is new.
        let filler = try Fixture.messages(10..<300)
        try await store.storeMessagePage(MessagePage(channelId: channel, guildId: Fixture.guild, messages: filler))
        let spread = MessagePage(
            channelId: channel, guildId: Fixture.guild,
            messages: [
                IndexedMessage(
                    try Fixture.message(10, content: "a violet kite", edited: "2026-11-21T10:00:00.000000+00:00")),
                IndexedMessage(try Fixture.message(400, content: "a teal kite")),
            ])
        #expect(try await store.storeMessagePage(spread) == MessagePageResult(inserted: 1, edited: 1))
        #expect(
            try await store.searchMessages("kite", in: channel, limit: 10).map(\.id)
                == [Fixture.messageID(400), Fixture.messageID(10)])
    }
}
