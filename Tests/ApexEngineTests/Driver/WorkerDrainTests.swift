import ApexCompiler
import ApexDSL
import ApexTesting
import Foundation
import Testing

@testable import ApexEngine

/// `Engine.runWorker` draining on stop, bounding attempts in flight and serving its queues, on
/// the system clock with short waits.
@Suite struct WorkerDrainTests {
    /// Runs every llm attempt until the test opens its gate (or the attempt is cancelled), and
    /// counts calls per step and the most attempts in flight at once.
    final class GatedExecutor: ActivityExecutor, @unchecked Sendable {
        private let lock = NSLock()
        private var open = false
        private var inFlight = 0
        private var peak = 0
        private var called: [String: Int] = [:]

        var mostInFlight: Int { lock.withLock { peak } }
        var running: Int { lock.withLock { inFlight } }
        func calls(_ step: String) -> Int { lock.withLock { called[step, default: 0] } }
        func openGate() { lock.withLock { open = true } }

        func missingRequirements(plan: Plan, pins: RunPins) -> [String] { [] }

        func execute(_ request: ActivityRequest, state: PlanState, secrets: Secrets, progress: ActivityProgress) async -> ActivityResult {
            lock.withLock {
                called[request.step, default: 0] += 1
                inFlight += 1
                peak = max(peak, inFlight)
            }
            defer { lock.withLock { inFlight -= 1 } }
            while !lock.withLock({ open }) {
                guard (try? await Task.sleep(for: .milliseconds(5))) != nil else {
                    return .failed(RunError(type: "cancelled", message: "cancelled"), retryAfter: nil)
                }
            }
            return .completed(output: ["step": .string(request.step)], usage: nil)
        }
    }

    static let twoSteps = """
        apex: 1
        name: two
        steps:
          - id: first
            llm: {provider: openai, model: m, prompt: one}
          - id: second
            llm: {provider: openai, model: m, prompt: two}
        """

    static func start(_ source: String, on engine: Engine, queue: String? = nil) async throws -> String {
        let plan = try Compiler.compile(WorkflowValidator.validate(data: Data(source.utf8), path: "w.yaml"))
        return try await engine.start(WorkflowDefinition(plan: plan, source: source, path: "w.yaml"), input: [:], taskQueue: queue).runID
    }

    static func engine(_ store: InMemoryRunStore, _ executor: GatedExecutor, id: String, maxActivities: Int? = nil) -> Engine {
        Engine(store: store, executor: executor, configuration: EngineConfiguration(workerID: id, pollInterval: Duration(milliseconds: 20), maxActivities: maxActivities))
    }

    static func eventually(_ condition: () async throws -> Bool) async throws {
        for _ in 0..<400 where !(try await condition()) { try await Task.sleep(for: .milliseconds(10)) }
        #expect(try await condition())
    }

    @Test func aDrainingWorkerFinishesItsAttemptStartsNoOtherAndHandsTheRunOverAtOnce() async throws {
        let store = InMemoryRunStore()
        let executor = GatedExecutor()
        let old = Self.engine(store, executor, id: "old")
        let runID = try await Self.start(Self.twoSteps, on: old)
        let stop = AtomicFlag()
        let worker = Task { await old.runWorker(Engine.WorkerOptions(maxRuns: 4, pollInterval: Duration(milliseconds: 10)), isStopped: { stop.isSet }) }
        try await Self.eventually { executor.running == 1 }

        stop.set()
        try await Task.sleep(for: .milliseconds(100))
        executor.openGate()
        await worker.value

        let types = try await store.events(runID: runID, after: 0).map(\.kind.type)
        #expect(types.filter { $0 == "StepStarted" }.count == 1, "\(types)")
        #expect(types.contains("StepCompleted"))
        // Handed over: another worker claims it now, not after the lease (5 s) expires.
        let now = SystemClock().now()
        #expect(try await store.claimRuns(owner: "new", until: now.adding(.seconds(5)), now: now, limit: 10,
                                          taskQueues: [TaskQueue.defaultName], excluding: []) == [runID])
        let new = Self.engine(store, executor, id: "new")
        guard case .finished(let record) = try await new.drive(runID: runID) else { Issue.record("not finished"); return }
        #expect(record.status == .completed)
        #expect(executor.calls("first") == 1 && executor.calls("second") == 1)
    }

    @Test func attemptsStillRunningAtTheDrainTimeoutAreCancelledAndTheirRunsHandedOver() async throws {
        let store = InMemoryRunStore()
        let executor = GatedExecutor()
        let old = Self.engine(store, executor, id: "old")
        let runID = try await Self.start(Self.twoSteps, on: old)
        let stop = AtomicFlag()
        let options = Engine.WorkerOptions(maxRuns: 4, pollInterval: Duration(milliseconds: 10), drainTimeout: Duration(milliseconds: 150))
        let worker = Task { await old.runWorker(options, isStopped: { stop.isSet }) }
        try await Self.eventually { executor.running == 1 }
        stop.set()
        await worker.value
        #expect(executor.running == 0)

        let now = SystemClock().now()
        #expect(try await store.claimRuns(owner: "new", until: now.adding(.seconds(5)), now: now, limit: 10,
                                          taskQueues: [TaskQueue.defaultName], excluding: []) == [runID])
        executor.openGate()
        let new = Self.engine(store, executor, id: "new")
        guard case .finished(let record) = try await new.drive(runID: runID) else { Issue.record("not finished"); return }
        #expect(record.status == .completed)
        // The cancelled attempt is recorded as lost and retried, as after a crash.
        let failures = try await store.events(runID: runID, after: 0).compactMap { event -> String? in
            if case .stepFailed(_, _, _, let error, _) = event.kind { return error.type }
            return nil
        }
        #expect(failures == ["worker.lost"])
    }

    @Test func concurrencyBoundsTheAttemptsInFlight() async throws {
        let store = InMemoryRunStore()
        let executor = GatedExecutor()
        let engine = Self.engine(store, executor, id: "w", maxActivities: 2)
        var runs: [String] = []
        for _ in 0..<6 { runs.append(try await Self.start(Self.twoSteps, on: engine)) }
        let stop = AtomicFlag()
        let worker = Task { await engine.runWorker(Engine.WorkerOptions(maxRuns: 10, pollInterval: Duration(milliseconds: 10)), isStopped: { stop.isSet }) }
        try await Self.eventually { executor.running == 2 }
        try await Task.sleep(for: .milliseconds(100))
        executor.openGate()
        try await Self.eventually { try await store.runs(RunFilter(status: .completed)).count == 6 }
        stop.set()
        await worker.value
        #expect(executor.mostInFlight == 2)
    }

    @Test func aWorkerClaimsOnlyTheRunsOfItsQueues() async throws {
        let store = InMemoryRunStore()
        let executor = GatedExecutor()
        executor.openGate()
        let engine = Self.engine(store, executor, id: "w")
        let gpu = try await Self.start(Self.twoSteps, on: engine, queue: "gpu")
        let plain = try await Self.start(Self.twoSteps, on: engine)
        let stop = AtomicFlag()
        let worker = Task { await engine.runWorker(Engine.WorkerOptions(maxRuns: 10, taskQueues: ["gpu"], pollInterval: Duration(milliseconds: 10)), isStopped: { stop.isSet }) }
        try await Self.eventually { try await store.run(id: gpu)?.status == .completed }
        try await Task.sleep(for: .milliseconds(100))
        stop.set()
        await worker.value
        #expect(try await store.run(id: plain)?.status == .running)
        #expect(try await store.run(id: gpu)?.taskQueue == "gpu")
        #expect(try await store.run(id: plain)?.taskQueue == TaskQueue.defaultName)
    }

    @Test func aDetachedRunThatOnlyWaitsIsClaimedOnceNotAgainAndAgain() async throws {
        let store = CountingRunStore(InMemoryRunStore())
        let executor = GatedExecutor()
        let engine = Engine(store: store, executor: executor, configuration: EngineConfiguration(workerID: "w", pollInterval: Duration(milliseconds: 20)))
        let source = "apex: 1\nname: gate\nsteps:\n  - id: gate\n    wait: {signal: go}\n"
        let plan = try Compiler.compile(WorkflowValidator.validate(data: Data(source.utf8), path: "gate.yaml"))
        let runID = try await engine.start(WorkflowDefinition(plan: plan, source: source, path: "gate.yaml"), input: [:]).runID
        let stop = AtomicFlag()
        let worker = Task { await engine.runWorker(Engine.WorkerOptions(maxRuns: 4, pollInterval: Duration(milliseconds: 10)), isStopped: { stop.isSet }) }
        try await Task.sleep(for: .milliseconds(500))
        // Claimed once (its pins read, its history loaded); its driver's empty append told the
        // store it had seen everything. Before, it was claimed at every poll: about 50 times.
        #expect(store.eventsCalls <= 2, "history read \(store.eventsCalls) times in 0.5 s")
        _ = try await engine.signal(runID: runID, name: "go", payload: .null)
        try await Self.eventually { try await store.run(id: runID)?.status == .completed }
        stop.set()
        await worker.value
    }
}
