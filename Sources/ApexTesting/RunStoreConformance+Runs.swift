import ApexDSL
import ApexEngine
import Testing

extension RunStoreConformance {
    typealias Fixture = ConformanceFixture

    static func migratingAgainChangesNothing(_ store: any RunStore) async throws {
        let created = try await Fixture.create("r1", in: store)
        try await store.migrate()
        try await store.migrate()
        #expect(try await store.run(id: "r1") == created)
        #expect(try await store.events(runID: "r1", after: 0).count == 2)
    }

    static func definitionIsStoredOncePerHash(_ store: any RunStore) async throws {
        let first = StoredDefinition(hash: "sha256-a", workflow: "triage", source: "apex: 1\nname: triage\n", path: "workflows/triage.yaml")
        try await store.saveDefinition(first)
        var edited = first
        edited.source += "# edited\n"
        edited.path = "elsewhere.yaml"
        try await store.saveDefinition(edited)
        #expect(try await store.definition(hash: "sha256-a") == first)
        #expect(try await store.definition(hash: "sha256-unknown") == nil)
    }

    static func createdRunReadsBack(_ store: any RunStore) async throws {
        let update = RunUpdate(status: .running, currentStep: "each[2]/summarize", wakeAt: Fixture.at(30))
        let created = try await Fixture.create("r1", in: store, update: update)
        #expect(try await store.run(id: "r1") == created)
        #expect(try await store.events(runID: "r1", after: 0) == Fixture.firstEvents(of: Fixture.record("r1")))

        let child = Fixture.record("r1.child", startedAt: Fixture.at(1), parent: "r1")
        #expect(try await store.createRun(child, events: [], update: Fixture.scheduled) == .created)
        #expect(try await store.run(id: "r1.child") == Fixture.stored(child, Fixture.scheduled, lastSeq: 0))
        #expect(try await store.run(id: "unknown") == nil)
    }

    static func creatingExistingRunWritesNothing(_ store: any RunStore) async throws {
        let created = try await Fixture.create("r1", in: store)
        var again = Fixture.record("r1", workflow: "other", startedAt: Fixture.at(5))
        again.input = ["different": true]
        let events = Fixture.firstEvents(of: again) + [Fixture.completion(seq: 3)]
        let result = try await store.createRun(again, events: events, update: RunUpdate(status: .completed))
        #expect(result == .existing(created))
        #expect(try await store.run(id: "r1") == created)
        #expect(try await store.events(runID: "r1", after: 0) == Fixture.firstEvents(of: Fixture.record("r1")))
    }

    static func runsAreListedNewestFirst(_ store: any RunStore) async throws {
        let a = try await Fixture.create("a", in: store, startedAt: Fixture.at(0))
        var b = try await Fixture.create("b", in: store, startedAt: Fixture.at(1))
        let c = try await Fixture.create("c", in: store, workflow: "billing", startedAt: Fixture.at(2))
        let d = try await Fixture.create("d", in: store, startedAt: Fixture.at(3), parent: "a")
        let e = try await Fixture.create("e", in: store, startedAt: Fixture.at(4))
        try await Fixture.complete("b", in: store, lastSeq: 2)
        b = try #require(try await store.run(id: "b"))
        #expect(b.status == .completed)

        #expect(try await store.runs(RunFilter()) == [e, d, c, b, a])
        #expect(try await store.runs(RunFilter(status: .completed)) == [b])
        #expect(try await store.runs(RunFilter(status: .running, workflow: "triage")) == [e, d, a])
        #expect(try await store.runs(RunFilter(workflow: "billing")) == [c])
        #expect(try await store.runs(RunFilter(limit: 2)) == [e, d])
        #expect(try await store.runs(RunFilter(parentRunID: "a")) == [d])
        #expect(try await store.runs(RunFilter(parentRunID: "d")).isEmpty)
    }

    static func migrationsAreListedApplied(_ store: any RunStore) async throws {
        let migrations = try await store.migrations()
        let pending = migrations.filter { !$0.isApplied }
        #expect(pending.isEmpty, "\(pending)")
        #expect(migrations.map(\.version) == Array(migrations.indices).map { $0 + 1 })
        #expect(migrations.allSatisfy { !$0.name.isEmpty })
    }

    static func namespacesKeepRunsApart(_ open: Opener) async throws {
        let teamA = try await open("team-a")
        let teamB = try await open("team-b")
        #expect(teamA.namespace == "team-a" && teamB.namespace == "team-b")
        let inA = try await Fixture.create("same", in: teamA, workflow: "triage", startedAt: Fixture.at(0))
        let inB = try await Fixture.create("same", in: teamB, workflow: "billing", startedAt: Fixture.at(1))
        #expect(inA.namespace == "team-a" && inB.namespace == "team-b")
        #expect(try await teamA.run(id: "same") == inA)
        #expect(try await teamB.run(id: "same") == inB)
        #expect(try await teamA.runs(RunFilter()) == [inA])
        #expect(try await open("team-c").run(id: "same") == nil)

        // Events, outside events, leases and claims of one namespace's run leave the other's alone.
        _ = try await teamB.appendExternal(runID: "same", kind: Fixture.signal("go"), at: Fixture.at(2))
        #expect(try await teamA.events(runID: "same", after: 0).count == 2)
        #expect(try await teamB.events(runID: "same", after: 0).count == 3)
        let queues = [TaskQueue.defaultName]
        #expect(try await teamA.claimRuns(owner: "w", until: Fixture.at(9), now: Fixture.at(3), limit: 10, taskQueues: queues, excluding: []).isEmpty)
        #expect(try await teamB.claimRuns(owner: "w", until: Fixture.at(9), now: Fixture.at(3), limit: 10, taskQueues: queues, excluding: []) == ["same"])
        #expect(try await teamA.acquireLease(runID: "same", owner: "other", until: Fixture.at(9), now: Fixture.at(3)))
        #expect(try await teamB.runsWithNews(owner: "w") == [RunNews(runID: "same", lastSeq: 3)])
        #expect(try await teamA.runsWithNews(owner: "w").isEmpty)
        try await Fixture.complete("same", in: teamA, lastSeq: 2)
        #expect(try await teamB.run(id: "same")?.status == .running)
        // Definitions are shared: they are named by their content.
        let definition = StoredDefinition(hash: "sha256-shared", workflow: "triage", source: "apex: 1\n", path: "triage.yaml")
        try await teamA.saveDefinition(definition)
        #expect(try await teamB.definition(hash: "sha256-shared") == definition)
    }
}
