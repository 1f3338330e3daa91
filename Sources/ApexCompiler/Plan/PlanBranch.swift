/// One branch of a `parallel` state: its name (the key of the step's output) and its list.
public struct PlanBranch: Sendable, Hashable {
    /// The branch's key under `parallel:`.
    public let name: String
    /// The branch's steps.
    public let list: ListID

    /// Creates a branch.
    public init(name: String, list: ListID) {
        self.name = name
        self.list = list
    }
}
