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
}
