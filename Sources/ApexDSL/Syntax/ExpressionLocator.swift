/// Maps offsets inside a YAML string (where expression ranges point) back to file positions.
///
/// YAML quoting, escapes and block scalars make the string differ from its source text, but an
/// expression is almost always written on one line without escapes. So each `${{` of the string
/// is anchored at the matching `${{` in the source, and offsets after it count columns from there,
/// up to the end of the anchor's line (an expression that goes on over several lines is
/// pointed at on its first).
public struct ExpressionLocator: Sendable {
    /// The whole scalar in the file.
    public let range: SourceRange
    /// Each anchor, with the column just past the end of its line.
    private let anchors: [(offset: Int, location: SourceLocation, lineEnd: Int)]

    init(string: String, range: SourceRange, source: SourceFile) {
        self.range = range
        let stringOffsets = Self.openingOffsets(in: Array(string.unicodeScalars))
        var sourceLocations: [SourceLocation] = []
        for line in range.start.line...max(range.start.line, range.end.line) {
            let from = line == range.start.line ? range.start.column : 1
            let to = line == range.end.line ? range.end.column : Int.max
            guard from < to else { continue }
            for offset in Self.openingOffsets(in: source.scalars(ofLine: line, columns: from..<to)) {
                sourceLocations.append(SourceLocation(line: line, column: from + offset))
            }
        }
        anchors = zip(stringOffsets, sourceLocations).map { ($0, $1, source.columnCount(ofLine: $1.line) + 1) }
    }

    /// The file range of `offsets` (Unicode scalar offsets in the string).
    public func fileRange(_ offsets: Range<Int>) -> SourceRange {
        // The last anchor at or before the offset, by binary search (anchors are in offset
        // order, and a string may hold thousands of expressions).
        var low = 0, high = anchors.count
        while low < high {
            let middle = (low + high) / 2
            if anchors[middle].offset <= offsets.lowerBound { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else {
            return SourceRange.at(range.start, length: 1)
        }
        let anchor = anchors[low - 1]
        let column = min(anchor.location.column + offsets.lowerBound - anchor.offset, anchor.lineEnd)
        let end = min(column + max(1, offsets.count), anchor.lineEnd)
        return SourceRange(start: SourceLocation(line: anchor.location.line, column: column), end: SourceLocation(line: anchor.location.line, column: end))
    }

    private static func openingOffsets(in scalars: [Unicode.Scalar]) -> [Int] {
        guard scalars.count >= 3 else { return [] }
        var offsets: [Int] = []
        var index = 0
        while index + 2 < scalars.count {
            if scalars[index] == "$", scalars[index + 1] == "{", scalars[index + 2] == "{" {
                offsets.append(index)
                index += 3
            } else {
                index += 1
            }
        }
        return offsets
    }
}
