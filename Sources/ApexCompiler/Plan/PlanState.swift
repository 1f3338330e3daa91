import ApexDSL

/// One state of a plan: a step, with every transition resolved and every default applied.
/// A class, so that the engine handing states around (once per decision) costs one retain
/// instead of a copy of every field.
///
/// The engine evaluates the step's fields (``step``) and follows the transitions here; it never
/// looks step ids up by name. See ``Plan`` for the transition table.
public final class PlanState: Sendable {
    /// The state's index in ``Plan/states``.
    public let id: StateID
    /// The step's `id`, as written.
    public let stepID: String
    /// What the state does (the step's action).
    public let kind: Kind
    /// The list the state is in.
    public let list: ListID
    /// The step as parsed, for the fields the engine evaluates (`llm`, `http`, `set`, …).
    public let step: Step

    /// Where the flow goes when the step completes: its `next`, else the following step, else
    /// the end of its list. Unused by `fail` (it never completes) and `switch` (see ``cases``).
    public let onCompleted: PlanTarget
    /// Where the flow goes when ``condition`` is false: the same place as ``onCompleted``.
    public let onSkipped: PlanTarget
    /// A `switch`'s cases, in order; empty for other kinds.
    public let cases: [PlanCase]
    /// Where a `switch` goes when no case matches: its `default`, else its own next. Nil for
    /// other kinds.
    public let defaultTarget: PlanTarget?
    /// The `catch` handlers in order; the first that matches the final error wins.
    public let catches: [PlanCatch]
    /// A `parallel`'s branches in the order written; empty for other kinds.
    public let branches: [PlanBranch]
    /// A `foreach`'s iteration; nil for other kinds.
    public let loop: PlanLoop?

    /// The retry policy of an activity: the step's, else `defaults.retry`, else dsl-v1 §5's.
    public let retry: RetryPolicy?
    /// An activity's per-attempt timeout (the step's, else `defaults.timeout`); a `wait`'s
    /// time limit (the step's `timeout` or `wait.timeout`). Nil means none.
    public let timeout: Duration?
    /// An llm step's options with every omitted field taken from the top-level `llm`.
    public let llm: LLMOptions?
    /// How many times the step may start in one run; past it the run fails with `loop.limit`.
    public let maxVisits: Int

    /// The `if` of the step: when it evaluates to false the step is skipped.
    public var condition: TemplateValue? { step.condition }

    init(
        id: StateID, kind: Kind, list: ListID, step: Step, onCompleted: PlanTarget,
        cases: [PlanCase] = [], defaultTarget: PlanTarget? = nil, catches: [PlanCatch],
        branches: [PlanBranch] = [], loop: PlanLoop? = nil,
        retry: RetryPolicy?, timeout: Duration?, llm: LLMOptions?, maxVisits: Int
    ) {
        self.id = id
        self.stepID = step.id.value
        self.kind = kind
        self.list = list
        self.step = step
        self.onCompleted = onCompleted
        self.onSkipped = onCompleted
        self.cases = cases
        self.defaultTarget = defaultTarget
        self.catches = catches
        self.branches = branches
        self.loop = loop
        self.retry = retry
        self.timeout = timeout
        self.llm = llm
        self.maxVisits = maxVisits
    }

    /// The catch handler for an error of type `type`, if any.
    public func handler(for type: String) -> PlanCatch? {
        catches.first { $0.matches(type) }
    }

    /// The lists this state starts: a `parallel`'s branches or a `foreach`'s body.
    public var childLists: [ListID] {
        branches.map(\.list) + (loop.map { [$0.body] } ?? [])
    }
}
