/// The ids of a plan's graph nodes and clusters: never colliding with each other nor with the
/// keywords of Mermaid (a node named `style` or `click` would break the chart).
///
/// States are named first, in plan order, by their step ids unless one is a keyword; the start,
/// end and join nodes and the clusters come after. Each takes the first free name of `name`,
/// `name_2`, `name_3`, …, so the same plan always gets the same ids.
struct PlanNodeIDs {
    /// Words Mermaid's flowchart grammar reads as statements or keywords. Step ids are lowercase,
    /// so only lowercase ones matter.
    static let reserved: Set<String> = [
        "end", "graph", "flowchart", "subgraph", "direction", "style", "linkstyle", "class", "classdef",
        "click", "call", "href", "callback", "default", "interpolate",
    ]

    /// The node of each state.
    let states: [String]
    let start: String
    let finish: String
    /// The join node of each `parallel`/`foreach` state.
    let joins: [StateID: String]
    /// The cluster of each branch or body list.
    let clusters: [ListID: String]
    /// The owner of each list, to send the end of a nested list to its join.
    private let owners: [StateID?]

    init(plan: Plan) {
        var taken = Self.reserved
        func unique(_ name: String) -> String {
            var candidate = name
            var suffix = 2
            while taken.contains(candidate) {
                candidate = "\(name)_\(suffix)"
                suffix += 1
            }
            taken.insert(candidate)
            return candidate
        }
        states = plan.states.map { unique($0.stepID) }
        start = unique("start")
        finish = unique("finish")
        var joins: [StateID: String] = [:]
        var clusters: [ListID: String] = [:]
        for state in plan.states where state.kind.hasJoin {
            joins[state.id] = unique("join_\(state.stepID)")
            for list in state.childLists {
                clusters[list] = unique("\(state.stepID)_\(plan.lists[list].branch ?? "body")")
            }
        }
        self.joins = joins
        self.clusters = clusters
        owners = plan.lists.map(\.owner)
    }

    /// The node a transition to `target` arrives at: a state, the join that waits for the end of
    /// a nested list, or the end node.
    func node(_ target: PlanTarget) -> String {
        switch target {
        case .state(let id): states[id]
        case .endOfList(let list): owners[list].flatMap { joins[$0] } ?? finish
        }
    }
}
