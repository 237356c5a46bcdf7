import ArchiveStore
import DiscordModels
import Foundation
import Testing

extension StoreConformance {
    // MARK: Browsing (skald serve)

    /// Pages before and after a message, with and without tombstoned ones, and the structured search with its
    /// filters and cursor, the same on every backend.
    static func browsing(_ store: any ArchiveStore) async throws {
        var messages = try Fixture.messages(0..<30)
        messages[5] = try Fixture.message(5, content: "the zebrafinch sings at dawn", author: 7001, authorName: "bob")
        messages[6] = try Fixture.message(6, content: "a zebrafinch is quiet", author: 7002, authorName: "carol")
        messages[7] = try Fixture.message(7, content: "dawn chorus of the zebrafinch", author: 7001, authorName: "bob")
        messages[3] = try Fixture.message(3, content: "dawn dawn dawn")
        messages[8] = try Fixture.message(8, content: "a mediafish picture", mentions: [7002], attachments: 1)
        messages[9] = try Fixture.message(9, content: "a mediafish hook https://example.com", webhook: true)
        try await store.storeMessagePage(MessagePage(channelId: channel, guildId: Fixture.guild, messages: messages))
        try await store.markMessagesDeleted([Fixture.messageID(10)], in: channel, at: Date(), checkpoint: nil)
        let ids = (0..<30).map(Fixture.messageID)

        let latest = try await store.messages(in: channel, before: nil, limit: 3, includeDeleted: false)
        #expect(latest.map(\.id) == [ids[29], ids[28], ids[27]])
        let before = try await store.messages(in: channel, before: ids[12], limit: 3, includeDeleted: false)
        #expect(before.map(\.id) == [ids[11], ids[9], ids[8]])
        let beforeAll = try await store.messages(in: channel, before: ids[12], limit: 3, includeDeleted: true)
        #expect(beforeAll.map(\.id) == [ids[11], ids[10], ids[9]])
        let after = try await store.messages(in: channel, after: ids[8], limit: 3, includeDeleted: false)
        #expect(after.map(\.id) == [ids[9], ids[11], ids[12]])
        let first = try await store.messages(in: channel, after: nil, limit: 2, includeDeleted: true)
        #expect(first.map(\.id) == [ids[0], ids[1]])

        func search(_ search: MessageSearch, before: Snowflake<Message>? = nil, limit: Int = 10) async throws
            -> [Snowflake<Message>]
        {
            try await store.search(search, before: before, limit: limit).map(\.id)
        }
        #expect(try await search(MessageSearch(words: ["zebrafinch"])) == [ids[7], ids[6], ids[5]])
        #expect(try await search(MessageSearch(words: ["zebrafinch"]), before: ids[7], limit: 1) == [ids[6]])
        #expect(try await search(MessageSearch(phrases: [["sings", "at", "dawn"]])) == [ids[5]])
        #expect(try await search(MessageSearch(words: ["zebrafinch"], excludedWords: ["quiet"])) == [ids[7], ids[5]])
        #expect(try await search(MessageSearch(words: ["zebrafinch"], authors: [Snowflake(7001)])) == [ids[7], ids[5]])
        #expect(try await search(MessageSearch(words: ["zebrafinch"], channels: [Fixture.otherChannel])) == [])
        #expect(
            try await search(MessageSearch(words: ["zebrafinch"], minimumId: ids[6], maximumId: ids[7])) == [ids[6]])
        #expect(try await search(MessageSearch(deleted: true)) == [ids[10]])

        // By relevance: the message saying "dawn" three times first, then newest first among equals; an offset.
        #expect(
            try await store.search(MessageSearch(words: ["dawn"]), rankedFrom: 0, limit: 5).map(\.element.id) == [
                ids[3], ids[7], ids[5],
            ])
        #expect(
            try await store.search(MessageSearch(words: ["dawn"]), rankedFrom: 1, limit: 1).map(\.element.id) == [
                ids[7]
            ])
        #expect(try await search(MessageSearch(words: ["dawn"])) == [ids[7], ids[5], ids[3]])
        #expect(
            try await store.search(MessageSearch(deleted: true), rankedFrom: 0, limit: 5).map(\.element.id) == [ids[10]]
        )

        var either = MessageSearch(words: ["zebrafinch"])
        either.alternatives = [["sings", "chorus"]]
        #expect(try await search(either) == [ids[7], ids[5]])

        func filtered(_ edit: (inout MessageSearch) -> Void) async throws -> [Snowflake<Message>] {
            var query = MessageSearch(words: ["mediafish"])
            edit(&query)
            return try await search(query)
        }
        #expect(try await filtered { $0.has = [.image] } == [ids[8]])
        #expect(try await filtered { $0.has = [.file] } == [ids[8]])
        #expect(try await filtered { $0.has = [.video] } == [])
        #expect(try await filtered { $0.has = [.link] } == [ids[9]])
        #expect(try await filtered { $0.has = [.embed] } == [])
        #expect(try await filtered { $0.has = [.poll] } == [])
        #expect(try await filtered { $0.has = [.sticker] } == [])
        #expect(try await filtered { $0.mentions = [Snowflake(7002)] } == [ids[8]])
        #expect(try await filtered { $0.authorTypes = [.webhook] } == [ids[9]])
        #expect(try await filtered { $0.authorTypes = [.user] } == [ids[8]])
        #expect(try await filtered { $0.authorTypes = [.bot] } == [])
        #expect(try await search(MessageSearch(words: ["NEAR(", "AND"])) == [])
    }
}
