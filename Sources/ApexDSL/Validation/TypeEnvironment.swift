import OrderedCollections

/// The shapes of what the expressions of one workflow read: `input` from its schema, each
/// variable from every value assigned to it (`vars` and every `set`), each step's result with
/// its output (fixed by kind, a `set`'s values, a child workflow's `output`, the outputs a
/// `parallel` or `foreach` collects), and each foreach element from its `in`.
///
/// Variables, `set` outputs and foreach elements depend on expressions that may read them in
/// turn (`rounds: ${{ vars.rounds + 1 }}`), so they are worked out in rounds, each typing every
/// assignment and `in` with the shapes of the round before. First from nothing assigned, until
/// a round changes nothing: that least solution covers every value a run can assign. When the
/// rounds do not settle (`x: ${{ [vars.x] }}` grows forever), from unknown values instead, for
/// a few rounds: each of those covers every value that the round before allows, so any of them
/// is sound.
struct TypeEnvironment {
    static let maxRounds = 4
    static let roundsFromUnknown = 3

    let index: StepIndex
    let graphs: [StepGraph]
    /// The lists each `parallel` or `foreach` entry owns, in order.
    let ownedLists: [Int: [Int]]
    /// The shapes of the contexts every expression sees: `input`, `vars`, `steps`, `run`, `secrets`.
    var contexts: [String: ValueShape]
    /// What the rounds work out.
    private var assigned = Assigned()
    /// The outputs that do not change between rounds (by entry): fixed by the step's kind, or a
    /// child workflow's; nil for `set`, `parallel` and `foreach`.
    let constantOutputs: [ValueShape?]
    /// `steps`: the step ids (the first step of each id), in entry order, and their entries.
    let stepIDs: OrderedDictionary<String, ValueShape>
    let stepEntries: [Int]

    /// The shapes that depend on assignments.
    private struct Assigned {
        var variables = OrderedDictionary<String, ValueShape>()
        /// The values of each `set` step (by entry).
        var setOutputs: [Int: OrderedDictionary<String, ValueShape>] = [:]
        /// The elements of each foreach step (by entry).
        var elements: [Int: ValueShape] = [:]

        func isSame(as other: Assigned) -> Bool {
            Self.same(variables, other.variables)
                && elements.count == other.elements.count
                && elements.allSatisfy { entry, shape in other.elements[entry].map { shape.isSame(as: $0) } ?? false }
                && setOutputs.count == other.setOutputs.count
                && setOutputs.allSatisfy { entry, fields in other.setOutputs[entry].map { Self.same(fields, $0) } ?? false }
        }

        private static func same(_ a: OrderedDictionary<String, ValueShape>, _ b: OrderedDictionary<String, ValueShape>) -> Bool {
            a.keys == b.keys && zip(a.values, b.values).allSatisfy { $0.isSame(as: $1) }
        }
    }

    /// - Parameter childOutput: the shape of what a `workflow` step's child outputs.
    init(workflow: Workflow, index: StepIndex, graphs: [StepGraph], childOutput: (ChildWorkflowCall) -> ValueShape) {
        self.index = index
        self.graphs = graphs
        ownedLists = Dictionary(grouping: index.lists.indices.filter { index.lists[$0].owner != nil }) { index.lists[$0].owner! }
        constantOutputs = index.entries.map { item in
            if case .workflow(let call) = item.step.action { return childOutput(call) }
            return ValueShape.fixedOutput(of: item.step)
        }
        let firsts = index.byID.values.sorted()
        stepEntries = firsts
        stepIDs = OrderedDictionary(uniqueKeysWithValues: firsts.map { (index.entries[$0].step.id.value, ValueShape.unknown) })
        contexts = ["input": workflow.input.map(ValueShape.schema) ?? .unknown, "run": .run, "secrets": .unknown]
        apply(Self.start(workflow, index: index, every: .never))
        var settled = false
        for _ in 0..<Self.maxRounds where !settled {
            let next = round(workflow)
            settled = next.isSame(as: assigned)
            apply(next)
        }
        guard !settled else { return }
        apply(Self.start(workflow, index: index, every: .unknown))
        for _ in 0..<Self.roundsFromUnknown { apply(round(workflow)) }
    }

    /// Every variable, `set` value and foreach element with the same shape.
    private static func start(_ workflow: Workflow, index: StepIndex, every shape: ValueShape) -> Assigned {
        var start = Assigned()
        for variable in workflow.vars { start.variables[variable.name.value] = shape }
        for (entry, item) in index.entries.enumerated() {
            switch item.step.action {
            case .set(let assignments):
                for assignment in assignments {
                    start.variables[assignment.name.value] = shape
                    start.setOutputs[entry, default: [:]][assignment.name.value] = shape
                }
            case .foreach:
                start.elements[entry] = shape
            default:
                break
            }
        }
        return start
    }

    /// The names an expression at `point` starts from, with their shapes; `args` in the fields
    /// of an agent's tools.
    func roots(at point: ExpressionSite.Point, args: ValueShape? = nil) -> [String: ValueShape] {
        var roots = contexts
        if let args { roots["args"] = args }
        guard case .step(let entry) = point else { return roots }
        // From the innermost foreach out: an inner loop's names hide an outer one's.
        var bound: Set<String> = []
        for owner in index.ancestry(of: entry).dropFirst() {
            guard case .foreach(let foreach) = index.entries[owner].step.action else { continue }
            if bound.insert(foreach.element).inserted { roots[foreach.element] = assigned.elements[owner] ?? .unknown }
            if bound.insert("index").inserted { roots["index"] = .integer }
        }
        return roots
    }

    /// The typed nodes of the expression of `site`, operands before the node that uses them.
    func nodes(of site: ExpressionSite) -> [ExpressionTyper.Node] {
        var nodes: [ExpressionTyper.Node] = []
        _ = ExpressionTyper(roots: roots(at: site.point, args: site.args)).shape(of: site.expression) { nodes.append($0) }
        return nodes
    }

    /// The shape of a field's value as written at `point`.
    func shape(of value: TemplateValue, at point: ExpressionSite.Point) -> ValueShape {
        value.shape(roots: roots(at: point))
    }

    /// One round: every assignment, `set` value and foreach element, typed with the shapes of
    /// the round before.
    private func round(_ workflow: Workflow) -> Assigned {
        var next = Assigned()
        for variable in workflow.vars {
            let shape = shape(of: variable.value, at: .start).limited()
            next.variables[variable.name.value, default: .never] = next.variables[variable.name.value, default: .never].or(shape)
        }
        for (entry, item) in index.entries.enumerated() {
            switch item.step.action {
            case .set(let assignments):
                for assignment in assignments {
                    let name = assignment.name.value
                    let shape = shape(of: assignment.value, at: .step(entry)).limited()
                    if next.setOutputs[entry]?[name] == nil { next.setOutputs[entry, default: [:]][name] = shape }
                    next.variables[name, default: .never] = next.variables[name, default: .never].or(shape)
                }
            case .foreach(let foreach):
                // An `in` that is never a list fails the step (`field-type`): its body never runs.
                next.elements[entry] = foreach.items.flatMap { shape(of: $0, at: .step(entry)).element?.limited() } ?? .unknown
            default:
                break
            }
        }
        return next
    }

    /// Takes the shapes of a round, and sets `vars` and `steps` from them.
    private mutating func apply(_ assigned: Assigned) {
        self.assigned = assigned
        update(variables: assigned.variables, setOutputs: assigned.setOutputs)
    }
}
