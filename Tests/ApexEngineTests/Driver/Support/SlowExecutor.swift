import ApexCompiler
import ApexEngine
import Foundation

/// An executor whose attempts take `seconds` (nil: until their task is cancelled), as a long
/// LLM call does. It tells `events` when an attempt starts and how it ends.
struct SlowExecutor: ActivityExecutor {
    enum Happening: Sendable, Hashable {
        case started(step: String)
        case cancelled(step: String)
        case completed(step: String)
    }

    var seconds: Double?
    var events: AsyncStream<Happening>.Continuation?

    func execute(_ request: ActivityRequest, state: PlanState, secrets: Secrets, progress: ActivityProgress) async -> ActivityResult {
        events?.yield(.started(step: request.step))
        // An hour stands for "until cancelled": the sleep ends early when the task is.
        try? await Task.sleep(nanoseconds: UInt64((seconds ?? 3600) * 1_000_000_000))
        if Task.isCancelled {
            events?.yield(.cancelled(step: request.step))
            return .failed(RunError(type: "cancelled", message: "the attempt was cancelled"), retryAfter: nil)
        }
        events?.yield(.completed(step: request.step))
        return .completed(output: "done", usage: nil)
    }
}
