import ApexDSL

/// One `catch` handler of a state: where the flow goes when the step's final error (after
/// retries) matches one of the patterns.
public struct PlanCatch: Sendable, Hashable {
    /// Error types, `prefix.*` patterns or `*` (docs/language.md, "`catch`").
    public let patterns: [String]
    /// Where the flow goes when the handler matches.
    public let target: PlanTarget

    /// Creates a handler.
    public init(patterns: [String], target: PlanTarget) {
        self.patterns = patterns
        self.target = target
    }

    /// Whether an error of type `type` is handled here.
    public func matches(_ type: String) -> Bool {
        patterns.contains { ErrorPattern.matches($0, type: type) }
    }
}
