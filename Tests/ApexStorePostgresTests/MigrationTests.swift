@testable import ApexStorePostgres
import ApexEngine
import Testing

@Suite(.enabled(if: TestServer.isConfigured, TestServer.disabledReason))
struct MigrationTests {
    @Test func twoProcessesMigratingAtOnceApplyTheSchemaOnce() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let first = await database.store(), second = await database.store()
            async let one: Void = first.migrate()
            async let two: Void = second.migrate()
            _ = try await (one, two)
            let count = try await first.text(unsafeSQL: "SELECT count(*)::text FROM apex_schema_migrations")
            #expect(count == "\(Migration.all.count)")
            let statuses = try await second.migrations()
            #expect(statuses.map(\.version) == Migration.all.map(\.version))
            #expect(statuses.allSatisfy { $0.appliedAt != nil })
            try await second.migrate()
            #expect(try await second.migrations() == statuses)
        }
    }

    @Test func aNewerSchemaIsRefused() async throws {
        try await TestDatabase.with { database in
            let store = await database.store()
            try await store.execute(unsafeSQL: "INSERT INTO apex_schema_migrations (version, name, applied_at) VALUES (999, 'from the future', 0)")
            let newer = StoreError.newerSchema(found: 999, supported: Migration.latestVersion)
            await #expect(throws: newer) { try await store.migrations() }
            await #expect(throws: newer) { try await store.migrate() }
        }
    }

    /// A database at version 1 with runs and events gains the registry and the events' time
    /// index, its runs untouched.
    @Test func migratingFromVersionOneKeepsTheEvents() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let store = await database.store()
            try await store.execute(unsafeSQL: "CREATE TABLE apex_schema_migrations (version INT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)")
            for statement in Migration.createTables.statements { try await store.execute(unsafeSQL: statement) }
            try await store.execute(unsafeSQL: "INSERT INTO apex_schema_migrations VALUES (1, 'create definitions, runs and events', 0)")
            try await Runs.create("r1", in: store, startedAt: Runs.at(0))
            #expect(try await store.migrations().map(\.isApplied) == [true, false])

            try await store.migrate()
            #expect(try await store.migrations().allSatisfy(\.isApplied))
            let events = try await store.namespaceEvents(since: Runs.at(0), after: nil, limit: 10)
            #expect(events.map(\.runID) == ["r1"])
            #expect(events.map(\.event) == (try await store.events(runID: "r1", after: 0)))
            let index = try await store.text(unsafeSQL: "SELECT indexdef FROM pg_indexes WHERE indexname = 'events_by_time'")
            #expect(index?.contains("(namespace, at, run_id, seq)") == true, "\(String(describing: index))")
        }
    }
}
