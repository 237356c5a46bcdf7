import ArchiveStore
import DiscordModels
import Export
import Foundation
import Hummingbird
import HummingbirdTesting
import Serve
import Testing

/// The viewer over HTTP: markdown rendered by the exporter's renderer, the infinite-scroll page API and its
/// script, and a channel streamed as DCE JSON with the exporter's bytes.
@Suite struct ViewerRoutesTests {
    func withServer(
        configure: (inout ServeConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (any TestClientProtocol, any ArchiveStore) async throws -> Void
    ) async throws {
        try await TemporaryArchive.with { path in
            let store = try await ServeFixture.makeArchive(at: path)
            var configuration = ServeConfiguration()
            configure(&configuration)
            let server = ArchiveServer(store: store, configuration: configuration)
            try await Application(router: server.makeRouter()).test(.router) { client in try await body(client, store) }
        }
    }

    static func get(_ client: any TestClientProtocol, _ uri: String, headers: HTTPFields = [:]) async throws
        -> (HTTPResponse.Status, String, HTTPFields)
    {
        try await ServeRoutesTests.get(client, uri, headers: headers)
    }

    static let channel = ServeFixture.channel
    static func id(_ index: Int) -> UInt64 { ServeFixture.messageID(index).rawValue }

    @Test func channelPageRendersMarkdownMediaAndTheScript() async throws {
        try await withServer { client, _ in
            let (status, page, headers) = try await Self.get(client, "/channels/\(Self.channel)?around=\(Self.id(20))")
            #expect(status == .ok)
            // The exporter's renderer: an image attachment inline, an embed, a sticker, a bare link as an anchor.
            #expect(page.contains("<img src=\"https://cdn.example/cat.png\" alt=\"cat.png\""))
            #expect(page.contains("<div class=\"chatlog__embed\"><div class=\"chatlog__embed-title\">an embed</div>"))
            #expect(page.contains("class=\"chatlog__sticker\""))
            #expect(page.contains("<a class=\"md-link\" href=\"https://example.com/cat\""))
            // The script is the binary's own; nothing inline.
            #expect(page.contains("<script src=\"/assets/viewer.js\" defer></script>"))
            let csp = try #require(headers[.contentSecurityPolicy])
            #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-eval"))
            #expect(!csp.contains("script-src 'unsafe-inline'"))
            // The window sits between links to older and newer messages that the script follows in place.
            #expect(page.contains("id=\"load-older\" href=\"/channels/\(Self.channel)?before="))
            #expect(page.contains("id=\"load-newer\" href=\"/channels/\(Self.channel)?after="))
            #expect(page.contains("<div id=\"log\" data-channel=\"\(Self.channel)\">"))
            // Threads started in the channel are listed.
            #expect(page.contains("href=\"/channels/\(ServeFixture.thread)\""))
            let (scriptStatus, script, scriptHeaders) = try await Self.get(client, "/assets/viewer.js")
            #expect(scriptStatus == .ok)
            #expect(scriptHeaders[.contentType]?.hasPrefix("text/javascript") == true)
            #expect(script.contains("/skald/api/channels/"))
        }
    }

    @Test func downloadedAttachmentsComeFromTheMediaFolderWhenItExists() async throws {
        try await TemporaryArchive.with { path in
            let store = try await ServeFixture.makeArchive(at: path)
            try await store.recordDownload(of: "77", sha256: "00", localPath: "ab/cat.png", at: Date())
            let media = (path as NSString).deletingLastPathComponent + "/media"
            var configuration = ServeConfiguration()
            configuration.mediaFolder = MediaFolder(path: media)
            let server = ArchiveServer(store: store, configuration: configuration)
            let uri = "/channels/\(Self.channel)?around=\(Self.id(20))"
            try await Application(router: server.makeRouter()).test(.router) { client in
                // No folder on disk: nothing was downloaded there, Discord's URL is linked.
                let (_, without, _) = try await Self.get(client, uri)
                #expect(without.contains("<img src=\"https://cdn.example/cat.png\""))
                try FileManager.default.createDirectory(atPath: media + "/ab", withIntermediateDirectories: true)
                let (_, with, _) = try await Self.get(client, uri)
                #expect(with.contains("<img src=\"/media/ab/cat.png\""))
            }
        }
    }

    @Test func editedMessagesShowTheirEarlierVersionsAndDeletedOnesTheirTombstone() async throws {
        try await withServer { client, _ in
            let (_, page, _) = try await Self.get(client, "/channels/\(Self.channel)?around=\(Self.id(12))")
            #expect(page.contains("<details class=\"revisions\"><summary>1 earlier version</summary>"))
            #expect(page.contains("a zebrafinch42 first draft"))
            #expect(page.contains("<div class=\"msg deleted\" id=\"m\(Self.id(14))\""))
            #expect(page.contains("(deleted)"))
            #expect(page.contains("📌 pinned"))
        }
    }

    @Test func pageAPIPagesBothWaysToTheEnds() async throws {
        try await withServer { client, _ in
            struct Page: Decodable {
                var html: String
                var first: String?
                var last: String?
                var more: Bool
            }
            func page(_ query: String) async throws -> Page {
                let (status, body, _) = try await Self.get(client, "/skald/api/channels/\(Self.channel)/page?\(query)")
                #expect(status == .ok)
                return try JSONDecoder().decode(Page.self, from: Data(body.utf8))
            }
            // Older from message 60: 50 messages, 10...59, more to come; then 0...9 and the end.
            let older = try await page("before=\(Self.id(60))")
            #expect(older.first == "\(Self.id(10))" && older.last == "\(Self.id(59))" && older.more)
            #expect(older.html.contains("id=\"m\(Self.id(59))\""))
            let oldest = try await page("before=\(Self.id(10))&limit=50")
            #expect(oldest.first == "\(Self.id(0))" && !oldest.more)
            let newest = try await page("after=\(Self.id(240))")
            #expect(newest.last == "\(Self.id(249))" && !newest.more)
            let hostile = try await page("around=\(Self.id(12))")
            #expect(!hostile.html.contains("<script>") && hostile.html.contains("&lt;script&gt;"))
            let (bad, _, _) = try await Self.get(client, "/skald/api/channels/\(Self.channel)/page?limit=0")
            #expect(bad == .badRequest)
            let (unknown, _, _) = try await Self.get(client, "/skald/api/channels/1/page")
            #expect(unknown == .notFound)
        }
    }

    @Test func exportJSONIsTheExportersBytes() async throws {
        try await withServer { client, store in
            let (status, body, headers) = try await Self.get(
                client, "/skald/api/channels/\(Self.channel)/export.json?utc=true")
            #expect(status == .ok)
            #expect(headers[.contentDisposition]?.contains("general-\(Self.channel).json") == true)
            var options = DCEExportOptions()
            options.timeZone = .utc
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("skald-x-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let files = try await DCEExporter(store: store, options: options)
                .exportChannels([Self.channel], to: folder.path)
            let file = String(
                decoding: try Data(contentsOf: URL(fileURLWithPath: try #require(files.first).path)), as: UTF8.self)
            // The same document but for the moment it was made.
            func withoutExportTime(_ text: String) -> String {
                text.split(separator: "\n").filter { !$0.contains("\"exportedAt\"") }.joined(separator: "\n")
            }
            #expect(withoutExportTime(body) == withoutExportTime(file))
            #expect(body.contains("\"messageCount\": 249"))
        }
    }

    @Test func searchPageDatePickersNarrowTheQuery() async throws {
        try await withServer { client, _ in
            let (_, within, _) = try await Self.get(client, "/search?q=zebrafinch42&after=2023-11-01&before=2023-12-01")
            #expect(within.contains("<mark>zebrafinch42</mark>"))
            #expect(within.contains("value=\"2023-11-01\""))
            let (_, outside, _) = try await Self.get(client, "/search?q=zebrafinch42&before=2001-01-01")
            #expect(outside.contains("No messages found."))
            let (_, bad, _) = try await Self.get(client, "/search?q=zebrafinch42&before=2001-01-01%22%3E")
            #expect(bad.contains("<mark>zebrafinch42</mark>") && !bad.contains("2001-01-01\">"))
        }
    }

    @Test func exportOfAnUnknownChannelIsDiscordsError() async throws {
        try await withServer { client, _ in
            let (status, body, _) = try await Self.get(client, "/skald/api/channels/1/export.json")
            #expect(status == .notFound && body.contains("10003"))
            let (ranged, json, _) = try await Self.get(
                client, "/skald/api/channels/\(Self.channel)/export.json?after=\(Self.id(240))&utc=true")
            #expect(ranged == .ok && json.contains("\"messageCount\": 9"))
        }
    }
}
