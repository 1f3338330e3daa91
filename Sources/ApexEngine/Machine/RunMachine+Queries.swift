import ApexCompiler
import ApexDSL

/// What a driver, a listing and `apex show` read from a machine.
extension RunMachine {
    /// Activity attempts (`llm`, `http`, `workflow`) scheduled and without a result, in the order
    /// their visits started: the driver executes them.
    public var pendingActivities: [ActivityRequest] {
        unfinished.sorted().compactMap { index in
            guard case .activity(let attempt, let call, let context, let scheduledAt) = visits[index].phase else { return nil }
            let record = visits[index].record
            let state = plan[record.stateID]
            return ActivityRequest(
                runID: runID, step: record.key, stateID: state.id, kind: state.kind, visit: record.visit, attempt: attempt, call: call,
                scheduledAt: scheduledAt, context: context, timeout: state.timeout, retry: state.retry,
                pins: start?.pins ?? RunPins(), checkpoint: visits[index].checkpoint,
                answer: visits[index].answer, retryBase: visits[index].retryBase)
        }
    }

    /// Timers started and not yet fired (nor dropped), earliest first.
    public var pendingTimers: [PendingTimer] {
        timers.filter(\.value.isPending)
            .map { PendingTimer(id: $0.key, fireAt: $0.value.fireAt) }
            .sorted { ($0.fireAt, $0.id) < ($1.fireAt, $1.id) }
    }

    /// Names of the signals some `wait` step (or suspended agent) is waiting for now, in the order those waits
    /// started.
    public var waitingSignals: [String] {
        var names: [String] = []
        for index in unfinished.sorted() {
            switch visits[index].phase {
            case .waiting(let signal), .suspended(_, let signal, _, _):
                if !names.contains(signal) { names.append(signal) }
            default:
                break
            }
        }
        return names
    }

    /// For listings: the key of the most recently started unfinished step (`approval`,
    /// `each[2]/summarize`); nil when none is (before the start, between steps, after the end).
    public var currentStep: String? {
        unfinished.max().map { visits[$0].record.key }
    }

    /// Every step visit with its result, in start order, for `apex show`.
    public var stepRecords: [StepRecord] {
        visits.map(\.record)
    }

    /// The signal names the `wait` steps and agent tools of `plan` use, each with the schemas of
    /// those waits (nil for a wait without one; an approval's is ``ToolApproval/schema``): a signal sent to a run is checked against them.
    public static func signalSchemas(in plan: Plan) -> [String: [JSONSchema?]] {
        var schemas: [String: [JSONSchema?]] = [:]
        for state in plan.states {
            switch state.action {
            case .wait(let wait):
                schemas[wait.signal, default: []].append(wait.schema)
            case .agent(let agent):
                for (name, schema) in agent.signals { schemas[name, default: []].append(schema) }
            default:
                continue
            }
        }
        return schemas
    }
}
