/// A position in a source file: 1-based line and column, columns counted in Unicode scalars
/// (as libyaml counts them and as editors show them).
public struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// A half-open range `[start, end)` in a source file. `end` may equal `start` for a point.
public struct SourceRange: Hashable, Sendable {
    public var start: SourceLocation
    public var end: SourceLocation

    public init(start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = max(start, end)
    }

    /// A point range at the beginning of the file, for problems that belong to no value.
    public static let fileStart = SourceRange(start: .init(line: 1, column: 1), end: .init(line: 1, column: 1))

    /// A range of `length` scalars on the start line.
    public static func at(_ start: SourceLocation, length: Int) -> SourceRange {
        SourceRange(start: start, end: SourceLocation(line: start.line, column: start.column + max(0, length)))
    }
}
