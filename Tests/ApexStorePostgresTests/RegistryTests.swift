import ApexStorePostgres
import ApexEngine
import Testing

@Suite(.enabled(if: TestServer.isConfigured, TestServer.disabledReason))
struct RegistryTests {
    /// Processes registering at once, each with a pool of its own: every hash gets one version,
    /// the versions are 1…n, and nobody sees an error (a unique violation, a deadlock).
    @Test func processesRegisteringAtOnceNumberEachHashOnce() async throws {
        try await TestDatabase.with { database in
            let hashes = (1...12).map { "sha256-\($0)" }
            let results = try await withThrowingTaskGroup(of: [RegisteredWorkflow].self) { group in
                for process in 0..<4 {
                    let store = await database.store()
                    group.addTask {
                        var registered: [RegisteredWorkflow] = []
                        // Each process in its own order, so that they meet on every hash.
                        for hash in process.isMultiple(of: 2) ? hashes : hashes.reversed() {
                            registered.append(try await store.registerWorkflow(name: "triage", hash: hash, at: Timestamp(milliseconds: 1)))
                        }
                        return registered
                    }
                }
                return try await group.reduce(into: [RegisteredWorkflow]()) { $0 += $1 }
            }
            let versions = Dictionary(grouping: results, by: \.hash).mapValues { Set($0.map(\.version)) }
            #expect(versions.values.allSatisfy { $0.count == 1 }, "\(versions)")
            #expect(Set(versions.values.compactMap(\.first)) == Set(1...hashes.count))
            let stored = try await database.store().registeredVersions(name: "triage")
            #expect(stored.map(\.version) == Array((1...hashes.count).reversed()))
        }
    }
}

@Suite(.enabled(if: TestServer.isConfigured, TestServer.disabledReason))
struct NamespaceViewTests {
    /// A view of another namespace shares the pool and sees only its namespace's runs; it
    /// keeps working when the store it came from is gone from the caller's hands.
    @Test func aNamespaceViewSharesThePoolAndKeepsRunsApart() async throws {
        try await TestDatabase.with { database in
            var base: PostgresRunStore? = await database.store()
            let billing = try #require(base).inNamespace("billing")
            #expect(billing.namespace == "billing")
            try await Runs.create("same", in: try #require(base))
            base = nil
            #expect(try await billing.run(id: "same") == nil)
            try await Runs.create("same", in: billing)
            #expect(try await billing.run(id: "same")?.namespace == "billing")
            #expect(try await database.store(namespace: "billing").runs(RunFilter()).map(\.id) == ["same"])
            #expect(try await database.store().runs(RunFilter()).map(\.namespace) == ["default"])
            await billing.shutdown()
        }
    }
}
