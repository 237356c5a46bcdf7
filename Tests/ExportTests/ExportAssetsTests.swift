import DiscordModels
import Foundation
import Testing

@testable import Export

/// What `export --media` downloads for one DCE object (``ExportAssets``): the assets its format shows, each URL
/// once, a file already in the media folder reused without a request, a failure kept as its URL and reported.
@Suite struct ExportAssetsTests {
    /// A value behind a lock. `@unchecked Sendable`: every read and write of `value` holds `lock`.
    final class Locked<Value>: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Value
        init(_ value: Value) { self.value = value }
        func withLockedValue<T>(_ body: (inout Value) -> T) -> T {
            lock.lock()
            defer { lock.unlock() }
            return body(&value)
        }
    }

    /// A fetch that answers from a table (404 for anything else) and counts its requests.
    final class FakeCDN: Sendable {
        let answers: [String: Data]
        let asked = Locked<[String]>([])
        init(_ answers: [String: Data]) { self.answers = answers }
        var fetch: AssetFetch {
            { url in
                self.asked.withLockedValue { $0.append(url) }
                guard let body = self.answers[url] else { return (404, Data()) }
                return (200, body)
            }
        }
    }

    static let avatar = "https://cdn.discordapp.com/avatars/1/abcd.png?size=512"
    static let attachment = "https://cdn.discordapp.com/attachments/2/3/photo.png?ex=1&is=2&hm=3&"
    static let gone = "https://cdn.discordapp.com/stickers/4.png"

    static func message() throws -> JSONValue {
        try JSONValue.parse(
            Data(
                """
                {"id":"9","author":{"id":"1","avatarUrl":"\(avatar)"},
                 "attachments":[{"id":"3","url":"\(attachment)","fileName":"photo.png"}],
                 "embeds":[{"url":"https://example.org/page","thumbnail":{"url":"\(avatar)","canonicalUrl":"\(avatar)"}}],
                 "stickers":[{"id":"4","sourceUrl":"\(gone)"}],
                 "mentions":[{"id":"1","avatarUrl":"\(avatar)"}]}
                """.utf8))
    }

    @Test func downloadsEachShownAssetOnceAndReusesFilesByName() async throws {
        try await ExportHarness.withTemporaryDirectory { folder in
            let cdn = FakeCDN([Self.avatar: Data("A".utf8), Self.attachment: Data("P".utf8)])
            let failures = Locked<[AssetDownloadFailure]>([])
            func assets(_ scope: AssetScope) -> ExportAssets {
                ExportAssets(
                    downloader: ExportAssetDownloader(
                        folder: folder + "/m", fetch: cdn.fetch,
                        report: { f in failures.withLockedValue { $0.append(f) } }),
                    assetLink: DCEAssetLink(outputDirectory: folder, encodedForHTML: false), scope: scope)
            }
            let linked = await assets(.json).linking(try Self.message())
            let avatarFile = "m/" + AssetFileName.name(for: Self.avatar)
            #expect(linked["author"]?["avatarUrl"]?.string == avatarFile)
            #expect(linked["mentions"]?.elements.first?["avatarUrl"]?.string == avatarFile)
            #expect(linked["embeds"]?.elements.first?["thumbnail"]?["url"]?.string == avatarFile)
            // Links DCE never resolves stay: an embed's own url, a canonical URL.
            #expect(linked["embeds"]?.elements.first?["url"]?.string == "https://example.org/page")
            #expect(linked["embeds"]?.elements.first?["thumbnail"]?["canonicalUrl"]?.string == Self.avatar)
            #expect(
                linked["attachments"]?.elements.first?["url"]?.string == "m/" + AssetFileName.name(for: Self.attachment)
            )
            #expect(FileManager.default.contents(atPath: folder + "/" + avatarFile) == Data("A".utf8))
            // The failed sticker keeps its URL and is reported; each URL was asked once.
            #expect(linked["stickers"]?.elements.first?["sourceUrl"]?.string == Self.gone)
            #expect(
                failures.withLockedValue { $0 } == [
                    AssetDownloadFailure(url: Self.gone, reason: "HTTP 404", status: 404)
                ])
            #expect(cdn.asked.withLockedValue { $0 }.sorted() == [Self.attachment, Self.avatar, Self.gone].sorted())
            // A new export (another downloader) reuses the files: only the failed one is asked again.
            cdn.asked.withLockedValue { $0 = [] }
            let again = await assets(.json).linking(try Self.message())
            #expect(again == linked)
            #expect(cdn.asked.withLockedValue { $0 } == [Self.gone])
            // CSV shows attachments only: nothing else is linked (or asked).
            cdn.asked.withLockedValue { $0 = [] }
            let csv = await assets(.csv).linking(try Self.message())
            #expect(csv["author"]?["avatarUrl"]?.string == Self.avatar)
            #expect(
                csv["attachments"]?.elements.first?["url"]?.string == "m/" + AssetFileName.name(for: Self.attachment))
            #expect(cdn.asked.withLockedValue { $0 }.isEmpty)
            // HTML does not draw mentions: their avatar keeps its URL there.
            let html = await assets(.html).linking(try Self.message())
            #expect(html["mentions"]?.elements.first?["avatarUrl"]?.string == Self.avatar)
            #expect(html["author"]?["avatarUrl"]?.string == avatarFile)
        }
    }
}
