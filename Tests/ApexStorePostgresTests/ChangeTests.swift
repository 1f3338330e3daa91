import ApexEngine
import ApexStorePostgres
import ApexTesting
import Testing

@Suite(.enabled(if: TestServer.isConfigured, TestServer.disabledReason))
struct ChangeTests {
    @Test func changesFromAnotherStoreArriveWithinASecond() async throws {
        // A notification sent while the listening connection is down is lost (ChangeHub): no
        // other test may take the server down meanwhile.
        try await TestServerOutages.exclusively { try await Self.everyChangeArrives() }
    }

    static func everyChangeArrives() async throws {
        try await TestDatabase.with { database in
            let listener = await database.store(), writer = await database.store(), elsewhere = await database.store(namespace: "other")
            let changes = ChangeCollector(try #require(listener.changes()))
            try await Self.waitUntilListening(listener)

            // Another namespace's run is not this namespace's change: the next one is ours.
            try await Runs.create("theirs", in: elsewhere)
            try await Runs.create("r1", in: writer, taskQueue: "billing")
            #expect(await changes.next() == StoreChange(kind: .created, runID: "r1", taskQueue: "billing"))

            _ = try await writer.appendExternal(runID: "r1", kind: .cancelRequested(reason: "user"), at: Runs.at(1))
            #expect(await changes.next() == StoreChange(kind: .outsideEvent, runID: "r1", taskQueue: "billing"))

            #expect(try await writer.acquireLease(runID: "r1", owner: "w", until: Runs.at(60), now: Runs.at(2)))
            try await writer.releaseLease(runID: "r1", owner: "w")
            #expect(await changes.next() == StoreChange(kind: .released, runID: "r1", taskQueue: "billing"))
            // A release by someone who does not hold the lease releases nothing and says nothing.
            try await writer.releaseLease(runID: "r1", owner: "w")

            // Every subscriber hears every change.
            let second = ChangeCollector(try #require(listener.changes()))
            try await Runs.create("r2", in: writer)
            let created = StoreChange(kind: .created, runID: "r2", taskQueue: "apex-orchestrator")
            #expect(await changes.next() == created)
            #expect(await second.next() == created)
        }
    }

    static func waitUntilListening(_ store: PostgresRunStore) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !store.isListeningForChanges {
            try #require(ContinuousClock.now < deadline, "the listening connection did not come up")
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// Reads a stream of changes in the background, for tests to take them one by one.
final class ChangeCollector: Sendable {
    private let box = Box()
    private let task: Task<Void, Never>

    init(_ stream: AsyncStream<StoreChange>) {
        let box = self.box
        task = Task { for await change in stream { await box.add(change) } }
    }

    deinit { task.cancel() }

    /// The next change, or nil when none comes within `timeout`.
    func next(within timeout: Duration = .seconds(5)) async -> StoreChange? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let change = await box.take() { return change }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return await box.take()
    }

    private actor Box {
        var changes: [StoreChange] = []
        func add(_ change: StoreChange) { changes.append(change) }
        func take() -> StoreChange? { changes.isEmpty ? nil : changes.removeFirst() }
    }
}
