/// One list of steps in a plan: the top-level `steps`, a `parallel` branch or a `foreach` body.
public struct PlanList: Sendable, Hashable {
    /// The list's index in ``Plan/lists``.
    public let id: ListID
    /// The list's states in the order they are written.
    public let states: [StateID]
    /// Where the list starts: its first state, or its end when it is empty.
    public let entry: PlanTarget
    /// The `parallel` or `foreach` state whose join waits for this list to end; nil for list 0.
    public let owner: StateID?
    /// The branch name for a `parallel` branch; nil for the top level and `foreach` bodies.
    public let branch: String?

    /// Creates a list; its ``entry`` is its first state, or its end when it has none.
    public init(id: ListID, states: [StateID], owner: StateID?, branch: String?) {
        self.id = id
        self.states = states
        self.entry = states.first.map(PlanTarget.state) ?? .endOfList(id)
        self.owner = owner
        self.branch = branch
    }

    /// Whether this is the top-level list, whose end completes the run.
    public var isTopLevel: Bool { owner == nil }
}
