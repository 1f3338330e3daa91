/// A workflow file as parsed: the DSL v1 document with every value's source position.
///
/// Parsing always produces a workflow, even from a broken file (missing parts are empty), so
/// that validation can report every problem at once; the compiler only accepts one without errors.
public struct Workflow: Sendable {
    public var source: SourceFile
    public var name: Located<String>?
    public var version: String?
    public var description: String?
    /// The JSON Schema of the run input.
    public var input: JSONSchema?
    /// Initial variables, in order.
    public var vars: [Assignment] = []
    /// Defaults for every llm step.
    public var llm = LLMOptions()
    public var defaults = StepDefaults()
    /// The timeout of the whole run.
    public var timeout: Located<Duration>?
    /// The queue whose workers drive its runs (`apex worker --task-queue`); nil for the default.
    public var taskQueue: Located<String>?
    public var steps: [Step] = []
    public var output: TemplateValue?
    /// The whole YAML document as JSON (comments and formatting gone, keys in written order):
    /// what the definition hash of a compiled plan is computed over.
    public var document: JSONValue = .null

    public init(source: SourceFile) {
        self.source = source
    }
}

/// `defaults:` of a workflow.
public struct StepDefaults: Sendable {
    public static let defaultMaxVisits = 100

    public var retry: RetryPolicy?
    public var timeout: Located<Duration>?
    /// How many times each step may start in one run.
    public var maxVisits = StepDefaults.defaultMaxVisits

    public init() {}
}

/// `name: value` in `vars` or a `set` step.
public struct Assignment: Sendable {
    public var name: Located<String>
    public var value: TemplateValue
}
