import Foundation

/// `child-workflow`: a `workflow.file` (of a step, or of an agent's `workflow` tool) names a
/// file that exists, relative to the parent, and that is itself a valid workflow (the parent's
/// step says the child is invalid, and each of the child's errors is reported at the same
/// `file:` value with where it is in the child: the parent's diagnostics point into the
/// parent's text only). Files already being validated are not re-entered, so mutually
/// recursive workflows terminate.
enum ChildWorkflowRule {
    static func check(_ context: ValidationContext, visited: inout Set<String>, into diagnostics: inout DiagnosticBag) {
        let folder = URL(fileURLWithPath: context.file).deletingLastPathComponent()
        for file in childFiles(of: context.index) {
            let url = URL(fileURLWithPath: file.value, relativeTo: folder).standardizedFileURL
            guard let data = FileManager.default.contents(atPath: url.path) else {
                let exists = FileManager.default.fileExists(atPath: url.path)
                diagnostics.error(.childWorkflow, exists ? "cannot read child workflow \"\(file.value)\"" : "child workflow \"\(file.value)\" does not exist (looked for \(url.path))", at: file.range)
                continue
            }
            guard visited.insert(url.path).inserted else { continue }
            let childPath = (context.file as NSString).deletingLastPathComponent.isEmpty
                ? file.value : ((context.file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(file.value)
            let child = WorkflowValidator.validate(data: data, path: childPath, visited: &visited)
            let errors = child.diagnostics.filter { $0.severity == .error }
            guard !errors.isEmpty else { continue }
            diagnostics.error(.childWorkflow, "child workflow \"\(file.value)\" is invalid (\(errors.count) error\(errors.count == 1 ? "" : "s"))", at: file.range)
            for error in errors {
                diagnostics.report(error.severity, error.rule, "\(error.message) (in child workflow \(childPath) at \(error.range.start))", at: file.range)
            }
        }
    }

    /// The `file:` of every `workflow` step and `workflow` tool, in document order.
    private static func childFiles(of index: StepIndex) -> [Located<String>] {
        index.entries.flatMap { entry -> [Located<String>] in
            switch entry.step.action {
            case .workflow(let call):
                return call.file.map { [$0] } ?? []
            case .agent(let agent):
                return agent.tools.compactMap { tool in
                    if case .workflow(let call) = tool.kind { return call.file }
                    return nil
                }
            default:
                return []
            }
        }
    }
}
