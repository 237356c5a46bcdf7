import ArchiveStore
import DiscordModels
import Export
import Foundation
import Testing

/// `skald export --format html-dark|html-light` renders messages with the viewer's renderer: markdown, mentions
/// with archived names, custom emoji, inline images, everything escaped, no script.
@Suite struct HTMLExportTests {
    func export(_ format: ExportFormat, markdown: Bool = true) async throws -> String {
        try await ExportHarness.withTemporaryDirectory { dir in
            let store = try ExportHarness.store(in: dir)
            try await SyntheticWorld.populate(store)
            var options = ExportHarness.utcOptions()
            options.format = format
            options.markdown = markdown
            let files = try await DCEExporter(store: store, options: options)
                .exportChannels([Snowflake(SyntheticWorld.channelId)], to: dir + "/out")
            return String(decoding: try ExportHarness.bytes(try #require(files.first).path), as: UTF8.self)
        }
    }

    @Test(arguments: [ExportFormat.htmlDark, .htmlLight])
    func messagesReadLikeTheViewer(_ format: ExportFormat) async throws {
        let page = try await export(format)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        // Mentions by the archived names (member nickname first), custom emoji as images, links as anchors.
        #expect(page.contains("<span class=\"md-mention\" data-user-id=\"1477001084928000003\">@Bob</span>"))
        #expect(page.contains("<span class=\"md-mention\" data-user-id=\"319807291392000005\">@Ally</span>"))
        #expect(page.contains("src=\"https://cdn.discordapp.com/emojis/781247840256000000.png\" alt=\":kekw:\""))
        #expect(page.contains("<a class=\"md-link\" href=\"https://example.com/article\""))
        #expect(page.contains("<img src=\"https://cdn.discordapp.com/attachments/"))
        #expect(page.contains(".md-spoiler{"))
        #expect(!page.contains("<@1477001084928000003>"))
        #expect(!page.contains("<script"))
        #expect(page.contains("General chat &amp; links &lt;3"))
    }

    @Test func markdownOffShowsTheTextAsItIs() async throws {
        let page = try await export(.htmlDark, markdown: false)
        #expect(page.contains("Welcome &lt;@1477001084928000003&gt;!"))
        #expect(!page.contains("class=\"md-mention\""))
    }
}
