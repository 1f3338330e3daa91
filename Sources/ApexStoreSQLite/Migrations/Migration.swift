import GRDB

/// One numbered step of the schema. Versions count from 1 without gaps and are never
/// reused or edited once released: a change to the schema is a new migration.
struct Migration: Sendable {
    /// The `PRAGMA user_version` the database has after this step.
    let version: Int
    /// What the step does, for messages.
    let name: String
    /// The SQL of the step, run inside the migrating transaction.
    let sql: String

    func apply(_ db: Database) throws {
        try db.execute(sql: sql)
    }
}
