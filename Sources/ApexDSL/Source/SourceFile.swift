import Foundation

/// The text of one workflow file, kept to render source lines under diagnostics and to map
/// offsets inside YAML scalars back to file positions.
public struct SourceFile: Sendable {
    /// The path as the user gave it (printed in diagnostics).
    public let path: String
    public let text: String
    /// The file split at line breaks, without the breaks.
    public let lines: [Substring]

    public init(path: String, text: String) {
        self.path = path
        self.text = text
        // Split on UTF-8 bytes: splitting on Characters walks grapheme clusters and costs a
        // tenth of the validation of a large file.
        self.lines = Self.lineRanges(of: text.utf8).map { Substring(text.utf8[$0]) }
    }

    /// The line with 1-based number `number`, or nil past the end.
    public func line(_ number: Int) -> Substring? {
        number >= 1 && number <= lines.count ? lines[number - 1] : nil
    }

    /// The Unicode scalars of line `number` (empty past the end).
    public func scalars(ofLine number: Int) -> [Unicode.Scalar] {
        line(number).map { Array($0.unicodeScalars) } ?? []
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
