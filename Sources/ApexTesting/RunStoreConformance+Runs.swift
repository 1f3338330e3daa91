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

        // Counts ignore the status, the cursor and the limit of the filter.
        #expect(try await store.runCounts(RunFilter()) == [.running: 4, .completed: 1])
        #expect(try await store.runCounts(RunFilter(status: .completed, after: e.cursor, limit: 1)) == [.running: 4, .completed: 1])
        #expect(try await store.runCounts(RunFilter(workflow: "triage")) == [.running: 3, .completed: 1])
        #expect(try await store.runCounts(RunFilter(startedAfter: Fixture.at(1), startedBefore: Fixture.at(4))) == [.running: 2, .completed: 1])
        #expect(try await store.runCounts(RunFilter(workflow: "none")) == [:])
    }

    static func runsAreFilteredByStartTime(_ store: any RunStore) async throws {
        var runs: [RunRecord] = []
        for (index, id) in ["a", "b", "c", "d", "e"].enumerated() {
            runs.append(try await Fixture.create(id, in: store, workflow: index == 2 ? "billing" : "triage", startedAt: Fixture.at(Int64(index))))
        }
        let (a, b, c, d, e) = (runs[0], runs[1], runs[2], runs[3], runs[4])
        // From inclusive, before exclusive.
        #expect(try await store.runs(RunFilter(startedAfter: Fixture.at(2))) == [e, d, c])
        #expect(try await store.runs(RunFilter(startedBefore: Fixture.at(2))) == [b, a])
        #expect(try await store.runs(RunFilter(startedAfter: Fixture.at(1), startedBefore: Fixture.at(4))) == [d, c, b])
        #expect(try await store.runs(RunFilter(startedAfter: Fixture.at(3), startedBefore: Fixture.at(3))).isEmpty)
        #expect(try await store.runs(RunFilter(startedAfter: Fixture.at(9))).isEmpty)
        // One millisecond either side of a start time.
        let cAt = Fixture.at(2).milliseconds
        #expect(try await store.runs(RunFilter(startedAfter: Timestamp(milliseconds: cAt + 1), startedBefore: Fixture.at(4))) == [d])
        #expect(try await store.runs(RunFilter(startedAfter: Fixture.at(1), startedBefore: Timestamp(milliseconds: cAt + 1))) == [c, b])
        // With the other conditions and the limit.
        #expect(try await store.runs(RunFilter(workflow: "triage", startedAfter: Fixture.at(1), startedBefore: Fixture.at(4))) == [d, b])
        #expect(try await store.runs(RunFilter(startedAfter: Fixture.at(1), limit: 2)) == [e, d])
    }

    static func keysetPagesVisitEveryRunOnce(_ store: any RunStore) async throws {
        // Three runs started at one time, two at another: ties are broken by id, descending.
        let starts: [(String, Int64)] = [("a", 0), ("b", 1), ("d", 1), ("c", 1), ("e", 2), ("g", 3), ("f", 3)]
        for (id, second) in starts { try await Fixture.create(id, in: store, startedAt: Fixture.at(second)) }
        let order = ["g", "f", "e", "d", "c", "b", "a"]
        #expect(try await store.runs(RunFilter()).map(\.id) == order)

        var pages: [[String]] = []
        var cursor: RunCursor?
        while pages.count <= order.count {
            let page = try await store.runs(RunFilter(after: cursor, limit: 3))
            guard let last = page.last else { break }
            pages.append(page.map(\.id))
            cursor = last.cursor
            if pages.count == 1 {
                // A run started after the first page was read is not in the pages to come.
                try await Fixture.create("h", in: store, startedAt: Fixture.at(4))
            }
        }
        #expect(pages == [["g", "f", "e"], ["d", "c", "b"], ["a"]])

        // A cursor is a position, whether or not a run is there.
        #expect(try await store.runs(RunFilter(after: RunCursor(startedAt: Fixture.at(1), id: "c5"))).map(\.id) == ["c", "b", "a"])
        #expect(try await store.runs(RunFilter(after: RunCursor(startedAt: Fixture.at(1), id: "a"))).map(\.id) == ["a"])
        #expect(try await store.runs(RunFilter(after: RunCursor(startedAt: Fixture.at(9), id: ""))).map(\.id) == ["h"] + order)
        #expect(try await store.runs(RunFilter(after: RunCursor(startedAt: Fixture.at(0), id: "a"))).isEmpty)
        // With the other conditions.
        let cursorAtD = RunCursor(startedAt: Fixture.at(1), id: "d")
        #expect(try await store.runs(RunFilter(startedAfter: Fixture.at(1), after: cursorAtD)).map(\.id) == ["c", "b"])
        #expect(try await store.runs(RunFilter(startedBefore: Fixture.at(3), after: RunCursor(startedAt: Fixture.at(3), id: "g"), limit: 2)).map(\.id)
                == ["e", "d"])
        #expect(try await store.runs(RunFilter(status: .completed, after: cursorAtD)).isEmpty)
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
