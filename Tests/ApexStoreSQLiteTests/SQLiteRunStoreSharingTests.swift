import ApexDSL
import ApexEngine
import ApexStoreSQLite
import Testing

/// One file, opened again or opened twice at once, as `apex run` and `apex signal` do from two
/// processes: every write is seen and the seq and lease checks hold across instances.
@Suite struct SQLiteRunStoreSharingTests {
    static let start = Timestamp(milliseconds: 1_795_000_000_000)
    static let input: JSONValue = ["ticket": "printer on fire"]

    static func at(_ seconds: Int64) -> Timestamp { Timestamp(milliseconds: start.milliseconds + seconds * 1000) }

    static func createRun(_ id: String, in store: SQLiteRunStore) async throws {
        let record = RunRecord(id: id, workflow: "triage", definitionHash: "sha256-x", input: input, startedAt: start)
        let started = Event(seq: 1, at: start, kind: .runStarted(workflow: "triage", definitionHash: "sha256-x", input: input, startedAt: start))
        #expect(try await store.createRun(record, events: [started], update: RunUpdate(status: .running)) == .created)
    }

    @Test func reopeningTheFileKeepsEverything() async throws {
        try await TemporaryFolder.with { folder in
            let definition = StoredDefinition(hash: "sha256-x", workflow: "triage", source: "apex: 1\n", path: "triage.yaml")
            do {
                let store = try SQLiteRunStore(path: folder.path())
                try await store.saveDefinition(definition)
                try await Self.createRun("r1", in: store)
                try await store.append(runID: "r1", events: [Event(seq: 2, at: Self.at(1), kind: .timerStarted(timer: "t", fireAt: Self.at(60)))],
                                       expectedLastSeq: 1, update: RunUpdate(status: .running, currentStep: "pause", wakeAt: Self.at(60)))
                #expect(try await store.acquireLease(runID: "r1", owner: "driver", until: Self.at(30), now: Self.at(1)))
            }

            let reopened = try SQLiteRunStore(path: folder.path())
            #expect(try await reopened.definition(hash: "sha256-x") == definition)
            let run = try #require(try await reopened.run(id: "r1"))
            #expect(run.lastSeq == 2)
            #expect(run.currentStep == "pause")
            #expect(try await reopened.events(runID: "r1", after: 0).map(\.kind.type) == ["RunStarted", "TimerStarted"])
            #expect(try await reopened.acquireLease(runID: "r1", owner: "other", until: Self.at(40), now: Self.at(10)) == false)
            #expect(try await reopened.claimRuns(owner: "other", until: Self.at(90), now: Self.at(59), limit: 10,
                                                 taskQueues: [TaskQueue.defaultName], excluding: []) == ["r1"])
        }
    }

    @Test func twoStoresOnOneFileSeeEachOthersWritesAndConflicts() async throws {
        try await TemporaryFolder.with { folder in
            let driver = try SQLiteRunStore(path: folder.path())
            let signaller = try SQLiteRunStore(path: folder.path())
            try await Self.createRun("r1", in: driver)
            #expect(try await signaller.run(id: "r1")?.lastSeq == 1)

            let signal = try await signaller.appendExternal(
                runID: "r1", kind: .signalReceived(name: "approve", payload: true, signalID: "s1"), at: Self.at(2))
            #expect(signal.seq == 2)
            #expect(try await driver.events(runID: "r1", after: 1) == [signal])
            await #expect(throws: StoreError.conflict(runID: "r1", lastSeq: 1)) {
                try await driver.append(runID: "r1", events: [Event(seq: 2, at: Self.at(3), kind: .runCancelled)],
                                        expectedLastSeq: 1, update: RunUpdate(status: .cancelled))
            }

            #expect(try await signaller.acquireLease(runID: "r1", owner: "worker", until: Self.at(30), now: Self.at(3)))
            #expect(try await driver.acquireLease(runID: "r1", owner: "driver", until: Self.at(30), now: Self.at(4)) == false)
        }
    }

    @Test func twoStoresAppendingAtOnceHaveOneWinnerPerSeq() async throws {
        try await TemporaryFolder.with { folder in
            let stores = [try SQLiteRunStore(path: folder.path()), try SQLiteRunStore(path: folder.path())]
            try await Self.createRun("r1", in: stores[0])
            let perStore = 25
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, store) in stores.enumerated() {
                    group.addTask {
                        var written = 0
                        while written < perStore {
                            let lastSeq = try #require(try await store.run(id: "r1")).lastSeq
                            let event = Event(seq: lastSeq + 1, at: Self.at(1), kind: .stepSkipped(step: "s\(index)-\(written)", visit: 1))
                            do {
                                try await store.append(runID: "r1", events: [event], expectedLastSeq: lastSeq, update: RunUpdate(status: .running))
                                written += 1
                            } catch StoreError.conflict {}
                        }
                    }
                }
                try await group.waitForAll()
            }
            let events = try await stores[1].events(runID: "r1", after: 0)
            #expect(events.map(\.seq) == Array(1...(1 + 2 * perStore)))
        }
    }

    @Test func twoStoresRegisteringAtOnceNumberEachHashOnce() async throws {
        try await TemporaryFolder.with { folder in
            let stores = [try SQLiteRunStore(path: folder.path()), try SQLiteRunStore(path: folder.path())]
            let hashes = (1...10).map { "sha256-\($0)" }
            let results = try await withThrowingTaskGroup(of: RegisteredWorkflow.self) { group in
                for (index, store) in stores.enumerated() {
                    for hash in index == 0 ? hashes : hashes.reversed() {
                        group.addTask { try await store.registerWorkflow(name: "triage", hash: hash, at: Self.at(1)) }
                    }
                }
                return try await group.reduce(into: [RegisteredWorkflow]()) { $0.append($1) }
            }
            let versions = Dictionary(grouping: results, by: \.hash).mapValues { Set($0.map(\.version)) }
            #expect(versions.values.allSatisfy { $0.count == 1 }, "\(versions)")
            #expect(Set(versions.values.compactMap(\.first)) == Set(1...hashes.count))
            #expect(try await stores[1].registeredVersions(name: "triage").map(\.version) == Array((1...hashes.count).reversed()))
        }
    }
}
