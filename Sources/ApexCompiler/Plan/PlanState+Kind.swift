import ApexDSL

extension PlanState {
    /// What a state does: the step's action.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case llm, http, sleep, wait, set
        case `switch`, parallel, foreach
        case workflow, fail

        /// The kind of `action`; nil for an action that could not be read.
        public init?(_ action: Action) {
            switch action {
            case .llm: self = .llm
            case .http: self = .http
            case .sleep: self = .sleep
            case .wait: self = .wait
            case .set: self = .set
            case .switch: self = .switch
            case .parallel: self = .parallel
            case .foreach: self = .foreach
            case .workflow: self = .workflow
            case .fail: self = .fail
            case .invalid: return nil
            }
        }

        /// Activities call the outside world: they have a retry policy and a per-attempt timeout.
        public var isActivity: Bool {
            switch self {
            case .llm, .http, .workflow: true
            default: false
            }
        }

        /// States that start lists of their own and end at their join.
        public var hasJoin: Bool { self == .parallel || self == .foreach }
    }
}
