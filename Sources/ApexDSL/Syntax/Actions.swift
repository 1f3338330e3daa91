/// `http:` — a call to an HTTP API.
public struct HTTPCall: Sendable {
    public var method: Located<String>?
    public var url: TemplateValue?
    public var headers: TemplateValue?
    public var query: TemplateValue?
    public var json: TemplateValue?
    public var body: TemplateValue?
    /// Accepted status codes; nil means any 2xx.
    public var expect: [Located<Int>]?
}

/// `sleep:` — a durable timer.
public enum SleepAction: Sendable {
    case duration(Located<Duration>)
    /// An expression giving seconds.
    case seconds(TemplateValue)
    /// `{until: <RFC 3339 timestamp expression>}`.
    case until(TemplateValue)
}

/// `wait:` — waits for a signal.
public struct WaitAction: Sendable {
    public var signal: Located<String>?
    public var timeout: Located<Duration>?
    public var schema: JSONSchema?
}

/// `switch:` — the first case whose `when` is true picks the next step.
public struct SwitchAction: Sendable {
    public var cases: [SwitchCase] = []
    public var defaultTarget: Located<String>?
}

public struct SwitchCase: Sendable {
    public var condition: TemplateValue
    public var next: Located<String>
}

/// `parallel:` — named branches that run concurrently.
public struct ParallelAction: Sendable {
    public var branches: [Branch]
}

public struct Branch: Sendable {
    public var name: Located<String>
    public var steps: [Step]
}

/// `foreach:` — runs its steps once per element of a list.
public struct ForEachAction: Sendable {
    public static let defaultElementName = "item"

    public var items: TemplateValue?
    public var elementName: Located<String>?
    /// An integer or an expression giving one; nil means 1.
    public var concurrency: TemplateValue?
    public var steps: [Step]

    public var element: String { elementName?.value ?? Self.defaultElementName }
}

/// `workflow:` — a child run.
public struct ChildWorkflowCall: Sendable {
    public var file: Located<String>?
    public var name: Located<String>?
    public var input: TemplateValue?
}

/// `fail:` — raises an error.
public struct FailAction: Sendable {
    public var error: Located<String>?
    public var message: TemplateValue?
}
