import ApexDSL
import ApexEngine
import Testing

extension RunStoreConformance {
    static func concurrentAppendsHaveOneWinner(_ store: any RunStore) async throws {
        try await Fixture.create("r1", in: store)
        let contenders = 16
        let winners = try await withThrowingTaskGroup(of: Int?.self) { group in
            for contender in 0..<contenders {
                group.addTask {
                    let event = Event(seq: 3, at: Fixture.at(1), kind: .stepStarted(step: "classify", visit: 1, attempt: 1, worker: "w\(contender)"))
                    do {
                        try await store.append(runID: "r1", events: [event], expectedLastSeq: 2, update: Fixture.scheduled)
                        return contender
                    } catch StoreError.conflict(runID: "r1", lastSeq: 2) {
                        return nil
                    }
                }
            }
            return try await group.reduce(into: [Int]()) { if let winner = $1 { $0.append(winner) } }
        }
        let winner = try #require(winners.count == 1 ? winners.first : nil, "winners: \(winners)")
        let stored = try await store.events(runID: "r1", after: 2)
        #expect(stored.map(\.kind) == [.stepStarted(step: "classify", visit: 1, attempt: 1, worker: "w\(winner)")])
        #expect(try await store.run(id: "r1")?.lastSeq == 3)
    }

    static func concurrentWritersBuildGaplessHistory(_ store: any RunStore) async throws {
        try await Fixture.create("r1", in: store)
        let drivers = 6, signallers = 3, each = 8
        try await withThrowingTaskGroup(of: Void.self) { group in
            for driver in 0..<drivers {
                group.addTask {
                    for step in 0..<each { try await appendRetrying(step: "d\(driver)-\(step)", to: "r1", in: store) }
                }
            }
            for signaller in 0..<signallers {
                group.addTask {
                    for number in 0..<each {
                        _ = try await store.appendExternal(runID: "r1", kind: Fixture.signal("s\(signaller)-\(number)"), at: Fixture.at(1))
                    }
                }
            }
            try await group.waitForAll()
        }

        let events = try await store.events(runID: "r1", after: 0)
        let total = 2 + (drivers + signallers) * each
        #expect(events.map(\.seq) == Array(1...total))
        #expect(try await store.run(id: "r1")?.lastSeq == total)
        // Each writer's events are all there, in the order it wrote them.
        let names = events.compactMap { event -> String? in
            switch event.kind {
            case .stepSkipped(let step, _): step
            case .signalReceived(let name, _, _): name
            default: nil
            }
        }
        for writer in (0..<drivers).map({ "d\($0)-" }) + (0..<signallers).map({ "s\($0)-" }) {
            #expect(names.filter { $0.hasPrefix(writer) } == (0..<each).map { "\(writer)\($0)" })
        }
    }

    /// Appends one event the way a driver does: read the last seq, append after it, and on a
    /// conflict read again.
    private static func appendRetrying(step: String, to runID: String, in store: any RunStore) async throws {
        while true {
            let lastSeq = try #require(try await store.run(id: runID)).lastSeq
            let event = Event(seq: lastSeq + 1, at: Fixture.at(1), kind: .stepSkipped(step: step, visit: 1))
            do {
                try await store.append(runID: runID, events: [event], expectedLastSeq: lastSeq, update: Fixture.scheduled)
                return
            } catch StoreError.conflict {
                continue
            }
        }
    }

    static func concurrentCreationsCreateOnce(_ store: any RunStore) async throws {
        let record = Fixture.record("r1")
        let results = try await withThrowingTaskGroup(of: CreateRunResult.self) { group in
            for _ in 0..<8 {
                group.addTask { try await store.createRun(record, events: Fixture.firstEvents(of: record), update: Fixture.scheduled) }
            }
            return try await group.reduce(into: [CreateRunResult]()) { $0.append($1) }
        }
        let stored = Fixture.stored(record, Fixture.scheduled, lastSeq: 2)
        #expect(results.filter { $0 == .created }.count == 1)
        #expect(results.filter { $0 == .existing(stored) }.count == 7)
        #expect(try await store.events(runID: "r1", after: 0).count == 2)
    }

    static func concurrentClaimersShareNothing(_ store: any RunStore) async throws {
        let runs = 120, claimers = 4
        for index in 0..<runs { try await Fixture.create("r\(index)", in: store, startedAt: Fixture.at(Int64(index))) }
        for index in 0..<runs { _ = try await store.appendExternal(runID: "r\(index)", kind: Fixture.signal("go"), at: Fixture.at(200)) }
        let claims = try await withThrowingTaskGroup(of: [String].self) { group in
            for claimer in 0..<claimers {
                group.addTask {
                    var mine: [String] = []
                    while true {
                        let batch = try await store.claimRuns(owner: "c\(claimer)", until: Fixture.at(1000), now: Fixture.at(201), limit: 7,
                                                              taskQueues: [TaskQueue.defaultName], excluding: [])
                        if batch.isEmpty { return mine }
                        mine += batch
                    }
                }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(claims.count == runs, "every run claimed once: \(claims.count) claims")
        #expect(Set(claims).count == runs)
    }
}
