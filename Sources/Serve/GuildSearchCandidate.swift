import ArchiveStore
import DiscordModels
import Foundation

/// A match of the store's search checked against what the store does not index, on the message's stored JSON:
/// the words of `content` in order within `slop` (the store only finds messages holding them all), `has=snapshot`,
/// `mentions_role_id`, `mention_everyone`, `replied_to_user_id`, `replied_to_message_id`, `embed_type`,
/// `embed_provider`, `link_hostname`, `attachment_filename` and `attachment_extension`.
struct GuildSearchCandidate {
    let parameters: GuildSearchParameters
    let history: MergedHistory

    /// Whether a parameter other than `content` needs the message's JSON decoded.
    var readsJSON: Bool {
        let p = parameters
        return p.has.contains(.snapshot) || p.lacks.contains(.snapshot) || !p.mentionedRoles.isEmpty
            || p.mentionEveryone != nil || !p.repliedToUsers.isEmpty || !p.repliedToMessages.isEmpty
            || !p.embedTypes.isEmpty || !p.embedProviders.isEmpty || !p.attachmentFilenames.isEmpty
            || !p.attachmentExtensions.isEmpty
    }

    /// Whether any parameter must be checked message by message (else every match of the store's search is one).
    var checksEach: Bool { !parameters.contentWords.isEmpty || !parameters.linkHostnames.isEmpty || readsJSON }

    /// Whether the store's match `stored` is a result.
    func admits(_ stored: StoredMessage) async throws -> Bool {
        guard parameters.contentMatches(stored.content), parameters.matchesLinks(in: stored.content) else {
            return false
        }
        guard readsJSON else { return true }
        guard let message = try? JSONDecoder().decode(Message.self, from: stored.json) else { return false }
        let forwards = !(message.messageSnapshots ?? []).isEmpty
        if parameters.has.contains(.snapshot) && !forwards || parameters.lacks.contains(.snapshot) && forwards {
            return false
        }
        if !parameters.mentionedRoles.isEmpty, !parameters.mentionedRoles.contains(where: message.mentionRoles.contains)
        {
            return false
        }
        if let everyone = parameters.mentionEveryone, everyone != (message.mentionEveryone ?? false) { return false }
        if !parameters.repliedToMessages.isEmpty || !parameters.repliedToUsers.isEmpty {
            guard message.type.rawValue == 19, let target = message.messageReference?.messageId else { return false }
            if !parameters.repliedToMessages.isEmpty, !parameters.repliedToMessages.contains(target) { return false }
            if !parameters.repliedToUsers.isEmpty {
                guard let author = try await replyAuthor(of: message, target: target, in: stored.channelId),
                    parameters.repliedToUsers.contains(author)
                else { return false }
            }
        }
        return parameters.matchesEmbeds(
            types: message.embeds.compactMap(\.type), providers: message.embeds.compactMap { $0.provider?.name })
            && parameters.matchesAttachment(named: message.attachments.map(\.filename))
    }

    /// The author of the message a reply answers: the archived target's (none when it was deleted since), else the
    /// one of the `referenced_message` Discord sent with the reply.
    func replyAuthor(of reply: Message, target: Snowflake<Message>, in channel: Snowflake<Channel>) async throws
        -> Snowflake<User>?
    {
        if let archived = try await history.message(target, in: reply.messageReference?.channelId ?? channel) {
            return archived.deletedAt == nil ? archived.authorId : nil
        }
        guard case .message(let referenced) = reply.referencedMessage else { return nil }
        return referenced.author?.id
    }
}
