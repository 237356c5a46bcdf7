import ArchiveStore
import DiscordModels
import Foundation

extension DCERenderer {
    /// Reads ahead what rendering `messages` (Discord JSON, all of channel `channelId`) looks up one by one: the
    /// member data of their authors and of the users they mention or reply to, their reaction users and those
    /// users — three queries instead of one per user and reaction. The output is the same as without it.
    func prefetch(_ messages: [JSONValue], channelId: UInt64) async {
        var memberIDs = Set<UInt64>()
        var userIDs = Set<UInt64>()
        var reacted: [Snowflake<Message>] = []
        for message in messages {
            if let id = message["author"]?["id"]?.uint64 { memberIDs.insert(id) }
            for user in message["mentions"]?.elements ?? [] {
                if let id = user["id"]?.uint64 { memberIDs.insert(id) }
            }
            if let id = message["referenced_message"]?["author"]?["id"]?.uint64 { memberIDs.insert(id) }
            if let id = message["interaction"]?["user"]?["id"]?.uint64 { memberIDs.insert(id) }
            if rendersHTML {
                for text in Self.markdownTexts(of: message) where text.utf8.contains(UInt8(ascii: "<")) {
                    let found = MarkdownNames.references(in: text).users
                    memberIDs.formUnion(found)
                    userIDs.formUnion(found)
                }
            }
            if !(message["reactions"]?.elements.isEmpty ?? true), let id = message["id"]?.uint64 {
                reacted.append(Snowflake(id))
            }
        }
        if !reacted.isEmpty,
            let found = try? await store.reactionUserIDs(of: reacted, in: Snowflake(channelId), burst: false)
        {
            for message in reacted { reactionUsers[channelId, default: [:]][message.rawValue] = found[message] ?? [:] }
            for users in found.values { for ids in users.values { userIDs.formUnion(ids.map(\.rawValue)) } }
        }
        userIDs.subtract(users.keys)
        if !userIDs.isEmpty,
            let found = try? await store.objects(.user, ids: userIDs.map { AnySnowflake($0) })
        {
            for id in userIDs {
                users[id] = .some(found[AnySnowflake(id)].flatMap { try? JSONValue.parse($0.json) })
            }
        }
        memberIDs.subtract(prefetchedMembers.keys)
        if let guildId, !memberIDs.isEmpty,
            let found = try? await store.members(memberIDs.map { Snowflake($0) }, in: Snowflake(guildId))
        {
            for id in memberIDs { prefetchedMembers[id] = .some(found[Snowflake(id)].flatMap(memberInfo)) }
        }
    }
}
