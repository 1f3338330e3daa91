import ApexCompiler
import ApexDSL
import Foundation

/// The definition a `workflow` step starts as its child run.
struct ChildWorkflow {
    var plan: Plan
    var source: String
    var path: String
}

/// Why a `workflow` step cannot find or use its child (the step fails with `workflow.failed`).
struct ChildWorkflowError: Error, CustomStringConvertible {
    var description: String
}

/// Finds the child a `workflow` step names, at the time the step runs.
///
/// - `file`: that file, relative to the parent's file, as it is on disk now.
/// - `name`: a registered workflow. First a workflow file beside the parent's (`*.yaml` or
///   `*.yml` in the same folder) whose `name` is that name, so that a folder of workflows
///   calls its members by name with nothing to set up. Otherwise the definition of the newest
///   run of that workflow in this namespace: every run started on a store registers its
///   workflow there, so a worker finds a child it has no file for.
///
/// An attempt that finishes an earlier attempt's child run does not resolve again: that run
/// keeps the definition it pinned (``Engine/executeChild(_:state:parentPath:)``).
struct ChildWorkflowResolver {
    let engine: Engine
    /// The parent definition's path.
    let parentPath: String

    var folder: URL { URL(fileURLWithPath: parentPath).deletingLastPathComponent() }

    func resolve(_ call: ChildWorkflowCall) async throws -> ChildWorkflow {
        if let file = call.file?.value {
            let path = URL(fileURLWithPath: file, relativeTo: folder).standardizedFileURL.path
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ChildWorkflowError(description: "cannot read child workflow \(file)")
            }
            return try compile(data, path: path, as: "child workflow \(file)")
        }
        guard let name = call.name?.value else {
            throw ChildWorkflowError(description: "the workflow step names neither a file nor a registered workflow")
        }
        if let sibling = try fileBesideParent(named: name) { return sibling }
        if let registered = try await registeredDefinition(named: name) { return registered }
        throw ChildWorkflowError(description: "no workflow named \"\(name)\" is registered: no workflow file in \(folder.path) has that name, "
            + "and no run of it was started in namespace \"\(engine.configuration.namespace)\" (run it once, or give `file`)")
    }

    /// The workflow file in the parent's folder whose `name` is `name`; an error when several are.
    private func fileBesideParent(named name: String) throws -> ChildWorkflow? {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var found: [(path: String, data: Data, result: ValidationResult)] = []
        for file in files.sorted() where file.hasSuffix(".yaml") || file.hasSuffix(".yml") {
            let path = folder.appendingPathComponent(file).path
            // Most files do not mention the name at all: skip them without parsing.
            guard let data = FileManager.default.contents(atPath: path), data.range(of: Data(name.utf8)) != nil else { continue }
            let result = WorkflowValidator.validate(data: data, path: path)
            if result.workflow?.name?.value == name { found.append((path, data, result)) }
        }
        guard let first = found.first else { return nil }
        guard found.count == 1 else {
            throw ChildWorkflowError(description: "workflow name \"\(name)\" is ambiguous: \(found.count) files in \(folder.path) use it ("
                + found.map { URL(fileURLWithPath: $0.path).lastPathComponent }.joined(separator: ", ") + ")")
        }
        return try compile(first.result, data: first.data, path: first.path, as: "workflow \"\(name)\" (\(first.path))")
    }

    /// The definition the newest run of workflow `name` in this namespace pinned.
    private func registeredDefinition(named name: String) async throws -> ChildWorkflow? {
        let filter = RunFilter(namespace: engine.configuration.namespace, workflow: name, limit: 1)
        guard let newest = try await engine.store.runs(filter).first else { return nil }
        let definition = try await engine.definition(of: newest)
        return ChildWorkflow(plan: try engine.plan(for: definition), source: definition.source, path: definition.path)
    }

    private func compile(_ data: Data, path: String, as what: String) throws -> ChildWorkflow {
        try compile(WorkflowValidator.validate(data: data, path: path), data: data, path: path, as: what)
    }

    private func compile(_ result: ValidationResult, data: Data, path: String, as what: String) throws -> ChildWorkflow {
        guard let source = String(data: data, encoding: .utf8) else { throw ChildWorkflowError(description: "\(what) is not UTF-8 text") }
        do {
            return ChildWorkflow(plan: try Compiler.compile(result), source: source, path: path)
        } catch {
            throw ChildWorkflowError(description: "\(what) is invalid: \(error)")
        }
    }
}
