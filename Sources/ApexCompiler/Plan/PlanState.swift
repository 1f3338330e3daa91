import ApexDSL

/// One state of a plan: a step, with its action lowered, every transition resolved and every
/// default applied. A class, so that the engine handing states around (once per decision) costs
/// one retain instead of a copy of every field.
///
/// The engine evaluates the fields of the state's ``action`` and follows the transitions here;
/// it never looks step ids up by name. See ``Plan`` for the transition table.
public final class PlanState: Sendable {
    /// The state's index in ``Plan/states``.
    public let id: StateID
    /// The step's `id`, as written.
    public let stepID: String
    /// What the state does, with what it needs to do it.
    public let action: PlanAction
    /// The list the state is in.
    public let list: ListID
    /// The `if` of the step: when it evaluates to false the step is skipped.
    public let condition: TemplateValue?

    /// Where the flow goes when the step completes: its `next`, else the following step, else
    /// the end of its list. Unused by `fail` (it never completes) and `switch` (see
    /// ``PlanSwitch``).
    public let onCompleted: PlanTarget
    /// Where the flow goes when ``condition`` is false: the same place as ``onCompleted``.
    public let onSkipped: PlanTarget
    /// The `catch` handlers in order; the first that matches the final error wins.
    public let catches: [PlanCatch]

    /// The retry policy of an activity: the step's, else `defaults.retry`, else the built-in default (docs/language.md, "Retry policy").
    public let retry: RetryPolicy?
    /// An activity's per-attempt timeout (the step's, else `defaults.timeout`); a `wait`'s
    /// time limit (the step's `timeout` or `wait.timeout`). Nil means none.
    public let timeout: Duration?
    /// How many times the step may start in one run; past it the run fails with `loop.limit`.
    public let maxVisits: Int

    init(
        id: StateID, stepID: String, action: PlanAction, list: ListID, condition: TemplateValue?,
        onCompleted: PlanTarget, catches: [PlanCatch], retry: RetryPolicy?, timeout: Duration?, maxVisits: Int
    ) {
        self.id = id
        self.stepID = stepID
        self.action = action
        self.list = list
        self.condition = condition
        self.onCompleted = onCompleted
        self.onSkipped = onCompleted
        self.catches = catches
        self.retry = retry
        self.timeout = timeout
        self.maxVisits = maxVisits
    }

    /// What the state does (the kind of its ``action``).
    public var kind: Kind { action.kind }

    /// The catch handler for an error of type `type`, if any.
    public func handler(for type: String) -> PlanCatch? {
        catches.first { $0.matches(type) }
    }

    /// The lists this state starts: a `parallel`'s branches or a `foreach`'s body.
    public var childLists: [ListID] {
        switch action {
        case .parallel(let branches): branches.map(\.list)
        case .foreach(let loop): [loop.body]
        case .llm, .http, .sleep, .wait, .set, .switch, .workflow, .fail, .agent: []
        }
    }
}
