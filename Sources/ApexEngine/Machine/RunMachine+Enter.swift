import ApexCompiler
import ApexDSL
import OrderedCollections

/// Entering a state: the visit limit, the `if`, and what the step does first, by kind.
extension RunMachine {
    /// The decision of a frame about to enter `stateID`.
    func enter(_ stateID: StateID, in frameIndex: Int) -> Decision {
        let state = plan[stateID]
        let scope = frames[frameIndex].scope
        let key = scope.key(state.stepID)
        let visit = (visitCounts[key] ?? 0) + 1
        if visit > state.maxVisits {
            let error = RunError(type: "loop.limit", message: "step \(key) would start \(visit) times; max_visits is \(state.maxVisits)",
                                 step: key, details: ["max_visits": .int(state.maxVisits)])
            return Decision(kind: .runFailed(error: error), effect: .endRun)
        }
        let context = context(for: scope)
        let scheduled = EventKind.stepScheduled(step: key, visit: visit, attempt: 1, kind: state.kind.rawValue)
        if let condition = state.condition {
            do throws(ExpressionError) {
                if try !condition.evaluate(in: context).isTruthy {
                    return Decision(kind: .stepSkipped(step: key, visit: visit), effect: .skip(frame: frameIndex, state: stateID, visit: visit))
                }
            } catch {
                let phase = StepPhase.failing(expressionError(error, in: "if", step: key))
                return Decision(kind: scheduled, effect: .schedule(frame: frameIndex, state: stateID, visit: visit, phase: phase, join: nil))
            }
        }
        var phase = firstPhase(of: state, key: key, context: context)
        var join: Join?
        switch self.join(for: state, context: context, key: key) {
        case .success(let started)?: join = started
        case .failure(let error)?: phase = .failing(error)
        case nil: break
        }
        return Decision(kind: scheduled, effect: .schedule(frame: frameIndex, state: stateID, visit: visit, phase: phase, join: join))
    }

    /// What a step does once scheduled. Fields are evaluated here, against the context before
    /// the step (so a `set` sees the old `vars`); a `parallel` or `foreach` gets its join from
    /// ``join(for:context:key:)``.
    private func firstPhase(of state: PlanState, key: String, context: EvaluationContext) -> StepPhase {
        do throws(ExpressionError) {
            switch state.action {
            case .set(let assignments):
                var values = OrderedDictionary<String, JSONValue>()
                for assignment in assignments {
                    do throws(ExpressionError) {
                        values[assignment.name.value] = try assignment.value.evaluate(in: context)
                    } catch {
                        return .failing(expressionError(error, in: "set.\(assignment.name.value)", step: key))
                    }
                }
                return .completing(output: .object(values), assignments: values, target: state.onCompleted)
            case .switch(let choice):
                for (number, option) in choice.cases.enumerated() {
                    do throws(ExpressionError) {
                        if try option.condition.evaluate(in: context).isTruthy {
                            return .completing(output: .null, assignments: nil, target: option.target)
                        }
                    } catch {
                        return .failing(expressionError(error, in: "switch case \(number + 1)", step: key))
                    }
                }
                return .completing(output: .null, assignments: nil, target: choice.defaultTarget)
            case .fail(let fail):
                let message = try fail.message?.evaluate(in: context)
                let text = message.map { $0.stringValue ?? $0.interpolated } ?? "step \(key) failed"
                return .failing(RunError(type: fail.error?.value ?? "fail", message: text, step: key, attempt: 1))
            case .sleep:
                return .startingSleep
            case .wait(let wait):
                return state.timeout == nil ? .waiting(signal: wait.signal) : .startingWaitTimer(signal: wait.signal)
            case .llm, .http, .workflow, .agent:
                return .activity(attempt: 1, call: 0, context: context, scheduledAt: now)
            case .parallel, .foreach:
                return .joining
            }
        } catch {
            return .failing(expressionError(error, in: "fail.message", step: key))
        }
    }

    /// The join a `parallel` or `foreach` visit starts with (nil for the other kinds); for a
    /// `foreach`, an `expression` error when `in` is not a list or `concurrency` not an integer
    /// of at least 1.
    private func join(for state: PlanState, context: EvaluationContext, key: String) -> Result<Join, RunError>? {
        let loop: PlanLoop
        switch state.action {
        case .parallel(let branches): return .success(Join(kind: .parallel(names: branches.map(\.name))))
        case .foreach(let foreach): loop = foreach
        case .llm, .http, .sleep, .wait, .set, .switch, .workflow, .fail, .agent: return nil
        }
        do throws(ExpressionError) {
            let items = try loop.items.evaluate(in: context)
            guard case .array(let list) = items else {
                return .failure(RunError(type: "expression", message: "foreach.in: gives \(items.typeName), not a list",
                                         step: key, attempt: 1))
            }
            let concurrency = try loop.concurrency.evaluate(in: context)
            guard let count = Self.positiveInteger(concurrency) else {
                return .failure(RunError(type: "expression", message: "foreach.concurrency: gives \(concurrency.compactJSON), not an integer of at least 1",
                                         step: key, attempt: 1))
            }
            return .success(Join(kind: .foreach(body: loop.body, items: list, element: loop.element, concurrency: count)))
        } catch {
            return .failure(expressionError(error, in: "foreach", step: key))
        }
    }

    private static func positiveInteger(_ value: JSONValue) -> Int? {
        switch value {
        case .int(let count) where count >= 1: count
        case .double(let number) where number >= 1 && number.rounded() == number && number < 1e15: Int(number)
        default: nil
        }
    }

    /// The `expression` error of a field of step `key` that failed to evaluate.
    func expressionError(_ error: ExpressionError, in field: String, step key: String) -> RunError {
        RunError(type: "expression", message: "\(field): \(error.message)", step: key, attempt: 1)
    }
}
