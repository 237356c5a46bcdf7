import DiscordModels

extension DCERenderer {
    /// Whether the export is HTML: message texts keep their markdown, and each message carries the names of what
    /// it mentions (`skaldNames`) for ``DiscordMarkdownHTML``.
    var rendersHTML: Bool { options.format == .htmlDark || options.format == .htmlLight }

    /// `{"users":{id:name},"channels":{…},"roles":{…}}` for the mentions in a message's texts.
    func namesNode<J: JSONLookup>(for texts: [String], message: J) async -> JSONValue {
        var userIDs = Set<UInt64>()
        var channelIDs = Set<UInt64>()
        var roleIDs = Set<UInt64>()
        for text in texts where text.utf8.contains(UInt8(ascii: "<")) {
            let found = MarkdownNames.references(in: text)
            userIDs.formUnion(found.users)
            channelIDs.formUnion(found.channels)
            roleIDs.formUnion(found.roles)
        }
        var users: [JSONValue.Member] = []
        for id in userIDs.sorted() {
            if let name = await mentionName(id, message: message) { users.append(.init(String(id), .string(name))) }
        }
        var channels: [JSONValue.Member] = []
        for id in channelIDs.sorted() {
            if let name = await channel(id)?["name"]?.string { channels.append(.init(String(id), .string(name))) }
        }
        let roleNames = roleIDs.sorted().compactMap { id in
            roles[id].map { JSONValue.Member(String(id), .string($0.name)) }
        }
        return .object([
            .init("users", .object(users)), .init("channels", .object(channels)), .init("roles", .object(roleNames)),
        ])
    }

    /// Every text of a message that markdown is rendered in: content, embed texts, a forwarded message's content.
    static func markdownTexts<J: JSONLookup>(of message: J) -> [String] {
        var texts = [message["content"]?.string ?? ""]
        for embed in message["embeds"]?.elements ?? [] {
            texts += [embed["title"]?.string, embed["description"]?.string].compactMap { $0 }
            for field in embed["fields"]?.elements ?? [] {
                texts += [field["name"]?.string, field["value"]?.string].compactMap { $0 }
            }
        }
        if let snapshot = message["message_snapshots"]?.elements.first?["message"] {
            texts.append(snapshot["content"]?.string ?? "")
        }
        return texts
    }
}
