import ApexEngine
import GRDB

/// Brings a database to the newest schema this apex knows, recorded in `PRAGMA user_version`
/// (0 for a new file).
enum Migrator {
    /// Every migration, in order.
    static let migrations: [Migration] = [.createTables, .attentionByAge, .newsByOwner]

    /// The schema version this code writes.
    static var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Runs the pending migrations. Call it inside a write transaction: `user_version` is part
    /// of the database header and commits or rolls back with the tables, and the write lock
    /// makes two processes that open a new file at once migrate it one after the other (the
    /// second finds nothing left to do).
    static func migrate(_ db: Database) throws {
        let found = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        guard found <= latestVersion else { throw StoreError.newerSchema(found: found, supported: latestVersion) }
        for migration in migrations where migration.version > found {
            try migration.apply(db)
            // PRAGMA takes no bound parameters; the version is our own integer.
            try db.execute(sql: "PRAGMA user_version = \(migration.version)")
        }
    }
}
