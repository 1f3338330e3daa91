import ApexDSL
import ApexEngine
import Testing

extension RunStoreConformance {
    static func eventsReadBackInOrder(_ store: any RunStore) async throws {
        try await Fixture.create("r1", in: store)
        let failure = RunError(type: "llm.rate_limited", message: "slow down", step: "draft", attempt: 1, details: ["retry_after": 2])
        let more = [
            Fixture.completion(seq: 3, at: Fixture.at(1)),
            Event(seq: 4, at: Fixture.at(2), kind: .timerStarted(timer: "sleep:pause#1", fireAt: Fixture.at(3602))),
            Event(seq: 5, at: Fixture.at(3), kind: .stepFailed(step: "draft", visit: 1, attempt: 1, error: failure, retryAt: Fixture.at(5))),
        ]
        try await store.append(runID: "r1", events: more, expectedLastSeq: 2, update: Fixture.scheduled)

        let all = Fixture.firstEvents(of: Fixture.record("r1")) + more
        #expect(try await store.events(runID: "r1", after: 0) == all)
        #expect(try await store.events(runID: "r1", after: 2) == more)
        #expect(try await store.events(runID: "r1", after: 5).isEmpty)
        #expect(try await store.events(runID: "unknown", after: 0).isEmpty)
    }

    static func appendUpdatesTheRow(_ store: any RunStore) async throws {
        let created = try await Fixture.create("r1", in: store)
        let output: JSONValue = ["category": "bug", "score": 0.75]
        let events = [Fixture.completion(seq: 3, at: Fixture.at(4)), Event(seq: 4, at: Fixture.at(4), kind: .runCompleted(output: output))]
        let update = RunUpdate(status: .completed, output: output, finishedAt: Fixture.at(4))
        try await store.append(runID: "r1", events: events, expectedLastSeq: 2, update: update)
        #expect(try await store.run(id: "r1") == Fixture.stored(created, update, lastSeq: 4))

        let failing = try await Fixture.create("r2", in: store)
        let error = RunError(type: "NeedsHuman", message: "cannot classify", step: "classify", attempt: 3, details: ["why": ["unclear"]])
        let failed = RunUpdate(status: .failed, error: error, currentStep: "classify", finishedAt: Fixture.at(9))
        try await store.append(runID: "r2", events: [Event(seq: 3, at: Fixture.at(9), kind: .runFailed(error: error))],
                               expectedLastSeq: 2, update: failed)
        #expect(try await store.run(id: "r2") == Fixture.stored(failing, failed, lastSeq: 3))

        // An append without events still updates the row (a driver that saw outside events).
        let waiting = RunUpdate(status: .running, currentStep: "approval", wakeAt: Fixture.at(100))
        let third = try await Fixture.create("r3", in: store)
        try await store.append(runID: "r3", events: [], expectedLastSeq: 2, update: waiting)
        #expect(try await store.run(id: "r3") == Fixture.stored(third, waiting, lastSeq: 2))
    }

    static func staleAppendConflicts(_ store: any RunStore) async throws {
        try await Fixture.create("r1", in: store)
        try await store.append(runID: "r1", events: [Fixture.completion(seq: 3)], expectedLastSeq: 2, update: Fixture.scheduled)
        let before = try await store.run(id: "r1")

        let stale = [Event(seq: 3, at: Fixture.at(1), kind: .runCompleted(output: "late"))]
        await #expect(throws: StoreError.conflict(runID: "r1", lastSeq: 2)) {
            try await store.append(runID: "r1", events: stale, expectedLastSeq: 2, update: RunUpdate(status: .completed, finishedAt: Fixture.at(1)))
        }
        #expect(try await store.run(id: "r1") == before)
        #expect(try await store.events(runID: "r1", after: 2) == [Fixture.completion(seq: 3)])

        await #expect(throws: StoreError.unknownRun("unknown")) {
            try await store.append(runID: "unknown", events: [Fixture.completion(seq: 1)], expectedLastSeq: 0, update: Fixture.scheduled)
        }
    }

    static func outsideEventMarksAttention(_ store: any RunStore) async throws {
        try await Fixture.create("r1", in: store)
        let waiting = RunUpdate(status: .running, currentStep: "approval")
        try await store.append(runID: "r1", events: [Fixture.completion(seq: 3)], expectedLastSeq: 2, update: waiting)
        #expect(try await Fixture.claimable(in: store, now: Fixture.at(10)).isEmpty)

        let signal = try await store.appendExternal(runID: "r1", kind: Fixture.signal("approve"), at: Fixture.at(7))
        #expect(signal == Event(seq: 4, at: Fixture.at(7), kind: Fixture.signal("approve")))
        #expect(try await store.events(runID: "r1", after: 3) == [signal])
        #expect(try await store.run(id: "r1")?.lastSeq == 4)
        #expect(try await Fixture.claimable(in: store, now: Fixture.at(10)) == ["r1"])

        // The driver that read up to 3 must read the signal before it can append.
        let consumed = Event(seq: 4, at: Fixture.at(8), kind: .signalConsumed(step: "approval", visit: 1, signalID: "sig-approve"))
        await #expect(throws: StoreError.conflict(runID: "r1", lastSeq: 3)) {
            try await store.append(runID: "r1", events: [consumed], expectedLastSeq: 3, update: waiting)
        }
        var seen = consumed
        seen.seq = 5
        try await store.append(runID: "r1", events: [seen], expectedLastSeq: 4, update: waiting)
        #expect(try await Fixture.claimable(in: store, now: Fixture.at(10)).isEmpty)

        let cancel = try await store.appendExternal(runID: "r1", kind: .cancelRequested(reason: "user"), at: Fixture.at(11))
        #expect(cancel.seq == 6)
        #expect(try await store.events(runID: "r1", after: 0).map(\.seq) == Array(1...6))
    }

    static func outsideEventsAreRefused(_ store: any RunStore) async throws {
        try await Fixture.create("r1", in: store)
        try await Fixture.complete("r1", in: store, lastSeq: 2)
        await #expect(throws: StoreError.runFinished("r1")) {
            try await store.appendExternal(runID: "r1", kind: Fixture.signal("approve"), at: Fixture.at(70))
        }
        #expect(try await store.events(runID: "r1", after: 0).count == 3)
        #expect(try await store.run(id: "r1")?.lastSeq == 3)
        #expect(try await Fixture.claimable(in: store, now: Fixture.at(70)).isEmpty)

        await #expect(throws: StoreError.unknownRun("unknown")) {
            try await store.appendExternal(runID: "unknown", kind: .cancelRequested(reason: nil), at: Fixture.at(70))
        }
    }

    static func thousandEventsReadBack(_ store: any RunStore) async throws {
        try await Fixture.create("r1", in: store)
        let events = (3...1002).map { Fixture.completion(seq: $0, step: "each[\($0)]/summarize", at: Fixture.at(Int64($0))) }
        try await store.append(runID: "r1", events: events, expectedLastSeq: 2, update: Fixture.scheduled)

        let read = try await store.events(runID: "r1", after: 2)
        #expect(read.count == 1000)
        #expect(read == events)
        #expect(try await store.events(runID: "r1", after: 502) == Array(events.dropFirst(500)))
        // Pages: at most `limit` events, continuing after the last one seen.
        #expect(try await store.events(runID: "r1", after: 0, limit: 3) == Fixture.firstEvents(of: Fixture.record("r1")) + events.prefix(1))
        #expect(try await store.events(runID: "r1", after: 502, limit: 400) == Array(events[500..<900]))
        #expect(try await store.events(runID: "r1", after: 1000, limit: 400) == Array(events.suffix(2)))
        #expect(try await store.events(runID: "r1", after: 1002, limit: 400).isEmpty)
        #expect(try await store.run(id: "r1")?.lastSeq == 1002)
    }
}

extension RunStoreConformance {
    static func namespaceEventsAreInTimeOrder(_ open: Opener) async throws {
        let store = try await open("default")
        let other = try await open("team-b")
        // b: seq 1 and 2 at 0 s, 3 at 1 s; a: seq 1 and 2 at 1 s, 3 at 2 s.
        try await Fixture.create("b", in: store, startedAt: Fixture.at(0))
        try await Fixture.create("a", in: store, startedAt: Fixture.at(1))
        try await store.append(runID: "b", events: [Fixture.completion(seq: 3, at: Fixture.at(1))], expectedLastSeq: 2, update: Fixture.scheduled)
        try await store.append(runID: "a", events: [Fixture.completion(seq: 3, at: Fixture.at(2))], expectedLastSeq: 2, update: Fixture.scheduled)
        // Another namespace's run, at the same times and with the same id.
        try await Fixture.create("a", in: other, startedAt: Fixture.at(1))

        let a = try await store.events(runID: "a", after: 0).map { RunEvent(runID: "a", event: $0) }
        let b = try await store.events(runID: "b", after: 0).map { RunEvent(runID: "b", event: $0) }
        let all = [b[0], b[1], a[0], a[1], b[2], a[2]]
        #expect(all.map(\.event.at) == [0, 0, 1, 1, 1, 2].map(Fixture.at))
        #expect(try await store.namespaceEvents(since: Fixture.at(0), after: nil, limit: 100) == all)
        // Since is inclusive.
        #expect(try await store.namespaceEvents(since: Fixture.at(1), after: nil, limit: 100) == Array(all[2...]))
        #expect(try await store.namespaceEvents(since: Timestamp(milliseconds: Fixture.at(1).milliseconds + 1), after: nil, limit: 100) == [a[2]])
        #expect(try await store.namespaceEvents(since: Fixture.at(3), after: nil, limit: 100).isEmpty)

        // After a position: the events equal to it or before it are skipped.
        #expect(try await store.namespaceEvents(since: Fixture.at(0), after: a[1].position, limit: 100) == [b[2], a[2]])
        #expect(try await store.namespaceEvents(since: Fixture.at(0), after: RunEventPosition(at: Fixture.at(1), runID: "a", seq: 9), limit: 100)
                == [b[2], a[2]])
        #expect(try await store.namespaceEvents(since: Fixture.at(0), after: RunEventPosition(at: Fixture.at(0), runID: "c", seq: 0), limit: 100)
                == Array(all[2...]))
        #expect(try await store.namespaceEvents(since: Fixture.at(0), after: a[2].position, limit: 100).isEmpty)
        // Both bounds: the later one counts.
        #expect(try await store.namespaceEvents(since: Fixture.at(2), after: b[0].position, limit: 100) == [a[2]])
        #expect(try await store.namespaceEvents(since: Fixture.at(0), after: b[2].position, limit: 100) == [a[2]])

        // Limits, and pages that visit every event once.
        #expect(try await store.namespaceEvents(since: Fixture.at(0), after: nil, limit: 2) == Array(all[..<2]))
        #expect(try await store.namespaceEvents(since: Fixture.at(0), after: nil, limit: 0).isEmpty)
        var read: [RunEvent] = []
        while read.count <= all.count {
            let page = try await store.namespaceEvents(since: Fixture.at(0), after: read.last?.position, limit: 4)
            if page.isEmpty { break }
            read += page
        }
        #expect(read == all)

        // Each namespace reads its own.
        let theirs = try await other.namespaceEvents(since: Fixture.at(0), after: nil, limit: 100)
        #expect(theirs.map(\.runID) == ["a", "a"])
        #expect(theirs.map(\.event) == Fixture.firstEvents(of: Fixture.record("a", namespace: "team-b", startedAt: Fixture.at(1))))
        #expect(try await open("team-c").namespaceEvents(since: Fixture.at(0), after: nil, limit: 100).isEmpty)
    }
}
