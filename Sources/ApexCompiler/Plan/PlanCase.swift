import ApexDSL

/// One `{when, next}` case of a `switch` state, tried in order.
public struct PlanCase: Sendable {
    /// The `when` value: an expression (or a literal) whose truth picks ``target``.
    public let condition: TemplateValue
    /// The condition as written in the file (`${{ … }}`), for graphs and logs.
    public let text: String
    /// Where the flow goes when this is the first case whose condition is true.
    public let target: PlanTarget

    /// Creates a case.
    public init(condition: TemplateValue, text: String, target: PlanTarget) {
        self.condition = condition
        self.text = text
        self.target = target
    }
}
