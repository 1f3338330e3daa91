import ApexEngine
import ApexStoreSQLite
import ApexTesting
import Testing

/// Every backend passes every check of the one conformance suite.
@Suite struct RunStoreConformanceTests {
    @Test(arguments: RunStoreConformance.checks)
    func sqliteStoreConforms(_ check: RunStoreConformance.Check) async throws {
        try await TemporaryFolder.with { folder in
            try await check.run { try SQLiteRunStore(path: folder.path()) }
        }
    }

    @Test(arguments: RunStoreConformance.checks)
    func inMemoryStoreConforms(_ check: RunStoreConformance.Check) async throws {
        try await check.run { InMemoryRunStore() }
    }
}
