/// The choice of a `switch` state: its cases in order, and where it goes when none is true.
public struct PlanSwitch: Sendable {
    /// The cases, tried in order; the first whose condition is true picks the next state.
    public let cases: [PlanCase]
    /// Where the flow goes when no case is true: the step's `default`, else its own next (the
    /// state's ``PlanState/onCompleted``).
    public let defaultTarget: PlanTarget
    /// Whether the step writes a `default` (graphs label the edge `default`, else `no match`).
    public let hasDefault: Bool

    /// Creates a choice.
    public init(cases: [PlanCase], defaultTarget: PlanTarget, hasDefault: Bool) {
        self.cases = cases
        self.defaultTarget = defaultTarget
        self.hasDefault = hasDefault
    }
}
