import ApexDSL

/// Lowers a validated ``Workflow`` to its ``Plan``.
///
/// Compiling is deterministic: the same workflow document always gives the same plan, with the
/// same state and list numbering and the same ``Plan/definitionHash``.
///
/// ## Usage
/// ```swift
/// let result = WorkflowValidator.validate(data: data, path: "triage.yaml")
/// let plan = try Compiler.compile(result)
/// ```
public struct Compiler {
    let workflow: Workflow
    let index: StepIndex
    /// For each list, the state of each step id in it: the only targets a transition may have.
    let statesByList: [[String: StateID]]
    /// For each state, the lists it owns (a `parallel`'s branches in order, a `foreach`'s body).
    let ownedLists: [[ListID]]

    /// Compiles the workflow of a validation result.
    ///
    /// - Throws: ``CompileError/invalidWorkflow(_:)`` when validation found errors (warnings do
    ///   not stop compilation).
    public static func compile(_ result: ValidationResult) throws(CompileError) -> Plan {
        let errors = result.diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty, let workflow = result.workflow else { throw .invalidWorkflow(errors) }
        return try compile(workflow)
    }

    /// Compiles a workflow.
    ///
    /// - Precondition: `workflow` validated without errors (``WorkflowValidator``). The compiler
    ///   relies on what validation guarantees (unique ids, resolvable targets, one readable
    ///   action per step) and checks it as it goes.
    /// - Throws: ``CompileError/malformed(_:_:)`` for a workflow that breaks those guarantees,
    ///   rather than producing a plan the engine could not drive.
    public static func compile(_ workflow: Workflow) throws(CompileError) -> Plan {
        guard let name = workflow.name?.value, !name.isEmpty else {
            throw .malformed("the workflow has no name", .fileStart)
        }
        guard !workflow.document.isNull else {
            throw .malformed("the workflow has no source document to hash (compile what the parser read)", .fileStart)
        }
        let index = StepIndex(workflow: workflow)
        let compiler = try Compiler(workflow: workflow, index: index)
        var states: [PlanState] = []
        states.reserveCapacity(index.entries.count)
        for id in index.entries.indices {
            states.append(try compiler.state(id))
        }
        let lists = index.lists.enumerated().map { id, list in
            PlanList(id: id, states: list.entries, owner: list.owner, branch: list.branch)
        }
        return Plan(
            workflowName: name,
            definitionHash: Plan.hash(of: workflow.document),
            states: states,
            lists: lists,
            input: workflow.input,
            vars: workflow.vars,
            output: workflow.output,
            timeout: workflow.timeout?.value,
            taskQueue: workflow.taskQueue?.value,
            defaults: workflow.defaults,
            stateIDs: index.byID
        )
    }

    private init(workflow: Workflow, index: StepIndex) throws(CompileError) {
        guard !workflow.steps.isEmpty else { throw .malformed("the workflow has no steps", .fileStart) }
        var statesByList = [[String: StateID]](repeating: [:], count: index.lists.count)
        var ownedLists = [[ListID]](repeating: [], count: index.entries.count)
        for (listID, list) in index.lists.enumerated() {
            if let owner = list.owner { ownedLists[owner].append(listID) }
            for entry in list.entries {
                let id = index.entries[entry].step.id
                guard !id.value.isEmpty else { throw .malformed("a step has no id", id.range) }
                guard index.byID[id.value] == entry else { throw .malformed("duplicate step id \"\(id.value)\"", id.range) }
                statesByList[listID][id.value] = entry
            }
        }
        self.workflow = workflow
        self.index = index
        self.statesByList = statesByList
        self.ownedLists = ownedLists
    }
}
