import ApexDSL
import OrderedCollections

extension Plan {
    /// The graph of `apex graph` as JSON, for the HTTP API and the web UI: `nodes` (id, label
    /// lines, shape, the step id and kind of a state, the cluster it is in; a `wait` state's
    /// `signal` and payload `schema`) in plan order,
    /// `clusters` (id, title, parent cluster) and `edges` (from, to, label, dashed). `annotate`
    /// adds members to a state's node (its live status).
    public func graphJSON(annotate: (PlanState) -> OrderedDictionary<String, JSONValue> = { _ in [:] }) -> JSONValue {
        let graph = PlanGraph(plan: self)
        var nodes: [JSONValue] = []
        var clusters: [JSONValue] = []
        func walk(_ items: [PlanGraph.Item], cluster: String?) {
            for item in items {
                switch item {
                case .node(let node):
                    var object: OrderedDictionary<String, JSONValue> = [
                        "id": .string(node.id), "lines": .array(node.lines.map(JSONValue.string)), "shape": .string("\(node.shape)"),
                        "cluster": cluster.map(JSONValue.string) ?? .null,
                    ]
                    if let id = node.state {
                        let state = self[id]
                        object["step"] = .string(state.stepID)
                        object["kind"] = .string(state.kind.rawValue)
                        if case .wait(let wait) = state.action {
                            // What a person needs to answer the wait: the web UI builds its form from these.
                            object["signal"] = .string(wait.signal)
                            object["schema"] = wait.schema?.jsonValue ?? .null
                        }
                        object.merge(annotate(state)) { _, new in new }
                    }
                    nodes.append(.object(object))
                case .cluster(let inner):
                    clusters.append(["id": .string(inner.id), "title": .string(inner.title), "parent": cluster.map(JSONValue.string) ?? .null])
                    walk(inner.items, cluster: inner.id)
                }
            }
        }
        walk(graph.items, cluster: nil)
        let edges: [JSONValue] = graph.edges.map { edge in
            ["from": .string(edge.from), "to": .string(edge.to), "label": edge.label.map(JSONValue.string) ?? .null,
             "dashed": .bool(edge.style == .dashed)]
        }
        return ["workflow": .string(workflowName), "definition_hash": .string(definitionHash), "nodes": .array(nodes),
                "clusters": .array(clusters), "edges": .array(edges)]
    }
}
