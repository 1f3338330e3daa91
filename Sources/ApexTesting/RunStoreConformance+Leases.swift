import ApexDSL
import ApexEngine
import Testing

extension RunStoreConformance {
    static func leaseIsHeldByOneOwner(_ store: any RunStore) async throws {
        try await Fixture.create("r1", in: store)
        let at = Fixture.at
        #expect(try await store.leaseHolder(runID: "r1") == nil)
        #expect(try await store.acquireLease(runID: "r1", owner: "a", until: at(30), now: at(0)))
        #expect(try await store.acquireLease(runID: "r1", owner: "b", until: at(40), now: at(10)) == false)
        #expect(try await store.leaseHolder(runID: "r1") == "a")
        // Renewal by the owner (a heartbeat) extends the lease.
        #expect(try await store.acquireLease(runID: "r1", owner: "a", until: at(60), now: at(20)))
        #expect(try await store.acquireLease(runID: "r1", owner: "b", until: at(90), now: at(50)) == false)
        // Live up to and including `until`; expired after it.
        #expect(try await store.acquireLease(runID: "r1", owner: "b", until: at(90), now: at(60)) == false)
        #expect(try await store.acquireLease(runID: "r1", owner: "b", until: at(90), now: at(61)))
        #expect(try await store.leaseHolder(runID: "r1") == "b")
        #expect(try await store.acquireLease(runID: "r1", owner: "a", until: at(120), now: at(62)) == false)

        // Only the owner releases: a's release of b's lease is ignored.
        try await store.releaseLease(runID: "r1", owner: "a")
        #expect(try await store.acquireLease(runID: "r1", owner: "a", until: at(120), now: at(70)) == false)
        try await store.releaseLease(runID: "r1", owner: "b")
        #expect(try await store.leaseHolder(runID: "r1") == nil)
        #expect(try await store.acquireLease(runID: "r1", owner: "a", until: at(120), now: at(71)))

        await #expect(throws: StoreError.unknownRun("unknown")) {
            try await store.acquireLease(runID: "unknown", owner: "a", until: at(120), now: at(71))
        }
        try await store.releaseLease(runID: "unknown", owner: "a")
        await #expect(throws: StoreError.unknownRun("unknown")) { try await store.leaseHolder(runID: "unknown") }
    }

    static func fencedAppendNeedsTheLease(_ store: any RunStore) async throws {
        try await Fixture.create("r1", in: store)
        let at = Fixture.at
        let timer = Event(seq: 3, at: at(1), kind: .timerStarted(timer: "t", fireAt: at(60)))
        // Fenced appends without a lease are refused; with it they go through.
        await #expect(throws: StoreError.leaseLost(runID: "r1")) {
            try await store.append(runID: "r1", events: [timer], expectedLastSeq: 2, leaseOwner: "a", update: Fixture.scheduled)
        }
        #expect(try await store.acquireLease(runID: "r1", owner: "a", until: at(5), now: at(0)))
        try await store.append(runID: "r1", events: [timer], expectedLastSeq: 2, leaseOwner: "a", update: Fixture.scheduled)
        // Expired but not taken: the owner still appends.
        let fired = Event(seq: 4, at: at(10), kind: .timerFired(timer: "t"))
        try await store.append(runID: "r1", events: [fired], expectedLastSeq: 3, leaseOwner: "a", update: Fixture.scheduled)
        // Taken over by b while a was paused: a is refused even at the right seq, and writes nothing.
        #expect(try await store.acquireLease(runID: "r1", owner: "b", until: at(30), now: at(11)))
        let late = Event(seq: 5, at: at(12), kind: .runCancelled)
        await #expect(throws: StoreError.leaseLost(runID: "r1")) {
            try await store.append(runID: "r1", events: [late], expectedLastSeq: 4, leaseOwner: "a", update: RunUpdate(status: .cancelled))
        }
        #expect(try await store.events(runID: "r1", after: 0).count == 4)
        #expect(try await store.run(id: "r1")?.status == .running)
        #expect(try await store.leaseHolder(runID: "r1") == "b")
        try await store.append(runID: "r1", events: [late], expectedLastSeq: 4, leaseOwner: "b", update: RunUpdate(status: .cancelled))
        #expect(try await store.run(id: "r1")?.lastSeq == 5)
        // The final append gave the lease up.
        #expect(try await store.leaseHolder(runID: "r1") == nil)
    }

    static func leasesAreRenewedTogether(_ store: any RunStore) async throws {
        let at = Fixture.at
        for run in ["r1", "r2", "r3", "r4"] { try await Fixture.create(run, in: store) }
        #expect(try await store.acquireLease(runID: "r1", owner: "a", until: at(10), now: at(0)))
        #expect(try await store.acquireLease(runID: "r2", owner: "a", until: at(10), now: at(0)))
        #expect(try await store.acquireLease(runID: "r3", owner: "b", until: at(10), now: at(0)))
        // r2 expired and was taken over; r3 is b's; r4 is free; "unknown" is no run.
        #expect(try await store.acquireLease(runID: "r2", owner: "b", until: at(30), now: at(11)))
        let renewed = try await store.renewLeases(owner: "a", runIDs: ["r1", "r2", "r3", "r4", "unknown"], until: at(60))
        #expect(renewed == ["r1"])
        #expect(try await store.acquireLease(runID: "r1", owner: "b", until: at(90), now: at(50)) == false)
        #expect(try await store.acquireLease(runID: "r1", owner: "b", until: at(90), now: at(61)))
        #expect(try await store.renewLeases(owner: "a", runIDs: [], until: at(99)).isEmpty)
    }

    static func claimsTakeClaimableRuns(_ store: any RunStore) async throws {
        let at = Fixture.at
        let timer = RunUpdate(status: .running, currentStep: "pause", wakeAt: at(10))
        try await Fixture.create("due", in: store, startedAt: at(0), update: timer)
        try await Fixture.create("not-due", in: store, startedAt: at(1), update: RunUpdate(status: .running, wakeAt: at(100)))
        try await Fixture.create("signalled", in: store, startedAt: at(2))
        _ = try await store.appendExternal(runID: "signalled", kind: Fixture.signal("go"), at: at(2))
        try await Fixture.create("abandoned", in: store, startedAt: at(3))
        #expect(try await store.acquireLease(runID: "abandoned", owner: "crashed", until: at(5), now: at(3)))
        try await Fixture.create("driven", in: store, startedAt: at(4), update: timer)
        #expect(try await store.acquireLease(runID: "driven", owner: "alive", until: at(1000), now: at(4)))
        try await Fixture.create("finished", in: store, startedAt: at(5), update: timer)
        #expect(try await store.acquireLease(runID: "finished", owner: "done", until: at(6), now: at(5)))
        try await Fixture.complete("finished", in: store, lastSeq: 2, at: at(6))
        try await Fixture.create("idle", in: store, startedAt: at(6))
        try await Fixture.create("released", in: store, startedAt: at(7))
        #expect(try await store.acquireLease(runID: "released", owner: "polite", until: at(9), now: at(7)))
        try await store.releaseLease(runID: "released", owner: "polite")
        try await Fixture.create("elsewhere", in: store, queue: "gpu", startedAt: at(8), update: timer)

        func claim(_ owner: String, now: Timestamp, until: Timestamp, limit: Int = 10, queues: [String] = [TaskQueue.defaultName],
                   excluding: Set<String> = []) async throws -> [String] {
            try await store.claimRuns(owner: owner, until: until, now: now, limit: limit, taskQueues: queues, excluding: excluding)
        }
        func release(_ runs: [String], _ owner: String) async throws {
            for run in runs { try await store.releaseLease(runID: run, owner: owner) }
        }

        let early = try await claim("w", now: at(4), until: at(4))
        #expect(early == ["signalled"])
        try await release(early, "w")
        // Oldest first, at most `limit`.
        let firstTwo = try await claim("w", now: at(10), until: at(10), limit: 2)
        #expect(firstTwo == ["due", "signalled"])
        try await release(firstTwo, "w")
        // `excluding` leaves runs out without using up the limit.
        #expect(try await claim("w", now: at(10), until: at(30), limit: 2, excluding: ["signalled"]) == ["due", "abandoned"])
        // A claim's lease takes the runs out until it expires (a lease is live up to its end).
        #expect(try await claim("v", now: at(20), until: at(50)) == ["signalled"])
        #expect(try await claim("v", now: at(30), until: at(50)).isEmpty)
        #expect(try await claim("v", now: at(31), until: at(50)) == ["due", "abandoned"])
        #expect(try await store.acquireLease(runID: "due", owner: "w", until: at(60), now: at(32)) == false)
        // Only the queues asked for.
        #expect(try await claim("g", now: at(31), until: at(50), queues: ["gpu", "other"]) == ["elsewhere"])
        #expect(try await claim("g", now: at(31), until: at(50), queues: []).isEmpty)
        #expect(try await claim("g", now: at(31), until: at(50), limit: 0).isEmpty)
    }

    static func newRunIsClaimable(_ store: any RunStore) async throws {
        let record = Fixture.record("detached", workflow: "triage", namespace: "default", startedAt: Fixture.at(0))
        #expect(try await store.createRun(record, events: Fixture.firstEvents(of: record), update: Fixture.scheduled) == .created)
        let queues = [TaskQueue.defaultName]
        #expect(try await store.claimRuns(owner: "worker", until: Fixture.at(5), now: Fixture.at(1), limit: 10, taskQueues: queues, excluding: []) == ["detached"])
        #expect(try await store.claimRuns(owner: "other", until: Fixture.at(5), now: Fixture.at(2), limit: 10, taskQueues: queues, excluding: []).isEmpty)
        try await store.append(runID: "detached", events: [], expectedLastSeq: 2, update: Fixture.scheduled)
        try await store.releaseLease(runID: "detached", owner: "worker")
        #expect(try await store.claimRuns(owner: "other", until: Fixture.at(5), now: Fixture.at(3), limit: 10, taskQueues: queues, excluding: []).isEmpty)
    }

    static func nextClaimableTime(_ store: any RunStore) async throws {
        let at = Fixture.at
        let queues = [TaskQueue.defaultName]
        #expect(try await store.nextClaimableAt(now: at(0), taskQueues: queues) == nil)
        try await Fixture.create("sleeping", in: store, update: RunUpdate(status: .running, wakeAt: at(100)))
        try await Fixture.create("past", in: store, update: RunUpdate(status: .running, wakeAt: at(1)))
        try await Fixture.create("held", in: store, update: RunUpdate(status: .running, wakeAt: at(20)))
        #expect(try await store.acquireLease(runID: "held", owner: "a", until: at(50), now: at(0)))
        try await Fixture.create("gpu", in: store, queue: "gpu", update: RunUpdate(status: .running, wakeAt: at(30)))
        try await Fixture.create("over", in: store, update: RunUpdate(status: .running, wakeAt: at(5)))
        try await Fixture.complete("over", in: store, lastSeq: 2)

        // A held run's timer is its holder's: the lease's expiry counts, one millisecond after its end.
        #expect(try await store.nextClaimableAt(now: at(10), taskQueues: queues) == Timestamp(milliseconds: at(50).milliseconds + 1))
        #expect(try await store.nextClaimableAt(now: at(10), taskQueues: ["gpu"]) == at(30))
        #expect(try await store.nextClaimableAt(now: at(10), taskQueues: queues + ["gpu"]) == at(30))
        try await store.releaseLease(runID: "held", owner: "a")
        #expect(try await store.nextClaimableAt(now: at(10), taskQueues: queues) == at(20))
        #expect(try await store.nextClaimableAt(now: at(20), taskQueues: queues) == at(100))
        #expect(try await store.nextClaimableAt(now: at(100), taskQueues: queues) == nil)
        #expect(try await store.nextClaimableAt(now: at(10), taskQueues: []) == nil)
    }

    static func runsWithNewsAreAnOwnersUnseenOutsideEvents(_ store: any RunStore) async throws {
        let at = Fixture.at
        let owners: [(run: String, owner: String?)] = [("a1", "a"), ("a2", "a"), ("b1", "b"), ("free", nil)]
        for (index, (run, owner)) in owners.enumerated() {
            try await Fixture.create(run, in: store, startedAt: at(Int64(index)))
            if let owner { #expect(try await store.acquireLease(runID: run, owner: owner, until: at(100), now: at(4))) }
        }
        #expect(try await store.runsWithNews(owner: "a").isEmpty)

        _ = try await store.appendExternal(runID: "a2", kind: Fixture.signal("go"), at: at(5))
        _ = try await store.appendExternal(runID: "b1", kind: Fixture.signal("go"), at: at(5))
        _ = try await store.appendExternal(runID: "free", kind: Fixture.signal("go"), at: at(5))
        _ = try await store.appendExternal(runID: "a1", kind: Fixture.signal("go"), at: at(6))
        _ = try await store.appendExternal(runID: "a1", kind: .cancelRequested(reason: "user"), at: at(6))
        // Each owner's own runs, oldest first, with the seq of their last event.
        #expect(try await store.runsWithNews(owner: "a") == [RunNews(runID: "a1", lastSeq: 4), RunNews(runID: "a2", lastSeq: 3)])
        #expect(try await store.runsWithNews(owner: "b") == [RunNews(runID: "b1", lastSeq: 3)])
        #expect(try await store.runsWithNews(owner: "nobody").isEmpty)

        // Reported again while the driver has not appended (a signal no step waits for yet)...
        #expect(try await store.runsWithNews(owner: "a") == [RunNews(runID: "a1", lastSeq: 4), RunNews(runID: "a2", lastSeq: 3)])
        // ...and no longer once it has, until the next outside event.
        try await store.append(runID: "a2", events: [], expectedLastSeq: 3, update: Fixture.scheduled)
        #expect(try await store.runsWithNews(owner: "a") == [RunNews(runID: "a1", lastSeq: 4)])
        _ = try await store.appendExternal(runID: "a2", kind: Fixture.signal("again"), at: at(7))
        #expect(try await store.runsWithNews(owner: "a") == [RunNews(runID: "a1", lastSeq: 4), RunNews(runID: "a2", lastSeq: 4)])

        // A finished run has none (the append that ended it was its driver's).
        try await Fixture.complete("a1", in: store, lastSeq: 4)
        #expect(try await store.runsWithNews(owner: "a") == [RunNews(runID: "a2", lastSeq: 4)])
        // A released run is nobody's; a run taken over after its lease expired is the new owner's.
        try await store.releaseLease(runID: "b1", owner: "b")
        #expect(try await store.runsWithNews(owner: "b").isEmpty)
        #expect(try await store.acquireLease(runID: "a2", owner: "b", until: at(300), now: at(200)))
        #expect(try await store.runsWithNews(owner: "a").isEmpty)
        #expect(try await store.runsWithNews(owner: "b") == [RunNews(runID: "a2", lastSeq: 4)])

        // A new run counts until its driver's first append.
        let fresh = Fixture.record("fresh", startedAt: at(10))
        #expect(try await store.createRun(fresh, events: Fixture.firstEvents(of: fresh), update: Fixture.scheduled) == .created)
        #expect(try await store.acquireLease(runID: "fresh", owner: "c", until: at(300), now: at(10)))
        #expect(try await store.runsWithNews(owner: "c") == [RunNews(runID: "fresh", lastSeq: 2)])
        try await store.append(runID: "fresh", events: [], expectedLastSeq: 2, update: Fixture.scheduled)
        #expect(try await store.runsWithNews(owner: "c").isEmpty)
    }
}
