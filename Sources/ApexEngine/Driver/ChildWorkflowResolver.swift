import ApexCompiler
import ApexDSL

/// Finds the child a `workflow` step names, at the time the step runs, without reading any
/// file itself.
///
/// - `file`: the definition the run pinned at its start for the path the `file` resolves to
///   (``WorkflowPath``), read from the store. Runs started before children were pinned ask the
///   engine's ``WorkflowSource`` for the file as it is now.
/// - `name`: the engine's ``WorkflowSource`` first (the CLI looks for a workflow file of that
///   name beside the parent's), else the definition of the newest run of that workflow in this
///   namespace: every run started on a store registers its workflow there.
///
/// An attempt that finishes an earlier attempt's child run does not resolve again: that run
/// keeps the definition it pinned (``Engine/executeChild(_:state:)``).
struct ChildWorkflowResolver {
    let engine: Engine
    /// The path the parent run's workflow was read from.
    let parentPath: String
    let pins: RunPins

    func resolve(_ call: ChildWorkflowCall) async throws -> WorkflowDefinition {
        if let file = call.file?.value {
            let path = WorkflowPath.resolve(file, from: parentPath)
            if let hash = pins.children[path] {
                guard let stored = try await engine.store.definition(hash: hash) else {
                    throw WorkflowSourceError("the definition \(hash.prefix(12)) the run pinned for child workflow \(file) is not in the store")
                }
                return WorkflowDefinition(plan: try engine.plan(for: stored), source: stored.source, path: path)
            }
            guard let definition = try await engine.workflows.workflow(atPath: path) else {
                throw WorkflowSourceError("child workflow \(file) was not pinned when the run started, and \(path) cannot be read")
            }
            return definition
        }
        guard let name = call.name?.value else {
            throw WorkflowSourceError("the workflow step names neither a file nor a registered workflow")
        }
        if let found = try await engine.workflows.workflow(named: name, parentPath: parentPath) { return found }
        if let registered = try await registeredDefinition(named: name) { return registered }
        throw WorkflowSourceError("no workflow named \"\(name)\" is registered: none was found beside \(parentPath), "
            + "and no run of it was started in namespace \"\(engine.store.namespace)\" (run it once, or give `file`)")
    }

    /// The definition the newest run of workflow `name` in this namespace pinned.
    private func registeredDefinition(named name: String) async throws -> WorkflowDefinition? {
        let filter = RunFilter(workflow: name, limit: 1)
        guard let newest = try await engine.store.runs(filter).first else { return nil }
        let definition = try await engine.definition(of: newest)
        return WorkflowDefinition(plan: try engine.plan(for: definition), source: definition.source, path: definition.path)
    }
}
