import ApexEngine
import Foundation
import PostgresNIO

extension PostgresRunStore {
    /// The advisory lock that migrating processes take in turn ("apex" in ASCII).
    static let migrationLock: Int64 = 0x6170_6578

    /// Applies the pending migrations in one transaction, under a transaction-scoped advisory
    /// lock: of several processes migrating at once, one applies them and the others wait for
    /// its commit, then find nothing left to do.
    public func migrate() async throws {
        let appliedAt = Timestamp(Date()).milliseconds
        try await inTransaction { connection, _ in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: self.driverLogger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS apex_schema_migrations (
                    version INT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)
                """, logger: self.driverLogger)
            let applied = try await Self.appliedMigrations(connection, logger: self.driverLogger)
            try Self.checkNotNewer(applied)
            for migration in Migration.all where applied[migration.version] == nil {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: self.driverLogger)
                }
                try await connection.query("""
                    INSERT INTO apex_schema_migrations (version, name, applied_at) VALUES (\(migration.version), \(migration.name), \(appliedAt))
                    """, logger: self.driverLogger)
            }
        }
    }

    public func migrations() async throws -> [MigrationStatus] {
        let applied = try await withRetry { connection, _ in
            let rows = try await connection.query("SELECT to_regclass('apex_schema_migrations') IS NOT NULL", logger: self.driverLogger).collect()
            let exists = try rows.first?.decode(Bool.self) ?? false
            return exists ? try await Self.appliedMigrations(connection, logger: self.driverLogger) : [:]
        }
        try Self.checkNotNewer(applied)
        return Migration.all.map { migration in
            MigrationStatus(version: migration.version, name: migration.name, isApplied: applied[migration.version] != nil,
                            appliedAt: applied[migration.version].map(Timestamp.init(milliseconds:)))
        }
    }

    /// When each applied migration was applied, by version.
    private static func appliedMigrations(_ connection: PostgresConnection, logger: Logger) async throws -> [Int: Int64] {
        let rows = try await connection.query("SELECT version, applied_at FROM apex_schema_migrations", logger: logger).collect()
        var applied: [Int: Int64] = [:]
        for row in rows {
            let (version, at) = try row.decode((Int, Int64).self)
            applied[version] = at
        }
        return applied
    }

    private static func checkNotNewer(_ applied: [Int: Int64]) throws {
        if let newest = applied.keys.max(), newest > Migration.latestVersion {
            throw StoreError.newerSchema(found: newest, supported: Migration.latestVersion)
        }
    }
}
