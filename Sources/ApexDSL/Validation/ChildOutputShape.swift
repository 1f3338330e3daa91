import Foundation

/// The shape of what a `workflow` step's child outputs, read from the child's file: its
/// `output` typed in its own workflow (whose own children are not read in turn), null when it
/// has none. A child named by `name`, or whose file is missing or does not parse, is unknown
/// (`child-workflow` reports the file).
struct ChildOutputShape {
    /// The folder that child files are relative to: the parent's.
    let folder: URL
    private var cache: [String: ValueShape] = [:]

    init(parentPath: String) {
        folder = URL(fileURLWithPath: parentPath).deletingLastPathComponent()
    }

    mutating func shape(of call: ChildWorkflowCall) -> ValueShape {
        guard let file = call.file?.value else { return .unknown }
        let path = URL(fileURLWithPath: file, relativeTo: folder).standardizedFileURL.path
        if let known = cache[path] { return known }
        let shape = Self.read(path, file: file)
        cache[path] = shape
        return shape
    }

    private static func read(_ path: String, file: String) -> ValueShape {
        guard let data = FileManager.default.contents(atPath: path) else { return .unknown }
        let parsed = WorkflowValidator.parse(data: data, path: path)
        guard let workflow = parsed.workflow, !parsed.hasErrors else { return .unknown }
        guard let output = workflow.output else { return .null("child workflow \"\(file)\" has no `output`, so its output is null") }
        let index = StepIndex(workflow: workflow)
        let graphs = index.lists.indices.map { StepGraph(steps: index.steps(of: $0)) }
        let types = TypeEnvironment(workflow: workflow, index: index, graphs: graphs) { _ in .unknown }
        return types.shape(of: output, at: .end)
    }
}
