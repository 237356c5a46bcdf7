import Foundation

/// One row of the link table: a provider and the URLs that are its clips.
public struct LinkRule: Sendable {
    /// The provider a matching link is recorded under.
    public let provider: String
    /// What the rule recognises, for documentation and test names.
    public let summary: String
    /// Whether a link (host lowercased without `www.`/`m.`, path segments, query items) is a clip of this rule.
    let matches: @Sendable (_ host: String, _ path: [String], _ query: [String: String]) -> Bool

    /// The file extensions of video files (DiscordChatExporter's rule, plus a few common containers).
    public static let videoExtensions: Set<String> = ["gifv", "mp4", "webm", "mov", "m4v", "mkv"]

    /// The table, in the order links are tried: the first rule that matches names the provider.
    public static let table: [LinkRule] = [
        LinkRule(provider: "youtube", summary: "youtube.com/watch?v=ID") { host, path, query in
            isYouTube(host) && path == ["watch"] && !(query["v"] ?? "").isEmpty
        },
        LinkRule(provider: "youtube", summary: "youtu.be/ID") { host, path, _ in
            host == "youtu.be" && path.count == 1
        },
        LinkRule(provider: "youtube", summary: "youtube.com/shorts/ID") { host, path, _ in
            isYouTube(host) && path.count == 2 && path[0] == "shorts"
        },
        LinkRule(provider: "youtube", summary: "youtube.com/clip/ID") { host, path, _ in
            isYouTube(host) && path.count == 2 && path[0] == "clip"
        },
        LinkRule(provider: "twitch", summary: "clips.twitch.tv/ID") { host, path, _ in
            host == "clips.twitch.tv" && path.count == 1 && path[0] != "embed"
        },
        LinkRule(provider: "twitch", summary: "twitch.tv/CHANNEL/clip/ID") { host, path, _ in
            host == "twitch.tv" && path.count == 3 && path[1] == "clip"
        },
        LinkRule(provider: "twitch", summary: "twitch.tv/clip/ID") { host, path, _ in
            host == "twitch.tv" && path.count == 2 && path[0] == "clip"
        },
        LinkRule(provider: "medal", summary: "medal.tv/clips/ID") { host, path, _ in
            host == "medal.tv" && path.count >= 2 && path[0] == "clips"
        },
        LinkRule(provider: "medal", summary: "medal.tv/games/GAME/clips/ID") { host, path, _ in
            host == "medal.tv" && path.count >= 4 && path[0] == "games" && path[2] == "clips"
        },
        LinkRule(provider: "streamable", summary: "streamable.com/CODE") { host, path, _ in
            host == "streamable.com" && path.count == 1
                && path[0].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        },
        // Steam shares a recorded clip as a page of the community site (`/clips/ID`, also under a profile or an
        // app: `/id/NAME/clips/ID`, `/app/APPID/clips/ID`).
        LinkRule(provider: "steam", summary: "steamcommunity.com/…/clips/ID") { host, path, _ in
            host == "steamcommunity.com" && path.count >= 2 && path[path.count - 2] == "clips"
        },
        LinkRule(provider: "direct", summary: "a link to a video file (.mp4 .webm .mov .gifv .m4v .mkv)") {
            _, path, _ in
            guard let last = path.last, let dot = last.lastIndex(of: ".") else { return false }
            return videoExtensions.contains(last[last.index(after: dot)...].lowercased())
        },
    ]

    static func isYouTube(_ host: String) -> Bool { host == "youtube.com" || host == "music.youtube.com" }
}
