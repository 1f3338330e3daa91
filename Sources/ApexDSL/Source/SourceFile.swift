import Foundation

/// The text of one workflow file, kept to render source lines under diagnostics and to map
/// offsets inside YAML scalars back to file positions.
public struct SourceFile: Sendable {
    /// The path as the user gave it (printed in diagnostics).
    public let path: String
    public let text: String
    /// The file split at line breaks, without the breaks.
    public let lines: [Substring]
    /// Where every ``columnMarkSpacing``-th column starts on each line longer than that (empty
    /// for shorter lines), so that finding a column never walks a long line from its start.
    private let columnMarks: [[String.Index]]
    static let columnMarkSpacing = 64

    public init(path: String, text: String) {
        self.path = path
        self.text = text
        // Split on UTF-8 bytes: splitting on Characters walks grapheme clusters and costs a
        // tenth of the validation of a large file.
        let lines = Self.lineRanges(of: text.utf8).map { Substring(text.utf8[$0]) }
        self.lines = lines
        self.columnMarks = lines.map { line in
            guard line.utf8.count > Self.columnMarkSpacing else { return [] }
            var marks: [String.Index] = []
            for (offset, index) in line.unicodeScalars.indices.enumerated() where offset % Self.columnMarkSpacing == 0 {
                marks.append(index)
            }
            return marks
        }
    }

    /// The line with 1-based number `number`, or nil past the end.
    public func line(_ number: Int) -> Substring? {
        number >= 1 && number <= lines.count ? lines[number - 1] : nil
    }

    /// The Unicode scalars of line `number` (empty past the end).
    public func scalars(ofLine number: Int) -> [Unicode.Scalar] {
        line(number).map { Array($0.unicodeScalars) } ?? []
    }

    /// How many columns (Unicode scalars) line `number` has; 0 past the end. Like
    /// ``scalars(ofLine:columns:)``, it does not walk a long line from its start.
    public func columnCount(ofLine number: Int) -> Int {
        guard let line = line(number) else { return 0 }
        guard let last = columnMarks[number - 1].last else { return line.unicodeScalars.count }
        return (columnMarks[number - 1].count - 1) * Self.columnMarkSpacing + line.unicodeScalars[last...].count
    }

    /// The Unicode scalars of line `number` in the 1-based `columns` (cut at the line's end).
    /// It costs the length of the range, not of the line.
    public func scalars(ofLine number: Int, columns: Range<Int>) -> [Unicode.Scalar] {
        guard let line = line(number), columns.upperBound > 1 else { return [] }
        let scalars = line.unicodeScalars
        let skipped = max(0, columns.lowerBound - 1)
        let marks = columnMarks[number - 1]
        let mark = marks.isEmpty ? 0 : min(skipped / Self.columnMarkSpacing, marks.count - 1)
        var index = marks.isEmpty ? scalars.startIndex : marks[mark]
        var toSkip = skipped - mark * Self.columnMarkSpacing
        while toSkip > 0, index != scalars.endIndex {
            scalars.formIndex(after: &index)
            toSkip -= 1
        }
        var result: [Unicode.Scalar] = []
        var toTake = columns.upperBound - 1 - skipped
        while toTake > 0, index != scalars.endIndex {
            result.append(scalars[index])
            scalars.formIndex(after: &index)
            toTake -= 1
        }
        return result
    }

    /// The ranges of the lines of UTF-8 text, without their breaks. Lines end where YAML 1.2
    /// ends them, as libyaml counts them: at LF, CR LF or a lone CR. NEL, LS and PS, which
    /// YAML 1.1 also counted, are ordinary characters (see ``LibyamlInput``).
    static func lineRanges<Bytes: Collection<UInt8>>(of bytes: Bytes) -> [Range<Bytes.Index>] {
        var ranges: [Range<Bytes.Index>] = []
        var lineStart = bytes.startIndex
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") else {
                index = bytes.index(after: index)
                continue
            }
            ranges.append(lineStart..<index)
            index = bytes.index(after: index)
            if byte == UInt8(ascii: "\r"), index != bytes.endIndex, bytes[index] == UInt8(ascii: "\n") {
                index = bytes.index(after: index)
            }
            lineStart = index
        }
        ranges.append(lineStart..<bytes.endIndex)
        return ranges
    }
}
