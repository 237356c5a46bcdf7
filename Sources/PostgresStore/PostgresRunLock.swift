import Foundation
import Logging
import PostgresNIO

/// One run at a time per archive and subject on PostgreSQL (`skald mirror` per target, `skald watch` per gateway
/// shard): a session advisory lock (`pg_try_advisory_lock`) held by a connection of its own for the run. The server releases it when that
/// connection ends, also when the process is killed, and it excludes runs on every machine sharing the database
/// (a lock file would exclude only one machine's).
public final class PostgresRunLock: Sendable {
    private let connection: PostgresConnection
    private let key: Int64
    private let logger: Logger

    private init(connection: PostgresConnection, key: Int64, logger: Logger) {
        self.connection = connection
        self.key = key
        self.logger = logger
    }

    /// What a lock excludes: `mirror` runs (one per target) or live captures (`watch`, one per gateway shard).
    public enum Kind: String, Sendable {
        /// `skald mirror`, per target.
        case mirror
        /// `skald watch` and `skald bot`, per gateway shard (their stored session).
        case watch
    }

    /// The lock's key: a 64-bit hash of the kind, the schema and the subject, computed by the server
    /// (`hashtextextended`).
    static func keyText(kind: Kind, schema: String?, target: String) -> String {
        "skald-\(kind.rawValue):\(schema ?? "public")/\(target)"
    }

    /// Takes the lock of `target` in `store`'s database, waiting while another session holds it; `waiting` is
    /// called once, with the holder's process id on the server side (`pg_locks`), when it is busy (it throws to give
    /// up instead of waiting).
    public static func acquire(
        store: PostgresArchiveStore, kind: Kind = .mirror, target: String, waiting: @Sendable (String) throws -> Void,
        sleep: @Sendable () async throws -> Void = { try await ContinuousClock().sleep(for: .milliseconds(250)) }
    ) async throws -> PostgresRunLock {
        try await acquire(
            configuration: store.configuration, logger: store.logger, kind: kind, target: target, waiting: waiting,
            sleep: sleep)
    }

    /// Takes the lock on the database `configuration` names (see ``acquire(store:kind:target:waiting:sleep:)``; `logger` is the connection's), for a
    /// caller that knows where the archive is but holds it by its capabilities, not as a PostgreSQL store.
    public static func acquire(
        configuration: PostgresArchiveStore.Configuration, logger: Logger = PostgresArchiveStore.quietLogger,
        kind: Kind = .mirror, target: String, waiting: @Sendable (String) throws -> Void,
        sleep: @Sendable () async throws -> Void = { try await ContinuousClock().sleep(for: .milliseconds(250)) }
    ) async throws -> PostgresRunLock {
        var single = PostgresConnection.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.username,
            password: configuration.password, database: configuration.database, tls: .disable)
        if configuration.tls != .disable {
            let context = try NIOSSLContext(configuration: .makeClientConfiguration())
            single.tls = configuration.tls == .require ? .require(context) : .prefer(context)
        }
        single.options.connectTimeout = .milliseconds(Int64(configuration.connectTimeout.components.seconds * 1000))
        let connection = try await PostgresConnection.connect(configuration: single, id: 1, logger: logger)
        do {
            let text = keyText(kind: kind, schema: configuration.schema, target: target)
            var key: Int64 = 0
            for try await value in try await connection.query(
                "SELECT hashtextextended(\(text), 0)", logger: logger
            ).decode(Int64.self) {
                key = value
            }
            var announced = false
            while true {
                var taken = false
                for try await value in try await connection.query(
                    "SELECT pg_try_advisory_lock(\(key))", logger: logger
                ).decode(Bool.self) {
                    taken = value
                }
                if taken { return PostgresRunLock(connection: connection, key: key, logger: logger) }
                if !announced {
                    announced = true
                    var holder = "unknown"
                    let high = Int32(truncatingIfNeeded: key >> 32)
                    let low = Int32(truncatingIfNeeded: key)
                    for try await pid in try await connection.query(
                        """
                        SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
                        AND classid::bigint = \(Int64(UInt32(bitPattern: high)))
                        AND objid::bigint = \(Int64(UInt32(bitPattern: low)))
                        """, logger: logger
                    ).decode(Int32.self) {
                        holder = "server pid \(pid)"
                    }
                    try waiting(holder)
                }
                try await sleep()
            }
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Releases the lock and closes its connection.
    public func release() async {
        _ = try? await connection.query("SELECT pg_advisory_unlock(\(key))", logger: logger)
        try? await connection.close()
    }
}
