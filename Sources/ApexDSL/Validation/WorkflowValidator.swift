import Foundation

/// What `apex validate` learns about one file.
public struct ValidationResult: Sendable {
    public var source: SourceFile?
    /// The parsed workflow, when the file held YAML (even with errors).
    public var workflow: Workflow?
    public var diagnostics: [Diagnostic]
    /// Diagnostics beyond ``DiagnosticBag/limit`` that were dropped.
    public var truncatedCount: Int

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    public var hasWarnings: Bool { diagnostics.contains { $0.severity == .warning } }
}

/// The entry point of validation: bytes in, every diagnostic out.
public enum WorkflowValidator {
    /// Validates the workflow in `data`, naming it `path` in diagnostics. Child workflows named
    /// by `workflow.file` are read from disk relative to `path` and validated too.
    public static func validate(data: Data, path: String) -> ValidationResult {
        var visited: Set<String> = [URL(fileURLWithPath: path).standardizedFileURL.path]
        return validate(data: data, path: path, visited: &visited)
    }

    /// Parses the workflow in `data` without running the validation rules: the pure path that
    /// loads a stored definition, which was validated when its run started. It reads no file.
    public static func parse(data: Data, path: String) -> ValidationResult {
        var visited: Set<String>? = nil
        return check(data: data, path: path, rules: &visited)
    }

    static func validate(data: Data, path: String, visited: inout Set<String>) -> ValidationResult {
        var rules: Set<String>? = visited
        defer { visited = rules ?? visited }
        return check(data: data, path: path, rules: &rules)
    }

    /// Loads and parses `data`; with `rules` (the child files already being validated), runs
    /// the validation rules too.
    private static func check(data: Data, path: String, rules visited: inout Set<String>?) -> ValidationResult {
        let loaded = WorkflowSourceLoader.load(data: data, path: path)
        var diagnostics = loaded.diagnostics
        guard let source = loaded.source, let root = loaded.root else {
            return ValidationResult(source: loaded.source, workflow: nil, diagnostics: diagnostics.sorted, truncatedCount: diagnostics.truncatedCount)
        }
        var parser = WorkflowParser(source: source, diagnostics: diagnostics)
        let workflow = parser.parse(root)
        diagnostics = parser.diagnostics
        if var children = visited, parser.stepCount <= WorkflowParser.maxSteps {
            let context = ValidationContext(workflow: workflow)
            for rule in ValidationRules.all {
                rule.check(context, into: &diagnostics)
            }
            ChildWorkflowRule.check(context, visited: &children, into: &diagnostics)
            visited = children
        }
        return ValidationResult(source: source, workflow: workflow, diagnostics: diagnostics.sorted, truncatedCount: diagnostics.truncatedCount)
    }
}
