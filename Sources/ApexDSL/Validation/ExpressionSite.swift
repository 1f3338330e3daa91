/// An expression of the workflow with what it may see: where it is evaluated, whether it is a
/// call's field (where `secrets` are allowed), whether it is a tool's field (where `args` is
/// defined), and the foreach names in scope.
struct ExpressionSite {
    enum Point {
        /// Top-level `vars`: before any step.
        case start
        /// A field of step `entry`, evaluated when the step starts.
        case step(Int)
        /// The workflow `output`, after the top-level list ended.
        case end
    }

    let expression: Expression
    let locator: ExpressionLocator
    let point: Point
    /// The key under which the expression stands (`prompt`, `url`, `if`, `output`, …).
    let field: String
    let allowsSecrets: Bool
    /// In the fields of an agent's tool, the shape of `args` (the model's arguments, typed by
    /// the tool's `input`); nil elsewhere, where `args` is not defined.
    let args: ValueShape?
    /// Foreach element names and `index` visible here.
    let loopNames: [String]

    func fileRange(_ range: Range<Int>) -> SourceRange { locator.fileRange(range) }

    static func collect(in workflow: Workflow, index: StepIndex) -> [ExpressionSite] {
        var sites: [ExpressionSite] = []
        func add(_ value: TemplateValue?, field: String, point: Point, secrets: Bool = false, args: ValueShape? = nil, loopNames: [String] = []) {
            guard let value else { return }
            for (expression, locator) in value.expressions {
                sites.append(ExpressionSite(
                    expression: expression, locator: locator, point: point, field: field, allowsSecrets: secrets, args: args, loopNames: loopNames))
            }
        }
        for variable in workflow.vars { add(variable.value, field: "vars", point: .start) }
        // Top-level llm defaults are evaluated in each llm step that uses them; checked as at the start.
        for (field, value) in workflow.llm.templateFields { add(value, field: field, point: .start, secrets: true) }
        for (entryIndex, entry) in index.entries.enumerated() {
            let names = loopNames(of: entryIndex, in: index)
            let point = Point.step(entryIndex)
            let step = entry.step
            add(step.condition, field: "if", point: point, loopNames: names)
            switch step.action {
            case .llm(let options):
                for (field, value) in options.templateFields { add(value, field: field, point: point, secrets: true, loopNames: names) }
            case .http(let call):
                for (field, value) in call.templateFields { add(value, field: field, point: point, secrets: true, loopNames: names) }
            case .sleep(.seconds(let value)), .sleep(.until(let value)):
                add(value, field: "sleep", point: point, loopNames: names)
            case .set(let assignments):
                for assignment in assignments { add(assignment.value, field: assignment.name.value, point: point, loopNames: names) }
            case .switch(let action):
                for switchCase in action.cases { add(switchCase.condition, field: "when", point: point, loopNames: names) }
            case .foreach(let foreach):
                add(foreach.items, field: "in", point: point, loopNames: names)
                add(foreach.concurrency, field: "concurrency", point: point, loopNames: names)
            case .workflow(let call):
                add(call.input, field: "input", point: point, loopNames: names)
            case .agent(let agent):
                for (field, value) in agent.llm.templateFields { add(value, field: field, point: point, secrets: true, loopNames: names) }
                for tool in agent.tools {
                    for field in tool.templateFields {
                        add(field.value, field: field.name, point: point, secrets: field.allowsSecrets, args: field.readsArgs ? tool.argumentShape : nil, loopNames: names)
                    }
                }
            case .fail(let fail):
                add(fail.message, field: "message", point: point, loopNames: names)
            case .sleep(.duration), .wait, .parallel, .invalid:
                break
            }
        }
        add(workflow.output, field: "output", point: .end)
        return sites
    }

    /// The names that the foreach steps enclosing `entry` define (not the entry's own).
    private static func loopNames(of entry: Int, in index: StepIndex) -> [String] {
        var names: [String] = []
        for owner in index.ancestry(of: entry).dropFirst() {
            if case .foreach(let foreach) = index.entries[owner].step.action {
                names += [foreach.element, "index"]
            }
        }
        return names
    }
}

extension LLMOptions {
    /// The fields that may hold expressions, with their keys.
    var templateFields: [(String, TemplateValue?)] {
        [("model", model), ("system", system), ("prompt", prompt), ("temperature", temperature), ("max_tokens", maxTokens), ("stop", stop)]
            + (messages ?? []).map { ("content", $0.content) }
    }
}
