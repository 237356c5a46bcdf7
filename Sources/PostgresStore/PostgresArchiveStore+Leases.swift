import ArchiveStore
import DiscordModels
import Foundation
import PostgresNIO

/// Channel leases in the database, shared by every worker on the archive (`skald_channel_lease`, a bookkeeping
/// table like `skald_migrations`, created with the schema; it is not part of the archive and not copied by
/// `migrate-store`). Expiry uses the server's clock, so workers' clocks need not agree, unless the configuration
/// gives a time of its own (``PostgresArchiveStore/Configuration/leaseNow``, a test's virtual time): every statement
/// reads `COALESCE($n, now())`, the bound time when there is one.
extension PostgresArchiveStore {
    static let leaseTableSQL = """
        CREATE TABLE IF NOT EXISTS skald_channel_lease (
            channel_id bigint PRIMARY KEY,
            worker text NOT NULL,
            acquired_at timestamptz NOT NULL DEFAULT now(),
            expires_at timestamptz NOT NULL
        )
        """

    /// See ``ChannelLeasing/acquireLease(of:worker:ttl:)``.
    public func acquireLease(of channel: Snowflake<DiscordModels.Channel>, worker: String, ttl: Duration)
        async throws -> Bool
    {
        let milliseconds = Self.milliseconds(ttl)
        let at = leaseNow?()
        return try await write("take the lease of channel \(channel)") { connection in
            // Make sure a row exists, then lock it; a row another worker is taking right now is skipped, not
            // waited for (FOR UPDATE SKIP LOCKED): that worker wins.
            try await connection.query(
                """
                INSERT INTO skald_channel_lease (channel_id, worker, expires_at)
                VALUES (\(channel.columnID), '', '-infinity') ON CONFLICT (channel_id) DO NOTHING
                """, logger: self.logger)
            let rows = try await connection.query(
                """
                SELECT worker, expires_at < COALESCE(\(at)::timestamptz, now()) FROM skald_channel_lease
                WHERE channel_id = \(channel.columnID) FOR UPDATE SKIP LOCKED
                """, logger: self.logger
            ).collect()
            guard let row = rows.first else { return false }
            let (holder, expired) = try row.decode((String, Bool).self)
            guard expired || holder == worker else { return false }
            try await connection.query(
                """
                UPDATE skald_channel_lease SET worker = \(worker), acquired_at = COALESCE(\(at)::timestamptz, now()),
                    expires_at = COALESCE(\(at)::timestamptz, now()) + \(milliseconds) * interval '1 millisecond'
                WHERE channel_id = \(channel.columnID)
                """, logger: self.logger)
            return true
        }
    }

    /// See ``ChannelLeasing/renewLease(of:worker:ttl:)``.
    public func renewLease(of channel: Snowflake<DiscordModels.Channel>, worker: String, ttl: Duration)
        async throws -> Bool
    {
        let milliseconds = Self.milliseconds(ttl)
        let at = leaseNow?()
        return try await read("renew the lease of channel \(channel)") { connection in
            try await connection.query(
                """
                UPDATE skald_channel_lease
                SET expires_at = COALESCE(\(at)::timestamptz, now()) + \(milliseconds) * interval '1 millisecond'
                WHERE channel_id = \(channel.columnID) AND worker = \(worker)
                    AND expires_at >= COALESCE(\(at)::timestamptz, now())
                RETURNING channel_id
                """, logger: self.logger
            ).collect().count == 1
        }
    }

    /// See ``ChannelLeasing/releaseLease(of:worker:)``.
    public func releaseLease(of channel: Snowflake<DiscordModels.Channel>, worker: String) async throws {
        try await read("release the lease of channel \(channel)") { connection in
            try await connection.query(
                """
                UPDATE skald_channel_lease SET expires_at = '-infinity'
                WHERE channel_id = \(channel.columnID) AND worker = \(worker)
                """, logger: self.logger)
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
