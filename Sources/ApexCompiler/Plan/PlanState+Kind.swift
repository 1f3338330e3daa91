import ApexDSL

extension PlanState {
    /// What a state does: the name of its ``PlanAction`` case, as event `kind` strings and
    /// activity requests carry it.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Calls an LLM (an activity).
        case llm
        /// Calls an HTTP API (an activity).
        case http
        /// Waits on a durable timer.
        case sleep
        /// Waits for a signal.
        case wait
        /// Assigns variables.
        case set
        /// Picks the next state from its cases.
        case `switch`
        /// Starts its branches at once and joins them.
        case parallel
        /// Starts its body once per element and joins the iterations.
        case foreach
        /// Starts a child run (an activity).
        case workflow
        /// Raises an error.
        case fail
        /// Runs a model that calls tools in a loop (an activity).
        case agent

        /// Activities call the outside world: they have a retry policy and a per-attempt timeout.
        public var isActivity: Bool {
            switch self {
            case .llm, .http, .workflow, .agent: true
            case .sleep, .wait, .set, .switch, .parallel, .foreach, .fail: false
            }
        }

        /// States that start lists of their own and end at their join.
        public var hasJoin: Bool {
            switch self {
            case .parallel, .foreach: true
            case .llm, .http, .sleep, .wait, .set, .switch, .workflow, .fail, .agent: false
            }
        }
    }
}
