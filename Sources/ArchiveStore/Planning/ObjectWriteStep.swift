import DiscordModels

/// One step of storing guild structure, in the order a backend executes them inside one transaction: the plan of
/// ``GuildSnapshot/writeSteps`` or ``channelWrites(_:)``, the same for every backend.
public enum ObjectWriteStep: Sendable {
    /// Upsert an object (decide with ``ObjectUpsert/decide(stored:json:data:kind:)``).
    case upsert(ObjectRow)
    /// Nothing to write; count the object as unchanged (an unavailable guild never replaces a stored version).
    case unchanged
    /// Tombstone the objects of a kind in a guild whose ids are not in `keeping` (threads excepted when
    /// `onlyNonThreads`): the listing was complete.
    case tombstoneMissing(ObjectKind, guild: Snowflake<Guild>, keeping: [Int64], onlyNonThreads: Bool)

    /// The steps storing channels or threads on their own (no tombstones).
    public static func channelWrites(_ channels: [Decoded<Channel>]) -> [ObjectWriteStep] {
        channels.map { .upsert(ObjectRow.channel($0, guild: nil)) }
    }
}
