import ApexDSL

extension SourceFile {
    /// A scalar value as written in the file, on one line: the `${{ … }}` of a condition rather
    /// than its parsed form. Outer quotes are removed (a single-quoted scalar's `''` read as `'`)
    /// and runs of whitespace, line breaks included, become one space.
    func writtenText(of value: TemplateValue) -> String {
        let range = value.range
        var pieces: [Substring] = []
        for number in range.start.line...max(range.start.line, range.end.line) {
            let scalars = scalars(ofLine: number)
            let from = number == range.start.line ? range.start.column - 1 : 0
            let to = number == range.end.line ? min(scalars.count, range.end.column - 1) : scalars.count
            guard from < to else { continue }
            pieces.append(Substring(String(String.UnicodeScalarView(scalars[from..<to]))))
        }
        var text = pieces.joined(separator: " ")
        if let first = text.first, let last = text.last, text.count >= 2, first == last, first == "\"" || first == "'" {
            text = String(text.dropFirst().dropLast())
            if first == "'" { text = text.replacing("''", with: "'") }
        }
        let words = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if words.isEmpty, let literal = value.literalValue { return literal.compactJSON }
        return words
    }
}
