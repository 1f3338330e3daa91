import ApexStorePostgres
import Foundation
import Testing

/// The server the tests run against: `APEX_TEST_POSTGRES_URL`, as `scripts/postgres-cluster.sh
/// start DIR` prints it. Without it the suites that need it are disabled, except on CI
/// (`CI` set), where ``ServerPresenceTests`` fails instead.
enum TestServer {
    static let url = ProcessInfo.processInfo.environment["APEX_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    static let isConfigured = url != nil

    /// The folder of the cluster behind ``url`` (`scripts/postgres-cluster.sh start DIR`), for
    /// the tests that restart it.
    static let clusterFolder = ProcessInfo.processInfo.environment["APEX_TEST_POSTGRES_CLUSTER_DIR"].flatMap { $0.isEmpty ? nil : $0 }

    static let disabledReason: Comment = "APEX_TEST_POSTGRES_URL is not set: start a server with `scripts/postgres-cluster.sh start DIR` and export what it prints"

    /// The configuration of the server's URL (its database is the admin database of the tests).
    static func configuration(poolSize: Int = 4) throws -> PostgresStoreConfiguration {
        try PostgresStoreConfiguration(url: try #require(url), poolSize: poolSize)
    }
}

@Suite struct ServerPresenceTests {
    @Test func ciAlwaysHasATestServer() {
        guard ProcessInfo.processInfo.environment["CI"] != nil else { return }
        #expect(TestServer.isConfigured, "CI must run the Postgres store's tests: set APEX_TEST_POSTGRES_URL (scripts/test.sh does)")
    }
}
