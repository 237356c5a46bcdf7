import ArchiveStore
import DiscordModels
import Foundation
import PostgresNIO

/// Channel leases in the database, shared by every worker on the archive (`skald_channel_lease`, and
/// `skald_range_lease` for ranges of a channel's messages: bookkeeping tables like `skald_migrations`, created with
/// the schema; they are not part of the archive and not copied by `migrate-store`). Expiry uses the server's clock,
/// so workers' clocks need not agree, unless the configuration gives a time of its own
/// (``PostgresArchiveStore/Configuration/leaseNow``, a test's virtual time): every statement reads
/// `COALESCE($n, now())`, the bound time when there is one.
extension PostgresArchiveStore {
    static let leaseTableSQL = """
        CREATE TABLE IF NOT EXISTS skald_channel_lease (
            channel_id bigint PRIMARY KEY,
            worker text NOT NULL,
            acquired_at timestamptz NOT NULL DEFAULT now(),
            expires_at timestamptz NOT NULL
        )
        """

    static let rangeLeaseTableSQL = """
        CREATE TABLE IF NOT EXISTS skald_range_lease (
            channel_id bigint NOT NULL,
            range_low bigint NOT NULL,
            worker text NOT NULL,
            acquired_at timestamptz NOT NULL DEFAULT now(),
            expires_at timestamptz NOT NULL,
            PRIMARY KEY (channel_id, range_low)
        )
        """

    /// What a lease is on: a whole channel, or the range of its messages starting at `low`.
    struct LeaseTarget {
        var channel: Int64
        var low: Int64?

        var table: String { low == nil ? "skald_channel_lease" : "skald_range_lease" }
        var label: String { low.map { "range from \($0) of channel \(channel)" } ?? "channel \(channel)" }

        /// The column the range's start is compared with (a channel lease has none: `-1 = -1` holds).
        var lowColumn: String { low == nil ? "-1::bigint" : "range_low" }
        /// The value compared with ``lowColumn``.
        var lowValue: Int64 { low ?? -1 }
    }

    /// See ``ChannelLeasing/acquireLease(of:worker:ttl:)``.
    public func acquireLease(of channel: Snowflake<DiscordModels.Channel>, worker: String, ttl: Duration)
        async throws -> Bool
    {
        try await acquire(LeaseTarget(channel: channel.columnID), worker: worker, ttl: ttl)
    }

    /// See ``ChannelLeasing/renewLease(of:worker:ttl:)``.
    public func renewLease(of channel: Snowflake<DiscordModels.Channel>, worker: String, ttl: Duration)
        async throws -> Bool
    {
        try await renew(LeaseTarget(channel: channel.columnID), worker: worker, ttl: ttl)
    }

    /// See ``ChannelLeasing/releaseLease(of:worker:)``.
    public func releaseLease(of channel: Snowflake<DiscordModels.Channel>, worker: String) async throws {
        try await release(LeaseTarget(channel: channel.columnID), worker: worker)
    }

    /// See ``ChannelLeasing/acquireRangeLease(of:from:worker:ttl:)``.
    public func acquireRangeLease(
        of channel: Snowflake<DiscordModels.Channel>, from low: Snowflake<Message>, worker: String, ttl: Duration
    ) async throws -> Bool {
        try await acquire(LeaseTarget(channel: channel.columnID, low: low.columnID), worker: worker, ttl: ttl)
    }

    /// See ``ChannelLeasing/renewRangeLease(of:from:worker:ttl:)``.
    public func renewRangeLease(
        of channel: Snowflake<DiscordModels.Channel>, from low: Snowflake<Message>, worker: String, ttl: Duration
    ) async throws -> Bool {
        try await renew(LeaseTarget(channel: channel.columnID, low: low.columnID), worker: worker, ttl: ttl)
    }

    /// See ``ChannelLeasing/releaseRangeLease(of:from:worker:)``.
    public func releaseRangeLease(
        of channel: Snowflake<DiscordModels.Channel>, from low: Snowflake<Message>, worker: String
    ) async throws {
        try await release(LeaseTarget(channel: channel.columnID, low: low.columnID), worker: worker)
    }

    private func acquire(_ target: LeaseTarget, worker: String, ttl: Duration) async throws -> Bool {
        let milliseconds = Self.milliseconds(ttl)
        let at = leaseNow?()
        return try await write("take the lease of \(target.label)") { connection in
            // Make sure a row exists, then lock it; a row another worker is taking right now is skipped, not
            // waited for (FOR UPDATE SKIP LOCKED): that worker wins.
            let insert: PostgresQuery =
                if let low = target.low {
                    """
                    INSERT INTO skald_range_lease (channel_id, range_low, worker, expires_at)
                    VALUES (\(target.channel), \(low), '', '-infinity') ON CONFLICT DO NOTHING
                    """
                } else {
                    """
                    INSERT INTO skald_channel_lease (channel_id, worker, expires_at)
                    VALUES (\(target.channel), '', '-infinity') ON CONFLICT (channel_id) DO NOTHING
                    """
                }
            try await connection.query(insert, logger: self.logger)
            let select: PostgresQuery = """
                SELECT worker, expires_at < COALESCE(\(at)::timestamptz, now()) FROM \(unescaped: target.table)
                WHERE channel_id = \(target.channel) AND \(unescaped: target.lowColumn) = \(target.lowValue)
                FOR UPDATE SKIP LOCKED
                """
            let rows = try await connection.query(select, logger: self.logger).collect()
            guard let row = rows.first else { return false }
            let (holder, expired) = try row.decode((String, Bool).self)
            guard expired || holder == worker else { return false }
            let update: PostgresQuery = """
                UPDATE \(unescaped: target.table) SET worker = \(worker),
                    acquired_at = COALESCE(\(at)::timestamptz, now()),
                    expires_at = COALESCE(\(at)::timestamptz, now()) + \(milliseconds) * interval '1 millisecond'
                WHERE channel_id = \(target.channel) AND \(unescaped: target.lowColumn) = \(target.lowValue)
                """
            try await connection.query(update, logger: self.logger)
            return true
        }
    }

    private func renew(_ target: LeaseTarget, worker: String, ttl: Duration) async throws -> Bool {
        let milliseconds = Self.milliseconds(ttl)
        let at = leaseNow?()
        let update: PostgresQuery = """
            UPDATE \(unescaped: target.table)
            SET expires_at = COALESCE(\(at)::timestamptz, now()) + \(milliseconds) * interval '1 millisecond'
            WHERE channel_id = \(target.channel) AND \(unescaped: target.lowColumn) = \(target.lowValue)
                AND worker = \(worker) AND expires_at >= COALESCE(\(at)::timestamptz, now())
            RETURNING channel_id
            """
        return try await read("renew the lease of \(target.label)") { connection in
            try await connection.query(update, logger: self.logger).collect().count == 1
        }
    }

    private func release(_ target: LeaseTarget, worker: String) async throws {
        let update: PostgresQuery = """
            UPDATE \(unescaped: target.table) SET expires_at = '-infinity'
            WHERE channel_id = \(target.channel) AND \(unescaped: target.lowColumn) = \(target.lowValue)
                AND worker = \(worker)
            """
        try await read("release the lease of \(target.label)") { connection in
            try await connection.query(update, logger: self.logger)
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
