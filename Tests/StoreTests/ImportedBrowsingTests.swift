import ArchiveStore
import DiscordModels
import Foundation
import Testing

@testable import SQLiteStore

/// The reads `skald serve` makes of imported messages, on every backend: a channel's imported messages newest first
/// from a cursor, one message, and the search (words and filters) over their DCE objects, kept right when a later
/// import replaces a message's text.
@Suite struct ImportedBrowsingTests {
    static let at = Date(timeIntervalSince1970: 1_700_000_000)

    /// A DCE message object.
    static func dce(
        _ index: Int, content: String, author: String = "10", bot: Bool = false, pinned: Bool = false,
        edited: String? = nil, attachment: String? = nil
    ) -> ImportedMessage {
        let id = Fixture.messageID(index)
        let edit = edited.map { "\"\($0)\"" } ?? "null"
        let attachments =
            attachment.map {
                #"[{"id":"77\#(index)","url":"https://cdn.discordapp.com/attachments/1/2/\#($0)","fileName":"\#($0)","fileSizeBytes":12}]"#
            } ?? "[]"
        let json = """
            {"id":"\(id)","type":"Default","timestamp":"2023-11-14T22:13:20+00:00","timestampEdited":\(edit),\
            "callEndedTimestamp":null,"isPinned":\(pinned),"content":"\(content)","author":{"id":"\(author)",\
            "name":"user\(author)","discriminator":"0000","nickname":"User\(author)","color":null,"isBot":\(bot),\
            "roles":[],"avatarUrl":"https://cdn.discordapp.com/embed/avatars/0.png"},"attachments":\(attachments),\
            "embeds":[],"stickers":[],"reactions":[],"mentions":[],"inlineEmojis":[]}
            """
        return ImportedMessage(
            id: id, channelId: Fixture.channel, guildId: Fixture.guild, timestamp: "2023-11-14T22:13:20+00:00",
            json: Data(json.utf8))
    }

    /// Imports `messages` as one file, staged and committed.
    static func importFile(_ messages: [ImportedMessage], into store: any ArchiveStore, exportedAt: Date? = nil)
        async throws
    {
        let stage = UUID()
        try await store.stageImportedMessages(messages, stage: stage)
        try await store.commitImport(
            stage: stage,
            channel: ImportedChannel(
                channelId: Fixture.channel, guildId: Fixture.guild,
                guildJSON: Data(#"{"id":"\#(Fixture.guild)","name":"Old guild"}"#.utf8),
                channelJSON: Data(#"{"id":"\#(Fixture.channel)","type":"GuildTextChat","name":"old"}"#.utf8),
                source: "export.json", importedAt: at, exportedAt: exportedAt))
    }

    static func ids(_ messages: [ImportedMessage]) -> [Int] {
        messages.map { id in (1...9).first { Fixture.messageID($0) == id.id } ?? -1 }
    }

    @Test(arguments: StoreBackend.all) func newestFirstAndOne(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await Self.importFile((1...5).map { Self.dce($0, content: "m\($0)") }, into: store)
            let newest = try await store.importedMessages(in: Fixture.channel, before: nil, limit: 3)
            #expect(Self.ids(newest) == [5, 4, 3])
            let older = try await store.importedMessages(in: Fixture.channel, before: Fixture.messageID(3), limit: 10)
            #expect(Self.ids(older) == [2, 1])
            let one = try await store.importedMessage(Fixture.messageID(4), in: Fixture.channel)
            #expect(one.map { String(decoding: $0.json, as: UTF8.self).contains("\"m4\"") } == true)
            #expect(try await store.importedMessage(Fixture.messageID(9), in: Fixture.channel) == nil)
        }
    }

    @Test(arguments: StoreBackend.all) func searchWordsAndFilters(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await Self.importFile(
                [
                    Self.dce(1, content: "zebra crossing", author: "10"),
                    Self.dce(2, content: "a zebra again", author: "11", bot: true, pinned: true),
                    Self.dce(
                        3, content: "giraffe https://example.com", author: "10", edited: "2023-11-15T00:00:00+00:00"),
                    Self.dce(4, content: "zebra photo", author: "12", attachment: "zebra.PNG"),
                    Self.dce(5, content: "notes", author: "12", attachment: "notes.txt"),
                ], into: store)
            func found(_ search: MessageSearch, before: Int? = nil) async throws -> [Int] {
                Self.ids(
                    try await store.searchImported(search, before: before.map(Fixture.messageID), limit: 10))
            }
            #expect(try await found(MessageSearch(words: ["zebra"])) == [4, 2, 1])
            #expect(try await found(MessageSearch(words: ["zebra"]), before: 4) == [2, 1])
            #expect(try await found(MessageSearch(words: ["zebra"], authors: ["10"])) == [1])
            #expect(try await found(MessageSearch(words: ["zebra"], pinned: true)) == [2])
            #expect(try await found(MessageSearch(edited: true)) == [3])
            #expect(try await found(MessageSearch(excludedWords: ["zebra"], channels: [Fixture.channel])) == [5, 3])
            #expect(try await found(MessageSearch(deleted: true)) == [])
            var has = MessageSearch()
            has.has = [.image]
            #expect(try await found(has) == [4])
            has.has = [.file]
            #expect(try await found(has) == [5, 4])
            has.has = [.link]
            #expect(try await found(has) == [3])
            var bots = MessageSearch()
            bots.authorTypes = [.bot]
            #expect(try await found(bots) == [2])
            bots.authorTypes = [.webhook]
            #expect(try await found(bots) == [])
            var dated = MessageSearch(words: ["zebra"])
            dated.minimumId = Fixture.messageID(2)
            #expect(try await found(dated) == [4, 2])
        }
    }

    /// A later import that replaces a message's text re-indexes it: the old words no longer find it.
    @Test(arguments: StoreBackend.all) func replacedTextIsSearchedAsReplaced(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await Self.importFile([Self.dce(1, content: "zebra"), Self.dce(2, content: "other")], into: store)
            try await Self.importFile(
                [Self.dce(1, content: "okapi", edited: "2023-11-15T00:00:00+00:00")], into: store)
            #expect(try await store.searchImported(MessageSearch(words: ["zebra"]), before: nil, limit: 5).isEmpty)
            let found = try await store.searchImported(MessageSearch(words: ["okapi"]), before: nil, limit: 5)
            #expect(Self.ids(found) == [1])
            // The older version, imported last, changes nothing the search sees.
            try await Self.importFile([Self.dce(1, content: "zebra")], into: store)
            #expect(try await store.searchImported(MessageSearch(words: ["zebra"]), before: nil, limit: 5).isEmpty)
        }
    }

    /// `message` (made by ``dce(_:content:author:bot:pinned:edited:attachment:)``) with its author's and content's
    /// bytes pointed out, as the file reader does.
    static func withReaderRanges(_ message: ImportedMessage) throws -> ImportedMessage {
        let json = Array(message.json)
        func offset(of text: String) throws -> Int {
            let key = Array(text.utf8)
            return try #require((0...(json.count - key.count)).first { Array(json[$0..<$0 + key.count]) == key })
        }
        let author = try offset(of: #""author":"#) + 9
        let end = try #require(json[author...].firstIndex(of: UInt8(ascii: "}")))
        var message = message
        message.authorRange = author..<end + 1
        message.contentRange = try offset(of: #""content":"#) + 10..<offset(of: #","author":"#)
        return message
    }

    /// `from:` a name or a nickname and `from:` an id find what every writer imported: the direct import with the
    /// author's bytes pointed out (its own fast path) and without them, the staged import, and a later import that
    /// replaces a message's JSON (the id and the name follow the new version).
    @Test(arguments: StoreBackend.all) func authorsAreFoundWhicheverWayTheyCameIn(_ backend: StoreBackend)
        async throws
    {
        try await backend.withStore { store in
            func importDirectly(_ message: ImportedMessage) async throws {
                let header = ImportedChannel(
                    channelId: Fixture.channel, guildId: Fixture.guild, guildJSON: Data("{}".utf8),
                    channelJSON: Data("{}".utf8), source: "direct.json", importedAt: Self.at)
                if try await store.importDirectly(ImportMergeTests.OneMessageFile(message: message, header: header))
                    == nil
                {
                    try await Self.importFile([message], into: store)
                }
            }
            func found(_ authors: [Snowflake<User>]) async throws -> [Int] {
                Self.ids(try await store.searchImported(MessageSearch(authors: authors), before: nil, limit: 10))
            }
            // Its content escaped as DCE writes it: the full-text index takes it unescaped, as from the JSON.
            try await importDirectly(
                try Self.withReaderRanges(Self.dce(1, content: #"caf\u00e9 \"okapi\" one\u0027s"#, author: "21")))
            try await importDirectly(Self.dce(2, content: "b", author: "22"))
            try await Self.importFile([Self.dce(3, content: "c", author: "23")], into: store)
            for words in [["café"], ["okapi"], ["one", "s"]] {
                let search = MessageSearch(words: words)
                #expect(Self.ids(try await store.searchImported(search, before: nil, limit: 5)) == [1])
            }
            for (author, index) in [("21", 1), ("22", 2), ("23", 3)] {
                #expect(try await store.importedAuthors(named: "user\(author)") == [Snowflake(author)!])
                #expect(try await found([Snowflake(author)!]) == [index])
            }
            // An edited version by another author replaces message 1, through either path.
            try await importDirectly(
                try Self.withReaderRanges(
                    Self.dce(1, content: "a2", author: "24", edited: "2023-11-15T00:00:00+00:00")))
            #expect(try await found(["21"]) == [])
            #expect(try await found(["24"]) == [1])
            #expect(try await store.searchImported(MessageSearch(words: ["okapi"]), before: nil, limit: 5).isEmpty)
            #expect(
                Self.ids(try await store.searchImported(MessageSearch(words: ["a2"]), before: nil, limit: 5)) == [1])
            #expect(try await store.importedAuthors(named: "user24") == ["24"])
            try await Self.importFile(
                [Self.dce(2, content: "b2", author: "25", edited: "2023-11-15T00:00:00+00:00")], into: store)
            #expect(try await found(["22"]) == [])
            #expect(try await found(["25"]) == [2])
            #expect(try await store.importedAuthors(named: "user25") == ["25"])
            if let sqlite = store as? SQLiteArchiveStore {
                try await sqlite.execute(
                    "INSERT INTO imported_message_search (imported_message_search, rank) VALUES ('integrity-check', 1)")
            }
        }
    }

    /// The direct import (`skald import`'s path) indexes what it inserts, and re-indexes what it replaces.
    @Test(arguments: StoreBackend.all) func directImportIsSearchable(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            func importDirectly(_ message: ImportedMessage) async throws {
                let header = ImportedChannel(
                    channelId: Fixture.channel, guildId: Fixture.guild, guildJSON: Data("{}".utf8),
                    channelJSON: Data("{}".utf8), source: "direct.json", importedAt: Self.at)
                let file = ImportMergeTests.OneMessageFile(message: message, header: header)
                guard try await store.importDirectly(file) != nil else {
                    // A backend without the direct path stages instead.
                    try await Self.importFile([message], into: store)
                    return
                }
            }
            try await importDirectly(Self.dce(1, content: "quokka"))
            #expect(
                Self.ids(try await store.searchImported(MessageSearch(words: ["quokka"]), before: nil, limit: 5)) == [1]
            )
            try await importDirectly(Self.dce(1, content: "wombat", edited: "2023-11-15T00:00:00+00:00"))
            #expect(try await store.searchImported(MessageSearch(words: ["quokka"]), before: nil, limit: 5).isEmpty)
            #expect(
                Self.ids(try await store.searchImported(MessageSearch(words: ["wombat"]), before: nil, limit: 5)) == [1]
            )
        }
    }
}
