/// A function call in an expression, for static checking.
public struct FunctionCall: Sendable, Hashable {
    public var name: String
    public var argumentCount: Int
    /// The range of the function's name.
    public var range: Range<Int>

    public init(name: String, argumentCount: Int, range: Range<Int>) {
        self.name = name
        self.argumentCount = argumentCount
        self.range = range
    }
}
