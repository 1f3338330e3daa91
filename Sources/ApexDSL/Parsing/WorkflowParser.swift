/// Reads a YAML tree into a ``Workflow``, reporting every structural problem: unknown and
/// missing keys (with did-you-mean), wrong types, malformed ids, names and durations,
/// expression syntax, and JSON Schema keywords outside the subset.
///
/// Cross-references (step targets, expression contexts, reachability) are checked afterwards by
/// the validation rules on the typed workflow.
struct WorkflowParser {
    /// The most steps a workflow may have, nested ones included.
    static let maxSteps = 10_000

    static let topLevelKeys = ["apex", "name", "version", "description", "input", "vars", "llm", "defaults", "timeout", "task_queue", "steps", "output"]

    let source: SourceFile
    var diagnostics: DiagnosticBag
    /// Steps read so far, to stop at ``maxSteps``.
    var stepCount = 0

    init(source: SourceFile, diagnostics: DiagnosticBag) {
        self.source = source
        self.diagnostics = diagnostics
    }

    mutating func parse(_ root: YAMLNode) -> Workflow {
        var workflow = Workflow(source: source)
        workflow.document = root.jsonValue
        guard let keys = mapping(root, what: "a workflow", allowed: Self.topLevelKeys, allowsExtensions: true) else { return workflow }
        parseVersion(keys["apex"], in: root)
        workflow.name = parseName(keys["name"], in: root)
        workflow.version = keys["version"].flatMap { text($0.value, key: "version") }
        workflow.description = keys["description"].flatMap { text($0.value, key: "description") }
        if let input = keys["input"] { workflow.input = JSONSchema.parse(input.value, diagnostics: &diagnostics) }
        if let vars = keys["vars"] { workflow.vars = assignments(vars.value, what: "`vars`") }
        if let llm = keys["llm"] { workflow.llm = llmOptions(llm.value, isStep: false) }
        if let defaults = keys["defaults"] { workflow.defaults = stepDefaults(defaults.value) }
        if let timeout = keys["timeout"] { workflow.timeout = duration(timeout.value, key: "timeout") }
        if let output = keys["output"] { workflow.output = template(output.value) }
        if let queue = keys["task_queue"] { workflow.taskQueue = parseTaskQueue(queue) }
        if let steps = keys["steps"] {
            workflow.steps = stepList(steps.value, what: "`steps`")
        } else {
            diagnostics.error(.missingKey, "missing key \"steps\": a workflow needs a non-empty list of steps", at: keyAnchor(root))
        }
        if stepCount > Self.maxSteps {
            diagnostics.error(.tooManySteps, "the workflow has \(stepCount) steps; at most \(Self.maxSteps) are allowed (split it into child workflows)", at: keys["steps"]?.key.range ?? .fileStart)
        }
        return workflow
    }

    private mutating func parseVersion(_ pair: YAMLPair?, in root: YAMLNode) {
        guard let pair else {
            diagnostics.error(.apexVersion, "missing key \"apex\": start the file with `apex: 1`", at: keyAnchor(root))
            return
        }
        guard case .int(1) = pair.value.scalar?.resolved else {
            diagnostics.error(.apexVersion, "unsupported DSL version \(pair.value.scalar.map { "\"\($0.value)\"" } ?? pair.value.kindDescription); this version of apex reads `apex: 1`", at: pair.value.range)
            return
        }
    }

    private mutating func parseName(_ pair: YAMLPair?, in root: YAMLNode) -> Located<String>? {
        guard let pair else {
            diagnostics.error(.missingKey, "missing key \"name\": a workflow needs a name (runs are listed under it)", at: keyAnchor(root))
            return nil
        }
        guard let name = string(pair.value, key: "name") else { return nil }
        if !Identifiers.isWorkflowName(name.value) {
            diagnostics.error(.workflowName, "workflow name \"\(name.value)\" must match ^[a-z][a-z0-9_-]{0,62}$ (lowercase letters, digits, '-' and '_', starting with a letter)", at: name.range)
        }
        return name
    }

    private mutating func parseTaskQueue(_ pair: YAMLPair) -> Located<String>? {
        guard let queue = string(pair.value, key: "task_queue") else { return nil }
        if let problem = ScopeName.problem(queue.value) {
            diagnostics.error(.invalidValue, "task queue \"\(queue.value)\" is not a valid name: \(problem); it must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", at: queue.range)
            return nil
        }
        return queue
    }

    /// A point at the start of a mapping, for "missing key" diagnostics.
    func keyAnchor(_ node: YAMLNode) -> SourceRange {
        .at(node.range.start, length: 1)
    }
}
