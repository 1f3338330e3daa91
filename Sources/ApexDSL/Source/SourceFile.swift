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
        self.lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            let trimmed = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
            return Substring(trimmed)
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
}
