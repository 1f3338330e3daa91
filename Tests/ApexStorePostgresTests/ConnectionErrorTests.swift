@testable import ApexStorePostgres
import ApexEngine
import Testing

/// What a store says when it cannot use the server: one short line, never the password.
@Suite(.enabled(if: TestServer.isConfigured, TestServer.disabledReason))
struct ConnectionErrorTests {
    static let password = "apex-test-pw"

    @Test func aWrongPasswordIsUnusableAtOnce() async throws {
        try await TestDatabase.with(migrated: false) { database in
            var configuration = database.configuration
            configuration.password = "wrong-\(Self.password)-wrong"
            let store = await database.store(configuration: configuration)
            let started = ContinuousClock.now
            let error = await #expect(throws: StoreError.self) { try await store.run(id: "r1") }
            #expect(error == .unusable("password authentication failed for user \"\(configuration.user)\""))
            #expect(!"\(String(describing: error))".contains("wrong-"))
            // Found out by the watchdog's own connection, not after the retry budget (30 s); the
            // bound is loose because the whole suite loads both cores.
            #expect(started.duration(to: .now) < .seconds(25))
        }
    }

    @Test func anUnreachableServerIsUnavailableAfterTheRetryBudget() async throws {
        var configuration = try TestServer.configuration()
        configuration.port = 1  // nothing listens there
        configuration.password = "hunter2-\(Self.password)"
        let store = PostgresRunStore(configuration: configuration, retryBudget: .seconds(2))
        let started = ContinuousClock.now
        let error = await #expect(throws: StoreError.self) { try await store.run(id: "r1") }
        // Refused, normally; on a machine whose cores the whole suite keeps busy, the event loop
        // may not see the refusal before postgres-nio's 5 s connect timeout: unavailable either way.
        let address = "\(configuration.host):1"
        #expect(error == .unavailable("connection refused to \(address)") || error == .unavailable("no answer from \(address) within 5 s"), "\(String(describing: error))")
        #expect(!"\(String(describing: error))".contains("hunter2"))
        // The store's 2 s budget, not postgres-nio's 60 s connect timeout (loose: both cores are busy).
        #expect(started.duration(to: .now) < .seconds(30))
        await store.shutdown()
    }

    @Test func sslmodeRequireIsEncrypted() async throws {
        try await TestDatabase.with { database throws in
            var configuration = database.configuration
            configuration.sslMode = .require
            let store = await database.store(configuration: configuration)
            #expect(try await store.text(unsafeSQL: "SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()") == "true")
            #expect(try await store.run(id: "r1") == nil)
            configuration.sslMode = .disable
            let plain = await database.store(configuration: configuration)
            #expect(try await plain.text(unsafeSQL: "SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()") == "false")
        }
    }

    @Test func anUntrustedCertificateIsRefusedWithVerifyFull() async throws {
        try await TestDatabase.with(migrated: false) { database in
            var configuration = database.configuration
            configuration.sslMode = .verifyFull
            let store = await database.store(configuration: configuration)
            let error = await #expect(throws: StoreError.self) { try await store.run(id: "r1") }
            let text = "\(String(describing: error))"
            #expect(text.contains("TLS with \(configuration.address) failed"), "\(text)")
            #expect(text.contains("sslmode=verify-full"))
            #expect(!text.contains(Self.password))
        }
    }

    @Test func aMissingSchemaSaysToMigrate() async throws {
        try await TestDatabase.with(migrated: false) { database throws in
            let store = await database.store()
            let missing = StoreError.unusable("the database has no apex schema: run `apex migrate`")
            await #expect(throws: missing) { try await store.run(id: "r1") }
            await #expect(throws: missing) { try await store.claimRuns(owner: "w", until: .init(milliseconds: 10), now: .init(milliseconds: 0),
                                                                      limit: 5, taskQueues: ["q"], excluding: []) }
            // Listing migrations is how one finds out: all pending, no error.
            #expect(try await store.migrations().allSatisfy { $0.appliedAt == nil })
        }
    }
}
