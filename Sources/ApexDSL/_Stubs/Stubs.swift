// LOCAL STUBS — never commit. Replaced by the expr and schema branches.
import OrderedCollections
public struct Expression: Sendable, Hashable {
    public indirect enum Kind: Sendable, Hashable {
        case literal(JSONValue)
        case context(String)
        case member(Expression, String)
        case index(Expression, Expression)
        case projection(Expression)
        case call(String, [Expression])
        case list([Expression])
    }
    public var kind: Kind
    public var range: Range<Int>
    public static func parse(_ text: String, offset: Int = 0) throws(ExpressionSyntaxError) -> Expression { fatalError() }
    public func evaluate(in context: EvaluationContext) throws(ExpressionError) -> JSONValue { fatalError() }
    public var accessPaths: [AccessPath] { fatalError() }
    public var calls: [FunctionCall] { fatalError() }
}
public struct AccessPath: Sendable, Hashable { public var root: String; public var rootRange: Range<Int>; public var components: [Component]
    public struct Component: Sendable, Hashable { public enum Kind: Sendable, Hashable { case name(String), index(Int), projection, dynamic }; public var kind: Kind; public var range: Range<Int> } }
public struct FunctionCall: Sendable, Hashable { public var name: String; public var argumentCount: Int; public var range: Range<Int> }
public struct ExpressionSyntaxError: Error, Sendable, Hashable { public var message: String; public var range: Range<Int> }
public struct ExpressionError: Error, Sendable, Hashable { public var message: String; public var range: Range<Int>? }
public struct EvaluationContext: Sendable { public var roots: [String: JSONValue]; public init(roots: [String: JSONValue]) { self.roots = roots } }
public struct Template: Sendable, Hashable {
    public enum Part: Sendable, Hashable { case text(String); case expression(Expression) }
    public var parts: [Part]
    public static func parse(_ string: String) throws(ExpressionSyntaxError) -> Template { fatalError() }
    public var hasExpressions: Bool { fatalError() }
    public var isSingleExpression: Bool { fatalError() }
    public var expressions: [Expression] { fatalError() }
    public func evaluate(in context: EvaluationContext) throws(ExpressionError) -> JSONValue { fatalError() }
}
public enum FunctionLibrary { public static let names: [String] = []; public static func arity(of name: String) -> ClosedRange<Int>? { nil } }
public enum ExpressionChecker { public static func checkCalls(in expression: Expression) -> [ExpressionProblem] { [] } }
public struct ExpressionProblem: Sendable, Hashable { public var rule: RuleID; public var message: String; public var range: Range<Int> }
extension Expression { var coalescedRanges: [Range<Int>] { [] } }
