import Clips
import DiscordModels
import Foundation
import Testing

/// The detection table: one case per rule, and the links that must not count.
@Suite struct ClipDetectorTests {
    /// A message JSON with `content`, `attachments` and `embeds`.
    static func message(content: String = "", attachments: [String] = [], embeds: [String] = []) -> Data {
        Data(
            """
            {"id":"1300000000000000001","channel_id":"1200000000000000001","type":0,"content":\
            \(String(data: try! JSONEncoder().encode(content), encoding: .utf8)!),\
            "timestamp":"2026-11-20T10:00:00.000000+00:00","edited_timestamp":null,"tts":false,\
            "mention_everyone":false,"mentions":[],"mention_roles":[],"pinned":false,\
            "author":{"id":"1100000000000000001","username":"ulf","discriminator":"0","global_name":null,"avatar":null},\
            "attachments":[\(attachments.joined(separator: ","))],"embeds":[\(embeds.joined(separator: ","))]}
            """.utf8)
    }

    static func attachment(_ filename: String, type: String?) -> String {
        let typeField = type.map { ",\"content_type\":\"\($0)\"" } ?? ""
        return """
            {"id":"1400000000000000001","filename":"\(filename)","size":2048\(typeField),\
            "url":"https://cdn.discordapp.com/attachments/1/2/\(filename)",\
            "proxy_url":"https://media.discordapp.net/attachments/1/2/\(filename)"}
            """
    }

    /// Every link rule of the table, with a link it must recognise.
    static let linkCases: [(link: String, provider: String)] = [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "youtube"),
        ("https://youtu.be/dQw4w9WgXcQ", "youtube"),
        ("https://youtube.com/shorts/abcDEF12345", "youtube"),
        ("https://www.youtube.com/clip/UgkxABCDEF", "youtube"),
        ("https://clips.twitch.tv/BarsAmazingClip42", "twitch"),
        ("https://www.twitch.tv/skaldchannel/clip/FunnyClipId-abc", "twitch"),
        ("https://m.twitch.tv/clip/FunnyClipId", "twitch"),
        ("https://medal.tv/clips/abc123/xyz", "medal"),
        ("https://medal.tv/games/valorant/clips/abc123", "medal"),
        ("https://streamable.com/moo42", "streamable"),
        ("https://steamcommunity.com/id/skald/clips/1234567890", "steam"),
        ("https://example.com/videos/raid.MP4", "direct"),
    ]

    @Test("a link rule recognises its form", arguments: linkCases.indices)
    func linkRule(_ index: Int) throws {
        let (link, provider) = Self.linkCases[index]
        let clips = ClipDetector.detect(json: Self.message(content: "look (\(link)) at this!"))
        #expect(clips == [DetectedClip(kind: .link, provider: provider, url: link)])
    }

    @Test("every rule of the table has a case")
    func tableIsCovered() {
        #expect(LinkRule.table.count == Self.linkCases.count)
    }

    @Test(
        "links that are not clips",
        arguments: [
            "https://www.youtube.com/channel/UC123", "https://www.youtube.com/watch", "https://twitch.tv/skaldchannel",
            "https://clips.twitch.tv/embed", "https://medal.tv/users/1", "https://streamable.com/",
            "https://steamcommunity.com/id/skald", "https://example.com/saga/12", "ftp://example.com/a.mp4",
            "https://example.com/a.mp4.txt", "https://example.com/mp4",
        ])
    func notClips(_ link: String) {
        #expect(ClipDetector.detect(json: Self.message(content: link)).isEmpty)
    }

    @Test("an attachment with a video content type is a clip")
    func attachmentByType() {
        let clips = ClipDetector.detect(json: Self.message(attachments: [Self.attachment("raid", type: "video/mp4")]))
        #expect(clips.map(\.kind) == [.attachment])
        #expect(clips.first?.provider == "discord")
        #expect(clips.first?.attachmentId == 1_400_000_000_000_000_001)
        #expect(clips.first?.size == 2048)
    }

    @Test(
        "an attachment is a clip by extension without a content type",
        arguments: ["a.gifv", "b.MP4", "c.webm", "d.mov"])
    func attachmentByExtension(_ name: String) {
        let clips = ClipDetector.detect(json: Self.message(attachments: [Self.attachment(name, type: nil)]))
        #expect(clips.map(\.kind) == [.attachment])
    }

    @Test("images and other files are not clips")
    func otherAttachments() {
        let json = Self.message(attachments: [
            Self.attachment("image.png", type: "image/png"), Self.attachment("notes.txt", type: "text/plain"),
            Self.attachment("clip.mp4.zip", type: nil),
        ])
        #expect(ClipDetector.detect(json: json).isEmpty)
    }

    @Test("an embed of type video or gifv, or with a video field, is a clip")
    func embeds() {
        let video = """
            {"type":"video","url":"https://vimeo.com/12345","provider":{"name":"Vimeo"},\
            "video":{"url":"https://player.vimeo.com/video/12345"}}
            """
        let gifv = """
            {"type":"gifv","url":"https://tenor.com/view/raven-123","provider":{"name":"Tenor"},\
            "video":{"url":"https://media.tenor.com/x.mp4"}}
            """
        let rich = #"{"type":"rich","url":"https://example.com/p","video":{"url":"https://example.com/v.mp4"}}"#
        let plain = #"{"type":"rich","url":"https://example.com/saga/1","title":"Saga"}"#
        let clips = ClipDetector.detect(json: Self.message(embeds: [video, gifv, rich, plain]))
        #expect(clips.map(\.kind) == [.embed, .embed, .embed])
        #expect(clips.map(\.provider) == ["vimeo", "tenor", "example.com"])
        #expect(
            clips.map(\.url) == [
                "https://vimeo.com/12345", "https://tenor.com/view/raven-123", "https://example.com/p",
            ])
    }

    @Test("a link and the embed Discord made for it are one clip")
    func linkAndItsEmbed() {
        let link = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
        let embed = """
            {"type":"video","url":"\(link)","provider":{"name":"YouTube"},\
            "video":{"url":"https://www.youtube.com/embed/dQw4w9WgXcQ"}}
            """
        let clips = ClipDetector.detect(json: Self.message(content: "watch \(link)", embeds: [embed]))
        #expect(clips == [DetectedClip(kind: .link, provider: "youtube", url: link)])
    }

    @Test("links in angle brackets count; a plain message has none")
    func suppressedLinks() {
        #expect(ClipDetector.links(in: "see <https://streamable.com/moo42>.") == ["https://streamable.com/moo42"])
        #expect(ClipDetector.detect(json: Self.message(content: "The longship sails at dawn")).isEmpty)
        #expect(ClipDetector.detect(json: Data("not json".utf8)).isEmpty)
    }
}
