import Foundation

/// `child-workflow`: a `workflow.file` names a file that exists, relative to the parent, and
/// that is itself a valid workflow (the parent's step says the child is invalid, and each of
/// the child's errors is reported at the same `file:` value with where it is in the child:
/// the parent's diagnostics point into the parent's text only). Files already being validated
/// are not re-entered, so mutually recursive workflows terminate.
enum ChildWorkflowRule {
    static func check(_ context: ValidationContext, visited: inout Set<String>, into diagnostics: inout DiagnosticBag) {
        let folder = URL(fileURLWithPath: context.file).deletingLastPathComponent()
        for entry in context.index.entries {
            for file in childFiles(of: entry.step.action) {
                check(file, folder: folder, context, visited: &visited, into: &diagnostics)
            }
        }
    }

    /// The `file`s a step calls: a `workflow` step's, and those of an agent's `workflow` tools
    /// (whose children are started the same way, and pinned the same way).
    static func childFiles(of action: Action) -> [Located<String>] {
        switch action {
        case .workflow(let call): [call.file].compactMap { $0 }
        case .agent(let agent): agent.tools.compactMap { tool in if case .workflow(let call) = tool.kind { call.file } else { nil } }
        default: []
        }
    }

    private static func check(_ file: Located<String>, folder: URL, _ context: ValidationContext, visited: inout Set<String>,
                              into diagnostics: inout DiagnosticBag) {
        let url = URL(fileURLWithPath: file.value, relativeTo: folder).standardizedFileURL
        guard let data = FileManager.default.contents(atPath: url.path) else {
            let exists = FileManager.default.fileExists(atPath: url.path)
            diagnostics.error(.childWorkflow, exists ? "cannot read child workflow \"\(file.value)\"" : "child workflow \"\(file.value)\" does not exist (looked for \(url.path))", at: file.range)
            return
        }
        guard visited.insert(url.path).inserted else { return }
        let childPath = (context.file as NSString).deletingLastPathComponent.isEmpty
            ? file.value : ((context.file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(file.value)
        let child = WorkflowValidator.validate(data: data, path: childPath, visited: &visited)
        let errors = child.diagnostics.filter { $0.severity == .error }
        guard !errors.isEmpty else { return }
        diagnostics.error(.childWorkflow, "child workflow \"\(file.value)\" is invalid (\(errors.count) error\(errors.count == 1 ? "" : "s"))", at: file.range)
        for error in errors {
            diagnostics.report(error.severity, error.rule, "\(error.message) (in child workflow \(childPath) at \(error.range.start))", at: file.range)
        }
    }
}
