import ApexDSL

extension SourceFile {
    /// A scalar value as written in the file, on one line: the `${{ … }}` of a condition rather
    /// than its parsed form. Outer quotes are removed, with the quoting escapes that are only
    /// there for YAML (`''` in single quotes, `\"` and `\\` in double quotes), and runs of
    /// whitespace, line breaks included, become one space.
    func writtenText(of value: TemplateValue) -> String {
        let range = value.range
        var text = ""
        for number in range.start.line...max(range.start.line, range.end.line) {
            let scalars = scalars(ofLine: number)
            let from = number == range.start.line ? range.start.column - 1 : 0
            let to = number == range.end.line ? min(scalars.count, range.end.column - 1) : scalars.count
            guard from < to else { continue }
            if !text.isEmpty { text += " " }
            text.unicodeScalars.append(contentsOf: scalars[from..<to])
        }
        if let first = text.first, text.count >= 2, text.last == first, first == "\"" || first == "'" {
            text = String(text.dropFirst().dropLast())
            text = first == "'" ? text.replacing("''", with: "'") : Self.unescapingQuotes(text)
        }
        let words = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if words.isEmpty, let literal = value.literalValue { return literal.compactJSON }
        return words
    }

    /// `\"` and `\\` of a double-quoted YAML scalar read as `"` and `\`; other escapes stay.
    private static func unescapingQuotes(_ text: String) -> String {
        var out = ""
        var escaped = false
        for character in text {
            if escaped {
                if character != "\"" && character != "\\" { out.append("\\") }
                out.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        return escaped ? out + "\\" : out
    }
}
