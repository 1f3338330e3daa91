extension PlanGraph {
    /// Draws `plan`: its lists as nested clusters, then its transitions as edges.
    init(plan: Plan) {
        var names = GraphNames(stepIDs: plan.states.map(\.stepID))
        let start = names.unique("start")
        let finish = names.unique("finish")
        var joins: [StateID: String] = [:]
        var clusters: [ListID: String] = [:]
        for state in plan.states where state.kind.hasJoin {
            joins[state.id] = names.unique("join_\(state.stepID)")
            for list in state.childLists {
                clusters[list] = names.unique("\(state.stepID)_\(plan.lists[list].branch ?? "body")")
            }
        }

        func node(_ target: PlanTarget) -> String {
            switch target {
            case .state(let id): return plan[id].stepID
            case .endOfList(let list): return plan.lists[list].owner.flatMap { joins[$0] } ?? finish
            }
        }

        func items(of list: ListID) -> [Item] {
            plan.lists[list].states.flatMap { id -> [Item] in
                let state = plan[id]
                var drawn: [Item] = [.node(Node(id: state.stepID, lines: [state.stepID, state.kind.rawValue], shape: Self.shape(of: state.kind)))]
                guard let join = joins[id] else { return drawn }
                for child in state.childLists {
                    let title = Self.title(of: child, owner: state, in: plan)
                    drawn.append(.cluster(Cluster(id: clusters[child] ?? "", title: title, items: items(of: child))))
                }
                drawn.append(.node(Node(id: join, lines: ["join"], shape: .join)))
                return drawn
            }
        }

        self.init(title: plan.workflowName)
        self.items = [.node(Node(id: start, lines: ["start"], shape: .terminal))]
            + items(of: 0)
            + [.node(Node(id: finish, lines: ["end"], shape: .terminal))]
        edges.append(Edge(from: start, to: node(plan.entry), label: nil, style: .solid))
        for state in plan.states {
            let from = state.stepID
            if state.condition != nil {
                edges.append(Edge(from: from, to: node(state.onSkipped), label: "if false", style: .dashed))
            }
            switch state.kind {
            case .switch:
                for item in state.cases {
                    edges.append(Edge(from: from, to: node(item.target), label: item.text, style: .solid))
                }
                let explicit = { if case .switch(let action) = state.step.action { action.defaultTarget != nil } else { false } }()
                if let target = state.defaultTarget {
                    edges.append(Edge(from: from, to: node(target), label: explicit ? "default" : "no match", style: .solid))
                }
            case .parallel, .foreach:
                for child in state.childLists {
                    edges.append(Edge(from: from, to: node(plan.lists[child].entry), label: nil, style: .solid))
                }
                edges.append(Edge(from: joins[state.id] ?? from, to: node(state.onCompleted), label: nil, style: .solid))
            case .fail:
                break
            default:
                edges.append(Edge(from: from, to: node(state.onCompleted), label: nil, style: .solid))
            }
            for handler in state.catches {
                edges.append(Edge(from: from, to: node(handler.target), label: "catch: " + handler.patterns.joined(separator: ", "), style: .dashed))
            }
        }
    }

    private static func shape(of kind: PlanState.Kind) -> Shape {
        switch kind {
        case .switch: .decision
        case .parallel, .foreach: .fork
        case .fail: .failure
        default: .step
        }
    }

    /// `branch a` for a parallel branch; `for each item` (with its concurrency when it is a
    /// number above 1) for a foreach body.
    private static func title(of list: ListID, owner: PlanState, in plan: Plan) -> String {
        if let branch = plan.lists[list].branch { return "branch \(branch)" }
        guard let loop = owner.loop else { return owner.stepID }
        let concurrency = loop.literalConcurrency.flatMap { $0 > 1 ? ", concurrency \($0)" : nil } ?? ""
        return "for each \(loop.element)\(concurrency)"
    }
}
