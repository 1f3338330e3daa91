import ApexDSL

/// What a state does, with the step's action lowered: one case per step kind, each carrying
/// what the engine needs to run it (targets resolved, lists numbered, defaults applied).
///
/// Adding a step kind means one new case here (and one in ``PlanState/Kind``); every switch over
/// it lists each case, so the compiler points at each place that must handle the new kind.
public enum PlanAction: Sendable {
    /// Calls an LLM (an activity): the step's options, every omitted field taken from the
    /// top-level `llm`.
    case llm(LLMOptions)
    /// Calls an HTTP API (an activity): the step's fields, evaluated at call time.
    case http(HTTPCall)
    /// Waits on a durable timer: a duration, an expression giving seconds, or an `until` time.
    case sleep(SleepAction)
    /// Waits for a signal (its time limit is ``PlanState/timeout``).
    case wait(PlanWait)
    /// Assigns variables, in order; every value sees the variables before the step.
    case set([Assignment])
    /// Picks the next state from its cases.
    case `switch`(PlanSwitch)
    /// Starts its branches at once and joins them; the branches in the order written.
    case parallel([PlanBranch])
    /// Starts its body once per element and joins the iterations.
    case foreach(PlanLoop)
    /// Starts a child run (an activity).
    case workflow(ChildWorkflowCall)
    /// Raises an error.
    case fail(FailAction)
    /// Runs a model that calls tools in a loop until it answers (an activity).
    case agent(PlanAgent)

    /// The kind of the action.
    public var kind: PlanState.Kind {
        switch self {
        case .llm: .llm
        case .http: .http
        case .sleep: .sleep
        case .wait: .wait
        case .set: .set
        case .switch: .switch
        case .parallel: .parallel
        case .foreach: .foreach
        case .workflow: .workflow
        case .fail: .fail
        case .agent: .agent
        }
    }
}
