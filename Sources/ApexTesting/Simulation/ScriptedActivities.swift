import ApexCompiler
import ApexDSL
import ApexEngine
import Foundation

/// The `llm` and `http` calls of one simulated process: each call parks until the simulator
/// releases it, then answers what the scenario's script says for that attempt, the same on
/// every run of the seed. Every call is logged, so that "ran once" is counted, not assumed.
///
/// The script, by step id:
/// - `flaky…`: the first attempt of a visit fails with a retryable `llm.rate_limited` for half
///   of the (script, step visit) pairs; later attempts succeed.
/// - `broken…`: every attempt fails with the non-retryable `llm.invalid_request`.
/// - `hang…`: the first attempt of a visit never answers (the step's timeout ends it).
/// - `agent…`: a multi-turn call of three turns, each released separately, each made durable
///   with a checkpoint; a later attempt resumes after the latest checkpoint it is given.
/// - an `agent` step: a turn (checkpointed), then it suspends for the signal its first tool waits
///   for; resumed with the answer, it checkpoints it and answers with it.
/// - anything else succeeds with `{text: "<step key>#<visit>"}` (an `http` step: that `body`).
final class ScriptedActivities: ActivityExecutor, @unchecked Sendable {
    /// One logged call: which attempt, and for `agent` steps the turn it resumed after.
    struct Call: Hashable, Sendable {
        var runID: String
        var step: String
        var visit: Int
        var attempt: Int
        var resumedAfter: Int?
        /// For `agent` steps: whether the attempt was given an answer (``ActivityRequest/answer``).
        var answered: Bool?
    }

    private let script: UInt64
    private let log: CallLog
    private let lock = NSLock()
    /// Calls waiting for the simulator, by park order; `releasable` is false for a call that
    /// hangs until it is cancelled.
    private var parked: [Int: (continuation: CheckedContinuation<Bool, Never>, releasable: Bool)] = [:]
    private var nextID = 0
    private var dead = false

    init(script: UInt64, log: CallLog) {
        self.script = script
        self.log = log
    }

    /// Calls the simulator can release.
    var parkedCount: Int { lock.withLock { parked.values.filter(\.releasable).count } }
    /// Every waiting call, hanging ones included.
    var waitingCount: Int { lock.withLock { parked.count } }

    /// Lets the releasable call at `index` (in park order) go on.
    func release(at index: Int) {
        let continuation: CheckedContinuation<Bool, Never>? = lock.withLock {
            let ids = parked.filter(\.value.releasable).keys.sorted()
            guard !ids.isEmpty else { return nil }
            return parked.removeValue(forKey: ids[index % ids.count])?.continuation
        }
        continuation?.resume(returning: true)
    }

    /// The process died: every parked call ends, answering nothing anyone will record.
    func die() {
        let all: [CheckedContinuation<Bool, Never>] = lock.withLock {
            dead = true
            defer { parked.removeAll() }
            return parked.values.map(\.continuation)
        }
        for continuation in all { continuation.resume(returning: false) }
    }

    func execute(_ request: ActivityRequest, state: PlanState, secrets: Secrets, progress: ActivityProgress) async -> ActivityResult {
        let id = state.stepID
        let visitScript = SeededRandom.hash(script, "\(request.step)#\(request.visit)")
        if case .agent(let agent) = state.action { return await suspendingAgent(request, signal: agent.signals.first?.name, progress: progress) }
        if id.hasPrefix("agent") { return await agent(request, progress: progress) }
        log.record(Call(runID: request.runID, step: request.step, visit: request.visit, attempt: request.attempt))
        if id.hasPrefix("hang"), request.attempt == 1 {
            _ = await park(releasable: false)
            return .failed(RunError(type: "cancelled", message: "the call was cancelled"), retryAfter: nil)
        }
        guard await park() else { return Self.abandoned }
        if id.hasPrefix("flaky"), request.attempt == 1, visitScript % 2 == 0 {
            return .failed(RunError(type: "llm.rate_limited", message: "scripted rate limit"), retryAfter: nil)
        }
        if id.hasPrefix("broken") {
            return .failed(RunError(type: "llm.invalid_request", message: "scripted refusal"), retryAfter: nil)
        }
        let answer = JSONValue.string("\(request.step)#\(request.visit)")
        switch request.kind {
        case .http: return .completed(output: ["status": 200, "headers": [:], "body": answer], usage: nil)
        default: return .completed(output: ["text": answer, "data": .null], usage: nil)
        }
    }

    /// Three turns, each checkpointed; resumes after the checkpoint the attempt is given.
    private func agent(_ request: ActivityRequest, progress: ActivityProgress) async -> ActivityResult {
        let done = request.checkpoint?["turn"]?.numberValue.map { Int($0) } ?? 0
        log.record(Call(runID: request.runID, step: request.step, visit: request.visit, attempt: request.attempt, resumedAfter: done))
        for turn in stride(from: done + 1, through: 3, by: 1) {
            guard await park() else { return Self.abandoned }
            do { try await progress.checkpoint(["turn": .int(turn)]) } catch { return Self.abandoned }
        }
        return .completed(output: ["text": .string("\(request.step)#\(request.visit): 3 turns"), "data": .null], usage: nil)
    }

    /// A turn, a suspension for `signal`, then the answer made durable and returned.
    private func suspendingAgent(_ request: ActivityRequest, signal: String?, progress: ActivityProgress) async -> ActivityResult {
        log.record(Call(runID: request.runID, step: request.step, visit: request.visit, attempt: request.attempt, answered: request.answer != nil))
        var checkpoint = request.checkpoint ?? [:]
        if checkpoint["stage"] == nil {
            guard await park() else { return Self.abandoned }
            checkpoint = ["stage": "asked"]
            do { try await progress.checkpoint(checkpoint) } catch { return Self.abandoned }
        }
        if checkpoint["stage"] == "asked", let signal {
            // Without an answer (the process died before the suspension was recorded), ask again.
            guard let answer = request.answer else { return .suspended(signal: signal, timeout: nil) }
            checkpoint = ["stage": "answered", "answer": answer["payload"] ?? .null]
            do { try await progress.checkpoint(checkpoint) } catch { return Self.abandoned }
        }
        guard await park() else { return Self.abandoned }
        let answer = checkpoint["answer"]?.compactJSON ?? "none"
        return .completed(output: ["text": .string("\(request.step)#\(request.visit): \(answer)"), "data": .null], usage: nil)
    }

    private static let abandoned = ActivityResult.failed(RunError(type: "cancelled", message: "the call was abandoned"), retryAfter: nil)

    /// Waits for a release (true) or the task's cancellation or the process's death (false).
    private func park(releasable: Bool = true) async -> Bool {
        let id = lock.withLock { () -> Int in
            nextID += 1
            return nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                lock.lock()
                if dead || Task.isCancelled {
                    lock.unlock()
                    return continuation.resume(returning: false)
                }
                parked[id] = (continuation, releasable)
                lock.unlock()
            }
        } onCancel: {
            let continuation = lock.withLock { parked.removeValue(forKey: id)?.continuation }
            continuation?.resume(returning: false)
        }
    }
}

/// Every call the scripted activities of all processes of a scenario made.
final class CallLog: @unchecked Sendable {
    private let lock = NSLock()
    private var calls: [ScriptedActivities.Call] = []

    func record(_ call: ScriptedActivities.Call) { lock.withLock { calls.append(call) } }
    var all: [ScriptedActivities.Call] { lock.withLock { calls } }
}
