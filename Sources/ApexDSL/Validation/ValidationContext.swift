/// What the rules share: the workflow, its step index, the control flow of every list, and
/// every expression with where it stands.
struct ValidationContext {
    let workflow: Workflow
    let index: StepIndex
    /// The control-flow graph of each list of ``index``.
    let graphs: [StepGraph]
    /// The dominator tree of each list's graph.
    let dominators: [DominatorTree]
    let expressions: [ExpressionSite]

    init(workflow: Workflow) {
        self.workflow = workflow
        let index = StepIndex(workflow: workflow)
        let graphs = index.lists.indices.map { StepGraph(steps: index.steps(of: $0)) }
        self.index = index
        self.graphs = graphs
        dominators = graphs.map { DominatorTree(idom: $0.immediateDominators()) }
        expressions = ExpressionSite.collect(in: workflow, index: index)
    }

    var file: String { workflow.source.path }
}
