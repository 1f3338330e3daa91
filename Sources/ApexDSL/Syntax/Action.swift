/// What a step does: exactly one of the actions of docs/language.md, "Actions".
public enum Action: Sendable {
    case llm(LLMCall)
    case http(HTTPCall)
    case sleep(SleepAction)
    case wait(WaitAction)
    case set([Assignment])
    case `switch`(SwitchAction)
    case parallel(ParallelAction)
    case foreach(ForEachAction)
    case workflow(ChildWorkflowCall)
    case fail(FailAction)
    case agent(AgentAction)
    /// The step's action could not be read (a diagnostic says why).
    case invalid

    /// The action keys, in the order the docs list them.
    public static let keys = ["llm", "http", "sleep", "wait", "set", "switch", "parallel", "foreach", "workflow", "fail", "agent"]

    /// The key that introduces the action.
    public var key: String {
        switch self {
        case .llm: "llm"
        case .http: "http"
        case .sleep: "sleep"
        case .wait: "wait"
        case .set: "set"
        case .switch: "switch"
        case .parallel: "parallel"
        case .foreach: "foreach"
        case .workflow: "workflow"
        case .fail: "fail"
        case .agent: "agent"
        case .invalid: "invalid"
        }
    }

    /// Activity steps call the outside world: they take `retry` and a per-attempt `timeout`.
    public var isActivity: Bool {
        switch self {
        case .llm, .http, .workflow, .agent: true
        default: false
        }
    }
}
