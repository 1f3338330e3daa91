/// An expression that failed at run time (error type `expression`; docs/language.md,
/// "Run-time errors"): a wrong type, an unknown context, a division by zero, an integer overflow, a
/// bad function argument.
///
/// The range, when known, is the part of the expression at fault, in Unicode scalars within the
/// string that was parsed.
public struct ExpressionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var range: Range<Int>?

    public init(_ message: String, at range: Range<Int>?) {
        self.message = message
        self.range = range
    }

    public var description: String { message }
}
