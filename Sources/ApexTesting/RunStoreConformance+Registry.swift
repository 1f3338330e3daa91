import ApexEngine
import Testing

extension RunStoreConformance {
    static func registryNumbersVersionsPerName(_ open: Opener) async throws {
        let store = try await open("default")
        let hashes = ["sha256-one", "sha256-two", "sha256-three"]
        for hash in hashes {
            try await store.saveDefinition(StoredDefinition(hash: hash, workflow: "triage", source: "apex: 1\n# \(hash)\n", path: "triage.yaml"))
        }
        #expect(try await store.registeredWorkflows().isEmpty)

        let first = try await store.registerWorkflow(name: "triage", hash: hashes[0], at: Fixture.at(1))
        #expect(first == RegisteredWorkflow(name: "triage", version: 1, hash: hashes[0], registeredAt: Fixture.at(1)))
        let second = try await store.registerWorkflow(name: "triage", hash: hashes[1], at: Fixture.at(2))
        #expect(second == RegisteredWorkflow(name: "triage", version: 2, hash: hashes[1], registeredAt: Fixture.at(2)))
        // Registering a version again returns it as it was registered, and writes nothing.
        #expect(try await store.registerWorkflow(name: "triage", hash: hashes[0], at: Fixture.at(3)) == first)
        #expect(try await store.registerWorkflow(name: "triage", hash: hashes[1], at: Fixture.at(3)) == second)
        #expect(try await store.registeredVersions(name: "triage") == [second, first])

        // Names are numbered apart; one definition may be a version of several names.
        let billing = try await store.registerWorkflow(name: "billing", hash: hashes[1], at: Fixture.at(4))
        #expect(billing == RegisteredWorkflow(name: "billing", version: 1, hash: hashes[1], registeredAt: Fixture.at(4)))
        let third = try await store.registerWorkflow(name: "triage", hash: hashes[2], at: Fixture.at(5))
        #expect(third.version == 3)
        let zeta = try await store.registerWorkflow(name: "zeta", hash: hashes[0], at: Fixture.at(6))
        let upper = try await store.registerWorkflow(name: "Zeta", hash: hashes[0], at: Fixture.at(6))
        // The newest version of each name, by name (code points: upper case first).
        #expect(try await store.registeredWorkflows() == [upper, billing, third, zeta])
        #expect(try await store.registeredVersions(name: "triage") == [third, second, first])
        #expect(try await store.registeredVersions(name: "billing") == [billing])
        #expect(try await store.registeredVersions(name: "unknown").isEmpty)
        #expect(try await store.registeredVersions(name: "Triage").isEmpty)

        // Each namespace has its own registry.
        let teamB = try await open("team-b")
        #expect(try await teamB.registeredWorkflows().isEmpty)
        #expect(try await teamB.registeredVersions(name: "triage").isEmpty)
        let theirs = try await teamB.registerWorkflow(name: "triage", hash: hashes[2], at: Fixture.at(7))
        #expect(theirs == RegisteredWorkflow(name: "triage", version: 1, hash: hashes[2], registeredAt: Fixture.at(7)))
        #expect(try await teamB.registeredWorkflows() == [theirs])
        #expect(try await store.registeredVersions(name: "triage") == [third, second, first])
    }

    static func concurrentRegistrationsGetDistinctVersions(_ store: any RunStore) async throws {
        let hashes = (1...8).map { "sha256-concurrent-\($0)" }
        for hash in hashes {
            try await store.saveDefinition(StoredDefinition(hash: hash, workflow: "triage", source: "apex: 1\n# \(hash)\n", path: "triage.yaml"))
        }
        // Every hash twice, all at once.
        let results = try await withThrowingTaskGroup(of: RegisteredWorkflow.self) { group in
            for hash in hashes + hashes {
                group.addTask { try await store.registerWorkflow(name: "triage", hash: hash, at: Fixture.at(1)) }
            }
            return try await group.reduce(into: [RegisteredWorkflow]()) { $0.append($1) }
        }
        let versionByHash = Dictionary(grouping: results, by: \.hash).mapValues { Set($0.map(\.version)) }
        #expect(versionByHash.count == hashes.count)
        #expect(versionByHash.values.allSatisfy { $0.count == 1 }, "a hash got several versions: \(versionByHash)")
        #expect(Set(versionByHash.values.compactMap(\.first)) == Set(1...hashes.count))
        let stored = try await store.registeredVersions(name: "triage")
        #expect(stored.map(\.version) == Array((1...hashes.count).reversed()))
        #expect(Set(stored.map(\.hash)) == Set(hashes))
        #expect(try await store.registeredWorkflows().map(\.version) == [hashes.count])
    }
}
