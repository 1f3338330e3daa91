@testable import ApexStorePostgres
import ApexDSL
import ApexEngine
import Testing

/// A transaction whose COMMIT went through but whose answer was lost with the connection is
/// run again; the methods that are not idempotent find their own writes instead of writing
/// twice or reporting a conflict with themselves.
@Suite(.enabled(if: TestServer.isConfigured, TestServer.disabledReason))
struct RetryTests {
    @Test func anAppendFindsItsOwnEvents() async throws {
        try await TestDatabase.with { database in
            let store = await database.store()
            try await Runs.create("r1", in: store)
            #expect(try await store.acquireLease(runID: "r1", owner: "w", until: Runs.at(60), now: Runs.at(0)))
            let events = [Event(seq: 2, at: Runs.at(1), kind: .stepSkipped(step: "a", visit: 1)),
                          Event(seq: 3, at: Runs.at(1), kind: .stepSkipped(step: "b", visit: 1))]
            store.faults.loseCommitAnswers(1)
            try await store.append(runID: "r1", events: events, expectedLastSeq: 1, leaseOwner: "w", update: RunUpdate(status: .running))
            #expect(try await store.events(runID: "r1", after: 1) == events)
            #expect(try await store.run(id: "r1")?.lastSeq == 3)
            // Someone else's events at those seqs are still a conflict.
            store.faults.loseCommitAnswers(1)
            let other = [Event(seq: 4, at: Runs.at(2), kind: .stepSkipped(step: "c", visit: 1))]
            try await store.append(runID: "r1", events: other, expectedLastSeq: 3, update: RunUpdate(status: .running))
            let stale = [Event(seq: 4, at: Runs.at(2), kind: .stepSkipped(step: "mine", visit: 1))]
            await #expect(throws: StoreError.conflict(runID: "r1", lastSeq: 3)) {
                try await store.append(runID: "r1", events: stale, expectedLastSeq: 3, update: RunUpdate(status: .running))
            }
        }
    }

    @Test func anOutsideEventIsAppendedOnce() async throws {
        try await TestDatabase.with { database in
            let store = await database.store()
            try await Runs.create("r1", in: store)
            store.faults.loseCommitAnswers(1)
            let signal = try await store.appendExternal(runID: "r1", kind: .signalReceived(name: "go", payload: ["ok": true], signalID: "s1"),
                                                        at: Runs.at(3))
            #expect(signal.seq == 2)
            #expect(try await store.events(runID: "r1", after: 0).map(\.seq) == [1, 2])
        }
    }

    @Test func aCreationFindsItsOwnRun() async throws {
        try await TestDatabase.with { database in
            let store = await database.store()
            let record = Runs.record("r1")
            store.faults.loseCommitAnswers(1)
            #expect(try await store.createRun(record, events: Runs.firstEvents(of: record), update: RunUpdate(status: .running)) == .created)
            #expect(try await store.events(runID: "r1", after: 0) == Runs.firstEvents(of: record))
            guard case .existing = try await store.createRun(record, events: Runs.firstEvents(of: record), update: RunUpdate(status: .running)) else {
                Issue.record("a second creation must find the run")
                return
            }
        }
    }

    @Test func aClaimReturnsWhatItLeased() async throws {
        try await TestDatabase.with { database in
            let store = await database.store()
            for (index, id) in ["a", "b", "c"].enumerated() { try await Runs.create(id, in: store, startedAt: Runs.at(Int64(index))) }
            #expect(try await store.acquireLease(runID: "c", owner: "w", until: Runs.at(90), now: Runs.at(5)))
            store.faults.loseCommitAnswers(1)
            // `c` is w's already (it drives it: excluded), so only what this claim took comes back.
            let claimed = try await store.claimRuns(owner: "w", until: Runs.at(90), now: Runs.at(10), limit: 5,
                                                    taskQueues: [TaskQueue.defaultName], excluding: ["c"])
            #expect(claimed == ["a", "b"])
        }
    }
}
