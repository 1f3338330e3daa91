import ApexEngine
import Testing

@Suite(.enabled(if: TestServer.isConfigured, TestServer.disabledReason))
struct ClaimTests {
    @Test func concurrentClaimersNeverShareARun() async throws {
        try await TestDatabase.with { database in
            let setup = await database.store()
            let ids = (0..<200).map { "run-\($0)" }
            for (index, id) in ids.enumerated() { try await Runs.create(id, in: setup, startedAt: Runs.at(Int64(index))) }

            // Four workers, each with a store (a pool) of its own, claim in small batches until nothing is left.
            let claims = try await withThrowingTaskGroup(of: (Int, [String]).self) { group in
                for worker in 0..<4 {
                    let store = await database.store()
                    group.addTask {
                        var mine: [String] = []
                        var emptyInARow = 0
                        while emptyInARow < 3 {
                            let claimed = try await store.claimRuns(owner: "worker-\(worker)", until: Runs.at(10_000), now: Runs.at(300),
                                                                    limit: 7, taskQueues: ["apex-orchestrator"], excluding: Set(mine))
                            emptyInARow = claimed.isEmpty ? emptyInARow + 1 : 0
                            mine += claimed
                        }
                        return (worker, mine)
                    }
                }
                return try await group.reduce(into: [Int: [String]]()) { $0[$1.0] = $1.1 }
            }
            let all = claims.values.flatMap { $0 }
            #expect(all.count == Set(all).count, "a run was handed to two claimers")
            #expect(Set(all) == Set(ids))
            // Every run is leased, to the one worker that got it.
            for (worker, claimed) in claims {
                let held = try await setup.runsWithNews(owner: "worker-\(worker)").map(\.runID)
                #expect(Set(held) == Set(claimed), "held, not claimed: \(Set(held).subtracting(claimed)); claimed, not held: \(Set(claimed).subtracting(held))")
            }
        }
    }

    @Test func claimsTakeOnlyTheirQueuesOldestFirst() async throws {
        try await TestDatabase.with { database in
            let store = await database.store()
            try await Runs.create("b", in: store, taskQueue: "billing", startedAt: Runs.at(0))
            try await Runs.create("o1", in: store, startedAt: Runs.at(1))
            try await Runs.create("o2", in: store, startedAt: Runs.at(2))
            try await Runs.create("o3", in: store, startedAt: Runs.at(3))
            let claimed = try await store.claimRuns(owner: "w", until: Runs.at(100), now: Runs.at(10), limit: 2,
                                                    taskQueues: ["apex-orchestrator"], excluding: ["o1"])
            #expect(claimed == ["o2", "o3"])
            #expect(try await store.claimRuns(owner: "w", until: Runs.at(100), now: Runs.at(10), limit: 5,
                                              taskQueues: ["billing", "apex-orchestrator"], excluding: []) == ["b", "o1"])
            // Every lease is live up to 100: the next run of these queues becomes claimable a millisecond later.
            #expect(try await store.nextClaimableAt(now: Runs.at(10), taskQueues: ["billing"]) == Timestamp(milliseconds: Runs.at(100).milliseconds + 1))
        }
    }
}
