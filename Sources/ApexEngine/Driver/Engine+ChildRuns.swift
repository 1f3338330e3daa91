import ApexCompiler
import ApexDSL
import Foundation

extension Engine {
    /// Runs a `workflow` step: starts the child run (idempotently, with an id derived from the
    /// parent's step, so a retried attempt attaches to the same child) and drives it to its end.
    /// The child's output is the step's output; a failed child is `workflow.failed`.
    func executeChild(_ request: ActivityRequest, state: PlanState, parentPath: String) async -> ActivityResult {
        guard case .workflow(let call) = state.step.action else {
            return .failed(RunError(type: "workflow.failed", message: "step \(state.stepID) is not a workflow step"), retryAfter: nil)
        }
        do {
            let input = try call.input?.evaluate(in: request.context) ?? .object([:])
            guard let file = call.file?.value else {
                return .failed(RunError(type: "workflow.failed", message: "registered workflows (`workflow.name`) are not supported yet; use `workflow.file`"), retryAfter: nil)
            }
            let folder = URL(fileURLWithPath: parentPath).deletingLastPathComponent()
            let path = URL(fileURLWithPath: file, relativeTo: folder).standardizedFileURL.path
            guard let data = FileManager.default.contents(atPath: path), let source = String(data: data, encoding: .utf8) else {
                return .failed(RunError(type: "workflow.failed", message: "cannot read child workflow \(file)"), retryAfter: nil)
            }
            let plan = try Compiler.compile(WorkflowValidator.validate(data: data, path: path))
            let childID = Self.childRunID(request)
            _ = try await start(plan: plan, source: source, path: path, input: input, runID: childID, parentRunID: request.idempotencyKey.split(separator: "/").first.map(String.init))
            let outcome = try await drive(runID: childID, untilFinished: true)
            guard case .finished(let record) = outcome else { return .failed(RunError(type: "workflow.failed", message: "the child run did not finish"), retryAfter: nil) }
            switch record.status {
            case .completed: return .completed(output: record.output ?? .null, usage: nil)
            default:
                let reason = record.error.map { "\($0.type): \($0.message)" } ?? record.status.rawValue
                return .failed(RunError(type: "workflow.failed", message: "child run \(childID) \(record.status.rawValue): \(reason)", details: ["run": .string(childID)]), retryAfter: nil)
            }
        } catch let error as ExpressionError {
            return .failed(RunError(type: "expression", message: error.message), retryAfter: nil)
        } catch {
            return .failed(RunError(type: "workflow.failed", message: "\(error)"), retryAfter: nil)
        }
    }

    /// `<parent run>.<step key>.<visit>` with characters outside run ids replaced.
    static func childRunID(_ request: ActivityRequest) -> String {
        let raw = request.idempotencyKey.replacingOccurrences(of: "/", with: ".")
        let cleaned = String(raw.unicodeScalars.map { RunIDGenerator.isValid(String($0)) ? Character($0) : "_" })
        return String(cleaned.prefix(128))
    }
}

/// The executor of `workflow` steps: child runs on the same engine.
struct ChildRunExecutor: ActivityExecutor {
    let engine: Engine
    /// The parent definition's path, against which `workflow.file` is resolved.
    let parentPath: String

    func execute(_ request: ActivityRequest, state: PlanState, secrets: Secrets, progress: ActivityProgress) async -> ActivityResult {
        await engine.executeChild(request, state: state, parentPath: parentPath)
    }
}
