import DiscordModels
import Foundation

/// Guild structure in the archive: guilds with their complete listings, channels and threads, users and members,
/// and the previous versions kept when they change (see ``ArchiveStore`` for the guarantees).
///
/// ```swift
/// try await store.storeGuild(GuildSnapshot(guild: guild, channels: channels, roles: roles))
/// let channels = try await store.channels(in: guild.value.id)
/// ```
public protocol StructureStore: Sendable {
    /// Stores a guild and the complete listings given with it, in one transaction. Listings given are taken
    /// as complete: missing objects of that kind get a tombstone (see ``GuildSnapshot``).
    @discardableResult
    func storeGuild(_ snapshot: GuildSnapshot) async throws -> ObjectChanges

    /// Upserts channels or threads (no tombstones), keeping previous versions in the history when they
    /// meaningfully change. A channel without `guild_id` keeps the guild already stored for it.
    @discardableResult
    func storeChannels(_ channels: [Decoded<Channel>]) async throws -> ObjectChanges

    /// Upserts guild members (`GET /guilds/{id}/members`); their users are upserted too. A member marked left is a
    /// member again.
    func storeMembers(_ members: [Decoded<GuildMember>], guild: Snowflake<Guild>, observedAt: Date) async throws

    /// After a complete member listing of `guild` (`archive --members`): marks the stored members it did not hold
    /// left at `at`, as a GUILD_MEMBER_REMOVE seen live would (the rows stay). Returns how many were marked.
    @discardableResult
    func markMembersLeft(in guild: Snowflake<Guild>, notListed listed: Set<Snowflake<User>>, at: Date) async throws
        -> Int

    /// Upserts users seen outside messages (current user, members, reaction users). Every sighting is ordered
    /// by a snowflake (a message's id, or one made from `observedAt`); a user keeps the latest sighting's
    /// profile, so storing old data again never rolls a profile back.
    func storeUsers(_ users: [Decoded<User>], observedAt: Date) async throws

    /// Archived channels and threads, ascending by id; all guilds when `guild` is `nil`.
    func channels(in guild: Snowflake<Guild>?) async throws -> [StoredChannel]

    /// The current version of an object of a guild-structure kind, or a user.
    func object(_ kind: ObjectKind, id: AnySnowflake) async throws -> StoredObject?

    /// The current versions of every object of a kind in a guild (all guilds when `nil`), ascending by id.
    func objects(_ kind: ObjectKind, in guild: Snowflake<Guild>?) async throws -> [StoredObject]

    /// Previous versions of an object, oldest first.
    func history(_ kind: ObjectKind, id: AnySnowflake) async throws -> [HistoryEntry]

    /// The stored guild member JSON (`GET /guilds/{g}/members`) of a user, or `nil` (also for a member marked left).
    func member(_ user: Snowflake<User>, in guild: Snowflake<Guild>) async throws -> Data?

    /// A page of the guild's stored members (`GET /guilds/{g}/members`): their JSON in Discord's order of user ids
    /// (unsigned), those after `after`, at most `limit`; members marked left are not listed.
    func members(in guild: Snowflake<Guild>, after: Snowflake<User>?, limit: Int) async throws -> [Data]

    /// ``member(_:in:)`` for several users in one look-up (a page of messages): the stored member JSON of each
    /// of `users` that has one, members marked left included (history keeps the author's profile).
    func members(_ users: [Snowflake<User>], in guild: Snowflake<Guild>) async throws -> [Snowflake<User>: Data]

    /// ``object(_:id:)`` for several ids in one look-up: the current versions of those that exist, by id.
    func objects(_ kind: ObjectKind, ids: [AnySnowflake]) async throws -> [AnySnowflake: StoredObject]
}
