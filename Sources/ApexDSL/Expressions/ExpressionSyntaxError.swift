/// A `${{ }}` expression that cannot be parsed: what is wrong, and where.
///
/// The range is in Unicode scalars within the string that was parsed; `apex validate` reports it
/// under the rule `expression-syntax`.
public struct ExpressionSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var range: Range<Int>

    public init(_ message: String, at range: Range<Int>) {
        self.message = message
        self.range = range
    }

    public var description: String { message }
}
