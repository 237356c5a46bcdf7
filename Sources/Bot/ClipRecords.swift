import ArchiveStore
import Clips
import DiscordModels
import Foundation

/// Turns the clips ``ClipDetector`` finds in a message into the records the archive keeps.
public enum ClipRecords {
    /// The clip records of `message` (posted in `guild`), found at `date`.
    public static func of(_ message: Message, guild: Snowflake<Guild>?, at date: Date) -> [ClipRecord] {
        ClipDetector.detect(in: message).map { clip in
            ClipRecord(
                messageId: message.id, channelId: message.channelId, guildId: guild, authorId: message.author?.id,
                kind: clip.kind.rawValue, provider: clip.provider, url: clip.url,
                attachmentId: clip.attachmentId.map { Snowflake($0) }, size: clip.size, detectedAt: date)
        }
    }

    /// The clip records of an archived message; none when its JSON does not decode.
    public static func of(_ stored: StoredMessage, at date: Date) -> [ClipRecord] {
        guard let message = try? stored.decoded().value else { return [] }
        return of(message, guild: stored.guildId, at: date)
    }
}
