import ApexEngine
import ApexStorePostgres
import ApexTesting
import Testing

/// The Postgres store passes every check of the one conformance suite, each in a database of
/// its own; the namespaces a check asks for are store objects on that same database.
@Suite(.enabled(if: TestServer.isConfigured, TestServer.disabledReason))
struct RunStoreConformanceTests {
    @Test(arguments: RunStoreConformance.checks)
    func postgresStoreConforms(_ check: RunStoreConformance.Check) async throws {
        try await TestDatabase.with { database in
            try await check.run { namespace in await database.store(namespace: namespace) }
        }
    }
}
