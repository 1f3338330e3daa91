/// A prefix operator; the raw value is how it is written.
public enum UnaryOperator: String, Sendable, Hashable, CaseIterable {
    /// `!x`: true when `x` is falsy.
    case not = "!"
    /// `-x`: the negated number.
    case negate = "-"
}
