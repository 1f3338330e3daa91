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
        let d = try await Fixture.create("d", in: store, namespace: "team-x", startedAt: Fixture.at(3))
        let e = try await Fixture.create("e", in: store, startedAt: Fixture.at(4))
        try await Fixture.complete("b", in: store, lastSeq: 2)
        b = try #require(try await store.run(id: "b"))
        #expect(b.status == .completed)

        #expect(try await store.runs(RunFilter()) == [e, c, b, a])
        #expect(try await store.runs(RunFilter(status: .completed)) == [b])
        #expect(try await store.runs(RunFilter(status: .running, workflow: "triage")) == [e, a])
        #expect(try await store.runs(RunFilter(workflow: "billing")) == [c])
        #expect(try await store.runs(RunFilter(limit: 2)) == [e, c])
        #expect(try await store.runs(RunFilter(namespace: "team-x")) == [d])
        #expect(try await store.runs(RunFilter(namespace: "nobody")).isEmpty)
    }
}
