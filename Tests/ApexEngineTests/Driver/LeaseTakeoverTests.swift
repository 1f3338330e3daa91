import ApexDSL
import Foundation
import ApexTesting
import Testing

@testable import ApexEngine

/// A driver that must wait for another owner's lease takes it over at once when the
/// configuration knows that owner is gone (a local process that has exited), and otherwise
/// waits for the lease to expire, as before.
@Suite(.timeLimit(.minutes(1))) struct LeaseTakeoverTests {
    /// An engine whose leases last an hour: a driver that waited for one would hit the time limit.
    static func engine(_ store: any RunStore, worker: String, lease: ApexDSL.Duration = .seconds(3600),
                       gone: @escaping @Sendable (String) -> Bool) -> Engine {
        var configuration = EngineConfiguration(workerID: worker, leaseDuration: lease)
        configuration.isLeaseOwnerGone = gone
        return Engine(store: store, executor: SlowExecutor(), configuration: configuration)
    }

    /// A signalled run of the approval workflow whose lease `owner` holds for an hour.
    static func heldRun(_ store: any RunStore, owner: String) async throws -> String {
        let starter = engine(store, worker: owner) { _ in false }
        let runID = try await DriverNewsTests.start(DriverNewsTests.approval, on: starter)
        _ = try await starter.signal(runID: runID, name: "approve", payload: ["approved": true])
        let now = Timestamp(Date())
        #expect(try await store.acquireLease(runID: runID, owner: owner, until: now.adding(.seconds(3600)), now: now))
        return runID
    }

    @Test func aGoneOwnersLeaseIsTakenOverAtOnce() async throws {
        let store = InMemoryRunStore()
        let runID = try await Self.heldRun(store, owner: "host:123/ghost")
        let engine = Self.engine(store, worker: "resumer") { $0 == "host:123/ghost" }
        guard case .finished(let record) = try await engine.drive(runID: runID) else {
            Issue.record("the run did not finish")
            return
        }
        #expect(record.status == .completed)
        #expect(try await store.leaseHolder(runID: runID) == nil)
    }

    @Test func noFinishedRunKeepsALease() async throws {
        let store = InMemoryRunStore()
        let engine = Self.engine(store, worker: "driver") { _ in false }
        // Finished by its driver's last append, and finished before a driver came.
        let signalled = try await Self.heldRun(store, owner: "driver")
        let done = "apex: 1\nname: done\nsteps:\n  - id: only\n    set: {x: 1}\n"
        let finished = try await DriverNewsTests.start(done, on: engine)
        for runID in [signalled, finished] {
            guard case .finished(let record) = try await engine.drive(runID: runID) else {
                Issue.record("run \(runID) did not finish")
                continue
            }
            #expect(record.status == .completed)
            #expect(try await store.leaseHolder(runID: runID) == nil)
        }
    }

    @Test func aLiveOwnersLeaseIsNotTaken() async throws {
        let store = InMemoryRunStore()
        let runID = try await Self.heldRun(store, owner: "host:456/alive")
        // Only some other owner is gone: this one's lease stands, and the driver gives up after
        // waiting one lease of its own (0.2 s) and a second.
        let engine = Self.engine(store, worker: "resumer", lease: ApexDSL.Duration(milliseconds: 200)) { $0 == "host:123/ghost" }
        await #expect(throws: EngineError.runBusy(runID: runID)) { try await engine.drive(runID: runID) }
        #expect(try await store.leaseHolder(runID: runID) == "host:456/alive")
        #expect(try await store.events(runID: runID, after: 0).contains { $0.kind.type == "RunCompleted" } == false)
    }
}

/// A driver whose lease lapsed while it was paused, and whose run another process took over,
/// may still be woken by news (a signal sent through its own engine). What it then reads was
/// committed by the other driver: it stops, as it does when an append conflicts, instead of
/// acting on attempts it no longer owns. Found by simulation seed 2244 (tools.yaml): the old
/// driver applied the new driver's events, cancelled its own attempt, and failed with
/// `APEX-R002` committing that attempt's result.
@Suite(.timeLimit(.minutes(1))) struct LostRunNewsTests {
    static let workflow = """
        apex: 1
        name: taken
        llm: {provider: mock, model: m}
        steps:
          - id: think
            llm: {prompt: "think hard"}
            retry: {max_attempts: 3, initial_interval: 100ms, jitter: 0}
          - id: approval
            wait: {signal: approve}
          - id: later
            wait: {signal: later}
        """

    @Test func aDriverWokenByNewsOfARunTakenOverStops() async throws {
        let store = InMemoryRunStore()
        let (happenings, continuation) = AsyncStream<SlowExecutor.Happening>.makeStream()
        let first = DriverNewsTests.engine(store, worker: "a", poll: .seconds(3600), executor: SlowExecutor(events: continuation))
        let second = DriverNewsTests.engine(store, worker: "b", poll: .seconds(3600), executor: SlowExecutor(seconds: 0))
        let runID = try await DriverNewsTests.start(Self.workflow, on: first)
        let driving = Task { try await first.drive(runID: runID) }
        #expect(try await next(of: happenings, within: DriverNewsTests.limit, "starting the call") == .started(step: "think"))

        // The first driver's lease lapses unseen; the second process takes the run over, records
        // the first attempt as lost, makes another and waits for `approve`.
        try await store.releaseLease(runID: runID, owner: "a")
        let taking = try await DriverNewsTests.driveInBackground(runID, on: second)
        try await withTimeLimit(seconds: DriverNewsTests.limit, "the second driver reaching the wait") {
            while try await store.run(id: runID)?.currentStep != "approval" { try await Task.sleep(nanoseconds: 10_000_000) }
        }

        // Nothing waits for `later` yet: the signal leaves the run with nothing to decide.
        _ = try await first.signal(runID: runID, name: "later", payload: .null)
        await #expect(throws: EngineError.runBusy(runID: runID)) {
            try await withTimeLimit(seconds: DriverNewsTests.limit, "the first driver stopping") { try await driving.value }
        }
        let history = try await store.events(runID: runID, after: 0)
        #expect(!history.contains { if case .stepFailed(_, _, _, let error, _) = $0.kind { error.type == "cancelled" } else { false } })

        _ = try await second.signal(runID: runID, name: "approve", payload: .null)
        _ = try await second.signal(runID: runID, name: "later", payload: .null)
        #expect(try await DriverNewsTests.finished(taking).status == .completed)
        let replayed = try Replayer.replay(plan: DriverNewsTests.plan(Self.workflow), runID: runID, events: try await store.events(runID: runID, after: 0))
        #expect(replayed.status == .completed)
    }
}
