import PostgresNIO

extension PostgresRunStore {
    /// Runs one SQL statement outside the store's protocol, retried like any method: for tests
    /// (a scratch database, a tampered schema) and tools. Not a transaction of its own, so
    /// `CREATE DATABASE` works.
    func execute(unsafeSQL sql: String) async throws {
        try await withRetry { connection, _ in
            _ = try await connection.rows(PostgresQuery(unsafeSQL: sql), logger: self.driverLogger)
        }
    }

    /// The first column of the first row of `sql` as text (cast it with `::text`), nil for none.
    func text(unsafeSQL sql: String) async throws -> String? {
        try await withRetry { connection, _ in
            try await connection.rows(PostgresQuery(unsafeSQL: sql), logger: self.driverLogger).first?.decode(String?.self) ?? nil
        }
    }
}
