import ApexCompiler
import ApexDSL
import Foundation

extension Engine {
    /// Runs a `workflow` step: finds the child (``ChildWorkflowResolver``), starts its run and
    /// drives it to its end. The child's output is the step's output; a child that fails, is
    /// cancelled or times out is `workflow.failed`.
    ///
    /// Each attempt has a child run of its own (``childRunID(_:attempt:)``), so a retry runs the
    /// child again. An attempt first looks at the newest child of the earlier attempts: one
    /// still unfinished (its parent's process died) is attached to rather than started twice,
    /// and one that completed (its parent died before recording it) gives its output.
    ///
    /// When the attempt is cancelled (the parent is cancelled, or the step's timeout passed),
    /// the child run is cancelled too, and the attempt ends once it has.
    func executeChild(_ request: ActivityRequest, call: ChildWorkflowCall) async -> ActivityResult {
        do {
            let childID: String
            if let earlier = try await newestEarlierChild(request), earlier.status == .completed || !earlier.status.isFinished {
                childID = earlier.id
            } else {
                childID = Self.childRunID(request, attempt: request.attempt)
                let input = try call.input?.evaluate(in: request.context) ?? .object([:])
                let parentPath = try await path(ofRun: request.runID, pins: request.pins)
                let child = try await ChildWorkflowResolver(engine: self, parentPath: parentPath, pins: request.pins).resolve(call)
                // The child inherits the parent's pins: its own children and the llm routing;
                // and its queue, unless its workflow names one.
                var pins = request.pins
                pins.path = child.path
                let parentQueue = try await store.run(id: request.runID)?.taskQueue ?? TaskQueue.defaultName
                _ = try await start(child, input: input, runID: childID, parentRunID: request.runID, pins: pins,
                                    taskQueue: child.plan.taskQueue ?? parentQueue)
            }
            let record = try await driveChild(childID)
            switch record.status {
            case .completed: return .completed(output: record.output ?? .null, usage: nil)
            default:
                let reason = record.error.map { "\($0.type): \($0.message)" } ?? record.status.rawValue
                return .failed(RunError(type: "workflow.failed", message: "child run \(childID) \(record.status.rawValue): \(reason)", details: ["run": .string(childID)]), retryAfter: nil)
            }
        } catch let error as ExpressionError {
            return .failed(RunError(type: "expression", message: error.message), retryAfter: nil)
        } catch let error as RunError {
            return .failed(error, retryAfter: nil)
        } catch let error as WorkflowSourceError {
            // Retrying cannot make a missing or invalid child appear.
            return .failed(RunError(type: "workflow.failed", message: error.description, details: ["retryable": false]), retryAfter: nil)
        } catch {
            return .failed(RunError(type: "workflow.failed", message: "\(error)"), retryAfter: nil)
        }
    }

    /// Drives the child to its end in a task of its own, so that cancelling the attempt does not
    /// abandon the child mid-step: it asks the child to cancel, and the child's driver ends it.
    private func driveChild(_ childID: String) async throws -> RunRecord {
        let driving = Task { try await drive(runID: childID, untilFinished: true) }
        let outcome = try await withTaskCancellationHandler {
            try await driving.value
        } onCancel: {
            Task { try? await self.cancel(runID: childID, reason: "the parent's step was cancelled") }
        }
        guard case .finished(let record) = outcome else {
            throw RunError(type: "workflow.failed", message: "the child run \(childID) did not finish")
        }
        return record
    }

    /// The path a run's workflow was read from: pinned, or for runs started before paths were
    /// pinned, its stored definition's.
    private func path(ofRun runID: String, pins: RunPins) async throws -> String {
        if let path = pins.path { return path }
        guard let record = try await store.run(id: runID) else { throw StoreError.unknownRun(runID) }
        return try await definition(of: record).path
    }

    /// The child run of the latest earlier attempt that started one.
    private func newestEarlierChild(_ request: ActivityRequest) async throws -> RunRecord? {
        for attempt in stride(from: request.attempt - 1, through: 1, by: -1) {
            if let child = try await store.run(id: Self.childRunID(request, attempt: attempt)) { return child }
        }
        return nil
    }

    /// `<parent run>.<step key>.<visit>` for the first attempt, with `.<attempt>` after it for
    /// the others; characters outside run ids are replaced.
    static func childRunID(_ request: ActivityRequest, attempt: Int) -> String {
        let raw = request.idempotencyKey.replacingOccurrences(of: "/", with: ".") + (attempt == 1 ? "" : ".\(attempt)")
        let cleaned = String(raw.unicodeScalars.map { RunIDGenerator.isValid(String($0)) ? Character($0) : "_" })
        return String(cleaned.prefix(128))
    }
}

/// The executor of `workflow` steps: child runs on the same engine.
struct ChildRunExecutor: ActivityExecutor {
    unowned let engine: Engine

    func execute(_ request: ActivityRequest, state: PlanState, secrets: Secrets, progress: ActivityProgress) async -> ActivityResult {
        guard case .workflow(let call) = state.action else {
            return .failed(RunError(type: "workflow.failed", message: "step \(state.stepID) is not a workflow step"), retryAfter: nil)
        }
        return await engine.executeChild(request, call: call)
    }
}

/// The executor of kinds that are not activities: the machine never schedules a call for them.
struct NotAnActivity: ActivityExecutor {
    func execute(_ request: ActivityRequest, state: PlanState, secrets: Secrets, progress: ActivityProgress) async -> ActivityResult {
        .failed(RunError(type: "\(request.kind.rawValue).failed", message: "\(request.kind.rawValue) steps make no calls", details: ["retryable": false]), retryAfter: nil)
    }
}
