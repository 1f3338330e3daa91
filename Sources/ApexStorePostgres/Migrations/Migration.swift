/// One numbered step of the schema, recorded in `apex_schema_migrations` once applied.
/// Versions count from 1 without gaps and are never reused or edited once released: a change
/// to the schema is a new migration.
struct Migration: Sendable {
    let version: Int
    /// What the step does, for `apex migrate` and messages.
    let name: String
    /// The statements of the step, run in order inside the migrating transaction (one per
    /// string: the extended query protocol takes one statement at a time).
    let statements: [String]

    /// Every migration, in order.
    static let all: [Migration] = [.createTables, .registry]

    /// The newest version this apex knows.
    static var latestVersion: Int { all.last?.version ?? 0 }
}
