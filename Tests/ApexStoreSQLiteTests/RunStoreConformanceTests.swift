import ApexEngine
import ApexStoreSQLite
import ApexTesting
import Testing

/// Every backend passes every check of the one conformance suite.
@Suite struct RunStoreConformanceTests {
    @Test(arguments: RunStoreConformance.checks)
    func sqliteStoreConforms(_ check: RunStoreConformance.Check) async throws {
        try await TemporaryFolder.with { folder in
            let path = folder.path()
            try await check.run { namespace in try SQLiteRunStore(path: path, namespace: namespace) }
        }
    }

    @Test(arguments: RunStoreConformance.checks)
    func inMemoryStoreConforms(_ check: RunStoreConformance.Check) async throws {
        let database = InMemoryRunStore()
        try await check.run { namespace in InMemoryRunStore(namespace: namespace, sharing: database) }
    }
}
