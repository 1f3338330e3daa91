/// Every step of a workflow with where it sits: its list, its position, the step that owns the
/// list (a `parallel` or `foreach`). Built once per validation and shared by the rules.
public struct StepIndex: Sendable {
    public struct Entry: Sendable {
        public var step: Step
        /// The list the step is in (index into ``lists``).
        public var list: Int
        /// Its position in that list.
        public var position: Int
    }

    /// One list of steps: the top-level `steps`, a parallel branch or a foreach body.
    public struct List: Sendable {
        /// Entries in order.
        public var entries: [Int]
        /// The entry of the `parallel`/`foreach` step that owns the list; nil at top level.
        public var owner: Int?
        /// The branch name for a parallel branch.
        public var branch: String?
    }

    public private(set) var entries: [Entry] = []
    public private(set) var lists: [List] = []
    /// The first entry with each id.
    public private(set) var byID: [String: Int] = [:]

    public init(workflow: Workflow) {
        addList(workflow.steps, owner: nil, branch: nil)
    }

    private mutating func addList(_ steps: [Step], owner: Int?, branch: String?) {
        let listIndex = lists.count
        lists.append(List(entries: [], owner: owner, branch: branch))
        for (position, step) in steps.enumerated() {
            let entry = entries.count
            entries.append(Entry(step: step, list: listIndex, position: position))
            lists[listIndex].entries.append(entry)
            if !step.id.value.isEmpty, byID[step.id.value] == nil { byID[step.id.value] = entry }
            switch step.action {
            case .parallel(let parallel):
                for branch in parallel.branches { addList(branch.steps, owner: entry, branch: branch.name.value) }
            case .foreach(let foreach):
                addList(foreach.steps, owner: entry, branch: nil)
            default:
                break
            }
        }
    }

    /// The steps of list `list`.
    public func steps(of list: Int) -> [Step] {
        lists[list].entries.map { entries[$0].step }
    }

    /// The chain of owner entries from `entry` up to the top level, `entry` first.
    public func ancestry(of entry: Int) -> [Int] {
        var chain = [entry]
        var list = entries[entry].list
        while let owner = lists[list].owner {
            chain.append(owner)
            list = entries[owner].list
        }
        return chain
    }
}
