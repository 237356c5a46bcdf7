import ArchiveStore
import DiscordModels
import Foundation
import Hummingbird
import HummingbirdTesting
import Serve
import TestSupport
import Testing

/// A channel whose first part was imported from DiscordChatExporter and the rest archived, through `skald serve`
/// over loopback on a real SQLite file and the real PostgreSQL: search ranks, exports and shows history as one
/// channel, pins answer when they were pinned, and assets `import --media` copied are linked under `/media/`.
@Suite(.serialized) struct MergedHistoryServeTests {
    typealias Backend = ImportedHistoryServeTests.Backend
    typealias Imported = ImportedHistoryServeTests

    /// Runs `body` with a live server over a fresh archive of `backend` filled by `fill`, which is handed a media
    /// folder (temporary) that the server serves when `servingMedia`.
    static func withServer(
        _ backend: Backend, servingMedia: Bool = false,
        fill: @escaping @Sendable (any ArchiveStore, URL) async throws -> Void,
        _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        try await TemporaryArchive.with { path in
            let media = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("media")
            try FileManager.default.createDirectory(at: media, withIntermediateDirectories: true)
            try await Imported.withServer(
                backend, mediaFolder: servingMedia ? media.path : nil, fill: { store in try await fill(store, media) },
                body)
        }
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try ServeRoutesTests.json(text) as? [String: Any])
    }

    static func get(_ client: any TestClientProtocol, _ uri: String) async throws -> String {
        try await ServeRoutesTests.get(client, uri).1
    }

    /// Imports `messages` (id, DCE JSON) into the fixture's channel.
    static func importIntoFixtureChannel(_ messages: [(Snowflake<Message>, String)], store: any ArchiveStore)
        async throws
    {
        try await Imported.importFile(
            messages, channel: ServeFixture.channel, guild: ServeFixture.guild,
            guildJSON: #"{"id":"\#(ServeFixture.guild)","name":"The Hall"}"#,
            channelJSON: #"{"id":"\#(ServeFixture.channel)","type":"GuildTextChat","name":"general"}"#, into: store)
    }

    // MARK: Pins

    /// Pins of the mixed channel: archived 2 (pinned live, latest), 13 (pinned live, earlier), 6 (pinned, time never
    /// seen) and an imported pin (DCE keeps no pin time).
    static func fillPins(_ store: any ArchiveStore, _: URL) async throws {
        try await Imported.importBeforeArchive(into: store)
        let old = Imported.importedID(20)
        try await importIntoFixtureChannel(
            [(old, Imported.dce(old, content: "an old pinned notice", pinned: true))], store: store)
        let live = try #require(store as? any LiveCaptureStore)
        var batch = LiveBatch(at: Date())
        batch.pages = [
            MessagePage(
                channelId: ServeFixture.channel, guildId: ServeFixture.guild,
                messages: try [2, 6].map { index in
                    try ServeFixture.decode(
                        ServeFixture.messageJSON(
                            index, content: ServeFixture.content(index), author: 5001 + UInt64(index % 3),
                            pinned: true))
                })
        ]
        batch.pins = [
            ChannelPins(
                channelId: ServeFixture.channel,
                pinnedAt: [
                    ServeFixture.messageID(2): "2025-01-02T03:04:05.678000+00:00",
                    ServeFixture.messageID(13): "2024-06-01T00:00:00.000000+00:00",
                ])
        ]
        _ = try await live.storeLiveBatch(batch)
    }

    @Test(arguments: Backend.wanted) func pinsAnswerWhenEachMessageWasPinnedMostRecentFirst(_ backend: Backend)
        async throws
    {
        try await Self.withServer(backend, fill: Self.fillPins) { client in
            let route = "/api/v10/channels/\(ServeFixture.channel)/messages/pins"
            func page(_ query: String) async throws -> (ids: [String], pinnedAt: [String], hasMore: Bool) {
                let body = try Self.object(try await Self.get(client, route + query))
                let items = try #require(body["items"] as? [[String: Any]])
                return (
                    items.compactMap { ($0["message"] as? [String: Any])?["id"] as? String },
                    items.compactMap { $0["pinned_at"] as? String }, body["has_more"] as? Bool ?? true
                )
            }
            let old = Imported.importedID(20)
            let six = DiscordTimestamp(date: ServeFixture.messageID(6).date).rawValue
            let all = try await page("")
            #expect(all.ids == [2, 13, 6].map { ServeFixture.messageID($0).description } + ["\(old)"])
            #expect(
                all.pinnedAt == [
                    "2025-01-02T03:04:05.678000+00:00", "2024-06-01T00:00:00.000000+00:00", six,
                    DiscordTimestamp(date: old.date).rawValue,
                ])
            #expect(!all.hasMore)
            let first = try await page("?limit=2")
            #expect(first.ids == Array(all.ids.prefix(2)) && first.hasMore)
            // `before` is exclusive on `pinned_at`: the pin made at that moment is not repeated.
            let next = try await page("?limit=2&before=2024-06-01T00:00:00.000000%2B00:00")
            #expect(next.ids == Array(all.ids.suffix(2)) && !next.hasMore)
            // The older route: the same pins in the same order.
            let legacy = try await Self.get(client, "/api/v10/channels/\(ServeFixture.channel)/pins")
            #expect(try ServeRoutesTests.ids(legacy).map { String($0) } == all.ids)
        }
    }

    // MARK: Search

    /// The mixed channel with imported messages that say "hall" three times (short: the most relevant) and once
    /// in a long text.
    static func fillRelevance(_ store: any ArchiveStore, _: URL) async throws {
        try await Imported.importBeforeArchive(into: store)
        try await importIntoFixtureChannel(
            [30, 31, 32].map { index in
                let id = Imported.importedID(index)
                let text =
                    index == 32
                    ? "a long imported story that mentions the hall once among many other words of its own"
                    : "hall hall hall"
                return (id, Imported.dce(id, content: text))
            }, store: store)
    }

    @Test(arguments: Backend.wanted) func relevanceRanksImportedAndArchivedMatchesAsOneChannel(_ backend: Backend)
        async throws
    {
        try await Self.withServer(backend, fill: Self.fillRelevance) { client in
            func pages(_ sort: String) async throws -> [String] {
                var ids: [String] = []
                var cursor = ""
                while true {
                    let body = try Self.object(
                        try await Self.get(client, "/skald/api/search?q=hall&sort=\(sort)&limit=7\(cursor)"))
                    let results = try #require(body["results"] as? [[String: Any]])
                    ids += results.compactMap { ($0["message"] as? [String: Any])?["id"] as? String }
                    guard let next = body["next"] as? String else { return ids }
                    cursor = "&cursor=\(next)"
                }
            }
            let ranked = try await pages("relevance")
            let newest = try await pages("newest")
            // The short imported "hall hall hall" messages rank above every archived "… of the hall".
            #expect(Set(ranked.prefix(2)) == Set([30, 31].map { Imported.importedID($0).description }))
            // Every match once, imported and archived, as newest first finds them.
            #expect(ranked.count == Set(ranked).count)
            #expect(Set(ranked) == Set(newest))
            #expect(ranked.contains(Imported.importedID(32).description))
            // Message 5's imported edit is what the channel shows; its archived text matching is no match.
            #expect(!ranked.contains(ServeFixture.messageID(5).description))
        }
    }

    @Test(arguments: Backend.wanted) func searchExportHoldsImportedMatchesAsTheirOwnBytes(_ backend: Backend)
        async throws
    {
        try await Self.withServer(backend, fill: Self.fillRelevance) { client in
            let (status, zip, _) = try await SearchExportTests.get(client, "/skald/api/search/export.zip?q=hall")
            #expect(status == .ok)
            let entries = try ZipReading.entries(of: zip)
            #expect(entries.count == 1)
            let document = try SearchExportTests.document(try #require(entries.first).data)
            let ids = SearchExportTests.messageIDs(document)
            let imported = [30, 31, 32].map { Imported.importedID($0).description }
            #expect(Array(ids.prefix(3)) == imported)
            #expect(ids.count == Set(ids).count && !ids.contains(ServeFixture.messageID(5).description))
            let first = try #require((document["messages"] as? [[String: Any]])?.first)
            // The imported DCE object itself: its author's nickname, which only DCE keeps.
            #expect((first["author"] as? [String: Any])?["nickname"] as? String == "Old 6001")
            // One channel's document: the same messages.
            let (oneStatus, one, _) = try await SearchExportTests.get(
                client, "/skald/api/search/export.json?q=hall&channel=\(ServeFixture.channel)")
            let oneDocument = try SearchExportTests.document(one)
            #expect(oneStatus == .ok && SearchExportTests.messageIDs(oneDocument) == ids)
        }
    }

    // MARK: Edit history

    /// The mixed channel, imported message 3 imported again edited (its first text kept as an imported revision).
    static func fillHistory(_ store: any ArchiveStore, _: URL) async throws {
        try await Imported.importBeforeArchive(into: store)
        let three = Imported.importedID(3)
        try await importIntoFixtureChannel(
            [(three, Imported.dce(three, content: "imported early 3, edited later", edited: three.date + 300))],
            store: store)
    }

    @Test(arguments: Backend.wanted) func importedVersionsAreInTheEditHistory(_ backend: Backend) async throws {
        try await Self.withServer(backend, fill: Self.fillHistory) { client in
            let channel = ServeFixture.channel
            let three = Imported.importedID(3)
            // An imported message's own earlier version, in the page and the history page.
            let history = try await Self.get(client, "/channels/\(channel)/history/\(three)")
            #expect(history.components(separatedBy: "<li>").count == 3 && history.contains("edited later"))
            let entry = try Self.object(try await Self.get(client, "/skald/api/channels/\(channel)/messages/\(three)"))
            let revisions = try #require(entry["revisions"] as? [[String: Any]])
            #expect(revisions.compactMap { $0["content"] as? String } == ["imported early 3"])
            let page = try await Self.get(client, "/channels/\(channel)?around=\(three)")
            #expect(page.contains("1 earlier version"))
            // The archived copy of 5, superseded by the imported edit, is its earlier version.
            let five = ServeFixture.messageID(5)
            let fiveHistory = try await Self.get(client, "/channels/\(channel)/history/\(five)")
            #expect(fiveHistory.contains(ServeFixture.content(5)) && fiveHistory.contains("the imported edit wins"))
            // The unedited imported copy of 11 is older than the archive's edit: an earlier version beside the
            // archive's first draft.
            let eleven = try Self.object(
                try await Self.get(client, "/skald/api/channels/\(channel)/messages/\(ServeFixture.messageID(11))"))
            #expect(
                (eleven["revisions"] as? [[String: Any]])?.compactMap { $0["content"] as? String } == [
                    "a zebrafinch42 first draft", "a stale imported copy",
                ])
        }
    }

    // MARK: Media

    static let photoPath = "b5/b5d503eff93435a169528fc7fe7a1d232dc38a9b4b778a84e8fc756527091509.png"
    static let thumbnailPath = "54/5426d523a8e06104532473c351f4f8658497ea6a57425fe8f43a4ff0c2d70aad.png"
    static let photoID = Imported.importedID(40)

    /// An imported message whose attachment and embed thumbnail `import --media` copied into the media folder, and
    /// an attachment left where the export was (a path outside the folder: never served).
    static func fillMedia(_ store: any ArchiveStore, media: URL) async throws {
        for (path, bytes) in [(photoPath, "photo"), (thumbnailPath, "thumb")] {
            let file = media.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes.utf8).write(to: file)
        }
        let plain = Imported.dce(photoID, content: "a photo")
        let json = plain.replacingOccurrences(
            of: #""attachments":[],"embeds":[]"#,
            with: """
                "attachments":[{"id":"4242","url":"\(photoPath)","fileName":"photo.png","fileSizeBytes":5},\
                {"id":"4243","url":"/elsewhere/gone.png","fileName":"gone.png","fileSizeBytes":5}],\
                "embeds":[{"title":"","url":"https://example.org/a","timestamp":null,"description":"",\
                "thumbnail":{"url":"\(thumbnailPath)","width":16,"height":16},"images":[],"fields":[]}]
                """)
        try await importIntoFixtureChannel([(photoID, json)], store: store)
    }

    @Test func importedMediaIsLinkedAndServedUnderMedia() async throws {
        try await Self.withServer(.sqlite, servingMedia: true, fill: Self.fillMedia) { client in
            let channel = ServeFixture.channel
            let page = try await Self.get(client, "/channels/\(channel)")
            #expect(page.contains("/media/\(Self.photoPath)") && page.contains("/media/\(Self.thumbnailPath)"))
            #expect(!page.contains("/elsewhere/") && !page.contains("/media//"))
            let message = try Self.object(
                try await Self.get(client, "/api/v10/channels/\(channel)/messages/\(Self.photoID)"))
            let attachments = try #require(message["attachments"] as? [[String: Any]])
            #expect(attachments.first?["url"] as? String == "/media/\(Self.photoPath)")
            #expect(attachments.first?["proxy_url"] as? String == "/media/\(Self.photoPath)")
            // A path outside the media folder keeps its CDN address.
            #expect((attachments.last?["url"] as? String)?.hasPrefix("https://cdn.discordapp.com/attachments/") == true)
            let thumbnail = (message["embeds"] as? [[String: Any]])?.first?["thumbnail"] as? [String: Any]
            #expect(thumbnail?["proxy_url"] as? String == "/media/\(Self.thumbnailPath)")
            let api = try await Self.get(client, "/skald/api/channels/\(channel)/messages/\(Self.photoID)")
            #expect(api.contains("/media/\(Self.photoPath)"))
            // The channel's DCE document, and a search's: the copied assets linked where they are served.
            for export in [
                "/skald/api/channels/\(channel)/export.json",
                "/skald/api/search/export.json?q=photo&channel=\(channel)",
            ] {
                let document = try await Self.get(client, export)
                #expect(document.contains("\"url\": \"/media/\(Self.photoPath)\""), "\(export)")
                #expect(!document.contains("\"\(Self.photoPath)\""), "\(export)")
            }
            let (status, body, headers) = try await ServeRoutesTests.get(client, "/media/\(Self.photoPath)")
            #expect(status == .ok && body == "photo")
            #expect(headers[.contentType] == "image/png")
            #expect(headers[.cacheControl] == "private, max-age=31536000, immutable")
            let (escape, _, _) = try await ServeRoutesTests.get(client, "/media/../archive.sqlite")
            #expect(escape == .notFound)
        }
    }
}
