/// One branch of a `parallel` state: its name (the key of the step's output) and its list.
public struct PlanBranch: Sendable, Hashable {
    public let name: String
    public let list: ListID

    public init(name: String, list: ListID) {
        self.name = name
        self.list = list
    }
}
