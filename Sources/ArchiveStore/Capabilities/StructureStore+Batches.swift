import DiscordModels
import Foundation

extension StructureStore {
    /// One ``member(_:in:)`` per user, for stores without a batched query.
    public func members(_ users: [Snowflake<User>], in guild: Snowflake<Guild>) async throws
        -> [Snowflake<User>: Data]
    {
        var found: [Snowflake<User>: Data] = [:]
        for user in Set(users) {
            if let data = try await member(user, in: guild) { found[user] = data }
        }
        return found
    }

    /// One ``object(_:id:)`` per id, for stores without a batched query.
    public func objects(_ kind: ObjectKind, ids: [AnySnowflake]) async throws -> [AnySnowflake: StoredObject] {
        var found: [AnySnowflake: StoredObject] = [:]
        for id in Set(ids) {
            if let object = try await object(kind, id: id) { found[id] = object }
        }
        return found
    }
}
