import ApexEngine
import GRDB

/// Brings a database to the newest schema this apex knows, recorded in `PRAGMA user_version`
/// (0 for a new file).
enum Migrator {
    /// Every migration, in order.
    static let migrations: [Migration] = [.createTables, .attentionByAge, .newsByOwner, .namespaces, .registry]

    /// The schema version this code writes.
    static var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Runs the pending migrations. Call it inside a write transaction: `user_version` is part
    /// of the database header and commits or rolls back with the tables, and the write lock
    /// makes two processes that open a new file at once migrate it one after the other (the
    /// second finds nothing left to do).
    static func migrate(_ db: Database) throws {
        let found = try appliedVersion(db)
        for migration in migrations where migration.version > found {
            try migration.apply(db)
            // PRAGMA takes no bound parameters; the version is our own integer.
            try db.execute(sql: "PRAGMA user_version = \(migration.version)")
        }
    }

    /// The version the database is at; ``StoreError/newerSchema(found:supported:)`` when a
    /// newer apex migrated it.
    static func appliedVersion(_ db: Database) throws -> Int {
        let found = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        guard found <= latestVersion else { throw StoreError.newerSchema(found: found, supported: latestVersion) }
        return found
    }

    /// Every migration and whether the database has it (SQLite keeps no time of application).
    static func statuses(_ db: Database) throws -> [MigrationStatus] {
        let found = try appliedVersion(db)
        return migrations.map { MigrationStatus(version: $0.version, name: $0.name, isApplied: $0.version <= found) }
    }
}
