/// An infix operator; the raw value is how it is written.
public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
    case coalesce = "??"
    case or = "||"
    case and = "&&"
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case remainder = "%"

    /// The operators of each precedence level, loosest first (`? :` is looser still).
    static let precedenceLevels: [[BinaryOperator]] = [
        [.coalesce],
        [.or],
        [.and],
        [.equal, .notEqual],
        [.less, .lessOrEqual, .greater, .greaterOrEqual],
        [.add, .subtract],
        [.multiply, .divide, .remainder],
    ]

    /// `a < b < c` compares a boolean with a number, which is never what was meant.
    var isOrdering: Bool {
        switch self {
        case .less, .lessOrEqual, .greater, .greaterOrEqual: true
        default: false
        }
    }
}
