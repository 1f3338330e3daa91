/// A node under `steps:` (or inside a `parallel` branch or `foreach` body).
public struct Step: Sendable {
    public var id: Located<String>
    public var name: String?
    public var description: String?
    /// `if:` — when false the step is skipped.
    public var condition: TemplateValue?
    public var action: Action
    /// Where `action`'s key (`llm:`, `http:`, …) is, for messages about the step kind.
    public var actionRange: SourceRange
    /// `next:`: a step id of the same list, or `end`.
    public var next: Located<String>?
    public var retry: RetryPolicy?
    public var timeout: Located<Duration>?
    public var catchHandlers: [CatchHandler] = []
    /// The ranges of the step's keys, for pointing at an option that is not allowed here.
    public var keyRanges: [String: SourceRange] = [:]
    /// The whole step mapping.
    public var range: SourceRange

    /// The nested step lists of `parallel` and `foreach`.
    public var nestedLists: [[Step]] {
        switch action {
        case .parallel(let parallel): parallel.branches.map(\.steps)
        case .foreach(let foreach): [foreach.steps]
        default: []
        }
    }
}

/// `catch:` handler: where to go when the step's final error matches.
public struct CatchHandler: Sendable {
    /// Error types, `prefix.*` patterns or `*`.
    public var errors: [Located<String>]
    public var next: Located<String>
    public var range: SourceRange
}
