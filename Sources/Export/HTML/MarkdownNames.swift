import DiscordModels

/// What message markdown needs from the archive: display names for the users, channels and roles a text
/// mentions, and the time zone `<t:…>` timestamps are shown in. Collect the ids with ``references(in:)``, look
/// them up, and render with ``DiscordMarkdownHTML``.
public struct MarkdownNames: Sendable {
    /// Display names of users by id (member nickname, global name or username).
    public var users: [UInt64: String] = [:]
    /// Channel names by id.
    public var channels: [UInt64: String] = [:]
    /// Role names by id.
    public var roles: [UInt64: String] = [:]
    /// The zone timestamps are shown in.
    public var timeZone: DCETimeZone = .utc
    /// Links of custom emoji images by emoji id, where they differ from Discord's CDN (an export's `--media`
    /// downloads).
    public var emojis: [UInt64: String] = [:]

    /// No names, UTC.
    public init() {}

    /// The ids a text mentions: `<@id>`/`<@!id>` users, `<#id>` channels, `<@&id>` roles.
    public static func references(in text: String) -> (users: Set<UInt64>, channels: Set<UInt64>, roles: Set<UInt64>) {
        var users = Set<UInt64>()
        var channels = Set<UInt64>()
        var roles = Set<UInt64>()
        let s = Array(text.unicodeScalars)
        var i = 0
        while i < s.count {
            if s[i] == "<", let (kind, id, end) = mention(s, at: i) {
                switch kind {
                case .user: users.insert(id)
                case .channel: channels.insert(id)
                case .role: roles.insert(id)
                }
                i = end
            } else {
                i += 1
            }
        }
        return (users, channels, roles)
    }

    enum MentionKind { case user, channel, role }

    /// `<@id>`, `<@!id>`, `<@&id>` or `<#id>` at `start`: the kind, the id and the index after `>`.
    static func mention(_ s: [Unicode.Scalar], at start: Int) -> (MentionKind, UInt64, Int)? {
        guard start + 2 < s.count, s[start] == "<" else { return nil }
        var i = start + 1
        let kind: MentionKind
        if s[i] == "#" {
            kind = .channel
            i += 1
        } else if s[i] == "@" {
            i += 1
            if s[i] == "&" {
                kind = .role
                i += 1
            } else {
                kind = .user
                if i < s.count, s[i] == "!" { i += 1 }
            }
        } else {
            return nil
        }
        let digitsStart = i
        while i < s.count, s[i].value >= 48, s[i].value <= 57 { i += 1 }
        guard i > digitsStart, i < s.count, s[i] == ">",
            let id = UInt64(String(String.UnicodeScalarView(s[digitsStart..<i])))
        else { return nil }
        return (kind, id, i + 1)
    }
}

extension MarkdownNames {
    /// The names an HTML export carries in a message's `skaldNames` member (see ``DCERenderer``).
    init(node: JSONValue?, timeZone: DCETimeZone) {
        self.init()
        self.timeZone = timeZone
        func table(_ key: String) -> [UInt64: String] {
            guard case .object(let members)? = node?[key] else { return [:] }
            var result: [UInt64: String] = [:]
            for member in members {
                if let id = UInt64(member.key), let name = member.value.string { result[id] = name }
            }
            return result
        }
        users = table("users")
        channels = table("channels")
        roles = table("roles")
        emojis = table("emojis")
    }
}
