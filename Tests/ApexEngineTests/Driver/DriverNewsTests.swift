import ApexCompiler
import ApexDSL
import ApexTesting
import Foundation
import Testing

@testable import ApexEngine

/// How drivers learn of signals and cancellations: at once when they are sent through the
/// driving engine, from the engine's one watcher (one store query per poll interval for all
/// of its drivers) when they come from another process, never by each driver polling.
@Suite struct DriverNewsTests {
    static let approval = """
        apex: 1
        name: approval
        steps:
          - id: approval
            wait:
              signal: approve
              schema: {type: object, required: [approved], properties: {approved: {type: boolean}}}
          - id: done
            set: {approved: "${{ steps.approval.output.approved }}"}
        output: ${{ steps.done.output.approved }}
        """

    static let long = """
        apex: 1
        name: long
        llm: {provider: mock, model: m}
        steps:
          - id: think
            llm: {prompt: "think hard"}
        """

    /// Generous: only there to fail instead of hanging.
    static let limit = 120.0

    static func plan(_ source: String) throws -> Plan {
        try Compiler.compile(WorkflowValidator.validate(data: Data(source.utf8), path: "test.yaml"))
    }

    static func engine(_ store: any RunStore, worker: String, poll: ApexDSL.Duration, executor: SlowExecutor = SlowExecutor()) -> Engine {
        Engine(store: store, executor: executor, configuration: EngineConfiguration(workerID: worker, pollInterval: poll))
    }

    static func start(_ source: String, on engine: Engine) async throws -> String {
        try await engine.start(plan: plan(source), source: source, path: "test.yaml", input: [:]).runID
    }

    /// Tells a stream when the driver has loaded the run (after registering with its engine's
    /// watcher and making its first decisions).
    struct LoadedObserver: RunObserver {
        let loaded: AsyncStream<Void>.Continuation
        func loaded(_ events: [Event], machine: RunMachine) { loaded.yield() }
        func committed(_ events: [Event], machine: RunMachine) {}
    }

    /// Starts driving `runID` on `engine` and returns once the driver has loaded it.
    static func driveInBackground(_ runID: String, on engine: Engine) async throws -> Task<RunDriver.Outcome, any Error> {
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        let driving = Task { try await engine.drive(runID: runID, observer: LoadedObserver(loaded: continuation)) }
        _ = try await next(of: stream, within: limit, "loading the run")
        return driving
    }

    static func finished(_ driving: Task<RunDriver.Outcome, any Error>) async throws -> RunRecord {
        let outcome = try await withTimeLimit(seconds: limit, "driving the run") { try await driving.value }
        guard case .finished(let record) = outcome else { throw TimedOut(seconds: limit, what: "finishing the run") }
        return record
    }

    @Test func aSignalSentThroughTheDrivingEngineIsConsumedWithoutWaitingForAPoll() async throws {
        // No poll would come before the time limit: only the engine's own wake-up can end it.
        let engine = Self.engine(InMemoryRunStore(), worker: "a", poll: .seconds(3600))
        let runID = try await Self.start(Self.approval, on: engine)
        let driving = try await Self.driveInBackground(runID, on: engine)

        _ = try await engine.signal(runID: runID, name: "approve", payload: ["approved": true])
        let record = try await Self.finished(driving)
        #expect(record.status == .completed)
        #expect(record.output == true)
        #expect(!engine.news.isPolling)
    }

    @Test func aCancellationSentThroughTheDrivingEngineCancelsTheCallWithoutWaitingForAPoll() async throws {
        let (happenings, continuation) = AsyncStream<SlowExecutor.Happening>.makeStream()
        let engine = Self.engine(InMemoryRunStore(), worker: "a", poll: .seconds(3600), executor: SlowExecutor(events: continuation))
        let runID = try await Self.start(Self.long, on: engine)
        let driving = Task { try await engine.drive(runID: runID) }
        #expect(try await next(of: happenings, within: Self.limit, "starting the call") == .started(step: "think"))

        try await engine.cancel(runID: runID, reason: "test")
        #expect(try await Self.finished(driving).status == .cancelled)
        #expect(try await next(of: happenings, within: Self.limit, "cancelling the call") == .cancelled(step: "think"))
    }

    @Test func aSignalSentThroughAnotherEngineReachesTheDriverAtItsEnginesNextPoll() async throws {
        let store = InMemoryRunStore()
        let driver = Self.engine(store, worker: "a", poll: Duration(milliseconds: 20))
        let other = Self.engine(store, worker: "b", poll: Duration(milliseconds: 20))
        let runID = try await Self.start(Self.approval, on: driver)
        let driving = try await Self.driveInBackground(runID, on: driver)

        _ = try await other.signal(runID: runID, name: "approve", payload: ["approved": false])
        let record = try await Self.finished(driving)
        #expect(record.status == .completed)
        #expect(record.output == false)
    }

    @Test func aCancellationSentThroughAnotherEngineCancelsALongCall() async throws {
        let store = InMemoryRunStore()
        let (happenings, continuation) = AsyncStream<SlowExecutor.Happening>.makeStream()
        let driver = Self.engine(store, worker: "a", poll: Duration(milliseconds: 20), executor: SlowExecutor(events: continuation))
        let other = Self.engine(store, worker: "b", poll: Duration(milliseconds: 20))
        let runID = try await Self.start(Self.long, on: driver)
        let driving = Task { try await driver.drive(runID: runID) }
        #expect(try await next(of: happenings, within: Self.limit, "starting the call") == .started(step: "think"))

        try await other.cancel(runID: runID, reason: "from elsewhere")
        #expect(try await Self.finished(driving).status == .cancelled)
        #expect(try await next(of: happenings, within: Self.limit, "cancelling the call") == .cancelled(step: "think"))
    }

    @Test func storeReadsForNewsDoNotGrowWithTheNumberOfDrivenRuns() async throws {
        let runs = 50, interval = 0.05
        let store = CountingRunStore(InMemoryRunStore())
        let engine = Self.engine(store, worker: "a", poll: Duration(milliseconds: 50), executor: SlowExecutor(seconds: 1))
        var started: [String] = []
        for _ in 0..<runs { started.append(try await Self.start(Self.long, on: engine)) }
        let ids = started

        let began = Date()
        let statuses = try await withTimeLimit(seconds: Self.limit, "driving \(runs) runs") {
            try await withThrowingTaskGroup(of: RunStatus?.self) { group in
                for id in ids {
                    group.addTask {
                        guard case .finished(let record) = try await engine.drive(runID: id) else { return nil }
                        return record.status
                    }
                }
                return try await group.reduce(into: [RunStatus?]()) { $0.append($1) }
            }
        }
        let elapsed = Date().timeIntervalSince(began)
        #expect(statuses == Array(repeating: .completed, count: runs))

        // Each driver reads its history once when it loads it, and at most once more if the
        // watcher reported the fresh run before the driver's first append. Polling per driver
        // would have read it about runs × (1 s / 50 ms) = 1,000 times.
        #expect(store.eventsCalls <= 2 * runs, "\(store.eventsCalls) reads of histories")
        // One query per interval for all of them, however many they are (each poll sleeps a
        // whole interval first).
        #expect(store.runsWithNewsCalls <= Int(elapsed / interval) + 2, "\(store.runsWithNewsCalls) news queries in \(elapsed) s")
        #expect(!engine.news.isPolling)
    }

    @Test func aWorkerReleasesAWaitingRunAndTheWatcherStops() async throws {
        let engine = Self.engine(InMemoryRunStore(), worker: "a", poll: Duration(milliseconds: 20))
        let runID = try await Self.start(Self.approval, on: engine)
        guard case .waiting = try await engine.drive(runID: runID, untilFinished: false) else {
            Issue.record("the run does not wait")
            return
        }
        #expect(!engine.news.isWatching(runID))
        #expect(!engine.news.isPolling)
    }

    @Test func aDriverThatThrowsUnregisters() async throws {
        let store = InMemoryRunStore()
        let engine = Self.engine(store, worker: "a", poll: Duration(milliseconds: 20))
        let plan = try Self.plan(Self.approval)
        try await store.saveDefinition(StoredDefinition(hash: plan.definitionHash, workflow: plan.workflowName, source: Self.approval, path: "test.yaml"))
        // A history whose recorded decision is not what deciding gives: replay refuses it,
        // after the driver registered.
        let at = Timestamp(milliseconds: 1_795_000_000_000)
        let record = RunRecord(id: "bad", workflow: plan.workflowName, definitionHash: plan.definitionHash, input: [:], startedAt: at)
        let events = [
            Event(seq: 1, at: at, kind: .runStarted(workflow: plan.workflowName, definitionHash: plan.definitionHash, input: [:], startedAt: at)),
            Event(seq: 2, at: at, kind: .stepScheduled(step: "elsewhere", visit: 1, attempt: 1, kind: "llm")),
        ]
        #expect(try await store.createRun(record, events: events, update: RunUpdate(status: .running)) == .created)

        await #expect(throws: (any Error).self) { try await engine.drive(runID: "bad") }
        #expect(!engine.news.isWatching("bad"))
        #expect(!engine.news.isPolling)
    }
}

/// The watcher on its own: it wakes a registered driver once per new last seq, polls only
/// while someone is registered, and is woken at once for news sent through its engine.
@Suite struct NewsWatcherTests {
    final class Wakes: @unchecked Sendable {
        // A lock guards the count (wakes come from the watcher's task).
        private let lock = NSLock()
        private var value = 0
        var count: Int { lock.withLock { value } }
        func add() { lock.withLock { value += 1 } }
    }

    /// Waits until `condition` holds, checking every 10 ms, for at most `seconds`.
    static func eventually(within seconds: Double = 120, _ condition: () -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            guard Date() < deadline else { return false }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        return true
    }

    @Test func wakesADriverOncePerNewSeqWhileItIsRegistered() async throws {
        let store = InMemoryRunStore()
        let engine = DriverNewsTests.engine(store, worker: "w", poll: .seconds(3600))
        let runID = try await DriverNewsTests.start(DriverNewsTests.approval, on: engine)
        let lastSeq = try #require(try await store.run(id: runID)).lastSeq
        #expect(try await store.acquireLease(runID: runID, owner: "w", until: Timestamp(milliseconds: .max), now: Timestamp(milliseconds: 0)))

        let watcher = NewsWatcher(store: store, clock: SystemClock(), owner: "w", interval: Duration(milliseconds: 10), leaseDuration: .seconds(5))
        #expect(!watcher.isPolling)
        let wakes = Wakes()
        let registration = watcher.register(runID: runID) { wakes.add() }
        #expect(watcher.isPolling)

        // A fresh run needs attention until its driver appends: reported once, not at every poll.
        #expect(try await Self.eventually { wakes.count == 1 })
        try await Task.sleep(nanoseconds: 100_000_000)
        #expect(wakes.count == 1)

        let signal = try await store.appendExternal(runID: runID, kind: .signalReceived(name: "approve", payload: true, signalID: "s1"),
                                                    at: Timestamp(milliseconds: 1))
        #expect(signal.seq == lastSeq + 1)
        #expect(try await Self.eventually { wakes.count == 2 })
        try await Task.sleep(nanoseconds: 100_000_000)
        #expect(wakes.count == 2)

        // Told by its engine: at once, and only for a seq it has not been woken for.
        watcher.notify(runID: runID, seq: signal.seq)
        #expect(wakes.count == 2)
        watcher.notify(runID: runID, seq: signal.seq + 1)
        #expect(wakes.count == 3)
        watcher.notify(runID: "someone-else", seq: 99)
        #expect(wakes.count == 3)

        watcher.unregister(registration)
        #expect(!watcher.isPolling)
        #expect(!watcher.isWatching(runID))
        watcher.notify(runID: runID, seq: signal.seq + 2)
        #expect(wakes.count == 3)
    }

    @Test func twoDriversOfOneRunAreBothWokenAndPollingGoesOnUntilTheLastLeaves() async throws {
        let watcher = NewsWatcher(store: InMemoryRunStore(), clock: SystemClock(), owner: "w", interval: .seconds(3600), leaseDuration: .seconds(5))
        let first = Wakes(), second = Wakes()
        let one = watcher.register(runID: "r") { first.add() }
        let two = watcher.register(runID: "r") { second.add() }
        watcher.notify(runID: "r", seq: 5)
        #expect((first.count, second.count) == (1, 1))

        watcher.unregister(one)
        #expect(watcher.isPolling)
        #expect(watcher.isWatching("r"))
        watcher.notify(runID: "r", seq: 6)
        #expect((first.count, second.count) == (1, 2))

        watcher.unregister(two)
        #expect(!watcher.isPolling)
        // A later registration starts polling again.
        let three = watcher.register(runID: "s") {}
        #expect(watcher.isPolling)
        watcher.unregister(three)
        #expect(!watcher.isPolling)
    }
}
