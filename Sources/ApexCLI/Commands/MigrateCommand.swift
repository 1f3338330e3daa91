import ApexDSL
import ApexEngine
import ArgumentParser

/// `apex migrate`: creates or upgrades the store's tables, or lists its migrations.
struct MigrateCommand: ConsoleCommand, ColorChoosing {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade the store's tables, or list its migrations (--status).",
        discussion: """
            Migrations are numbered and applied in order, in one transaction under a lock, so \
            several processes migrating at once is safe (the others wait, then find nothing \
            to do). A database migrated by a newer apex is refused.

            A PostgreSQL store must be migrated before use: every other command refuses an \
            unmigrated one (exit 2) unless given --migrate or APEX_AUTO_MIGRATE=1. The \
            embedded SQLite store migrates itself when opened.

            Examples:
              apex migrate --db postgres://apex:secret@db.internal:5432/apex?sslmode=require
              apex migrate --status
              apex migrate --status --json
            """
    )

    @Flag(help: "List the migrations, applied and pending (one a line), instead of applying them.")
    var status = false

    @Flag(help: "With --status: a JSON array of {version, name, applied, applied_at}.")
    var json = false

    @OptionGroup var store: StoreOptions

    @OptionGroup var colorOption: ColorOption

    func run(console: Console) async throws -> ExitCode {
        guard !json || status else { throw ValidationError("--json goes with --status") }
        let settings = Settings(console: console)
        let store = try await EngineFactory.store(self.store, settings: settings, opening: .asIs)
        if status {
            let migrations = try await store.migrations()
            if json {
                console.output.writeLine(JSONValue.array(migrations.map(Self.json)).prettyJSON)
            } else {
                for migration in migrations { console.output.writeLine(Self.line(migration)) }
            }
            return .success
        }
        let pending = try await store.migrations().filter { !$0.isApplied }
        try await store.migrate()
        let where_ = try settings.storeDescription(flag: self.store.database)
        console.error.writeLine(pending.isEmpty ? "store \(where_) is up to date"
                                                : "store \(where_): applied \(pending.count) migration(s), now at version \(pending.last?.version ?? 0)")
        return .success
    }

    static func line(_ migration: MigrationStatus) -> String {
        let state = migration.isApplied ? "applied" : "pending"
        let when = migration.appliedAt.map { " \($0)" } ?? ""
        return "\(migration.version) \(state)\(when) \(migration.name)"
    }

    static func json(_ migration: MigrationStatus) -> JSONValue {
        [
            "version": .int(migration.version), "name": .string(migration.name), "applied": .bool(migration.isApplied),
            "applied_at": migration.appliedAt.map { .string($0.description) } ?? .null,
        ]
    }
}
