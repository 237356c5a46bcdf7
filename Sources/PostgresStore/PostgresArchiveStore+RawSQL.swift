import PostgresNIO

extension PostgresArchiveStore {
    /// Runs raw SQL in one transaction (tests and maintenance only).
    func execute(_ sql: String) async throws {
        try await write("run SQL") { connection in
            _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: self.logger)
        }
    }

    /// The first column of each row of a raw query, as text (tests and maintenance only).
    func texts(_ sql: String) async throws -> [String] {
        try await read("run a query") { connection in
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: self.logger).collect().map {
                try $0.decode(String.self)
            }
        }
    }
}
