import ApexDSL

extension PlanGraph {
    /// Draws `plan`: its lists as nested clusters, then its transitions as edges, state by state.
    init(plan: Plan) {
        let ids = PlanNodeIDs(plan: plan)
        self.init(title: plan.workflowName)
        items = [.node(Node(id: ids.start, lines: ["start"], shape: .terminal))]
            + Self.items(of: 0, in: plan, ids: ids)
            + [.node(Node(id: ids.finish, lines: ["end"], shape: .terminal))]
        edges = [Edge(from: ids.start, to: ids.node(plan.entry), label: nil, style: .solid)]
            + plan.states.flatMap { Self.edges(of: $0, in: plan, ids: ids) }
    }

    /// The nodes of a list's states; after a `parallel` or `foreach`, its lists as clusters and
    /// then its join.
    private static func items(of list: ListID, in plan: Plan, ids: PlanNodeIDs) -> [Item] {
        plan.lists[list].states.flatMap { id -> [Item] in
            let state = plan[id]
            let node = Node(id: ids.states[id], lines: [state.stepID, state.kind.rawValue] + details(of: state), shape: shape(of: state.kind), state: id)
            guard let join = ids.joins[id] else { return [.node(node)] }
            let clusters = state.childLists.map { child in
                Item.cluster(Cluster(id: ids.clusters[child] ?? "", title: title(of: child, owner: state, in: plan), items: items(of: child, in: plan, ids: ids)))
            }
            return [.node(node)] + clusters + [.node(Node(id: join, lines: ["join"], shape: .join))]
        }
    }

    /// The edges leaving a state (and its join): skip, completion or choices, then catches.
    private static func edges(of state: PlanState, in plan: Plan, ids: PlanNodeIDs) -> [Edge] {
        let from = ids.states[state.id]
        func edge(_ target: PlanTarget, _ label: String? = nil, _ style: Style = .solid, from source: String? = nil) -> Edge {
            Edge(from: source ?? from, to: ids.node(target), label: label, style: style)
        }
        var edges: [Edge] = []
        if state.condition != nil { edges.append(edge(state.onSkipped, "if false", .dashed)) }
        switch state.action {
        case .switch(let choice):
            edges += choice.cases.map { edge($0.target, $0.text) }
            edges.append(edge(choice.defaultTarget, choice.hasDefault ? "default" : "no match"))
        case .parallel, .foreach:
            edges += state.childLists.map { edge(plan.lists[$0].entry) }
            edges.append(edge(state.onCompleted, from: ids.joins[state.id]))
        case .fail:
            break
        case .llm, .http, .sleep, .wait, .set, .workflow, .agent:
            edges.append(edge(state.onCompleted))
        }
        edges += state.catches.map { edge($0.target, "catch: " + $0.patterns.joined(separator: ", "), .dashed) }
        return edges
    }

    /// The label's lines after the id and kind: an agent's tools.
    private static func details(of state: PlanState) -> [String] {
        if case .agent(let agent) = state.action { return agent.labelLines }
        return []
    }

    private static func shape(of kind: PlanState.Kind) -> Shape {
        switch kind {
        case .switch: .decision
        case .parallel, .foreach: .fork
        case .fail: .failure
        case .llm, .http, .sleep, .wait, .set, .workflow, .agent: .step
        }
    }

    /// `branch a` for a parallel branch; `for each item` (with its concurrency when it is a
    /// number above 1) for a foreach body.
    private static func title(of list: ListID, owner: PlanState, in plan: Plan) -> String {
        if let branch = plan.lists[list].branch { return "branch \(branch)" }
        guard case .foreach(let loop) = owner.action else { return owner.stepID }
        let concurrency = loop.literalConcurrency.flatMap { $0 > 1 ? ", concurrency \($0)" : nil } ?? ""
        return "for each \(loop.element)\(concurrency)"
    }
}
