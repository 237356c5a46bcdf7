import ArchiveStore
import DiscordModels
import Foundation
import Testing

extension StoreConformance {
    // MARK: Message identity

    /// A thread started from message X has id X, and its first message (type 21, thread starter) has id X too:
    /// the archive keeps both rows, each with its own revisions, reactions, reaction users and attachments.
    static func threadStarterSharesParentID(_ store: any ArchiveStore) async throws {
        let parentIndex = 7
        let x = Fixture.messageID(parentIndex)
        let thread: Snowflake<Channel> = x.cast()
        try await store.storeChannels([
            try Fixture.channel(channel, name: "general"),
            try Fixture.channel(thread, name: "a thread", type: 11, parent: channel, archived: false),
        ])

        // The parent channel's page, X with a reaction and an attachment.
        let parentJSON = Fixture.messageJSON(
            parentIndex, content: "the parent of a thread", attachments: 1, reactions: 2)
        let parent = try Decoded<Message>(decoding: Data(parentJSON.utf8))
        let parentPage = MessagePage(
            channelId: channel, guildId: Fixture.guild,
            messages: try Fixture.messages(0..<parentIndex) + [parent] + Fixture.messages(parentIndex + 1..<10))
        #expect(try await store.storeMessagePage(parentPage) == MessagePageResult(inserted: 10))

        // The thread's page: the starter (id X) first, then two replies.
        let starter = try Fixture.threadStarter(parent: x, in: channel, parentJSON: parentJSON)
        #expect(starter.value.id == x)
        #expect(starter.value.channelId == thread)
        let replies = try Fixture.messages(20..<22, channel: thread)
        let threadPage = MessagePage(channelId: thread, guildId: Fixture.guild, messages: [starter] + replies)
        #expect(try await store.storeMessagePage(threadPage) == MessagePageResult(inserted: 3))

        // Both rows are there, each in its channel.
        #expect(try await store.messageIDs(in: channel).contains(x))
        #expect(try await store.messageIDs(in: channel).count == 10)
        #expect(try await store.messageIDs(in: thread) == [x] + replies.map(\.value.id))
        #expect(
            try await store.messages(in: thread, after: nil, limit: 10).map(\.json) == threadPage.messages.map(\.json))
        #expect(try await store.messages(in: channel, ids: x...x).map(\.json) == [parent.json])
        let stats = try await store.stats()
        #expect(stats.messages == 13)

        // By id alone: the parent's row; by (channel, id): exactly that row.
        let byID = try #require(try await store.message(x))
        #expect(byID.channelId == channel)
        #expect(byID.json == parent.json)
        #expect(try await store.message(x, in: channel) == byID)
        let starterRow = try #require(try await store.message(x, in: thread))
        #expect(starterRow.channelId == thread)
        #expect(starterRow.type == .threadStarterMessage)
        #expect(starterRow.json == starter.json)
        #expect(starterRow.referencedMessageId == x)
        #expect(starterRow.referencedChannelId == channel)
        #expect(try await store.message(x, in: Fixture.otherChannel) == nil)

        // Reactions, attachments and reaction users belong to one row.
        #expect(try await store.reactions(of: x, in: channel).map(\.count) == [2])
        #expect(try await store.reactions(of: x, in: thread).isEmpty)
        #expect(try await store.attachments(of: x, in: channel).count == 1)
        #expect(try await store.attachments(of: x, in: thread).isEmpty)
        #expect(try await store.attachments(of: x).count == 1)
        #expect(try await store.hasReactionUsers(in: channel) == false)
        try await store.storeReactionUsers(
            [try Fixture.user(9001, name: "reactor")], message: x, in: channel, emojiKey: "👍", burst: false,
            observedAt: at)
        #expect(try await store.reactionUserIDs(of: x, in: channel, emojiKey: "👍", burst: false) == ["9001"])
        #expect(try await store.hasReactionUsers(in: channel))
        #expect(try await store.hasReactionUsers(in: thread) == false)
        #expect(try await store.reactionUserIDs(of: x, in: thread, emojiKey: "👍", burst: false).isEmpty)

        // Storing both pages again changes nothing.
        let afterReactionUsers = try await store.stats()
        #expect(try await store.storeMessagePage(parentPage) == MessagePageResult(unchanged: 10))
        #expect(try await store.storeMessagePage(threadPage) == MessagePageResult(unchanged: 3))
        // Nor does one group of both (one look-up of the group's ids: each channel's row of X is its own).
        #expect(try await store.storeMessagePages([threadPage, parentPage]).map(\.unchanged) == [3, 10])
        #expect(try await store.stats() == afterReactionUsers)
        #expect(try await store.message(x, in: thread) == starterRow)
        #expect(try await store.message(x) == byID)

        // An edit of the parent adds a revision to the parent's row only.
        let editedJSON = Fixture.messageJSON(
            parentIndex, content: "the edited parent", edited: "2026-11-20T10:00:00.000000+00:00", attachments: 1,
            reactions: 2)
        let edited = try Decoded<Message>(decoding: Data(editedJSON.utf8))
        let editPage = MessagePage(channelId: channel, guildId: Fixture.guild, messages: [edited])
        #expect(try await store.storeMessagePage(editPage) == MessagePageResult(edited: 1))
        #expect(try await store.revisions(of: x, in: channel).map(\.json) == [parent.json])
        #expect(try await store.revisions(of: x, in: thread).isEmpty)
        #expect(try await store.revisions(of: x).map(\.json) == [parent.json])
        #expect(try await store.message(x)?.content == "the edited parent")
        #expect(try await store.message(x)?.revisionCount == 1)
        #expect(try await store.message(x, in: thread) == starterRow)
        #expect(try await store.stats().revisions == 1)
        #expect(try await store.stats().messages == 13)

        // Search finds the parent's row once; a tombstone in the thread leaves the parent's row alone.
        let found = try await store.searchMessages("edited parent", in: nil, limit: 10)
        #expect(found.map(\.channelId) == [channel])
        #expect(try await store.searchMessages("edited parent", in: thread, limit: 10).isEmpty)
        #expect(try await store.markMessagesDeleted([x], in: thread, at: at, checkpoint: nil) == 1)
        #expect(try await store.message(x, in: thread)?.deletedAt == at)
        #expect(try await store.message(x, in: channel)?.deletedAt == nil)
        #expect(try await store.message(x)?.channelId == channel)

        // The other order: a thread's page stored before its parent's message; by id alone, still the parent's row.
        let y = Fixture.messageID(30)
        let threadY: Snowflake<Channel> = y.cast()
        let parentY = try Fixture.message(30, content: "a later parent")
        let starterY = try Fixture.threadStarter(
            parent: y, in: channel, parentJSON: Fixture.messageJSON(30, content: "a later parent"))
        let starterPage = MessagePage(channelId: threadY, guildId: Fixture.guild, messages: [starterY])
        #expect(try await store.storeMessagePage(starterPage) == MessagePageResult(inserted: 1))
        let laterParentPage = MessagePage(channelId: channel, guildId: Fixture.guild, messages: [parentY])
        #expect(try await store.storeMessagePage(laterParentPage) == MessagePageResult(inserted: 1))
        #expect(try await store.message(y)?.json == parentY.json)
        #expect(try await store.message(y, in: threadY)?.json == starterY.json)

        // One group naming the parent's stored Z and a new thread's starter of the same id: the starter is new.
        let z = Fixture.messageID(parentIndex + 1)
        let starterZ = try Fixture.threadStarter(
            parent: z, in: channel, parentJSON: Fixture.messageJSON(parentIndex + 1))
        let threadZ = MessagePage(channelId: z.cast(), guildId: Fixture.guild, messages: [starterZ])
        #expect(
            try await store.storeMessagePages([parentPage, threadZ])
                == [MessagePageResult(unchanged: 10), MessagePageResult(inserted: 1)])
        #expect(try await store.message(z, in: z.cast())?.json == starterZ.json)
        #expect(try await store.message(z, in: channel)?.json == parentPage.messages[parentIndex + 1].json)
    }
}
