import PostgresStore

extension PostgresArchiveStore.Configuration {
    /// The store settings a parsed database URL names (its `sslmode`, `pool_size` and `schema` included).
    public init(location: PostgresLocation, defaultPoolSize: Int = 8) {
        self.init(
            host: location.host, port: location.port, username: location.username, password: location.password,
            database: location.database)
        poolSize = location.poolSize ?? defaultPoolSize
        schema = location.schema
        switch location.sslMode {
        case nil, .disable, .allow: tls = .disable
        case .prefer: tls = .prefer
        case .require, .verifyCA, .verifyFull: tls = .require
        }
    }
}
