import ArchiveStore
import DiscordModels
import Foundation
import Hummingbird
import HummingbirdTesting
import Serve
import Testing

/// The routes of `skald serve` over HTTP (HummingbirdTesting's router client) on a real SQLite archive.
@Suite struct ServeRoutesTests {
    /// Runs `body` with a client of a server over the fixture archive.
    func withServer(
        token: String? = nil, apiToken: String? = nil,
        _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        try await withServer(token: token, apiToken: apiToken) { client, _ in try await body(client) }
    }

    /// ``withServer(token:apiToken:_:)`` also giving `body` the media folder's path.
    func withServer(
        token: String? = nil, apiToken: String? = nil,
        _ body: @escaping @Sendable (any TestClientProtocol, String) async throws -> Void
    ) async throws {
        try await TemporaryArchive.with { path in
            let store = try await ServeFixture.makeArchive(at: path)
            var configuration = ServeConfiguration()
            configuration.authToken = token
            configuration.apiToken = apiToken
            configuration.mediaFolder = try Self.makeMediaFolder(beside: path)
            let server = ArchiveServer(store: store, configuration: configuration)
            let app = Application(router: server.makeRouter())
            let media = configuration.mediaFolder?.root.path ?? ""
            try await app.test(.router) { client in try await body(client, media) }
        }
    }

    /// `media/ab/cat.png` beside the archive, a secret file outside the media folder, and a link to it inside.
    static func makeMediaFolder(beside archive: String) throws -> MediaFolder {
        let folder = (archive as NSString).deletingLastPathComponent
        let media = folder + "/media"
        try FileManager.default.createDirectory(atPath: media + "/ab", withIntermediateDirectories: true)
        try Data("PNGDATA".utf8).write(to: URL(fileURLWithPath: media + "/ab/cat.png"))
        try Data("root:x:0:0".utf8).write(to: URL(fileURLWithPath: folder + "/secret.txt"))
        try FileManager.default.createSymbolicLink(atPath: media + "/link.txt", withDestinationPath: "../secret.txt")
        return MediaFolder(path: media)
    }

    static func get(_ client: any TestClientProtocol, _ uri: String, headers: HTTPFields = [:]) async throws
        -> (HTTPResponse.Status, String, HTTPFields)
    {
        try await client.execute(uri: uri, method: .get, headers: headers) { response in
            (response.status, String(buffer: response.body), response.headers)
        }
    }

    static func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    static func ids(_ text: String) throws -> [UInt64] {
        let array = try #require(try json(text) as? [[String: Any]])
        return array.compactMap { ($0["id"] as? String).flatMap(UInt64.init) }
    }

    static func id(_ index: Int) -> UInt64 { ServeFixture.messageID(index).rawValue }

    @Test func healthAndMetrics() async throws {
        try await withServer { client in
            let (status, body, _) = try await Self.get(client, "/healthz")
            #expect(status == .ok)
            let health = try #require(try Self.json(body) as? [String: Any])
            #expect(health["status"] as? String == "ok")
            #expect((health["archive"] as? [String: Any])?["messages"] as? Int == 251)
            let (metricsStatus, metrics, _) = try await Self.get(client, "/metrics")
            #expect(metricsStatus == .ok)
            #expect(metrics.contains("skald_archive_messages 251"))
            #expect(metrics.contains("skald_http_requests_total{route=\"/healthz\""))
        }
    }

    @Test func healthIs503WhenTheArchiveCannotBeRead() async throws {
        try await TemporaryArchive.with { path in
            let store = try await ServeFixture.makeArchive(at: path, count: 40)
            let server = ArchiveServer(store: store, configuration: ServeConfiguration())
            // The file is no longer an SQLite database (the journal too): every read fails.
            for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
                try handle.write(contentsOf: Data(repeating: 0x5A, count: 8192))
                try handle.close()
            }
            try await Application(router: server.makeRouter()).test(.router) { client in
                let (status, body, _) = try await Self.get(client, "/healthz")
                #expect(status == .serviceUnavailable, "\(body)")
                #expect((try Self.json(body) as? [String: Any])?["status"] as? String == "unavailable")
            }
        }
    }

    @Test func discordPagingIsNewestFirstWithDiscordsCursors() async throws {
        try await withServer { client in
            let live = (0..<250).filter { $0 != ServeFixture.deletedIndex }.map(Self.id)
            let channel = ServeFixture.channel
            // Latest page: 50 by default, newest first.
            let (_, latest, _) = try await Self.get(client, "/api/v10/channels/\(channel)/messages")
            #expect(try Self.ids(latest) == Array(live.suffix(50).reversed()))
            // before: strictly older, newest first.
            let (_, before, _) = try await Self.get(
                client, "/api/v10/channels/\(channel)/messages?before=\(Self.id(20))&limit=10")
            #expect(try Self.ids(before) == Array(live.filter { $0 < Self.id(20) }.suffix(10).reversed()))
            // after: the oldest newer ones, still returned newest first.
            let (_, after, _) = try await Self.get(
                client, "/api/v10/channels/\(channel)/messages?after=\(Self.id(5))&limit=5")
            #expect(try Self.ids(after) == [10, 9, 8, 7, 6].map(Self.id))
            // around: limit/2 newer, then the message itself and older ones; the deleted one is left out.
            let (_, around, _) = try await Self.get(
                client, "/api/v10/channels/\(channel)/messages?around=\(Self.id(100))&limit=5")
            #expect(try Self.ids(around) == [102, 101, 100, 99, 98].map(Self.id))
            let (_, aroundDeleted, _) = try await Self.get(
                client, "/api/v10/channels/\(channel)/messages?around=\(Self.id(14))&limit=4")
            #expect(try Self.ids(aroundDeleted) == [16, 15, 13, 12].map(Self.id))
            // Several cursors: Discord honours one, around, then after, then before.
            let (_, both, _) = try await Self.get(
                client, "/api/v10/channels/\(channel)/messages?before=\(Self.id(20))&after=\(Self.id(5))&limit=2")
            #expect(try Self.ids(both) == [7, 6].map(Self.id))
            // Walking with after=0 and limit=100, as discord.py does for oldest_first, yields the whole history.
            var walked: [UInt64] = []
            var cursor: UInt64 = 0
            while true {
                let (_, page, _) = try await Self.get(
                    client, "/api/v10/channels/\(channel)/messages?after=\(cursor)&limit=100")
                let ids = try Self.ids(page)
                walked += ids.reversed()
                guard ids.count == 100, let newest = ids.first else { break }
                cursor = newest
            }
            #expect(walked == live)
            // The end of the channel: an empty page.
            let (_, end, _) = try await Self.get(client, "/api/v10/channels/\(channel)/messages?after=\(Self.id(249))")
            #expect(end == "[]")
        }
    }

    @Test(arguments: ["0", "101", "-1", "ten"])
    func badLimitIsDiscordsInvalidFormBody(limit: String) async throws {
        try await withServer { client in
            let (status, body, _) = try await Self.get(
                client, "/api/v10/channels/\(ServeFixture.channel)/messages?limit=\(limit)")
            #expect(status == .badRequest)
            let error = try #require(try Self.json(body) as? [String: Any])
            #expect(error["code"] as? Int == 50035)
            #expect((error["errors"] as? [String: Any])?["limit"] != nil)
        }
    }

    @Test func unknownObjectsAnswerDiscordsErrors() async throws {
        try await withServer { client in
            let (status, body, _) = try await Self.get(client, "/api/v10/channels/123/messages")
            #expect(status == .notFound)
            #expect((try Self.json(body) as? [String: Any])?["code"] as? Int == 10003)
            let (messageStatus, messageBody, _) = try await Self.get(
                client, "/api/v10/channels/\(ServeFixture.channel)/messages/\(Self.id(ServeFixture.deletedIndex))")
            #expect(messageStatus == .notFound)
            #expect((try Self.json(messageBody) as? [String: Any])?["code"] as? Int == 10008)
            let (guildStatus, guildBody, _) = try await Self.get(client, "/api/v10/guilds/42")
            #expect(guildStatus == .notFound)
            #expect((try Self.json(guildBody) as? [String: Any])?["code"] as? Int == 10004)
        }
    }

    /// Before, a path no route matched and any write answered a text/plain `404 Not Found` under `/api/v10`.
    @Test func unknownRoutesAndWritesAnswerDiscordsBodies() async throws {
        try await withServer { client in
            for path in ["/api/v10/nonsense", "/api/v10/guilds/\(ServeFixture.guild)/bans", "/api/v10"] {
                let (status, body, headers) = try await Self.get(client, path)
                #expect(status == .notFound, "\(path)")
                #expect(headers[.contentType] == "application/json", "\(path)")
                let error = try #require(try Self.json(body) as? [String: Any])
                #expect(error["code"] as? Int == 0 && error["message"] as? String == "404: Not Found", "\(path)")
            }
            for method in [HTTPRequest.Method.post, .patch, .delete] {
                let (status, body) = try await client.execute(
                    uri: "/api/v10/channels/\(ServeFixture.channel)/messages", method: method
                ) { response in (response.status, String(buffer: response.body)) }
                #expect(status == .methodNotAllowed)
                #expect((try Self.json(body) as? [String: Any])?["message"] as? String == "405: Method Not Allowed")
            }
            // The viewer's own pages keep their own not-found page.
            let (pageStatus, _, pageHeaders) = try await Self.get(client, "/nonsense")
            #expect(pageStatus == .notFound && pageHeaders[.contentType] != "application/json")
        }
    }

    @Test func storedObjectsAreServedExactly() async throws {
        try await withServer { client in
            let (_, message, _) = try await Self.get(
                client, "/api/v10/channels/\(ServeFixture.channel)/messages/\(Self.id(10))")
            #expect(message == ServeFixture.messageJSON(10, content: ServeFixture.content(10), author: 5002))
            let (_, guilds, _) = try await Self.get(client, "/api/v10/users/@me/guilds")
            #expect(try Self.ids(guilds) == [ServeFixture.guild.rawValue])
            let (_, channels, _) = try await Self.get(client, "/api/v10/guilds/\(ServeFixture.guild)/channels")
            #expect(try Self.ids(channels) == [ServeFixture.channel.rawValue])
            let (_, roles, _) = try await Self.get(client, "/api/v10/guilds/\(ServeFixture.guild)/roles")
            #expect(try Self.ids(roles) == [ServeFixture.guild.rawValue])
            let (_, active, _) = try await Self.get(client, "/api/v10/guilds/\(ServeFixture.guild)/threads/active")
            let threads = try #require((try Self.json(active) as? [String: Any])?["threads"] as? [[String: Any]])
            #expect(threads.map { $0["id"] as? String } == [ServeFixture.thread.description])
            let (meStatus, _, meHeaders) = try await Self.get(client, "/api/v10/users/@me")
            #expect(meStatus == .ok)
            // discord.py decodes a body only when the content type is exactly Discord's.
            #expect(meHeaders[.contentType] == "application/json")
        }
    }

    @Test func pinsChannelGuildCollectionsAndTheApplication() async throws {
        try await withServer { client in
            let channel = ServeFixture.channel
            let (_, pins, _) = try await Self.get(client, "/api/v10/channels/\(channel)/pins")
            #expect(try Self.ids(pins) == [Self.id(13)])
            let (_, stored, _) = try await Self.get(client, "/api/v10/channels/\(channel)")
            #expect((try Self.json(stored) as? [String: Any])?["name"] as? String == "general")
            let (_, thread, _) = try await Self.get(client, "/api/v10/channels/\(ServeFixture.thread)")
            #expect((try Self.json(thread) as? [String: Any])?["parent_id"] as? String == channel.description)
            for path in ["emojis", "stickers"] {
                let (status, body, _) = try await Self.get(client, "/api/v10/guilds/\(ServeFixture.guild)/\(path)")
                #expect(status == .ok && body == "[]", "\(path)")
                let (unknown, _, _) = try await Self.get(client, "/api/v10/guilds/1/\(path)")
                #expect(unknown == .notFound, "\(path)")
            }
            let (appStatus, app, _) = try await Self.get(client, "/api/v10/oauth2/applications/@me")
            #expect(appStatus == .ok)
            #expect((try Self.json(app) as? [String: Any])?["id"] as? String == "1")
        }
    }

    @Test func archivedThreadsAndReactionUsers() async throws {
        try await withServer { client in
            let (_, archived, _) = try await Self.get(
                client, "/api/v10/channels/\(ServeFixture.channel)/threads/archived/public")
            let page = try #require(try Self.json(archived) as? [String: Any])
            let threads = try #require(page["threads"] as? [[String: Any]])
            #expect(threads.map { $0["id"] as? String } == [ServeFixture.archivedThread.description])
            #expect(page["has_more"] as? Bool == false)
            let (_, earlier, _) = try await Self.get(
                client,
                "/api/v10/channels/\(ServeFixture.channel)/threads/archived/public?before=2026-09-01T00:00:00Z")
            #expect((try Self.json(earlier) as? [String: Any])?["threads"] as? [Any] != nil)
            #expect(((try Self.json(earlier) as? [String: Any])?["threads"] as? [Any])?.isEmpty == true)
            for path in ["threads/archived/private", "users/@me/threads/archived/private"] {
                let (_, privateThreads, _) = try await Self.get(
                    client, "/api/v10/channels/\(ServeFixture.channel)/\(path)")
                let listed = try #require(
                    (try Self.json(privateThreads) as? [String: Any])?["threads"] as? [[String: Any]])
                #expect(listed.map { $0["id"] as? String } == [ServeFixture.privateThread.description], "\(path)")
            }
            let (_, beforeIt, _) = try await Self.get(
                client,
                "/api/v10/channels/\(ServeFixture.channel)/users/@me/threads/archived/private?before=\(ServeFixture.privateThread)"
            )
            #expect(((try Self.json(beforeIt) as? [String: Any])?["threads"] as? [Any])?.isEmpty == true)
            let thumbs = "%F0%9F%91%8D"
            let (_, users, _) = try await Self.get(
                client, "/api/v10/channels/\(ServeFixture.channel)/messages/\(Self.id(20))/reactions/\(thumbs)")
            #expect(try Self.ids(users) == [5002, 5003])
            let (_, after, _) = try await Self.get(
                client,
                "/api/v10/channels/\(ServeFixture.channel)/messages/\(Self.id(20))/reactions/\(thumbs)?after=5002")
            #expect(try Self.ids(after) == [5003])
        }
    }

    static func searchIDs(_ client: any TestClientProtocol, _ query: String, extra: String = "") async throws
        -> [UInt64]
    {
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
        let (status, body, _) = try await get(client, "/skald/api/search?q=\(encoded)\(extra)")
        #expect(status == .ok, "\(query): \(body)")
        let results = try #require((try json(body) as? [String: Any])?["results"] as? [[String: Any]])
        return results.compactMap { (($0["message"] as? [String: Any])?["id"] as? String).flatMap(UInt64.init) }
    }

    @Test func searchWordsPhrasesNegationAndOperators() async throws {
        try await withServer { client in
            let threadMessage = ServeFixture.messageID(251).rawValue
            #expect(try await Self.searchIDs(client, "zebrafinch42") == [threadMessage, Self.id(11), Self.id(10)])
            #expect(try await Self.searchIDs(client, "\"sings at dawn\"") == [Self.id(10)])
            #expect(try await Self.searchIDs(client, "\"dawn at sings\"") == [])
            #expect(try await Self.searchIDs(client, "zebrafinch42 -quiet") == [threadMessage, Self.id(10)])
            #expect(try await Self.searchIDs(client, "zebrafinch42 from:5002") == [threadMessage, Self.id(10)])
            #expect(try await Self.searchIDs(client, "zebrafinch42 from:user5003") == [Self.id(11)])
            #expect(
                try await Self.searchIDs(client, "zebrafinch42 in:general") == [
                    threadMessage, Self.id(11), Self.id(10),
                ])
            #expect(try await Self.searchIDs(client, "zebrafinch42 in:\(ServeFixture.thread)") == [threadMessage])
            #expect(try await Self.searchIDs(client, "pinned:true") == [Self.id(13)])
            #expect(try await Self.searchIDs(client, "zebrafinch42 edited:true") == [Self.id(11)])
            #expect(try await Self.searchIDs(client, "ghostword deleted:true") == [Self.id(14)])
            // Message 10 is sent on 2023-11-14 at 22:23 UTC, the thread's message on 2023-11-15.
            #expect(try await Self.searchIDs(client, "zebrafinch42 before:2023-11-15") == [Self.id(11), Self.id(10)])
            #expect(try await Self.searchIDs(client, "zebrafinch42 during:2023-11-14") == [Self.id(11), Self.id(10)])
            #expect(try await Self.searchIDs(client, "zebrafinch42 after:2023-11-14") == [threadMessage])
            #expect(try await Self.searchIDs(client, "zebrafinch42 during:2023-12") == [])
            #expect(try await Self.searchIDs(client, "dawn OR quiet") == [Self.id(11), Self.id(10)])
            #expect(try await Self.searchIDs(client, "zebrafinch42 thread OR quiet") == [threadMessage, Self.id(11)])
            // Operators in user text are literal: FTS5 syntax does not break the query.
            #expect(try await Self.searchIDs(client, "NEAR( OR * AND") == [])
            let (status, _, _) = try await Self.get(client, "/skald/api/search?q=has:hologram")
            #expect(status == .badRequest)
        }
    }

    /// discord.py 2.6+ reads pins from Discord's newer route: `{items: [{pinned_at, message}], has_more}`, `limit`
    /// 1–50 and an ISO 8601 `before`; the route must not be taken for a message id.
    @Test func theNewerPinsRoutePagesByPinnedAt() async throws {
        try await withServer { client in
            let base = "/api/v10/channels/\(ServeFixture.channel)/messages/pins"
            let (status, body, _) = try await Self.get(client, base)
            #expect(status == .ok)
            let page = try #require(try Self.json(body) as? [String: Any])
            let items = try #require(page["items"] as? [[String: Any]])
            #expect(items.compactMap { ($0["message"] as? [String: Any])?["id"] as? String } == ["\(Self.id(13))"])
            let pinnedAt = try #require(items.first?["pinned_at"] as? String)
            #expect(page["has_more"] as? Bool == false)
            let encoded = pinnedAt.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? pinnedAt
            let (_, before, _) = try await Self.get(client, base + "?before=\(encoded)")
            #expect(((try Self.json(before) as? [String: Any])?["items"] as? [Any])?.isEmpty == true)
            for (query, code) in [
                ("limit=0", "NUMBER_TYPE_MIN"), ("limit=51", "NUMBER_TYPE_MAX"),
                ("before=yesterday", "DATE_TYPE_PARSE"),
            ] {
                let (bad, error, _) = try await Self.get(client, base + "?" + query)
                #expect(bad == .badRequest, "\(query)")
                #expect(error.contains("50035") && error.contains(code), "\(query)")
            }
            let (unknown, _, _) = try await Self.get(client, "/api/v10/channels/1/messages/pins")
            #expect(unknown == .notFound)
        }
    }

    /// The single-object routes a Discord client fetches by id: a user (the archive's own user by its id too), a
    /// scheduled event and the list of them, a member archived with `--members`; Discord's codes when unknown.
    @Test func usersScheduledEventsAndMembersById() async throws {
        try await withServer { client in
            let guild = ServeFixture.guild
            for (path, key, value) in [
                ("users/5003", "username", "user5003"), ("users/1", "username", "skald-archive"),
                ("guilds/\(guild)/scheduled-events/\(ServeFixture.scheduledEvent)", "name", "Moot"),
                ("guilds/\(guild)/members/5003", "joined_at", "2024-01-01T00:00:00.000000+00:00"),
            ] {
                let (status, body, _) = try await Self.get(client, "/api/v10/" + path)
                #expect(status == .ok, "\(path)")
                #expect((try Self.json(body) as? [String: Any])?[key] as? String == value, "\(path)")
            }
            let (_, events, _) = try await Self.get(client, "/api/v10/guilds/\(guild)/scheduled-events")
            #expect(try Self.ids(events) == [ServeFixture.scheduledEvent.rawValue])
            for (path, code) in [
                ("users/2", "10013"), ("guilds/\(guild)/scheduled-events/2", "10070"),
                ("guilds/\(guild)/members/5001", "10007"), ("guilds/1/members/5003", "10004"),
            ] {
                let (status, body, _) = try await Self.get(client, "/api/v10/" + path)
                #expect(status == .notFound && body.contains(code), "\(path)")
            }
        }
    }

    /// discord.py's `guild.fetch_members()` pages `GET /guilds/{id}/members` with `after`; before, the route was
    /// missing (404). The archive's members, ascending by user id, `limit` 1–1000 (default 1) as Discord reads it.
    @Test func theMemberListPagesAsDiscordsDoes() async throws {
        try await withServer { client in
            let path = "/api/v10/guilds/\(ServeFixture.guild)/members"
            let (status, body, _) = try await Self.get(client, path)
            #expect(status == .ok)
            let first = try #require(try Self.json(body) as? [[String: Any]])
            #expect(first.count == 1)
            #expect((first.first?["user"] as? [String: Any])?["id"] as? String == "5003")
            let (_, rest, _) = try await Self.get(client, path + "?limit=1000&after=5003")
            #expect(try Self.json(rest) as? [Any] != nil && rest == "[]")
            for query in ["limit=0", "limit=1001", "after=abc"] {
                let (refused, error, _) = try await Self.get(client, path + "?" + query)
                #expect(refused == .badRequest && error.contains("50035"), "\(query)")
            }
            let (unknown, unknownBody, _) = try await Self.get(client, "/api/v10/guilds/1/members")
            #expect(unknown == .notFound && unknownBody.contains("10004"))
        }
    }

    /// A search parameter the API cannot read is refused with what to pass, never ignored: an ignored `guild`
    /// searches every guild and an ignored `cursor` starts again from the first page.
    @Test func searchRefusesParametersItCannotRead() async throws {
        try await withServer { client in
            for query in [
                "q=zebrafinch42&limit=0", "q=zebrafinch42&limit=101", "q=zebrafinch42&limit=ten",
                "q=zebrafinch42&cursor=zzz", "q=zebrafinch42&sort=relevance&cursor=-5", "q=zebrafinch42&guild=abc",
                "q=zebrafinch42&guild=1", "q=from%3A", "q=in%3A",
            ] {
                let (status, body, _) = try await Self.get(client, "/skald/api/search?" + query)
                #expect(status == .badRequest, "\(query)")
                #expect(body.contains("\"error\""), "\(query)")
            }
            let (zip, _, _) = try await Self.get(client, "/skald/api/search/export.zip?q=zebrafinch42&guild=1")
            #expect(zip == .badRequest)
            let guild = ServeFixture.guild
            #expect(
                try await Self.searchIDs(client, "zebrafinch42", extra: "&guild=\(guild)&cursor=")
                    == [ServeFixture.messageID(251).rawValue, Self.id(11), Self.id(10)])
        }
    }

    @Test func searchHasMentionsAndAuthorType() async throws {
        try await withServer { client in
            let all = try await Self.searchIDs(client, "mediacat")
            #expect(all == (20...25).reversed().map(Self.id))
            #expect(try await Self.searchIDs(client, "has:image") == [Self.id(20)])
            #expect(try await Self.searchIDs(client, "mediacat has:file") == [Self.id(20)])
            #expect(try await Self.searchIDs(client, "has:video") == [])
            #expect(try await Self.searchIDs(client, "mediacat has:link") == [Self.id(21)])
            #expect(try await Self.searchIDs(client, "has:embed") == [Self.id(21)])
            #expect(try await Self.searchIDs(client, "has:poll") == [Self.id(24)])
            #expect(try await Self.searchIDs(client, "has:sticker") == [Self.id(25)])
            #expect(try await Self.searchIDs(client, "mentions:5003") == [Self.id(20)])
            #expect(try await Self.searchIDs(client, "mentions:@user5003") == [Self.id(20)])
            #expect(try await Self.searchIDs(client, "mediacat author_type:webhook") == [Self.id(22)])
            #expect(try await Self.searchIDs(client, "mediacat author_type:bot") == [Self.id(23)])
            #expect(
                try await Self.searchIDs(client, "mediacat author_type:user")
                    == [25, 24, 21, 20].map(Self.id))
        }
    }

    @Test func searchPagesWithACursorUntilTheEnd() async throws {
        try await withServer { client in
            var seen: [UInt64] = []
            var uri = "/skald/api/search?q=hall&limit=40"
            while true {
                let (_, body, _) = try await Self.get(client, uri)
                let page = try #require(try Self.json(body) as? [String: Any])
                let results = try #require(page["results"] as? [[String: Any]])
                seen += results.compactMap {
                    (($0["message"] as? [String: Any])?["id"] as? String).flatMap(UInt64.init)
                }
                guard let next = page["next"] as? String else { break }
                uri = "/skald/api/search?q=hall&limit=40&cursor=\(next)"
            }
            let expected = (0..<250).filter { !(10...14).contains($0) && !(20...25).contains($0) }.map(Self.id)
                .reversed()
            #expect(seen == Array(expected))
        }
    }

    @Test func searchByRelevancePagesWithAnOffsetCursor() async throws {
        try await withServer { client in
            let (_, first, _) = try await Self.get(client, "/skald/api/search?q=zebrafinch42&sort=relevance&limit=2")
            let page = try #require(try Self.json(first) as? [String: Any])
            #expect((page["results"] as? [Any])?.count == 2)
            #expect(page["next"] as? String == "2")
            let (_, second, _) = try await Self.get(
                client, "/skald/api/search?q=zebrafinch42&sort=relevance&limit=2&cursor=2")
            let rest = try #require(try Self.json(second) as? [String: Any])
            #expect((rest["results"] as? [Any])?.count == 1)
            #expect(rest["next"] is NSNull)
            let (bad, _, _) = try await Self.get(client, "/skald/api/search?q=zebrafinch42&sort=oldest")
            #expect(bad == .badRequest)
        }
    }

    @Test func skaldAPIShowsTombstones() async throws {
        try await withServer { client in
            let (_, body, _) = try await Self.get(
                client, "/skald/api/channels/\(ServeFixture.channel)/messages?around=\(Self.id(14))&limit=3")
            let entries = try #require((try Self.json(body) as? [String: Any])?["messages"] as? [[String: Any]])
            #expect(entries.count == 3)
            let deleted = entries.first { ($0["message"] as? [String: Any])?["id"] as? String == "\(Self.id(14))" }
            #expect(deleted?["deletedAt"] is String)
        }
    }

    @Test func hostileMessageIsInertInTheChannelPage() async throws {
        try await withServer { client in
            let (status, page, headers) = try await Self.get(
                client, "/channels/\(ServeFixture.channel)?around=\(Self.id(12))")
            #expect(status == .ok)
            #expect(page.contains("quokka77"))
            #expect(!page.contains("<script>"))
            #expect(!page.contains("<img src=x"))
            #expect(!page.contains("href=\"javascript:"))
            #expect(page.contains("&lt;script&gt;alert(&quot;quokka77&quot;)"))
            #expect(headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            #expect(page.contains("id=\"m\(Self.id(12))\""))
            let (searchStatus, searchPage, _) = try await Self.get(client, "/search?q=quokka77")
            #expect(searchStatus == .ok)
            #expect(!searchPage.contains("<script>"))
            #expect(searchPage.contains("&lt;script&gt;alert(&quot;<mark>quokka77</mark>&quot;)"))
            #expect(searchPage.contains("/channels/\(ServeFixture.channel)?around=\(Self.id(12))"))
        }
    }

    @Test func channelPageJumpsFromAReplyAndShowsTheEditHistory() async throws {
        try await withServer { client in
            let (_, page, _) = try await Self.get(client, "/channels/\(ServeFixture.channel)?around=\(Self.id(30))")
            #expect(page.contains("href=\"/channels/\(ServeFixture.channel)?around=\(Self.id(10))#m\(Self.id(10))\""))
            let (_, edited, _) = try await Self.get(client, "/channels/\(ServeFixture.channel)?around=\(Self.id(11))")
            let history = "/channels/\(ServeFixture.channel)/history/\(Self.id(11))"
            #expect(edited.contains("href=\"\(history)\""))
            let (status, historyPage, _) = try await Self.get(client, history)
            #expect(status == .ok)
            #expect(historyPage.contains("a zebrafinch42 is quiet at night"))
            #expect(historyPage.contains("a zebrafinch42 first draft"))
            // Days are separated, and consecutive messages of one author are one group.
            #expect(page.contains("<div class=\"day\">2023-11-14</div>"))
        }
    }

    @Test func guildPageListsChannelsWithTheirThreads() async throws {
        try await withServer { client in
            let (status, page, _) = try await Self.get(client, "/guilds/\(ServeFixture.guild)")
            #expect(status == .ok)
            let general = try #require(page.range(of: "#general"))
            let thread = try #require(page.range(of: "#a thread"))
            let archived = try #require(page.range(of: "#old thread"))
            #expect(general.lowerBound < thread.lowerBound && general.lowerBound < archived.lowerBound)
            let (index, home, _) = try await Self.get(client, "/")
            #expect(index == .ok)
            #expect(home.contains("The Hall"))
        }
    }

    @Test func pathTraversalFindsNothing() async throws {
        try await withServer { client in
            let (status, body, headers) = try await Self.get(client, "/media/ab/cat.png")
            #expect(status == .ok)
            #expect(body == "PNGDATA")
            #expect(headers[.contentType] == "image/png")
            #expect(headers[.contentSecurityPolicy]?.contains("sandbox") == true)
            let attempts = [
                "/../../etc/passwd", "/channels/..%2F..%2Fetc%2Fpasswd", "/channels/%2e%2e/%2e%2e/etc/passwd",
                "/media/../secret.txt", "/media/%2e%2e/secret.txt", "/media/..%2Fsecret.txt",
                "/media/ab/../../secret.txt",
                "/media/link.txt", "/media/ab", "/media//etc/passwd", "/media/%2Fetc%2Fpasswd",
            ]
            for uri in attempts {
                let (status, body, _) = try await Self.get(client, uri)
                #expect(status == .notFound, "\(uri)")
                #expect(!body.contains("root:"))
            }
        }
    }

    /// A media file is streamed with byte ranges (a video seeks, a download resumes); before, a `Range` was ignored
    /// (200 and every byte) and each answer read the whole file into memory. A pipe in the media folder is not served
    /// (opened, it would hold the answer until a writer came).
    @Test func mediaAnswersByteRangesAndServesRegularFilesOnly() async throws {
        try await withServer { client, media in
            let uri = "/media/ab/cat.png"  // "PNGDATA", 7 bytes
            for (range, status, body, contentRange) in [
                ("bytes=0-2", HTTPResponse.Status.partialContent, "PNG", "bytes 0-2/7"),
                ("bytes=3-", .partialContent, "DATA", "bytes 3-6/7"),
                ("bytes=-2", .partialContent, "TA", "bytes 5-6/7"),
                ("bytes=4-100", .partialContent, "ATA", "bytes 4-6/7"),
                ("bytes=0-1,4-5", .ok, "PNGDATA", nil),
                ("items=0-1", .ok, "PNGDATA", nil),
                ("bytes=7-", .rangeNotSatisfiable, "", "bytes */7"),
            ] {
                let (got, text, headers) = try await Self.get(client, uri, headers: [.range: range])
                #expect(got == status, "\(range)")
                #expect(text == body, "\(range)")
                #expect(headers[.contentRange] == contentRange, "\(range)")
                #expect(headers[.acceptRanges] == "bytes", "\(range)")
            }
            #expect(mkfifo(media + "/ab/pipe.png", 0o600) == 0)
            let (pipe, _, _) = try await Self.get(client, "/media/ab/pipe.png")
            #expect(pipe == .notFound)
        }
    }

    @Test func apiTokenIsCheckedAsDiscordWould() async throws {
        try await withServer(apiToken: "bot-token") { client in
            let channel = "/api/v10/channels/\(ServeFixture.channel)"
            let (missing, body, _) = try await Self.get(client, channel)
            #expect(missing == .unauthorized)
            #expect((try Self.json(body) as? [String: Any])?["message"] as? String == "401: Unauthorized")
            let (wrong, _, _) = try await Self.get(client, channel, headers: [.authorization: "Bot other"])
            #expect(wrong == .unauthorized)
            let (right, _, _) = try await Self.get(client, channel, headers: [.authorization: "Bot bot-token"])
            #expect(right == .ok)
            // The viewer and Skald's API are not behind the bot token.
            let (page, _, _) = try await Self.get(client, "/skald/api/guilds")
            #expect(page == .ok)
        }
    }

    @Test func oneMessageWithItsEditHistory() async throws {
        try await withServer { client in
            let (status, body, _) = try await Self.get(
                client, "/skald/api/channels/\(ServeFixture.channel)/messages/\(Self.id(14))")
            #expect(status == .ok)
            let entry = try #require(try Self.json(body) as? [String: Any])
            #expect(entry["deletedAt"] is String)
            #expect((entry["revisions"] as? [Any])?.isEmpty == true)
            let (_, edited, _) = try await Self.get(
                client, "/skald/api/channels/\(ServeFixture.channel)/messages/\(Self.id(11))")
            let revisions = try #require((try Self.json(edited) as? [String: Any])?["revisions"] as? [[String: Any]])
            #expect(revisions.map { $0["content"] as? String } == ["a zebrafinch42 first draft"])
        }
    }

    @Test func tokenIsRequiredWhenConfigured() async throws {
        try await withServer(token: "s3cret") { client in
            let (status, body, _) = try await Self.get(client, "/healthz")
            #expect(status == .unauthorized)
            #expect(!body.contains("s3cret"))
            let (wrong, _, _) = try await Self.get(client, "/healthz", headers: [.authorization: "Bearer nope"])
            #expect(wrong == .unauthorized)
            let (bearer, _, _) = try await Self.get(client, "/healthz", headers: [.authorization: "Bearer s3cret"])
            #expect(bearer == .ok)
            let (bot, _, _) = try await Self.get(
                client, "/api/v10/channels/\(ServeFixture.channel)", headers: [.authorization: "Bot s3cret"])
            #expect(bot == .ok)
        }
    }
}
