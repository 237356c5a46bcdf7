import ArchiveStore
import DiscordModels
import Foundation
import GRDB

extension SQLiteArchiveStore {
    /// See ``StructureStore/storeGuild(_:)``.
    public func storeGuild(_ snapshot: GuildSnapshot) async throws -> ObjectChanges {
        let nowText = ColumnDate.text(now())
        return try await write("store guild \(snapshot.guild.value.id)") { db in
            try ObjectWriter(db: db, nowText: nowText).execute(snapshot.writeSteps)
        }
    }

    /// See ``StructureStore/storeChannels(_:)``.
    public func storeChannels(_ channels: [Decoded<Channel>]) async throws -> ObjectChanges {
        let nowText = ColumnDate.text(now())
        return try await write("store \(channels.count) channels") { db in
            try ObjectWriter(db: db, nowText: nowText).execute(ObjectWriteStep.channelWrites(channels))
        }
    }

    /// See ``StructureStore/storeMembers(_:guild:observedAt:)``.
    public func storeMembers(_ members: [Decoded<GuildMember>], guild: Snowflake<Guild>, observedAt: Date)
        async throws
    {
        try await write("store members of guild \(guild)") { db in
            try MemberWriter.upsert(members, guild: guild, observedAt: observedAt, db: db)
        }
    }

    /// See ``StructureStore/markMembersLeft(in:notListed:at:)``.
    @discardableResult
    public func markMembersLeft(in guild: Snowflake<Guild>, notListed listed: Set<Snowflake<User>>, at: Date)
        async throws -> Int
    {
        try await write("mark members of guild \(guild) left") { db in
            let gone = try MemberWriter.currentMembers(of: guild, db: db).filter { !listed.contains($0) }
            return try MemberWriter.markLeft(gone, guild: guild, at: at, db: db)
        }
    }

    /// See ``StructureStore/storeUsers(_:observedAt:)``.
    public func storeUsers(_ users: [Decoded<User>], observedAt: Date) async throws {
        try await write("store \(users.count) users") { db in
            try UserWriter.upsert(users, db: db, at: observedAt)
        }
    }
}
