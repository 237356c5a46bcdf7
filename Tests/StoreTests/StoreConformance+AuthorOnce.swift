import ArchiveStore
import DiscordModels
import Foundation
import Testing

extension StoreConformance {
    // MARK: Author objects stored once

    /// Thirty messages of three authors, non-ASCII before and inside the author object (offsets are bytes on
    /// SQLite, characters on PostgreSQL): the first twenty indexed from the page's bytes, the rest decoded.
    static func authorOncePages() throws -> (json: [String], pages: [MessagePage]) {
        let json = (0..<30).map { index in
            Fixture.messageJSON(
                index, content: "🛡️ é \(index) \"quoted\"", author: 5001 + UInt64(index % 3),
                authorName: index % 3 == 0 ? "åsa" : "user\(index % 3)", mentions: index % 5 == 0 ? [5002] : [])
        }
        let indexed = try IndexedMessage.page(Data(("[" + json.joined(separator: ",") + "]").utf8))
        #expect(indexed.allSatisfy { $0.authorRange != nil })
        let decoded = try (20..<30).map { IndexedMessage(try Decoded<Message>(decoding: Data(json[$0].utf8))) }
        return (
            json,
            [
                MessagePage(channelId: Fixture.channel, guildId: Fixture.guild, messages: Array(indexed[0..<20])),
                MessagePage(channelId: Fixture.channel, guildId: Fixture.guild, messages: decoded),
            ]
        )
    }

    /// Every reader of a message's JSON gets the bytes Discord sent from pages whose authors the store keeps once
    /// (``authorOncePages()``); storing them again writes nothing, an edit keeps its new JSON whole and the old
    /// version as a revision.
    static func authorObjectsReadBackExactly(_ store: any ArchiveStore) async throws {
        let (page, pages) = try authorOncePages()
        _ = try await store.storeMessagePages(pages)
        let expected = Dictionary(uniqueKeysWithValues: page.enumerated().map { (Fixture.messageID($0), $1) })
        func text(_ json: Data) -> String { String(decoding: json, as: UTF8.self) }

        for row in try await store.messageJSON(in: Fixture.channel, after: nil, limit: 100) {
            #expect(text(row.json) == expected[row.id])
        }
        for message in try await store.messages(in: Fixture.channel, after: nil, limit: 100) {
            #expect(text(message.json) == expected[message.id])
        }
        let one = try #require(try await store.message(Fixture.messageID(7)))
        #expect(text(one.json) == page[7])
        let found = try await store.searchMessages("quoted", in: Fixture.channel, limit: 100)
        #expect(found.count == 30)
        #expect(found.allSatisfy { text($0.json) == expected[$0.id] })
        let searched = try await store.search(MessageSearch(words: ["quoted"]), before: nil, limit: 100)
        #expect(searched.count == 30)
        #expect(searched.allSatisfy { text($0.json) == expected[$0.id] })
        // The author's `bot` is read from the shared object: every fixture author is a user.
        var users = MessageSearch()
        users.authorTypes = [.user]
        #expect(try await store.search(users, before: nil, limit: 100).count == 30)
        let table = try #require(ArchiveTables.all.first { $0.name == "message" })
        let json = try #require(table.columns.firstIndex { $0.name == "json" })
        let rows = try await store.readRows(of: table, after: nil, limit: 100)
        #expect(rows.count == 30)
        #expect(
            rows.allSatisfy { row in
                if case .text(let text) = row[json] { return expected.values.contains(text) }
                return false
            })
        let again = try await store.storeMessagePage(pages[0])
        #expect(again.unchanged == 20)
        let edited = Fixture.messageJSON(
            3, content: "edited", edited: "2026-11-21T10:00:00.000000+00:00", author: 5001, authorName: "åsa")
        let result = try await store.storeMessagePage(
            MessagePage(
                channelId: Fixture.channel, guildId: Fixture.guild,
                messages: [try IndexedMessage(json: Data(edited.utf8))]))
        #expect(result.edited == 1)
        let three = try #require(try await store.message(Fixture.messageID(3), in: Fixture.channel))
        #expect(text(three.json) == edited)
        let revisions = try await store.revisions(of: Fixture.messageID(3), in: Fixture.channel)
        #expect(revisions.map { text($0.json) } == [page[3]])
    }
}
