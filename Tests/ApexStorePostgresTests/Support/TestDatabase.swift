@testable import ApexStorePostgres
import ApexEngine
import Foundation
import Testing

/// A fresh database of its own for one test, created on the test server and dropped after it,
/// with every store the test opened shut down.
actor TestDatabase {
    let configuration: PostgresStoreConfiguration
    private var stores: [PostgresRunStore] = []

    private init(configuration: PostgresStoreConfiguration) {
        self.configuration = configuration
    }

    /// Runs `body` with a new database, migrated unless `migrated` is false.
    static func with<T: Sendable>(migrated: Bool = true, _ body: (TestDatabase) async throws -> T) async throws -> T {
        let admin = PostgresRunStore(configuration: try TestServer.configuration(poolSize: 1))
        let name = "apex_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        var configuration = try TestServer.configuration()
        configuration.database = name
        let database = TestDatabase(configuration: configuration)
        do {
            try await admin.execute(unsafeSQL: "CREATE DATABASE \(name)")
            if migrated { try await database.store().migrate() }
            let result = try await body(database)
            await database.close(admin: admin, name: name)
            return result
        } catch {
            await database.close(admin: admin, name: name)
            throw error
        }
    }

    /// A store on this database (shut down when the test ends).
    func store(namespace: String = "default", configuration: PostgresStoreConfiguration? = nil,
               retryBudget: Duration = .seconds(30)) -> PostgresRunStore {
        let store = PostgresRunStore(configuration: configuration ?? self.configuration, namespace: namespace, retryBudget: retryBudget)
        stores.append(store)
        return store
    }

    private func close(admin: PostgresRunStore, name: String) async {
        for store in stores { await store.shutdown() }
        stores = []
        try? await admin.execute(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        await admin.shutdown()
    }
}
