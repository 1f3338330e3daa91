/// A problem that ``ExpressionChecker`` finds in an expression without running it. The validator
/// turns it into a diagnostic by mapping the range (Unicode scalars within the parsed string)
/// to the file.
public struct ExpressionProblem: Sendable, Hashable {
    public var rule: RuleID
    public var message: String
    public var range: Range<Int>

    public init(rule: RuleID, message: String, range: Range<Int>) {
        self.rule = rule
        self.message = message
        self.range = range
    }
}
