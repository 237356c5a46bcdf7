import ArchiveStore
import DiscordModels
import Foundation
import PostgresNIO

extension PostgresArchiveStore {
    /// Serialises guild-structure writes between workers (they are small and rare; two workers discovering one
    /// guild at once would otherwise race to insert the same rows).
    static let structureLockKey: Int64 = 0x736B_616C_645F_7374

    /// See ``StructureStore/storeGuild(_:)``.
    public func storeGuild(_ snapshot: GuildSnapshot) async throws -> ObjectChanges {
        let nowText = ColumnDate.text(now())
        return try await write("store guild \(snapshot.guild.value.id)") { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.structureLockKey))", logger: self.logger)
            return try await PostgresObjectWriter(connection: connection, logger: self.logger, nowText: nowText)
                .execute(snapshot.writeSteps)
        }
    }

    /// See ``StructureStore/storeChannels(_:)``.
    public func storeChannels(_ channels: [Decoded<DiscordModels.Channel>]) async throws -> ObjectChanges {
        let nowText = ColumnDate.text(now())
        return try await write("store \(channels.count) channels") { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.structureLockKey))", logger: self.logger)
            return try await PostgresObjectWriter(connection: connection, logger: self.logger, nowText: nowText)
                .execute(ObjectWriteStep.channelWrites(channels))
        }
    }

    /// See ``StructureStore/storeMembers(_:guild:observedAt:)``.
    public func storeMembers(_ members: [Decoded<GuildMember>], guild: Snowflake<Guild>, observedAt: Date)
        async throws
    {
        try await write("store members of guild \(guild)") { connection in
            try await PostgresMemberWriter(connection: connection, logger: self.logger)
                .upsert(members, guild: guild, observedAt: observedAt)
        }
    }

    /// See ``StructureStore/markMembersLeft(in:notListed:at:)``.
    @discardableResult
    public func markMembersLeft(in guild: Snowflake<Guild>, notListed listed: Set<Snowflake<User>>, at: Date)
        async throws -> Int
    {
        try await write("mark members of guild \(guild) left") { connection in
            let writer = PostgresMemberWriter(connection: connection, logger: self.logger)
            let gone = try await writer.currentMembers(of: guild).filter { !listed.contains($0) }
            return try await writer.markLeft(gone, guild: guild, at: at)
        }
    }

    /// See ``StructureStore/storeUsers(_:observedAt:)``.
    public func storeUsers(_ users: [Decoded<User>], observedAt: Date) async throws {
        guard !users.isEmpty else { return }
        try await write("store \(users.count) users") { connection in
            try await PostgresUserWriter(connection: connection, logger: self.logger).upsert(users, at: observedAt)
        }
    }
}
