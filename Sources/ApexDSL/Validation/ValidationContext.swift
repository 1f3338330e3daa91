/// What the rules share: the workflow, its step index, the control flow of every list, every
/// expression with where it stands, and the shapes of what expressions read.
struct ValidationContext {
    let workflow: Workflow
    let index: StepIndex
    /// The control-flow graph of each list of ``index``.
    let graphs: [StepGraph]
    /// The dominator tree of each list's graph.
    let dominators: [DominatorTree]
    let expressions: [ExpressionSite]
    let types: TypeEnvironment
    /// The typed nodes of each expression of ``expressions``, for the rules on types.
    let typedNodes: [[ExpressionTyper.Node]]

    init(workflow: Workflow) {
        self.workflow = workflow
        let index = StepIndex(workflow: workflow)
        let graphs = index.lists.indices.map { StepGraph(steps: index.steps(of: $0)) }
        self.index = index
        self.graphs = graphs
        dominators = graphs.map { DominatorTree(idom: $0.immediateDominators()) }
        expressions = ExpressionSite.collect(in: workflow, index: index)
        var children = ChildOutputShape(parentPath: workflow.source.path)
        let types = TypeEnvironment(workflow: workflow, index: index, graphs: graphs) { children.shape(of: $0) }
        self.types = types
        typedNodes = expressions.map(types.nodes(of:))
    }

    var file: String { workflow.source.path }

    /// Every typed node of every expression, with the expression's site.
    func forEachTypedNode(_ body: (ExpressionSite, ExpressionTyper.Node) -> Void) {
        for (site, nodes) in zip(expressions, typedNodes) {
            for node in nodes { body(site, node) }
        }
    }
}
