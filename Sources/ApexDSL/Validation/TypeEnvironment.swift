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

    private let index: StepIndex
    private let graphs: [StepGraph]
    /// The lists each `parallel` or `foreach` entry owns, in order.
    private let ownedLists: [Int: [Int]]
    /// The shapes of the contexts every expression sees: `input`, `vars`, `steps`, `run`, `secrets`.
    private var contexts: [String: ValueShape]
    /// What the rounds work out.
    private var assigned = Assigned()
    /// The outputs that do not change between rounds (by entry): fixed by the step's kind, or a
    /// child workflow's; nil for `set`, `parallel` and `foreach`.
    private let constantOutputs: [ValueShape?]
    /// `steps`: the step ids (the first step of each id), in entry order, and their entries.
    private let stepIDs: OrderedDictionary<String, ValueShape>
    private let stepEntries: [Int]

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

    /// Sets `vars` and `steps` from these variables and `set` outputs.
    private mutating func update(variables: OrderedDictionary<String, ValueShape>, setOutputs: [Int: OrderedDictionary<String, ValueShape>]) {
        contexts["vars"] = .object(variables, closed: true)
        var outputs = [ValueShape](repeating: .unknown, count: index.entries.count)
        // Nested lists come after their owner in the index, so their outputs are known first.
        for entry in index.entries.indices.reversed() {
            if let constant = constantOutputs[entry] {
                outputs[entry] = constant
                continue
            }
            switch index.entries[entry].step.action {
            case .set: outputs[entry] = .object(setOutputs[entry] ?? [:], closed: true)
            case .parallel:
                let branches = ownedLists[entry] ?? []
                outputs[entry] = .object(OrderedDictionary(branches.map { (index.lists[$0].branch ?? "", lastOutput(of: $0, outputs)) },
                                                           uniquingKeysWith: { first, _ in first }), closed: true)
            case .foreach:
                let body = ownedLists[entry]?.first
                outputs[entry] = .list(body.map { lastOutput(of: $0, outputs) } ?? .unknown)
            default: break
            }
        }
        var steps = stepIDs
        for (position, entry) in stepEntries.enumerated() { steps.values[position] = .result(output: outputs[entry]) }
        // Open: an unknown step id is `unknown-step`'s to report.
        contexts["steps"] = .object(steps, closed: false)
    }

    /// What a list collects for its `parallel` or `foreach`: the output of the last step that
    /// completed in it (a skipped step, or a failed one whose `catch` moved on, leaves the one
    /// before). That is the output of a step that may go to the end of the list, directly or
    /// through steps that may not complete (those with an `if` or a `catch`).
    private func lastOutput(of list: Int, _ outputs: [ValueShape]) -> ValueShape {
        let graph = graphs[list]
        let entries = index.lists[list].entries
        // The nodes from which the end is reached through steps that may not complete.
        var passing = Set([graph.end])
        var changed = true
        while changed {
            changed = false
            // Backwards, so that a chain of such steps is found in one pass.
            for (position, entry) in entries.enumerated().reversed() where !passing.contains(position) {
                let step = index.entries[entry].step
                guard step.condition != nil || !step.catchHandlers.isEmpty else { continue }
                if graph.successors[position].contains(where: passing.contains) {
                    passing.insert(position)
                    changed = true
                }
            }
        }
        let last = entries.indices.filter { graph.successors[$0].contains(where: passing.contains) }
        guard let first = last.first else { return .unknown }
        return last.dropFirst().reduce(outputs[entries[first]]) { $0.or(outputs[entries[$1]]) }
    }
}

extension TemplateValue {
    /// The shape of the value, with the expressions in it typed from `roots`: a string that is
    /// exactly one expression has that expression's shape; any other with expressions is text.
    func shape(roots: [String: ValueShape]) -> ValueShape {
        switch self {
        case .literal(let value, _):
            return ValueShape(value)
        case .template(let template, _):
            guard template.isSingleExpression, let expression = template.expressions.first else { return .string }
            return ExpressionTyper(roots: roots).shape(of: expression)
        case .array(let items, _):
            return .list(items.reduce(ValueShape.never) { $0.or($1.shape(roots: roots)) })
        case .object(let members, _):
            return .object(OrderedDictionary(members.map { ($0.key, $0.value.shape(roots: roots)) }, uniquingKeysWith: { first, _ in first }), closed: true)
        }
    }
}
